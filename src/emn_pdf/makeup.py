"""Page makeup: where each module of the newsletter goes on the page grid.

Designers do not let articles run on like a newspaper: they place each one as
a module on the grid, whole, and adjust spacing and picture heights until the
columns end level.  This module does that with the heights the engine gave
for each module at each width it may take (see :mod:`emn_pdf.galley`), and
nothing else: it is pure arithmetic, deterministic, and knows no HTML.

A page is a stack of *rows*: a full-width row holds one module (masthead,
heading, contact panel, a wide article); a column row holds the modules of a
section in columns, read column by column.  Only an article longer than a
column is split, between paragraphs, preferably into the next column.  A
column row that ends its section is balanced; one that goes on to the next
page fills its page.  Then every page but the last is stretched to its foot:
pictures grow (within the theme's range, never one that must not be cropped)
and the space between modules widens (within its range).

Lengths are CSS pixels, as the engine gives them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

#: A column may end this much short of its row, in lines of body text.
LEVEL_LINES = 1.0
#: Fill targets: every page but the last, each column; the last page.
MIN_FILL = 0.9
MIN_LAST_FILL = 0.5
#: Space before a section heading and after it, in block spaces.
SECTION_SPACE = 1.6
HEADING_SPACE = 0.8
#: Added to the height of a part of a split article, for rounding.
PART_SAFETY = 1.0
#: Weight of a hole that stretching cannot close, against plain slack.
HOLE_WEIGHT = 1000.0


@dataclass(frozen=True)
class Grid:
    """The page grid, as the engine measured it on the layout's pages."""

    page_width: float
    content_width: float
    first_height: float  # page 1 has no top margin under its masthead
    height: float
    columns: int
    gap: float
    space: float  # between modules
    line: float  # one line of body text
    space_stretch: float = 1.8  # the widest space, in block spaces
    picture_range: tuple[float, float] = (0.85, 1.4)

    def columns_of(self, own: int | None) -> int:
        """Return the columns of a section: its own count, else the theme's."""
        return own or self.columns

    def column_width(self, columns: int) -> float:
        """Return the width of one column of a grid of ``columns``."""
        return (self.content_width - (columns - 1) * self.gap) / columns

    def width(self, span: int, columns: int) -> float:
        """Return the width of ``span`` columns, gaps between them included."""
        return span * self.column_width(columns) + (span - 1) * self.gap

    def left(self, column: int, columns: int) -> float:
        """Return where column ``column`` (from 0) starts."""
        return column * (self.column_width(columns) + self.gap)

    def page_height(self, page: int) -> float:
        """Return the height for modules on page ``page`` (from 0)."""
        return self.first_height if page == 0 else self.height


@dataclass(frozen=True)
class Measure:
    """A module set at one width: its height, its picture, where it may split."""

    height: float
    picture: float | None = None  # height of the picture makeup may resize
    boundaries: tuple[float, ...] = ()  # top of each flow unit, then the end


@dataclass(frozen=True)
class Module:
    """One thing to place, in reading order, with what the editor asked."""

    key: str
    role: str  # "front", "heading" or "block"
    columns: int  # of its section's grid
    measures: dict[int, Measure]  # by span
    span: int | None = None  # fixed span; None: one column, or wider if alone
    new_page: bool = False
    keep_with_next: bool = False
    resizable: bool = True  # its picture may be cropped to a new height

    @property
    def full(self) -> bool:
        """Tell whether the module takes the whole width of its grid."""
        if self.role != "block":
            return True
        return self.span is not None and self.span >= self.columns > 1


@dataclass(frozen=True)
class Placed:
    """A module, or a part of one, at its place on a page."""

    key: str
    span: int
    column: int
    top: float
    height: float
    units: tuple[int, int] | None = None  # the flow units of a split article
    picture: float | None = None  # the picture's new height


