"""What page makeup weighs: every weight and threshold, and the costs made of them.

Each layer decides by a cost: a column by the hole it leaves at its foot
(:func:`hole`), a page's foot by the short modules it splits and the area it
leaves blank (:func:`foot_cost`), a row by the area under its stacks
(:func:`hole_area`), the search by how far the pages fall short of a
designer's (:func:`placement_cost`).  Their weights and thresholds are the
fields of :data:`WEIGHTS`, and the costs read structured counts (fills,
splits, places), never the wording or codes of the findings they lead to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .parts import Part, Stack, stack_height
from .types import Grid, Module, Placement


@dataclass(frozen=True)
class Weights:
    """Every weight and threshold of page makeup, in one place.

    Thresholds are in lines of body text or fractions of a column; weights
    are in the search's unit, a page below its fill target.
    """

    #: A column may end this much short of its row, in lines.
    level_lines: float = 1.0
    #: A column of a text set across columns (a block's) ending this much
    #: short of the others, in lines, leaves a blank the fills count.
    short_column_lines: float = 3.0
    #: Fill targets: each column of every page but the last; the last page.
    min_fill: float = 0.9
    min_last_fill: float = 0.5
    #: A blank this share of a page's height, in a column or under its lowest
    #: module, is a hole a reader sees (``tests/holes.py`` measures it).
    blank: float = 0.15
    #: The least first part of a split article, header included, in lines.
    first_part_lines: int = 6
    #: Columns at a page's foot holding less than this, in lines, start nothing.
    poor_start_lines: int = 3
    #: A module shorter than a column split costs as this share of one left empty.
    short_split_share: float = 1 / 3
    #: A hole stretching cannot close, against plain slack (per line squared).
    hole: float = 1000.0
    #: Turning a block set across columns to the next page, against the room
    #: it fills at the page's foot (in lines of plain slack, see ``hole``).
    across_turn: float = 3.0
    #: The search's objective: a page with a column under ``min_fill``; the
    #: squared shortfall of each column; a short module split; a page run past
    #: its foot (per page height); a last page under ``min_last_fill``, and
    #: more if the closing blocks do not share it with content; then, all else
    #: equal, each page and each module set wider than a column.
    underfilled_page: float = 1.0
    shortfall: float = 10.0
    short_split: float = 10.0
    overrun: float = 50.0
    short_last_page: float = 0.5
    lonely_last_page: float = 1.5
    page: float = 1 / 50
    wider: float = 1 / 100


WEIGHTS = Weights()


def capacity(parts: Sequence[Part], grid: Grid) -> float:
    """Return how much taller a column may become without a hole."""
    pictures = sum(part.resizing(grid)[1] for part in parts)
    spaces = (grid.space_stretch - 1) * grid.space * max(len(parts) - 1, 0)
    leading = grid.leading_stretch * grid.line * sum(part.gaps for part in parts)
    return pictures + spaces + leading + WEIGHTS.level_lines * grid.line


def hole(slack: float, parts: Sequence[Part], grid: Grid) -> float:
    """Return the cost of a column ``slack`` short of its row."""
    unfilled = max(0.0, slack - capacity(parts, grid))
    return WEIGHTS.hole * (unfilled / grid.line) ** 2 + max(slack, 0.0) / grid.line


def turn_pays(left: float, first: float, stretch: float, grid: Grid) -> bool:
    """Tell whether a block across columns turned at a page's foot beats a hole.

    ``left`` is the room under the page's modules, ``first`` the height of
    the block's first part in it, ``stretch`` what the page's spaces and
    pictures may grow: left blank, the room costs as a hole; filled, only
    what the first part leaves, and the turn itself (``across_turn``).
    """
    blank = hole(left - stretch, [], grid)
    turned = hole(max(left - first - stretch, 0.0), [], grid)
    return turned + WEIGHTS.across_turn < blank


def short_split(grid: Grid) -> float:
    """Return what splitting a module shorter than a column costs.

    As much as a share of a column left empty: a split at a page foot is
    better than more, worse than less.
    """
    return hole(grid.height * WEIGHTS.short_split_share, [], grid)


def foot_cost(short_splits: int, area: float, used: float) -> tuple[int, float]:
    """Return what a way of filling a page's foot costs, compared in order.

    The way that splits fewer modules shorter than a column wins, then the
    one that leaves less of its ``area`` blank.
    """
    return short_splits, area - used


def hole_area(height: float, stacks: list[Stack], columns: int, grid: Grid) -> float:
    """Return the area a row leaves blank under its stacks, in column-heights."""
    used = sum(
        stack.span * min(height, stack_height(stack.parts, grid)) for stack in stacks
    )
    return columns * height - used


def placement_cost(placement: Placement, wishes: Sequence[Module], grid: Grid) -> float:
    """Return how far pages fall short of a designer's: what the search lowers.

    A page with a column under the fill target counts, and more the emptier
    its columns (a page left half empty is worse than two nearly full); so do
    a last page under its target, a module shorter than a column split, and
    a page run past its foot.  All else equal, fewer pages win, then fewer
    modules set wider than a column (see :class:`Weights`).
    """
    weights, fills = WEIGHTS, placement.fills
    cost = sum(
        weights.underfilled_page * (min(columns) < weights.min_fill)
        + weights.shortfall
        * sum(max(0.0, weights.min_fill - fill) ** 2 for fill in columns)
        for columns in fills[:-1]
    )
    cost += weights.overrun * sum(
        max(0.0, placed.top + placed.height - grid.page_height(number))
        / grid.page_height(number)
        for number, page in enumerate(placement.pages)
        for placed in page
    )
    cost += weights.short_split * placement.short_splits
    if len(fills) > 1:
        cost += weights.short_last_page * (max(fills[-1]) < weights.min_last_fill)
        cost += weights.lonely_last_page * placement.lonely_last_page
    wider = sum((wish.span or 1) > 1 for wish in wishes)
    return cost + len(fills) * weights.page + wider * weights.wider
