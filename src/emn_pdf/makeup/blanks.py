"""The holes a reader sees on built pages, and the fillers set in them.

A hole is a blank of ``WEIGHTS.blank`` of a page in a column of its grid,
beside, under or between modules, or under the page's lowest module: what
``tests/holes.py`` measures on the rendered page.  Finishing fills such a
blank at the columns' feet with the issue's fillers, as far as they fit
(:func:`fill_hole`), then says each hole that remains (W111, :func:`hole_notes`)
and where each filler went (I135) or that it found no hole (I136).  A pull
quote the editor marked in an article is set the same way, only on a page
of its article (I137, I138).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .cost import WEIGHTS
from .parts import Part, Row, Stack
from .places import inked
from .types import Grid, Measure, Module, Note, may_stand_with


@dataclass(frozen=True)
class Hole:
    """A page but the last with a hole: its columns' longest blanks, and under all."""

    page: int  # from 0
    runs: list[float]  # each grid column's longest blank run, a share of the page
    short: float  # the blank under the page's lowest module


def holes_of(pages: list[list[Row]], grid: Grid) -> list[Hole]:
    """Return the pages but the last that have a hole, as a reader sees it.

    A hole is a blank of ``WEIGHTS.blank`` of the page's height in a column
    of the page grid (beside a module, under one, between two), or under
    the page's lowest module: what ``tests/holes.py`` measures on the
    rendered page.
    """
    holes = []
    for number, rows in enumerate(pages[:-1]):
        runs, short = blank_runs(rows, grid.page_height(number), grid)
        if max(*runs, short) >= WEIGHTS.blank:
            holes.append(Hole(number, runs, short))
    return holes


def hole_notes(holes: list[Hole], pages: list[list[Row]], grid: Grid) -> Iterator[Note]:
    """Say which pages but the last have a hole (W111, :func:`holes_of`).

    The note says why no allowed change filled it, naming the module that
    opens the next page.
    """
    for hole in holes:
        number, runs, short = hole.page, hole.runs, hole.short
        worst = max(runs, default=0.0)
        where = (
            f"a blank of {worst:.0%} of the page in column {runs.index(worst) + 1}"
            if worst >= short
            else f"the page ends {short:.0%} of its height short"
        )
        following = pages[number + 1][0].stacks[0].parts[0].module
        yield Note(
            "W111",
            f"{where} (at most {WEIGHTS.blank:.0%}): {_why(following, grid)}",
            number,
            following.key,
        )


def _why(following: Module, grid: Grid) -> str:
    """Say why the module opening the next page did not fill the hole."""
    if following.new_page:
        return (
            "the next page opens with a page break (the editor's new_page, or"
            " one makeup took as it leaves fewer holes in the edition)"
        )
    if following.role == "heading":
        return (
            "the next section's heading and the start of its first block need"
            " more room than is left"
        )
    if following.role == "band":
        return "the next block's band and the start of its text need more room"
    if grid.keeps_whole(following):
        return (
            "the next block is taller than the room left, and a block shorter"
            " than a column is never split; no block of its section that fits"
            " may move up"
        )
    if following.columns == 1 and 1 in following.measures:
        return _why_no_turn(following.measures[1])
    return "no allowed change fills it"


def _why_no_turn(measure: Measure) -> str:
    """Say why a block in one column did not turn to the next page here."""
    if not measure.boundaries:
        return "the next block is taller than the room left, and its text never turns"
    return (
        "the next block's first lines, under its heading or picture, need more"
        " room than is left: a block turns to the next page only between lines,"
        " two on each side"
    )