@dataclass
class Part:
    """A module or a run of its flow units, in a column being built."""

    module: Module
    span: int
    units: tuple[int, int] | None
    height: float

    @property
    def picture(self) -> float | None:
        """Return the height of the picture this part may resize, if any."""
        measure = self.module.measures[self.span]
        if measure.picture is None or not self.module.resizable:
            return None
        return measure.picture if not self.units or self.units[0] == 0 else None


@dataclass
class Stack:
    """One column (or several, for a wide module) of a row."""

    column: int
    span: int
    parts: list[Part] = field(default_factory=list)


@dataclass
class Row:
    """A band of the page: one full-width module, or columns of modules."""

    stacks: list[Stack]
    columns: int
    height: float
    space_before: float
    role: str = "block"
    top: float = 0.0
    balanced: bool = True  # False: its columns go on on the next page


@dataclass
class Placement:
    """The pages, each a list of placed modules, and what makeup measured."""

    pages: list[list[Placed]]
    fills: list[list[float]]  # each page's columns, how full (0-1)
    splits: int  # articles split between columns or pages

    def figures(self) -> dict[str, object]:
        """Return the makeup figures a build reports."""
        return {
            "pages": len(self.pages),
            "splits": self.splits,
            "fill": [round(min(columns), 3) for columns in self.fills],
        }


# -- Cutting runs into atoms ------------------------------------------------


@dataclass(frozen=True)
class _Atom:
    """What cannot be cut: a whole module, or one flow unit of a long one."""

    module: Module
    unit: int | None  # None: the whole module


def _atoms(run: Sequence[Module]) -> list[_Atom]:
    """Cut a run into atoms: the flow units of modules that have several."""
    atoms: list[_Atom] = []
    for module in run:
        units = len(module.measures[1].boundaries) - 1
        if units > 1:
            atoms.extend(_Atom(module, unit) for unit in range(units))
        else:
            atoms.append(_Atom(module, None))
    return atoms


def _parts(atoms: Sequence[_Atom]) -> list[Part]:
    """Return the parts a column holding ``atoms`` shows, in order."""
    parts: list[Part] = []
    for atom in atoms:
        measure = atom.module.measures[1]
        if atom.unit is None:
            parts.append(Part(atom.module, 1, None, measure.height))
            continue
        last = parts[-1] if parts else None
        if last is not None and last.module is atom.module:
            start = last.units[0] if last.units else 0
        else:
            start = atom.unit
            last = None
        end = atom.unit + 1
        units = len(measure.boundaries) - 1
        if (start, end) == (0, units):
            part = Part(atom.module, 1, None, measure.height)
        else:
            height = measure.boundaries[end] - measure.boundaries[start] + PART_SAFETY
            part = Part(atom.module, 1, (start, end), height)
        if last is not None:
            parts[-1] = part
        else:
            parts.append(part)
    return parts


# -- Stretching and shrinking ---------------------------------------------


def _stack_height(parts: Sequence[Part], grid: Grid) -> float:
    return sum(part.height for part in parts) + grid.space * max(len(parts) - 1, 0)


def _shrink(parts: Sequence[Part], grid: Grid) -> float:
    """Return how much shorter a column may become: its pictures, cropped."""
    return sum(
        part.picture * (1 - grid.picture_range[0])
        for part in parts
        if part.picture is not None
    )


def _capacity(parts: Sequence[Part], grid: Grid) -> float:
    """Return how much taller a column may become without a hole."""
    pictures = sum(
        part.picture * (grid.picture_range[1] - 1)
        for part in parts
        if part.picture is not None
    )
    spaces = (grid.space_stretch - 1) * grid.space * max(len(parts) - 1, 0)
    return pictures + spaces + LEVEL_LINES * grid.line


def _hole(slack: float, parts: Sequence[Part], grid: Grid) -> float:
    """Return the cost of a column ``slack`` short of its row."""
    unfilled = max(0.0, slack - _capacity(parts, grid))
    return HOLE_WEIGHT * (unfilled / grid.line) ** 2 + max(slack, 0.0) / grid.line


# -- Filling columns -------------------------------------------------------


