"""Layer 2's turn of a block set across columns, from a page's foot to the next.

A block across the grid, its text in the layout's own columns, goes whole
where it fits; where it does not, but the room left holds its header and
two lines in each of its columns, its text turns between lines to the next
page (:func:`turn_across`), under the rules of a long article in one column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cost import turn_pays
from .finish import page_stretch
from .parts import Part, Row, Stack
from .types import Grid, Module

if TYPE_CHECKING:
    from .pages import Pages


def turns_across(module: Module, span: int, grid: Grid) -> bool:
    """Tell whether a module set across columns may turn to the next page.

    A block whose text is set in columns, with a turn its measure allows,
    and longer than a column of the page: a block shorter than its column
    is never split (:meth:`.types.Grid.keeps_whole`; a block the editor
    set across has no measure in a column: its columns' height, one under
    the other, stands for it).
    """
    measure = module.measures[span]
    one = module.measures.get(1)
    column = one.height if one else measure.head + span * (measure.flow or 0.0)
    return (
        module.role == "block"
        and bool(measure.turns)
        and span > 1
        and column > grid.height
    )


def turn_across(pages: Pages, module: Module, span: int) -> bool:
    """Turn a module set across columns from the page's foot to the next page.

    At the last turn whose first part (its header, its text's columns)
    holds in the room left, the rest holding on the next page, if filling
    the room that way costs less than leaving it (:func:`.cost.turn_pays`).
    Tell whether it did.
    """
    grid = pages.grid
    if not pages.pages[-1] or module.keep_with_next:
        return False  # a block kept with the next stays whole with it
    if not turns_across(module, span, grid):
        return False
    measure = module.measures[span]
    room = pages.room - pages.space_before(module.role)
    last = len(measure.cuts) - 1
    fitting = [
        index
        for index in range(1, last)
        if measure.turned(0, index)[0] <= room
        and measure.turned(index, last)[0] <= grid.height
    ]
    if not fitting:
        return False
    turn = fitting[-1]  # the first part grows with the text it holds
    left = grid.page_height(len(pages.pages) - 1) - pages.used
    left -= pages.space_before(module.role)
    first = measure.turned(0, turn)[0]
    if not turn_pays(left, first, page_stretch(pages.pages[-1], grid), grid):
        return False
    for start, end in ((0, turn), (turn, last)):
        height = measure.turned(start, end)[0]
        part = Part(module, span, (start, end), height)
        pages.add(Row([Stack(0, span, [part])], module.columns, height, 0.0, "block"))
        if start == 0:
            pages.new_page()
    return True
