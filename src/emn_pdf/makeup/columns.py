"""Layer 3: the columns of a run, chosen by a dynamic programme over column ends.

For each column in turn, every end the greedy filling allows is tried, and
for each end reached the cheapest way to reach it is kept (holes at the
columns' feet and short modules split, as :mod:`.cost` prices them): the
columns of a run that ends its section, as level as can be, or those at a
page's foot, as full as can be.
"""

from __future__ import annotations

from collections.abc import Sequence

from .cost import hole, short_split
from .fill import Heights, column_ends, may_end_column
from .parts import Atom, Stack, parts_of, stack_height
from .types import Grid


def best_columns(
    atoms: Sequence[Atom], columns: int, height: float, grid: Grid, whole: bool
) -> tuple[float, list[list[Atom]]]:
    """Return the cheapest way to fill ``columns`` of ``height`` with atoms.

    With ``whole`` every atom must be placed, in columns as level as can be;
    otherwise a prefix is, as much as makes the columns reach their foot with
    the least hole.  No column is empty before a full one.
    """
    count = len(atoms)
    infinity = float("inf")
    layer: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for _ in range(columns):
        following: dict[int, tuple[float, list[int]]] = {}
        for start, (cost, ends) in layer.items():
            if start == count:
                _keep_cheaper(following, start, cost + hole(height, [], grid), ends)
                continue
            for end, parts in column_ends(atoms, start, height, grid):
                if may_end_column(atoms, end, grid):
                    slack = height - stack_height(parts, grid)
                    total = cost + hole(slack, parts, grid)
                    total += short_split_cost(atoms, end, grid)
                    _keep_cheaper(following, end, total, [*ends, end])
        layer = following
    valid = {
        end: value
        for end, value in layer.items()
        if (end == count if whole else end > 0 and may_end_page(atoms, end))
    }
    if not valid:
        return infinity, []
    _, (cost, ends) = min(valid.items(), key=lambda item: (item[1][0], -item[0]))
    starts = [0, *ends[:-1]]
    return cost, [list(atoms[a:b]) for a, b in zip(starts, ends, strict=True)]


def short_split_cost(atoms: Sequence[Atom], end: int, grid: Grid) -> float:
    """Return what ending a column at ``end`` costs for the module it splits.

    Nothing, unless it splits a module kept whole
    (:meth:`.types.Grid.keeps_whole`): then :func:`.cost.short_split`.
    """
    if end >= len(atoms) or atoms[end - 1].module is not atoms[end].module:
        return 0.0
    if not grid.keeps_whole(atoms[end].module):
        return 0.0
    return short_split(grid)


def foot_columns(
    atoms: Sequence[Atom], columns: int, height: float, grid: Grid
) -> list[list[Atom]]:
    """Return what goes in the columns at a page foot; the last may stay empty.

    An empty column costs as a whole hole, so it is left empty only when
    nothing that may stand there fits.
    """
    options = []
    for used in range(columns, 0, -1):
        cost, filled = best_columns(atoms, used, height, grid, whole=False)
        if filled:
            empty = (columns - used) * hole(height, [], grid)
            options.append((cost + empty, filled))
    return min(options, key=lambda option: option[0])[1] if options else []


def _keep_cheaper(
    layer: dict[int, tuple[float, list[int]]], end: int, cost: float, ends: list[int]
) -> None:
    """Keep the way to reach column end ``end`` if it is the cheapest yet."""
    if cost < layer.get(end, (float("inf"), []))[0]:
        layer[end] = (cost, ends)


def may_end_page(atoms: Sequence[Atom], end: int) -> bool:
    """Tell whether a page may end before ``atoms[end]``: not between two kept."""
    if end >= len(atoms):
        return True
    before, after = atoms[end - 1], atoms[end]
    if before.module is after.module:
        return True
    return not before.module.keep_with_next and not after.module.new_page


def balanced_stacks(
    atoms: Sequence[Atom],
    columns: int,
    limit: float,
    grid: Grid,
    offset: int,
    heights: Heights,
) -> tuple[float, list[Stack]] | None:
    """Return ``atoms`` balanced in ``columns`` from column ``offset``, if they fit."""
    height = heights.balanced(atoms, columns, limit, grid)
    if height is None:
        return None
    _, filled = best_columns(atoms, columns, height, grid, whole=True)
    return height, [
        Stack(offset + index, 1, parts_of(column))
        for index, column in enumerate(filled)
        if column
    ]
