"""Layer 2's local alternatives: what the page builder weighs against columns.

Where a run meets a page's foot, or ends its section, the builder compares
the plain columns with a module set wider: the first module across the grid
at a page's foot (:func:`wide_foot`), the first or last module of a run over
some columns (:func:`wide_rows`), every module of a short run across the grid
(:func:`widened`, :func:`across`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from .columns import balanced_stacks, foot_columns, may_end_page, short_split_cost
from .cost import WEIGHTS, capacity, foot_cost
from .fill import Heights
from .parts import Atom, Part, Stack, atoms_of, parts_of, shrink, stack_height
from .types import Grid, Module


def wide_foot(
    atoms: Sequence[Atom],
    columns: int,
    room: float,
    filled: list[list[Atom]],
    grid: Grid,
) -> Stack | None:
    """Return the first module across the grid, if it fills the page foot better.

    A module that does not fit in a column of what is left of a page, or
    fills it poorly, often fits across the grid, balanced in its own columns:
    the page then ends full and the rest of the run goes on below it or on
    the next page.  Of the two ways, the cheaper wins (:func:`.cost.foot_cost`),
    the rest laid in the columns under the wide module.
    """
    module = atoms[0].module
    measure = module.measures.get(columns) if columns > 1 else None
    if measure is None or atoms[0].unit not in (None, 0) or module.span is not None:
        return None
    wide = Part(module, columns, None, measure.height)
    if measure.height - shrink([wide], grid) > room:
        return None
    count = len(atoms_of([module]))
    if not may_end_page(atoms, count):
        return None
    below = room - measure.height - grid.space
    rest = atoms[count:]
    under = foot_columns(rest, columns, below, grid) if rest and below > 0 else []
    if filled and not poor_start(filled, grid):
        across = foot_cost(
            _short_splits_at(rest, under, grid),
            columns * below,
            _used_area(under, grid),
        )
        down = foot_cost(
            _short_splits_at(atoms, filled, grid),
            columns * room,
            _used_area(filled, grid),
        )
        if across >= down:
            return None
    return Stack(0, columns, [wide])


def _used_area(filled: list[list[Atom]], grid: Grid) -> float:
    """Return the area columns of atoms ink, in column-heights."""
    return sum(stack_height(parts_of(column), grid) for column in filled if column)


def _short_splits_at(
    atoms: Sequence[Atom], filled: list[list[Atom]], grid: Grid
) -> int:
    """Return how many modules shorter than a column ``filled`` splits."""
    ends = itertools.accumulate(len(column) for column in filled)
    return sum(short_split_cost(atoms, end, grid) > 0 for end in ends)


def wide_rows(
    atoms: Sequence[Atom], columns: int, limit: float, grid: Grid, heights: Heights
) -> Iterator[tuple[float, list[Stack]]]:
    """Yield the rows that end a run with its first or last module wider.

    That module is set across some columns (in the engine's balanced columns,
    as measured); the other columns hold the rest of the run, balanced.  This
    often ends a section more level than every module in one column.
    """
    ends = {id(atom.module): atom.module for atom in (atoms[0], atoms[-1])}
    for module in ends.values():
        if sum(atom.module is module for atom in atoms) < len(atoms_of([module])):
            continue  # it goes on from the previous page
        if module.span is not None:
            continue  # the editor's span: one column
        first = atoms[0].module is module
        rest = [atom for atom in atoms if atom.module is not module]
        for span in range(2, columns + (not rest)):
            measure = module.measures.get(span)
            if measure is None or measure.height > limit:
                continue
            wide = Stack(0 if first else columns - span, span)
            wide.parts.append(Part(module, span, None, measure.height))
            if not rest:
                yield measure.height, [wide]
                continue
            offset = span if first else 0
            others = balanced_stacks(rest, columns - span, limit, grid, offset, heights)
            if others is not None:
                stacks = [wide, *others[1]] if first else [*others[1], wide]
                yield max(measure.height, others[0]), stacks


def poor_start(filled: list[list[Atom]], grid: Grid) -> bool:
    """Tell whether columns at a page foot hold too little to start there."""
    used = [stack_height(parts_of(column), grid) for column in filled if column]
    return not used or max(used) < WEIGHTS.poor_start_lines * grid.line


def widened(run: list[Module], room: float, grid: Grid) -> bool:
    """Tell whether a run shorter than its grid is set across the whole grid.

    It is when each of its modules then fits in a page, and the first in
    ``room``: otherwise they go on in columns, between paragraphs, rather
    than leave the room empty.
    """
    columns = run[0].columns
    if len(run) >= columns or any(
        columns not in module.measures or module.span is not None for module in run
    ):
        return False
    heights = [module.measures[columns].height for module in run]
    return heights[0] <= room and max(heights) <= grid.height


def all_across(
    atoms: Sequence[Atom], columns: int, room: float, grid: Grid
) -> list[Module]:
    """Return the modules of ``atoms`` if each may be set across the grid.

    Each must be whole (none goes on from a page before) and measured across
    the grid, and all of them, one under the other, must fit in ``room``.
    """
    modules = list({id(atom.module): atom.module for atom in atoms}.values())
    if columns < 2 or atoms[0].unit not in (None, 0):
        return []
    if any(
        columns not in module.measures or module.span is not None for module in modules
    ):
        return []
    heights = [module.measures[columns].height for module in modules]
    return modules if sum(heights) + grid.space * (len(heights) - 1) <= room else []


def stays_short(height: float, stacks: list[Stack], columns: int, grid: Grid) -> bool:
    """Tell whether a column of a row ends short of its foot however it stretches."""
    for column in range(columns):
        parts = [
            part
            for stack in stacks
            if stack.column <= column < stack.column + stack.span
            for part in stack.parts
        ]
        slack = height - stack_height(parts, grid) if parts else height
        if slack > capacity(parts, grid):
            return True
    return False
