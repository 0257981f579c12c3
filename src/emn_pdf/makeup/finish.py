"""Finishing: pages stretched to their foot, then read off as places and fills.

Every page but the last grows to its foot (pictures within their range,
spaces between modules, leading between paragraphs); a page holding more
than its height gives the same way.  Then each module's place is read off,
each column's fill measured, and what a designer would note (a short module
split, a page under its fill target) is said.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .blanks import fill_hole, hole_notes, holes_of, spare_notes
from .cost import WEIGHTS, capacity
from .parts import Part, Row, is_closing, shrink, stack_height
from .places import covered, place_row, placed_blanks
from .types import KEPT_ROLES, Grid, Module, Note, Placement


def finish(
    pages: list[list[Row]], grid: Grid, spares: Sequence[Module] = ()
) -> Placement:
    """Return the placement of built pages: stretched, read off, measured, noted.

    Where a page but the last keeps a hole once stretched, the issue's
    fillers (``spares``) fill it, as far as they fit (:func:`fill_hole`).
    """
    placed_pages, fills = [], []
    left, used = list(spares), []
    for number, rows in enumerate(pages):
        last = number == len(pages) - 1
        height = grid.page_height(number)
        if not last or rows[-1].top + rows[-1].height > height:
            _stretch_page(rows, height, grid)
        if not last:
            used += [(number, *each) for each in fill_hole(rows, height, grid, left)]
        placed_pages.append([placed for row in rows for placed in place_row(row, grid)])
        fills.append(_fills(rows, height, grid))
    splits = len({p.key for page in placed_pages for p in page if p.units is not None})
    short = list(_short_splits(pages, grid))
    lonely = _lonely_last_page(pages, fills)
    holes = holes_of(pages, grid)
    notes = [
        *_short_split_notes(short),
        *hole_notes(holes, pages, grid),
        *_fill_notes(fills, lonely),
        *spare_notes(used, left),
    ]
    return Placement(
        placed_pages, fills, splits, notes, len(short), lonely, holes=len(holes)
    )


def _short_splits(pages: list[list[Row]], grid: Grid) -> Iterator[tuple[int, str]]:
    """Yield the page and key of each module split though shorter than a column."""
    found: set[str] = set()
    for number, rows in enumerate(pages):
        for row in rows:
            for stack in row.stacks:
                for part in stack.parts:
                    module = part.module
                    if (
                        part.units
                        and module.key not in found
                        and grid.keeps_whole(module)
                    ):
                        found.add(module.key)
                        yield number, module.key


def _lonely_last_page(pages: list[list[Row]], fills: list[list[float]]) -> bool:
    """Tell whether the last page of several is below its target.

    It is at least half full, unless it holds the closing blocks under some
    content.
    """
    last = pages[-1]
    closing_under_content = any(map(is_closing, last)) and not all(
        map(is_closing, last)
    )
    lonely = len(pages) > 1 and max(fills[-1]) < WEIGHTS.min_last_fill
    return lonely and not closing_under_content


def _short_split_notes(short: list[tuple[int, str]]) -> Iterator[Note]:
    """Say which modules were split though shorter than a column (W110)."""
    for number, key in short:
        yield Note(
            "W110",
            "split between columns or pages, though shorter than a column",
            number,
            key,
        )


def _fill_notes(fills: list[list[float]], lonely: bool) -> Iterator[Note]:
    """Say whether the last page is lonely (W111, :func:`_lonely_last_page`)."""
    if lonely:
        yield Note(
            "W111",
            f"the last page is only {int(max(fills[-1]) * 100)}% full"
            f" (at least {WEIGHTS.min_last_fill:.0%}, or the closing blocks under"
            " content)",
            len(fills) - 1,
        )


def _stretch_page(rows: list[Row], height: float, grid: Grid) -> None:
    """Make a page end at its foot: its rows and spaces grow, or shrink.

    Each row takes a share as large as its columns can absorb (their pictures
    and spaces), each space between rows a share within its range; what none
    can take stays at the foot.  A page that holds more than its height (its
    closing blocks pulled up) shrinks the same way.
    """
    left = height - (rows[-1].top + rows[-1].height) if rows else 0.0
    spaces, rooms = _page_room(rows, grid, grow=left > 0)
    total = sum(spaces) + sum(rooms)
    if left == 0 or total <= 0:
        return
    ratio = min(1.0, abs(left) / total) * (1 if left > 0 else -1)
    shift = 0.0
    for row, space, room in zip(rows, spaces, rooms, strict=True):
        row.space_before += space * ratio
        row.top += shift + space * ratio
        row.height += room * ratio
        shift += (space + room) * ratio


def _page_room(
    rows: list[Row], grid: Grid, grow: bool
) -> tuple[list[float], list[float]]:
    """Return how much the space above each row, and each row, may grow or give.

    The space under a heading or a band stays: they head what follows.
    """
    change = grid.space_stretch - 1 if grow else 1 - grid.space_shrink
    spaces = [
        change * grid.space * (index > 0 and rows[index - 1].role not in KEPT_ROLES)
        for index in range(len(rows))
    ]
    return spaces, [_row_room(row, grid, grow) for row in rows]


def page_give(rows: list[Row], grid: Grid) -> float:
    """Return how much shorter a page of ``rows`` may become."""
    spaces, gives = _page_room(rows, grid, grow=False)
    return sum(spaces) + sum(gives)


def page_stretch(rows: list[Row], grid: Grid) -> float:
    """Return how much taller a page of ``rows`` may become, without a hole."""
    spaces, rooms = _page_room(rows, grid, grow=True)
    return sum(spaces) + sum(rooms)


def _row_room(row: Row, grid: Grid, grow: bool) -> float:
    """Return how much taller a row may grow, or shorter, its columns level.

    Columns grow by their pictures, spaces and leading; they give by their
    pictures, cropped.
    """
    if row.role == "heading":
        return 0.0

    def room(parts: list[Part]) -> float:
        slack = row.height - stack_height(parts, grid)
        return capacity(parts, grid) - slack if grow else slack + shrink(parts, grid)

    return max(0.0, min(room(stack.parts) for stack in row.stacks))


def _fills(rows: list[Row], height: float, grid: Grid) -> list[float]:
    """Return how much of each column of the page is inked, as a fraction.

    That is how far down it is inked, less the holes above: a row it has no
    module in, the blank under its modules in a row (beyond a line) that
    another row follows, or beside a picture taller than the text beside it.
    A module covers the columns of the page grid it overlaps by a quarter,
    whatever grid its own section sets.
    """
    columns = grid.columns
    bottoms, holes, pending = [0.0] * columns, [0.0] * columns, [0.0] * columns
    for row in rows:
        lowest: dict[int, float] = {}
        for placed, blanks in placed_blanks(row, grid):
            for index, column in enumerate(covered(placed, row.columns, grid)):
                bottom = placed.top + placed.height
                lowest[column] = max(lowest.get(column, bottom), bottom)
                holes[column] += sum(
                    end - start for start, end in blanks.get(index, [])
                )
        foot = row.top + row.height
        for column in range(columns):
            if column not in lowest:
                pending[column] += row.height
                continue
            holes[column] += pending[column]
            bottoms[column] = max(bottoms[column], lowest[column])
            pending[column] = max(
                0.0, foot - lowest[column] - WEIGHTS.level_lines * grid.line
            )
    return [
        (bottom - hole) / height for bottom, hole in zip(bottoms, holes, strict=True)
    ]