def blank_runs(rows: list[Row], height: float, grid: Grid) -> tuple[list[float], float]:
    """Return each grid column's longest blank run, and the blank under all.

    Shares of the page's height: the blank under the page's lowest module
    is the second.  Runs are counted from the page's top to its lowest
    module, as a reader sees blanks beside and under modules, whatever
    their rows.
    """
    covered: list[list[tuple[float, float]]] = [[] for _ in range(grid.columns)]
    for row in rows:
        for column, top, bottom in inked(row, grid):
            covered[column].append((top, bottom))
    lowest = max((end for each in covered for _, end in each), default=0.0)
    runs = [_longest_gap(sorted(each), lowest) / height for each in covered]
    return runs, max(0.0, height - lowest) / height


def _longest_gap(spans: list[tuple[float, float]], lowest: float) -> float:
    """Return the longest stretch from 0 to ``lowest`` that no span covers."""
    longest = reached = 0.0
    for start, end in spans:
        longest = max(longest, start - reached)
        reached = max(reached, end)
    return max(longest, lowest - reached)


def fill_hole(
    rows: list[Row], height: float, grid: Grid, spares: list[Module]
) -> Iterator[tuple[Module, float]]:
    """Set fillers in the blank at the feet of a page's columns, as they fit.

    Where the columns end ``WEIGHTS.blank`` of the page or more above the
    foot, the widest blank first, the filler that fills most of it goes
    there (each at most once, taken from ``spares``; a pull quote only on
    a page of the block it quotes, and one a page).  Yield each filler
    set, and the blank it filled, as a share of the page.
    """
    keys = {p.module.key for row in rows for stack in row.stacks for p in stack.parts}
    quoted = False  # a page shows one pull quote at most
    while spares:
        lowest = [0.0] * grid.columns
        for column, _, bottom in (each for row in rows for each in inked(row, grid)):
            lowest[column] = max(lowest[column], bottom)
        allowed = [
            spare
            for spare in spares
            if may_stand_with(spare, keys) and not (quoted and spare.quotes)
        ]
        found = _best_spare(lowest, height, grid, allowed)
        if found is None:
            return
        spare, column, span, top = found
        quoted = quoted or spare.quotes is not None
        measure = spare.measures[span]
        stack = Stack(column, span, [Part(spare, span, None, measure.height)])
        rows.append(Row([stack], grid.columns, measure.height, grid.space, top=top))
        spares.remove(spare)
        yield spare, (height - top + grid.space) / height


def _best_spare(
    lowest: list[float], height: float, grid: Grid, spares: list[Module]
) -> tuple[Module, int, int, float] | None:
    """Return the filler that fills most of a blank at the columns' feet, and where.

    As the filler, its first column, its span and its top; ``None`` when no
    blank is a hole or no filler fits one.
    """
    options = []
    for span in range(grid.columns, 0, -1):
        for column in range(grid.columns - span + 1):
            top = max(lowest[column : column + span]) + grid.space
            room = height - top
            if room + grid.space < WEIGHTS.blank * height:
                continue
            for spare in spares:
                measure = spare.measures.get(span)
                if measure is not None and measure.height <= room:
                    options.append((measure.height * span, spare, column, span, top))
    if not options:
        return None
    _, spare, column, span, top = max(options, key=lambda option: option[0])
    return spare, column, span, top


#: What the notes call a spare, and their codes: set, and left unused.
_FILLER = ("filler", "I135", "I136", "no page but the last kept a hole it fits")
_QUOTE = (
    "pull quote",
    "I137",
    "I138",
    "no page of its article but the last kept a hole it fits (one a page)",
)


def spare_notes(
    used: list[tuple[int, Module, float]], left: list[Module]
) -> Iterator[Note]:
    """Say where each filler or pull quote went (I135, I137), and each left unused.

    A filler left unused is said in I136, a pull quote in I138.
    """
    for number, spare, blank in used:
        name, code, _, _ = _QUOTE if spare.quotes else _FILLER
        yield Note(
            code,
            f"{name} set on page {number + 1}, where a blank of {blank:.0%} of the"
            " page remained",
            number,
            spare.key,
        )
    for spare in left:
        name, _, code, why = _QUOTE if spare.quotes else _FILLER
        yield Note(code, f"{name} not used: {why}", None, spare.key)
