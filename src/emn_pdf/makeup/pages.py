"""Layer 2: the pages built in reading order, each item where it fits best there.

The wishes are cut into *items*: a full-width module (masthead, heading,
band, a module across the grid) or a run of column modules of one section.
Each is placed on the current page if it fits (a heading with room for what
it heads), else on a new one; a run fills the page's columns, balanced if it
ends there, else filled to the foot and continued (:mod:`.columns`), after
weighing the local alternatives (:mod:`.alternatives`).  Closing blocks left
alone on a last page are pulled up.  What this cannot weigh, the search does
(:mod:`.search`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from .across import turn_across, turns_across
from .alternatives import (
    all_across,
    poor_start,
    stays_short,
    wide_foot,
    wide_rows,
    widened,
)
from .columns import balanced_stacks, foot_columns
from .cost import WEIGHTS, hole_area
from .fill import Heights, first_part, first_turn
from .finish import finish, page_give
from .parts import (
    Atom,
    Part,
    Row,
    Stack,
    atoms_of,
    is_closing,
    parts_of,
    shrink,
    stack_height,
)
from .types import KEPT_ROLES, Grid, Module, Placement, is_spare

#: Space before a section heading and after it, in block spaces.
SECTION_SPACE = 1.6
HEADING_SPACE = 0.8


@dataclass
class Pages:
    """Pages being made: finished rows of each page, and where the next goes."""

    grid: Grid
    heights: Heights  # the least heights of runs its placement found
    pages: list[list[Row]] = field(default_factory=lambda: [[]])

    @property
    def used(self) -> float:
        """Return how far down the current page its rows reach."""
        rows = self.pages[-1]
        return rows[-1].top + rows[-1].height if rows else 0.0

    @property
    def room(self) -> float:
        """Return the room left on the page, with what its rows may give.

        A page may hold a little more than its height: its spaces and pictures
        then shrink, within their ranges, when the page is finished.
        """
        height = self.grid.page_height(len(self.pages) - 1)
        return height - self.used + page_give(self.pages[-1], self.grid)

    def space_before(self, role: str) -> float:
        """Return the space above a row of ``role`` placed next on the page."""
        if not self.pages[-1]:
            return 0.0
        previous = self.pages[-1][-1].role
        if previous in KEPT_ROLES:
            return HEADING_SPACE * self.grid.space
        if role == "heading":
            return SECTION_SPACE * self.grid.space
        return self.grid.space

    def add(self, row: Row) -> None:
        """Put ``row`` under the rows of the current page."""
        row.space_before = self.space_before(row.role)
        row.top = self.used + row.space_before
        self.pages[-1].append(row)

    def new_page(self) -> None:
        """Start a new page, taking along what heads it from the page's foot.

        A heading, a band or a module kept with the next never ends a page:
        what it heads did not fit under it.
        """
        rows = self.pages[-1]
        if not rows:
            return
        heads = 0
        while heads < len(rows) and _heads(rows[-1 - heads]):
            heads += 1
        carried = rows[len(rows) - heads :] if heads < len(rows) else []
        del rows[len(rows) - len(carried) :]
        self.pages.append([])
        for row in carried:
            row.height = max(
                stack_height(stack.parts, self.grid) for stack in row.stacks
            )
            self.add(row)


def build_pages(
    items: Sequence[Module | list[Module]],
    grid: Grid,
    start: int = 0,
    before: list[list[Row]] | None = None,
    record: list[list[list[Row]]] | None = None,
    heights: Heights | None = None,
) -> Placement:
    """Return the pages built in reading order, as the items wish.

    From item ``start`` on, on the pages ``before`` it; the pages before each
    item, and after the last, are kept in ``record``.  The issue's fillers
    (:func:`.types.is_spare`, last among the items) are not placed in
    reading order: finishing sets them where a hole remains.
    """
    spares = [item for item in items if isinstance(item, Module) and is_spare(item)]
    items = [
        item for item in items if not (isinstance(item, Module) and is_spare(item))
    ]
    pages = Pages(grid, heights or Heights())
    if before is not None:
        pages.pages = _copied(before)
    for index in range(start, len(items)):
        if record is not None:
            record.append(_copied(pages.pages))
        item = items[index]
        if isinstance(item, Module):
            _place_full(pages, item, _kept_height(items[index + 1 :], grid))
        else:
            _place_run(pages, item)
    if record is not None:
        record.append(_copied(pages.pages))
    while len(pages.pages) > 1 and not pages.pages[-1]:
        pages.pages.pop()
    _pull_up_closing(pages)
    return finish(pages.pages, grid, spares)


def _copied(pages: list[list[Row]]) -> list[list[Row]]:
    """Return copies of the rows of pages: pages to come move and stretch them."""
    return [[copy.copy(row) for row in page] for page in pages]


def _pull_up_closing(pages: Pages) -> None:
    """Bring closing blocks alone on the last page up onto the page before.

    They close the issue under its content; alone they make a page that is
    nearly empty.  They go up if the page before can give the room.
    """
    last = pages.pages[-1]
    if len(pages.pages) < 2 or not all(is_closing(row) for row in last):
        return
    saved = [replace(row) for row in last]
    pages.pages.pop()
    for row in last:
        pages.add(row)
    previous = pages.pages[-1]
    if pages.room < 0:
        del previous[len(previous) - len(last) :]
        pages.pages.append(saved)


def _heads(row: Row) -> bool:
    """Tell whether a row heads what follows it: it never ends a page."""
    return row.role in KEPT_ROLES or (
        len(row.stacks) == 1
        and all(part.module.keep_with_next for part in row.stacks[0].parts)
    )


def items_of(wishes: Sequence[Module]) -> list[Module | list[Module]]:
    """Return what the pages are built of: full-width modules and runs."""
    return list(_items(_new_pages_lead(wishes)))


def _new_pages_lead(modules: Sequence[Module]) -> list[Module]:
    """Move a ``new_page`` up to the heading or band kept with its module."""
    moved = list(modules)
    for index in range(len(moved) - 1, 0, -1):
        before, module = moved[index - 1], moved[index]
        if module.new_page and (before.role in KEPT_ROLES or before.keep_with_next):
            moved[index - 1] = replace(before, new_page=True)
            moved[index] = replace(module, new_page=False)
    return moved


def _items(modules: Sequence[Module]) -> Iterator[Module | list[Module]]:
    """Yield full-width modules, and runs of column modules of one section."""
    run: list[Module] = []
    for module in modules:
        if (
            module.full
            or module.new_page
            or (run and run[-1].columns != module.columns)
        ):
            if run:
                yield run
            run = []
        if module.full:
            yield module
        else:
            run.append(module)
    if run:
        yield run


def _first_height(item: Module | list[Module], grid: Grid) -> float:
    """Return the least of ``item`` that must share a page with what heads it."""
    if isinstance(item, Module):
        span = _full_span(item)
        height = item.measures[span].height
        least = Part(item, span, None, height)
        if turns_across(item, span, grid):
            least = Part(item, span, (0, 1), item.measures[span].turned(0, 1)[0])
        return least.height - shrink([least], grid)
    module = item[0]
    if _over_some(module):
        assert module.span is not None
        spanned = Part(module, module.span, None, module.measures[module.span].height)
        return spanned.height - shrink([spanned], grid)
    measure = module.measures[1]
    first = measure.height - shrink([Part(module, 1, None, measure.height)], grid)
    if not grid.keeps_whole(module) and len(measure.boundaries) > 2:
        head = Part(module, 1, (0, first_turn(module, grid)), first_part(module, grid))
        first = head.height - shrink([head], grid)  # its picture may shrink
    across = module.measures.get(module.columns)
    if across is not None:
        wide = Part(module, module.columns, None, across.height)
        first = min(first, across.height - shrink([wide], grid))
    return first


def _kept_height(following: Sequence[Module | list[Module]], grid: Grid) -> float:
    """Return what must follow a module that heads them on its page.

    A heading or a band is kept with the first part of what follows; so is a
    module that asks to be kept with the next, and so on down the chain.
    """
    height = 0.0
    for item in following:
        height += HEADING_SPACE * grid.space + _first_height(item, grid)
        if not heads_next(item):
            break
    return height


def heads_next(item: Module | list[Module]) -> bool:
    """Tell whether an item is placed with room for the next: it heads it."""
    return isinstance(item, Module) and (item.role in KEPT_ROLES or item.keep_with_next)


def _full_span(module: Module) -> int:
    """Return the span of a full-width module: its grid's, or the editor's."""
    return (
        module.columns
        if module.role != "block"
        else min(module.span or module.columns, module.columns)
    )


def _place_full(pages: Pages, module: Module, kept: float) -> None:
    """Place a full-width module, on a new page if it cannot stand here.

    ``kept`` is what must follow it on its page, if it heads what follows.
    """
    span = _full_span(module)
    height = module.measures[span].height
    needed = height + pages.space_before(module.role)
    if module.role in KEPT_ROLES or module.keep_with_next:
        needed += kept
    part = Part(module, span, None, height)
    if module.new_page or needed - pages.room > shrink([part], pages.grid):
        if not module.new_page and turn_across(pages, module, span):
            return
        pages.new_page()
    stack = Stack(0, span, [part])
    pages.add(Row([stack], module.columns, height, 0.0, module.role))


def _place_run(pages: Pages, run: list[Module]) -> None:
    """Place a run of column modules; one the editor sets over some columns cuts it.

    That module heads a row of its own, with what follows beside it.
    """
    if run[0].new_page:
        pages.new_page()
    while run:
        index = next(
            (index for index, module in enumerate(run) if _over_some(module)), len(run)
        )
        if index:
            _place_columns(pages, run[:index])
        run = _place_spanned(pages, run[index:]) if index < len(run) else []


def _over_some(module: Module) -> bool:
    """Tell whether the editor set a module over some columns, not all."""
    return module.span is not None and 1 < module.span < module.columns


def _place_spanned(pages: Pages, run: list[Module]) -> list[Module]:
    """Place the first module over its span, and the next beside it; return the rest.

    Beside it go as many of the next modules as balance in the other columns
    no taller than it (within a line): what is beside reads after it.
    """
    grid = pages.grid
    module, following = run[0], run[1:]
    assert module.span is not None
    span, columns = module.span, module.columns
    part = Part(module, span, None, module.measures[span].height)
    if part.height - shrink([part], grid) > pages.room - pages.space_before("block"):
        pages.new_page()
    limit = min(
        part.height + WEIGHTS.level_lines * grid.line,
        max(pages.room - pages.space_before("block"), part.height),
    )
    beside: tuple[float, list[Stack]] = (0.0, [])
    count = 0
    while count < len(following) and not _over_some(following[count]):
        atoms = atoms_of(following[: count + 1])
        found = balanced_stacks(atoms, columns - span, limit, grid, span, pages.heights)
        if found is None:
            break
        beside, count = found, count + 1
    height = max(part.height, beside[0])
    pages.add(Row([Stack(0, span, [part]), *beside[1]], columns, height, 0.0))
    return following[count:]


def _place_columns(pages: Pages, run: list[Module]) -> None:
    """Place a run of modules in the columns of its grid, over pages if need be."""
    grid = pages.grid
    columns = run[0].columns
    if widened(run, pages.room - pages.space_before("block"), grid):
        _place_widened(pages, run)
        return
    atoms = atoms_of(run)
    while atoms:
        room = pages.room - pages.space_before("block")
        height = pages.heights.balanced(atoms, columns, room, grid)
        if height is not None:
            balanced = balanced_stacks(atoms, columns, height, grid, 0, pages.heights)
            assert balanced is not None
            height, stacks = min(
                [balanced, *wide_rows(atoms, columns, room, grid, pages.heights)],
                key=lambda option: hole_area(option[0], option[1], columns, grid),
            )
            across = all_across(
                atoms, columns, height + WEIGHTS.level_lines * grid.line, grid
            )
            if across and stays_short(height, stacks, columns, grid):
                _place_widened(pages, across)
                return
            pages.add(Row(stacks, columns, height, 0.0, "block"))
            return
        filled = foot_columns(atoms, columns, room, grid)
        wide = wide_foot(atoms, columns, room, filled, grid)
        if wide is not None:
            pages.add(Row([wide], columns, wide.parts[0].height, 0.0, "block"))
            atoms = atoms[len(atoms_of([wide.parts[0].module])) :]
            continue
        if pages.pages[-1] and (not filled or poor_start(filled, grid)):
            pages.new_page()
            continue
        if not filled:
            filled = [[atoms[0]]]  # taller than a page: it overflows
        _add_columns(pages, filled, columns, room)
        atoms = atoms[sum(len(column) for column in filled) :]
        pages.new_page()


def _place_widened(pages: Pages, run: list[Module]) -> None:
    """Place a run shorter than the grid as modules across the whole grid."""
    for module in run:
        _place_full(pages, replace(module, span=module.columns), 0.0)


def _add_columns(
    pages: Pages, filled: list[list[Atom]], columns: int, height: float
) -> None:
    """Add a row of the columns at a page's foot, ``height`` tall."""
    stacks = [
        Stack(index, 1, parts_of(column))
        for index, column in enumerate(filled)
        if column
    ]
    pages.add(Row(stacks, columns, height, 0.0, "block"))
