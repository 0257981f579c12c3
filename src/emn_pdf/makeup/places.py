"""Reading the places off built pages: each module as placed, what it covers.

Finishing (:mod:`.finish`) and the holes (:mod:`.blanks`) read the rows of a
page the same way: each part of a stack at its place, its picture resized and
its paragraphs led to end at its row's foot, and the stretches of the page
grid's columns it covers.
"""

from __future__ import annotations

from collections.abc import Iterator

from .cost import WEIGHTS
from .parts import Part, Row, Stack, stack_height
from .types import Cut, Grid, Placed


def place_row(row: Row, grid: Grid) -> Iterator[Placed]:
    """Yield each module of a row at its place."""
    for stack in row.stacks:
        yield from place_stack(stack, row, grid)


def place_stack(stack: Stack, row: Row, grid: Grid) -> Iterator[Placed]:
    """Place a column's parts, their pictures resized to end at the row's foot.

    Pictures take what is missing or left over first, within their range;
    then the spaces between parts widen, up to the widest space.
    """
    slack = row.height - stack_height(stack.parts, grid)
    pictures = [part for part in stack.parts if part.picture is not None]
    change = {}
    for part in pictures:
        least, most = part.resizing(grid)
        change[id(part)] = min(max(slack / len(pictures), least), most)
    slack -= sum(change.values())
    spaces = max(len(stack.parts) - 1, 0)
    widest = (grid.space_stretch - 1) * grid.space
    extra_space = min(max(slack, 0.0) / spaces, widest) if spaces else 0.0
    slack -= extra_space * spaces
    gaps = sum(part.gaps for part in stack.parts)
    leading = (
        min(max(slack, 0.0) / gaps, grid.leading_stretch * grid.line) if gaps else 0.0
    )
    top = row.top
    for part in stack.parts:
        resized = change.get(id(part), 0.0)
        picture = (
            part.picture + resized if part.picture is not None and resized else None
        )
        height = part.height + resized + leading * part.gaps
        yield Placed(
            part.module.key,
            stack.span,
            stack.column,
            top,
            height,
            part.units,
            picture,
            leading if part.gaps else 0.0,
            part.flow,
            part.module.pictures == "cropped",
            _cuts(part),
            None if picture is None else part.picture_width(picture, grid),
            part.module.measures[stack.span].above,
        )
        top += height + grid.space + extra_space


def _cuts(part: Part) -> tuple[Cut, Cut] | None:
    """Return where a part of a split text starts and ends: unit, characters."""
    if part.units is None:
        return None
    measure = part.module.measures[part.span]
    return measure.cut(part.units[0]), measure.cut(part.units[1])


def covered(placed: Placed, columns: int, grid: Grid) -> Iterator[int]:
    """Yield the columns of the page grid a module overlaps by a quarter."""
    width = grid.column_width(grid.columns)
    left = grid.left(placed.column, columns)
    right = left + grid.width(placed.span, columns)
    for column in range(grid.columns):
        start = grid.left(column, grid.columns)
        if min(right, start + width) - max(left, start) >= width / 4:
            yield column


#: The blanks a module leaves in its columns, by column (from its first, 0):
#: each one's top and bottom on the page.
Blanks = dict[int, list[tuple[float, float]]]


def placed_blanks(row: Row, grid: Grid) -> Iterator[tuple[Placed, Blanks]]:
    """Yield each module of a row as placed, with the blanks in its columns.

    What :meth:`.Measure.blanks` says of a whole module across columns,
    longer than the lines its text's columns may end apart.
    """
    level = WEIGHTS.short_column_lines * grid.line
    for stack in row.stacks:
        placed_parts = zip(stack.parts, place_stack(stack, row, grid), strict=True)
        for part, placed in placed_parts:
            measure = part.module.measures[stack.span]
            blanks: Blanks = {}
            whole = stack.span > 1 and part.units is None
            for column, top, bottom in (
                measure.blanks(stack.span, placed.height, placed.picture)
                if whole
                else ()
            ):
                if bottom - top > level:
                    blank = (placed.top + top, placed.top + bottom)
                    blanks.setdefault(column, []).append(blank)
            yield placed, blanks


def inked(row: Row, grid: Grid) -> Iterator[tuple[int, float, float]]:
    """Yield the stretches of the page grid's columns a row's modules cover.

    Each as its column, top and bottom: a module covers the columns it
    overlaps by a quarter, from its top to its foot, but for the blanks it
    leaves in them (:func:`placed_blanks`).
    """
    for placed, blanks in placed_blanks(row, grid):
        bottom = placed.top + placed.height
        for index, column in enumerate(covered(placed, row.columns, grid)):
            top = placed.top
            for start, end in sorted(blanks.get(index, [])):
                if start > top:
                    yield column, top, start
                top = max(top, end)
            if bottom > top:
                yield column, top, bottom
