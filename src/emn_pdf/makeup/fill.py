"""Layer 4: filling one column greedily, and the least height that holds a run.

A column takes one atom more at a time while they fit; where it may end is a
rule of its own (:func:`may_end_column`: an article shorter than a column is
not split; a header keeps enough text under it).  The least height of a run
of columns is found by bisection over heights (:func:`balanced_height`), once
for each run and room in a placement (:class:`Heights`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from .cost import WEIGHTS
from .parts import Atom, Part, extend, parts_of, shrink, stack_height
from .types import Grid, Module


def may_end_column(atoms: Sequence[Atom], end: int, grid: Grid) -> bool:
    """Tell whether a column may end before ``atoms[end]``.

    An article may go on in the next column only if it is longer than a
    column of the page: a block shorter than the column it would stand in
    is never split, but in a one-column grid, where a turn is a page's
    (:meth:`.types.Grid.keeps_whole`).  It never leaves its header with too
    little text (:func:`first_turn`).  An article that goes on from the page
    before may go on again.
    """
    if end < len(atoms) and atoms[end - 1].module is atoms[end].module:
        module = atoms[end].module
        if (atoms[end].unit or 0) < first_turn(module, grid):
            return False
        continued = atoms[0].module is module and atoms[0].unit not in (None, 0)
        if grid.keeps_whole(module) and not continued:
            return False
    return True


def column_ends(
    atoms: Sequence[Atom], start: int, height: float, grid: Grid
) -> Iterator[tuple[int, list[Part]]]:
    """Yield each end of a column of ``height`` from ``start``, and its parts.

    The column takes one atom more each time, while they fit (pictures may
    shrink); the parts are those of ``atoms[start:end]``, extended in place.
    Inside a paragraph, only the last line that fits is an end: a column
    ending higher in it would only be shorter.
    """
    parts: list[Part] = []
    inside = None
    for end in range(start + 1, len(atoms) + 1):
        extend(parts, atoms[end - 1])
        if stack_height(parts, grid) - shrink(parts, grid) > height:
            break
        if _inside_paragraph(atoms, end):
            inside = end
            continue
        inside = None
        yield end, parts
    if inside is not None:
        yield inside, parts_of(atoms[start:inside])


def _inside_paragraph(atoms: Sequence[Atom], end: int) -> bool:
    """Tell whether a column ending before ``atoms[end]`` turns inside a paragraph."""
    unit = atoms[end].unit if end < len(atoms) else None
    return unit is not None and atoms[end].module.measures[1].cut(unit)[1] > 0


def first_turn(module: Module, grid: Grid) -> int:
    """Return the first boundary where a module's text may turn.

    Its first part holds the article's header (kicker, title, dateline,
    picture); with too few lines of text under it, the header would seem to
    stand alone: the part is at least ``first_part_lines`` tall, or holds
    two whole flow units.
    """
    measure = module.measures[1]
    least = WEIGHTS.first_part_lines * grid.line
    for index in range(1, len(measure.boundaries) - 1):
        unit, within = measure.cut(index)
        if measure.boundaries[index] >= least or (within == 0 and unit >= 2):
            return index
    return len(measure.boundaries) - 1


def first_part(module: Module, grid: Grid) -> float:
    """Return the height of the least part a split module may start with."""
    return module.measures[1].part_height(0, first_turn(module, grid))


def _greedy_end(atoms: Sequence[Atom], start: int, height: float, grid: Grid) -> int:
    """Return where a column of ``height`` from ``start`` ends, filled greedily."""
    best = start
    for end, _ in column_ends(atoms, start, height, grid):
        if may_end_column(atoms, end, grid):
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


@dataclass
class Heights:
    """The least heights of runs found in one placement, each found once.

    The search builds the pages again for each trial, and the trials ask
    for the same runs at the same room many times over (four to six times
    each on the corpus); each is a bisection of greedy fills.  One placement
    (:func:`.search.place`) makes one: there a module's key names its
    content, which no trial changes (only wishes: spans, new pages, order).
    """

    known: dict[tuple[object, ...], float | None] = field(default_factory=dict)

    def balanced(
        self, atoms: Sequence[Atom], columns: int, limit: float, grid: Grid
    ) -> float | None:
        """Return :func:`balanced_height` of the run, found once."""
        key = (grid, columns, limit, *((atom.module.key, atom.unit) for atom in atoms))
        if key not in self.known:
            self.known[key] = balanced_height(atoms, columns, limit, grid)
        return self.known[key]


def least(fits: Callable[[float], bool], low: float, high: float) -> float:
    """Return the least height ``fits``, to half a pixel, knowing ``high`` does."""
    while high - low > 0.5:
        middle = (low + high) / 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return high
