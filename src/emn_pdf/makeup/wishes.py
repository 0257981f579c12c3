"""What the editor and each block's kind ask of its module, and the widths to measure.

A module's wishes come from its block: the editor's ``span``, ``new_page``
and ``keep_with_next``, and what its kind says (:class:`emn_pdf.issue.model.BlockBase`:
closing, always full width, how its pictures may be resized).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..issue.model import (
    BlockBase,
    DateRange,
    Edition,
    Image,
    PictureFit,
    band_picture,
    charts,
)
from ..issue.pictures import CSS_PX_PER_INCH
from ..layout.contract import quoted_block, resizable_pictures
from ..layout.render import block_position, filler_position
from .html import BAND_SUFFIX, Piece
from .types import Grid, Module, Move, Note, is_spare


def wish_of(piece: Piece, edition: Edition, grid: Grid, least_ppi: float) -> Module:
    """Return the module of ``piece``, with what the editor and its kind ask.

    A band is a module of its own across the grid, kept with its article,
    which stands in the columns under it.  ``least_ppi`` is the resolution
    below which a photograph looks soft in the target's file.
    """
    columns = grid.columns_of(piece.columns)
    if piece.role == "spare":  # a filler, or a pull quote: set whole in a hole
        quotes = quoted_block(piece.key)
        return Module(
            piece.key, "spare", grid.columns, {}, pictures="whole", quotes=quotes
        )
    if piece.role not in ("block", "band"):
        return Module(piece.key, piece.role, grid.columns, {})
    block = _block(edition, piece.key.removesuffix(BAND_SUFFIX))
    if block is None:
        return Module(piece.key, piece.role, columns, {})
    band = band_picture(block)
    pictures: list[Image]
    if piece.role == "band":
        pictures = [band] if band else []
    else:
        pictures = resizable_pictures(block)
    never = any(image.crop == "never" for image in pictures)
    fit: PictureFit = "whole" if never else block.pictures
    banded = band is not None
    sharp = _sharp_width(pictures, least_ppi)
    if piece.role == "band":
        return Module(
            piece.key,
            "band",
            columns,
            {},
            section=piece.section,
            new_page=block.new_page,
            keep_with_next=True,
            pictures=fit,
            sharp_width=sharp,
        )
    span = (
        None if block.span is None else columns if block.span == "page" else block.span
    )
    if block.full_width:
        span = columns
    least = _legible_span(block, columns, grid) if span is None and not banded else 1
    return Module(
        piece.key,
        "block",
        columns,
        {},
        span=None if span is None and least == 1 else min(span or least, columns),
        least_span=least,
        sharp_width=sharp,
        new_page=block.new_page and not banded,
        keep_with_next=block.keep_with_next,
        pictures=fit,
        closing=block.closing,
        section=piece.section,
        movable=_movable(edition, piece.key) and not banded,
        date=_first_day(block),
    )


def _sharp_width(pictures: list[Image], least_ppi: float) -> float | None:
    """Return the widest, in CSS pixels, a module's photographs stay sharp drawn.

    Makeup grows a picture's box by cropping it around its focus, which
    enlarges the photograph: never beyond ``least_ppi`` (150 ppi on screen,
    300 in print).  ``None``: no bitmap, any size is sharp.
    """
    widths = [pixels for image in pictures if (pixels := image.pixels())]
    return min(widths) * CSS_PX_PER_INCH / least_ppi if widths else None


def _legible_span(block: BlockBase, columns: int, grid: Grid) -> int:
    """Return the fewest columns in which the block's charts print their text at 6 pt.

    A chart drawn for a screen has labels of 14 units in a view box 800
    wide: in one column of an A4 page they print at 4 pt.  Set over more
    columns, where the grid has them, they are read without a magnifier; a
    chart that is still too small is reported by preflight (W140).
    """
    widest = max(
        (width for image in charts(block) if (width := image.legible_width())),
        default=0.0,
    )
    return next(
        (span for span in range(1, columns + 1) if grid.width(span, columns) >= widest),
        columns,
    )


def _movable(edition: Edition, key: str) -> bool:
    """Tell whether makeup may move a block later in its section.

    Not the section's first, not where the section or the issue keeps its
    order (``order: fixed``), not a block that closes the issue, opens a page
    or is kept with the next, nor one the block before it is kept with.
    """
    position = block_position(key)
    if position is None or position[1] == 0:
        return False
    section = edition.sections[position[0]]
    if (section.order or edition.order) == "fixed":
        return False
    block, before = section.blocks[position[1]], section.blocks[position[1] - 1]
    return not (
        block.closing or block.new_page or block.keep_with_next or before.keep_with_next
    )


def _first_day(block: BlockBase) -> str | None:
    """Return the first day of a block's date, if it has one, as ``YYYY-MM-DD``."""
    when = getattr(block, "date", None)
    if isinstance(when, DateRange):
        when = when.start
    return when.isoformat() if isinstance(when, dt.date) else None


def _block(edition: Edition, key: str) -> BlockBase | None:
    """Return the block a ``data-block`` names, if it names one of the edition's."""
    position, filler = block_position(key), filler_position(key)
    try:
        if filler is not None:
            return edition.fillers[filler]
        return edition.sections[position[0]].blocks[position[1]] if position else None
    except IndexError:
        return None


def wanted_spans(
    pieces: Sequence[Piece], wishes: dict[str, Module]
) -> dict[str, tuple[int, ...]]:
    """Return the spans to measure each piece at: those it may take.

    A module of a section's columns may take any number of them: makeup's
    search tries each (see :func:`emn_pdf.makeup.place`).  Measures across
    columns cost no more than in one (see :func:`_least_columns_height`).
    """
    return {
        piece.key: (
            (min(wish.span or wish.columns, wish.columns),)
            if wish.full and not is_spare(wish)
            else tuple(range(1, wish.columns + 1))
        )
        for piece in pieces
        for wish in [wishes[piece.key]]
    }


def move_notes(moves: Sequence[Move], edition: Edition) -> list[Note]:
    """Say each block makeup moved, after which block, and what that bought (I134)."""
    return [
        Note(
            "I134",
            f"moved after «{_title(edition, move.after)}» in its section:"
            f" {_bought(move)} (order: fixed keeps the order written)",
            move.page,
            move.key,
        )
        for move in moves
    ]


def _bought(move: Move) -> str:
    """Say what a move bought: a page less, or a page fuller."""
    was, now = move.pages
    if now < was:
        return f"{now} pages rather than {was}"
    return f"page {move.page + 1} from {move.before:.0%} to {move.then:.0%} full"


def _title(edition: Edition, key: str) -> str:
    """Return what names a block to its editor: its title, else its kind."""
    block = _block(edition, key.removesuffix(BAND_SUFFIX))
    if block is None:
        return key
    return str(getattr(block, "title", None) or getattr(block, "kind", key))