def _column_fits(
    atoms: Sequence[_Atom], start: int, end: int, height: float, grid: Grid
) -> bool:
    """Tell whether ``atoms[start:end]`` may stand in a column of ``height``.

    They must fit (pictures may shrink), and an article may go on in the next
    column only if it is longer than this one: a shorter one is never split,
    nor is an article split before its first paragraph.
    """
    parts = _parts(atoms[start:end])
    if _stack_height(parts, grid) - _shrink(parts, grid) > height:
        return False
    if end < len(atoms) and atoms[end - 1].module is atoms[end].module:
        module = atoms[end].module
        whole = module.measures[1].height - _shrink(_parts([atoms[end]]), grid)
        if atoms[end].unit == 1 or whole <= height:
            return False
    return True


def _column_end(atoms: Sequence[_Atom], start: int, height: float, grid: Grid) -> int:
    """Return where a column of ``height`` from ``start`` ends, filled greedily."""
    end, best = start, start
    while end < len(atoms):
        end += 1
        parts = _parts(atoms[start:end])
        if _stack_height(parts, grid) - _shrink(parts, grid) > height:
            break
        if _column_fits(atoms, start, end, height, grid):
            best = end
    return best


def _fits(atoms: Sequence[_Atom], columns: int, height: float, grid: Grid) -> bool:
    start = 0
    for _ in range(columns):
        start = _column_end(atoms, start, height, grid)
    return start == len(atoms)


def _balanced_height(
    atoms: Sequence[_Atom], columns: int, limit: float, grid: Grid
) -> float | None:
    """Return the least column height that holds every atom, if under ``limit``."""
    if not _fits(atoms, columns, limit, grid):
        return None
    low, high = 0.0, limit
    while high - low > 0.5:
        middle = (low + high) / 2
        if _fits(atoms, columns, middle, grid):
            high = middle
        else:
            low = middle
    return high


def _best_columns(
    atoms: Sequence[_Atom], columns: int, height: float, grid: Grid, whole: bool
) -> tuple[float, list[list[_Atom]]]:
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
                _keep_cheaper(following, start, cost + height / grid.line, ends)
                continue
            end = start + 1
            while end <= count:
                parts = _parts(atoms[start:end])
                if _stack_height(parts, grid) - _shrink(parts, grid) > height:
                    break
                if _column_fits(atoms, start, end, height, grid):
                    slack = height - _stack_height(parts, grid)
                    total = cost + _hole(slack, parts, grid)
                    _keep_cheaper(following, end, total, [*ends, end])
                end += 1
        layer = following
    valid = {
        end: value
        for end, value in layer.items()
        if (end == count if whole else end > 0 and _may_end_page(atoms, end))
    }
    if not valid:
        return infinity, []
    _, (cost, ends) = min(valid.items(), key=lambda item: (item[1][0], -item[0]))
    starts = [0, *ends[:-1]]
    return cost, [list(atoms[a:b]) for a, b in zip(starts, ends, strict=True)]


def _keep_cheaper(
    layer: dict[int, tuple[float, list[int]]], end: int, cost: float, ends: list[int]
) -> None:
    if cost < layer.get(end, (float("inf"), []))[0]:
        layer[end] = (cost, ends)


def _may_end_page(atoms: Sequence[_Atom], end: int) -> bool:
    if end >= len(atoms):
        return True
    before, after = atoms[end - 1], atoms[end]
    if before.module is after.module:
        return True
    return not before.module.keep_with_next and not after.module.new_page


# -- The page builder ------------------------------------------------------


@dataclass
class _Pages:
    """Pages being made: finished rows of each page, and where the next goes."""

    grid: Grid
    pages: list[list[Row]] = field(default_factory=lambda: [[]])

    @property
    def used(self) -> float:
        rows = self.pages[-1]
        return rows[-1].top + rows[-1].height if rows else 0.0

    @property
    def room(self) -> float:
        return self.grid.page_height(len(self.pages) - 1) - self.used

    def space_before(self, role: str) -> float:
        if not self.pages[-1]:
            return 0.0
        previous = self.pages[-1][-1].role
        if previous == "heading":
            return HEADING_SPACE * self.grid.space
        if role == "heading":
            return SECTION_SPACE * self.grid.space
        return self.grid.space

    def add(self, row: Row) -> None:
        row.space_before = self.space_before(row.role)
        row.top = self.used + row.space_before
        self.pages[-1].append(row)

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])


