"""Layer 4: filling one column greedily, and the least height that holds a run.

A column takes one atom more at a time while they fit; where it may end is a
rule of its own (:func:`may_end_column`: an article shorter than a column is
not split; a header keeps enough text under it).  The least height of a run
of columns is found by bisection over heights (:func:`balanced_height`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from .cost import WEIGHTS
from .parts import Atom, Part, extend, parts_of, shrink, stack_height
from .types import Grid, Module


def may_end_column(
    atoms: Sequence[Atom], end: int, height: float, grid: Grid, foot: bool = False
) -> bool:
    """Tell whether a column of ``height`` may end before ``atoms[end]``.

    An article may go on in the next column only if it is longer than a
    column of the page, or, at the foot of a page (``foot``), than the room
    left in this one; it never leaves its header with too little text.  A
    split at a foot is noted (W110): it is better than a third of a page left
    empty, but an editor should know.  An article that goes on from the page
    before may go on again.  A unit kept with the one before (an interview's
    answer with its question) never starts a column.
    """
    if end < len(atoms) and atoms[end - 1].module is atoms[end].module:
        module = atoms[end].module
        if atoms[end].unit in module.measures[1].kept:
            return False  # an interview's answer stays with its question
        whole = module.measures[1].height - shrink(parts_of([atoms[end]]), grid)
        if atoms[end].unit == 1 and not opens_well(module, grid):
            return False
        continued = atoms[0].module is module and atoms[0].unit not in (None, 0)
        if whole <= (height if foot else grid.height) and not continued:
            return False
    return True


def column_ends(
    atoms: Sequence[Atom], start: int, height: float, grid: Grid
) -> Iterator[tuple[int, list[Part]]]:
    """Yield each end of a column of ``height`` from ``start``, and its parts.

    The column takes one atom more each time, while they fit (pictures may
    shrink); the parts are those of ``atoms[start:end]``, extended in place.
    """
    parts: list[Part] = []
    for end in range(start + 1, len(atoms) + 1):
        extend(parts, atoms[end - 1])
        if stack_height(parts, grid) - shrink(parts, grid) > height:
            return
        yield end, parts


def opens_well(module: Module, grid: Grid) -> bool:
    """Tell whether a module's first flow unit may stand alone in a column.

    It holds the article's header; with too few lines of text under it, the
    header would seem to stand alone.
    """
    return module.measures[1].boundaries[1] >= WEIGHTS.first_part_lines * grid.line


def first_part(module: Module, grid: Grid) -> float:
    """Return the height of the least part a split module may start with."""
    boundaries = module.measures[1].boundaries
    return boundaries[1] if opens_well(module, grid) else boundaries[2]


def _greedy_end(atoms: Sequence[Atom], start: int, height: float, grid: Grid) -> int:
    """Return where a column of ``height`` from ``start`` ends, filled greedily."""
    best = start
    for end, _ in column_ends(atoms, start, height, grid):
        if may_end_column(atoms, end, height, grid):
            best = end
    return best


def _fits_in(atoms: Sequence[Atom], columns: int, height: float, grid: Grid) -> bool:
    """Tell whether ``columns`` of ``height``, each filled greedily, hold every atom."""
    start = 0
    for _ in range(columns):
        start = _greedy_end(atoms, start, height, grid)
    return start == len(atoms)


def balanced_height(
    atoms: Sequence[Atom], columns: int, limit: float, grid: Grid
) -> float | None:
    """Return the least column height that holds every atom, if under ``limit``."""
    if not _fits_in(atoms, columns, limit, grid):
        return None
    return least(lambda height: _fits_in(atoms, columns, height, grid), 0.0, limit)


def least(fits: Callable[[float], bool], low: float, high: float) -> float:
    """Return the least height ``fits``, to half a pixel, knowing ``high`` does."""
    while high - low > 0.5:
        middle = (low + high) / 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return high