def place(modules: Sequence[Module], grid: Grid) -> Placement:
    """Return where each module goes: pages of rows, stretched to their foot."""
    pages = _Pages(grid)
    items = list(_items(modules))
    for index, item in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        if isinstance(item, Module):
            _place_full(pages, item, following)
        else:
            _place_run(pages, item)
    while len(pages.pages) > 1 and not pages.pages[-1]:
        pages.pages.pop()
    return _finish(pages.pages, grid)


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


def _first_height(item: Module | list[Module] | None, grid: Grid) -> float:
    """Return the least of ``item`` that must share a page with a heading."""
    if item is None:
        return 0.0
    if isinstance(item, Module):
        return item.measures[_full_span(item)].height
    measure = item[0].measures[1]
    if measure.height > grid.height and len(measure.boundaries) > 2:
        return measure.boundaries[1]
    return measure.height


def _full_span(module: Module) -> int:
    return (
        module.columns
        if module.role != "block"
        else min(module.span or module.columns, module.columns)
    )


def _place_full(pages: _Pages, module: Module, following: object) -> None:
    span = _full_span(module)
    height = module.measures[span].height
    needed = height + pages.space_before(module.role)
    if module.role == "heading" or module.keep_with_next:
        assert following is None or isinstance(following, (Module, list))
        needed += HEADING_SPACE * pages.grid.space + _first_height(
            following, pages.grid
        )
    if module.new_page or needed > pages.room:
        pages.new_page()
    stack = Stack(0, span, [Part(module, span, None, height)])
    pages.add(Row([stack], module.columns, height, 0.0, module.role))


def _place_run(pages: _Pages, run: list[Module]) -> None:
    grid = pages.grid
    if run[0].new_page:
        pages.new_page()
    columns = run[0].columns
    if len(run) < columns and all(columns in module.measures for module in run):
        _place_widened(pages, run)
        return
    atoms = _atoms(run)
    while atoms:
        room = pages.room - pages.space_before("block")
        height = _balanced_height(atoms, columns, room, grid)
        if height is not None:
            _, filled = _best_columns(atoms, columns, height, grid, whole=True)
            _add_columns(pages, filled, columns, height, True)
            return
        _, filled = _best_columns(atoms, columns, room, grid, whole=False)
        if pages.pages[-1] and (not filled or _poor_start(filled, grid)):
            pages.new_page()
            continue
        if not filled:
            filled = [[atoms[0]]]  # taller than a page: it overflows
        _add_columns(pages, filled, columns, room, False)
        atoms = atoms[sum(len(column) for column in filled) :]
        pages.new_page()


def _poor_start(filled: list[list[_Atom]], grid: Grid) -> bool:
    """Tell whether columns at a page foot hold too little to start there."""
    used = [_stack_height(_parts(column), grid) for column in filled if column]
    return not used or max(used) < 3 * grid.line


def _place_widened(pages: _Pages, run: list[Module]) -> None:
    """Place a run shorter than the grid as modules across the whole grid."""
    for module in run:
        _place_full(pages, replace(module, span=module.columns), None)


def _add_columns(
    pages: _Pages,
    filled: list[list[_Atom]],
    columns: int,
    height: float,
    balanced: bool,
) -> None:
    stacks = [
        Stack(index, 1, _parts(column)) for index, column in enumerate(filled) if column
    ]
    pages.add(Row(stacks, columns, height, 0.0, "block", balanced=balanced))


# -- Finishing: stretch, then read off the places --------------------------


def _finish(pages: list[list[Row]], grid: Grid) -> Placement:
    placed_pages, fills = [], []
    for number, rows in enumerate(pages):
        last = number == len(pages) - 1
        height = grid.page_height(number)
        if not last:
            _stretch_page(rows, height, grid)
        placed_pages.append(
            [placed for row in rows for placed in _place_row(row, grid)]
        )
        fills.append(_fills(rows, height, grid))
    splits = len({p.key for page in placed_pages for p in page if p.units is not None})
    return Placement(placed_pages, fills, splits)


def _stretch_page(rows: list[Row], height: float, grid: Grid) -> None:
    """Spread what is left at the foot of a page over its rows and spaces.

    Each row takes a share as large as its columns can absorb (their pictures
    and spaces), each space between rows up to the widest space; what none
    can take stays at the foot.
    """
    left = height - (rows[-1].top + rows[-1].height) if rows else 0.0
    if left <= 0:
        return
    widest = (grid.space_stretch - 1) * grid.space
    room = {
        id(row): _row_room(row, grid) + (widest if _may_widen(rows, index) else 0.0)
        for index, row in enumerate(rows)
    }
    total = sum(room.values())
    if total <= 0:
        return
    ratio = min(1.0, left / total)
    shift = 0.0
    for index, row in enumerate(rows):
        extra = room[id(row)] * ratio
        into_space = min(extra, widest) if _may_widen(rows, index) else 0.0
        row.space_before += into_space
        row.top += shift + into_space
        row.height += extra - into_space
        shift += extra


def _may_widen(rows: list[Row], index: int) -> bool:
    """Tell whether the space above row ``index`` may widen (not under a heading)."""
    return index > 0 and rows[index - 1].role != "heading"


def _row_room(row: Row, grid: Grid) -> float:
    """Return how much taller a row may grow with every column kept level."""
    if row.role == "heading":
        return 0.0
    return max(
        0.0,
        min(
            _capacity(stack.parts, grid)
            - (row.height - _stack_height(stack.parts, grid))
            for stack in row.stacks
        ),
    )


def _place_row(row: Row, grid: Grid) -> Iterator[Placed]:
    for stack in row.stacks:
        yield from _place_stack(stack, row, grid)


def _place_stack(stack: Stack, row: Row, grid: Grid) -> Iterator[Placed]:
    """Place a column's parts, their pictures resized to end at the row's foot.

    Pictures take what is missing or left over first, within their range;
    then the spaces between parts widen, up to the widest space.
    """
    slack = row.height - _stack_height(stack.parts, grid)
    pictures = [part for part in stack.parts if part.picture is not None]
    low, high = grid.picture_range
    change = {}
    for part in pictures:
        assert part.picture is not None
        share = slack / len(pictures)
        change[id(part)] = min(
            max(share, part.picture * (low - 1)), part.picture * (high - 1)
        )
    slack -= sum(change.values())
    spaces = max(len(stack.parts) - 1, 0)
    widest = (grid.space_stretch - 1) * grid.space
    extra_space = min(max(slack, 0.0) / spaces, widest) if spaces else 0.0
    top = row.top
    for part in stack.parts:
        resized = change.get(id(part), 0.0)
        picture = (
            part.picture + resized if part.picture is not None and resized else None
        )
        yield Placed(
            part.module.key,
            stack.span,
            stack.column,
            top,
            part.height + resized,
            part.units,
            picture,
        )
        top += part.height + resized + grid.space + extra_space


def _fills(rows: list[Row], height: float, grid: Grid) -> list[float]:
    """Return how far down each column of the page is inked, as a fraction."""
    columns = max((row.columns for row in rows), default=grid.columns)
    bottoms = [0.0] * columns
    for row in rows:
        for placed in _place_row(row, grid):
            end = placed.top + placed.height
            for column in range(
                placed.column, placed.column + _cover(placed, row, columns)
            ):
                bottoms[column] = max(bottoms[column], end)
    return [bottom / height for bottom in bottoms]


def _cover(placed: Placed, row: Row, columns: int) -> int:
    """Return how many columns of the page grid a placed module covers."""
    if row.columns == columns:
        return placed.span
    return columns if placed.span >= row.columns else 1
