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
and the space between modules widens (within its range).  What building in
reading order cannot weigh (an article across the grid, a section on a new
page, for the sake of the pages after) a search over those choices does.

Lengths are CSS pixels, as the engine gives them.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from .model import PictureFit

#: A column may end this much short of its row, in lines of body text.
LEVEL_LINES = 1.0
#: Fill targets: every page but the last, each column; the last page.
MIN_FILL = 0.9
MIN_LAST_FILL = 0.5
#: Space before a section heading and after it, in block spaces.
SECTION_SPACE = 1.6
HEADING_SPACE = 0.8
#: The least first part of a split article, header included, in lines.
FIRST_PART_LINES = 6
#: Added to the height of a part of a split article, for rounding.
PART_SAFETY = 1.0
#: Roles of modules that head what follows them.
KEPT_ROLES = ("heading", "band")
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
    space_shrink: float = 0.6  # the narrowest
    picture_range: tuple[float, float] = (0.7, 1.4)
    band_range: tuple[float, float] = (0.5, 1.3)  # a band may become a strip
    leading_stretch: float = 0.5  # added between paragraphs at most, in lines

    def range_of(self, module: Module) -> tuple[float, float]:
        """Return how far the picture of ``module`` may shrink and grow.

        A picture that is scaled, not cropped, is only scaled down: enlarged,
        it would have to be cropped to its box, or leave the box's foot
        blank; a band is never scaled: it would no longer span the page.
        """
        low, high = self.band_range if module.role == "band" else self.picture_range
        if module.pictures == "cropped":
            return low, high
        if module.pictures == "scaled" and module.role != "band":
            return low, 1.0
        return 1.0, 1.0

    def columns_of(self, own: int | None) -> int:
        """Return the columns of a section: its own count, else the theme's.

        A section may ask for fewer columns than the layout's grid, never
        more: on a one-column A5 page, two columns are too narrow for a
        heading's longest word (``unhonoured_wishes`` says so).
        """
        return min(own or self.columns, self.columns)

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
    flow: float | None = None  # the height its text's columns are set to
    level: float | None = None  # its picture's height level with text beside it
    kept: frozenset[int] = frozenset()  # flow units no column may start with


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
    pictures: PictureFit = "cropped"  # or "scaled" down whole, or left "whole"
    closing: bool = False  # it closes the issue (contact, greeting)

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
    leading: float = 0.0  # added between its flow units (paragraphs)
    flow: float | None = None  # the height its text's columns are set to
    crops: bool = True  # its picture is cropped to its new height, else scaled


@dataclass
class Part:
    """A module or a run of its flow units, in a column being built."""

    module: Module
    span: int
    units: tuple[int, int] | None
    height: float

    @property
    def gaps(self) -> int:
        """Return how many gaps between flow units (paragraphs) this part has.

        A module set across columns has none makeup may widen: its text's
        columns are set to the height measured for it.
        """
        if self.span != 1:
            return 0
        start, end = self.units or (
            0,
            len(self.module.measures[self.span].boundaries) - 1,
        )
        return max(end - start - 1, 0)

    @property
    def picture(self) -> float | None:
        """Return the height of the picture this part may resize, if any."""
        measure = self.module.measures[self.span]
        if measure.picture is None:
            return None
        return measure.picture if not self.units or self.units[0] == 0 else None

    def resizing(self, grid: Grid) -> tuple[float, float]:
        """Return how much its picture may shrink (below zero) and grow, in pixels.

        Within its range; and a picture with text beside it (a card's title
        beside it across columns, a study's cover beside its title) shrinks
        only until it ends level with that text: further, the module would be
        no shorter, and the page would run past its foot.
        """
        picture = self.picture
        if picture is None:
            return 0.0, 0.0
        low, high = grid.range_of(self.module)
        level = self.module.measures[self.span].level
        least = picture * (low - 1)
        if level is not None:
            least = max(least, min(0.0, level - picture))
        return least, picture * (high - 1)


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


@dataclass(frozen=True)
class Note:
    """What a designer would see on the made-up pages: a preflight finding."""

    code: str
    message: str
    page: int  # from 0
    key: str | None = None  # the module it is about


@dataclass
class Placement:
    """The pages, each a list of placed modules, and what makeup measured."""

    pages: list[list[Placed]]
    fills: list[list[float]]  # each page's columns, how full (0-1)
    splits: int  # articles split between columns or pages
    notes: list[Note] = field(default_factory=list)

    @property
    def lonely_last_page(self) -> bool:
        """Tell whether the last page of several is below its target (W111)."""
        last = len(self.pages) - 1
        return last > 0 and any(
            note.code == "W111" and note.page == last for note in self.notes
        )

    def figures(self) -> dict[str, object]:
        """Return the makeup figures a build reports."""
        return {
            "pages": len(self.pages),
            "splits": self.splits,
            "short_splits": sum(note.code == "W110" for note in self.notes),
            "fill": [round(min(columns), 2) for columns in self.fills[:-1]],
            "last_page_fill": round(max(self.fills[-1]), 2),
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
        _extend(parts, atom)
    return parts


def _extend(parts: list[Part], atom: _Atom) -> None:
    """Add an atom to the parts of a column: a part, or the rest of the last one.

    Columns are filled an atom at a time; extending their parts, not making
    them anew, keeps that linear.
    """
    measure = atom.module.measures[1]
    if atom.unit is None:
        parts.append(Part(atom.module, 1, None, measure.height))
        return
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


# -- Stretching and shrinking ---------------------------------------------


def _stack_height(parts: Sequence[Part], grid: Grid) -> float:
    return sum(part.height for part in parts) + grid.space * max(len(parts) - 1, 0)


def _shrink(parts: Sequence[Part], grid: Grid) -> float:
    """Return how much shorter a column may become: its pictures, cropped."""
    return -sum(part.resizing(grid)[0] for part in parts)


def _capacity(parts: Sequence[Part], grid: Grid) -> float:
    """Return how much taller a column may become without a hole."""
    pictures = sum(part.resizing(grid)[1] for part in parts)
    spaces = (grid.space_stretch - 1) * grid.space * max(len(parts) - 1, 0)
    leading = grid.leading_stretch * grid.line * sum(part.gaps for part in parts)
    return pictures + spaces + leading + LEVEL_LINES * grid.line


def _hole(slack: float, parts: Sequence[Part], grid: Grid) -> float:
    """Return the cost of a column ``slack`` short of its row."""
    unfilled = max(0.0, slack - _capacity(parts, grid))
    return HOLE_WEIGHT * (unfilled / grid.line) ** 2 + max(slack, 0.0) / grid.line


# -- Filling columns -------------------------------------------------------


def _may_end_column(
    atoms: Sequence[_Atom], end: int, height: float, grid: Grid, foot: bool = False
) -> bool:
    """Tell whether a column of ``height`` may end before ``atoms[end]``.

    An article may go on in the next column only if it is longer than a
    column of the page, or, at the foot of a page (``foot``), than the room
    left in this one; it never leaves its header with too little text.  A
    split at a foot is noted (W110): it is better than a third of a page left
    empty, but an editor should know.  An article that goes on from the page
    before may go on again.
    """
    if end < len(atoms) and atoms[end - 1].module is atoms[end].module:
        module = atoms[end].module
        if atoms[end].unit in module.measures[1].kept:
            return False  # an interview's answer stays with its question
        whole = module.measures[1].height - _shrink(_parts([atoms[end]]), grid)
        if atoms[end].unit == 1 and not _opens_well(module, grid):
            return False
        continued = atoms[0].module is module and atoms[0].unit not in (None, 0)
        if whole <= (height if foot else grid.height) and not continued:
            return False
    return True


def _filled(
    atoms: Sequence[_Atom], start: int, height: float, grid: Grid
) -> Iterator[tuple[int, list[Part]]]:
    """Yield each end of a column of ``height`` from ``start``, and its parts.

    The column takes one atom more each time, while they fit (pictures may
    shrink); the parts are those of ``atoms[start:end]``, extended in place.
    """
    parts: list[Part] = []
    for end in range(start + 1, len(atoms) + 1):
        _extend(parts, atoms[end - 1])
        if _stack_height(parts, grid) - _shrink(parts, grid) > height:
            return
        yield end, parts


def _opens_well(module: Module, grid: Grid) -> bool:
    """Tell whether a module's first flow unit may stand alone in a column.

    It holds the article's header; with too few lines of text under it, the
    header would seem to stand alone.
    """
    return module.measures[1].boundaries[1] >= FIRST_PART_LINES * grid.line


def _first_part(module: Module, grid: Grid) -> float:
    """Return the height of the least part a split module may start with."""
    boundaries = module.measures[1].boundaries
    return boundaries[1] if _opens_well(module, grid) else boundaries[2]


def _column_end(atoms: Sequence[_Atom], start: int, height: float, grid: Grid) -> int:
    """Return where a column of ``height`` from ``start`` ends, filled greedily."""
    best = start
    for end, _ in _filled(atoms, start, height, grid):
        if _may_end_column(atoms, end, height, grid):
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
    return _least(lambda height: _fits(atoms, columns, height, grid), 0.0, limit)


def _least(fits: Callable[[float], bool], low: float, high: float) -> float:
    """Return the least height ``fits``, to half a pixel, knowing ``high`` does."""
    while high - low > 0.5:
        middle = (low + high) / 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return high


@dataclass(frozen=True)
class Break:
    """Where text set in one column may end a column, and the next begin.

    A break between lines of a paragraph says which lines: two breaks in one
    paragraph leave at least ``apart`` lines between them (the engine's
    ``orphans`` and ``widows``).
    """

    end: float
    start: float
    paragraph: int | None = None
    line: int = 0
    apart: int = 0


def flow_height(breaks: Sequence[Break], length: float, columns: int) -> float:
    """Return the least height of ``columns`` columns that hold a text.

    The engine balances columns by trial, one layout per trial; set to a
    height, it fills them one after the other in one layout.  That height is
    found here from the text set in one column, ``length`` tall, and the
    ``breaks`` the engine allows in it, measured from its top.
    """

    def fits(height: float) -> bool:
        top, last = 0.0, Break(0.0, 0.0)
        for _ in range(columns - 1):
            ends = [
                each
                for each in breaks
                if top < each.start
                and each.end - top <= height
                and not (
                    each.paragraph is not None
                    and each.paragraph == last.paragraph
                    and each.line - last.line < each.apart
                )
            ]
            if length - top <= height or not ends:
                break
            last = max(ends, key=lambda each: each.start)
            top = last.start
        return length - top <= height

    return _least(fits, length / columns, length)


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
                _keep_cheaper(following, start, cost + _hole(height, [], grid), ends)
                continue
            for end, parts in _filled(atoms, start, height, grid):
                if _may_end_column(atoms, end, height, grid, foot=not whole):
                    slack = height - _stack_height(parts, grid)
                    total = cost + _hole(slack, parts, grid)
                    total += _short_split_cost(atoms, end, grid)
                    _keep_cheaper(following, end, total, [*ends, end])
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


def _short_split_cost(atoms: Sequence[_Atom], end: int, grid: Grid) -> float:
    """Return what splitting a module shorter than a column at ``end`` costs.

    As much as a third of a column left empty: a split at a page foot is
    better than more, worse than less.
    """
    if end >= len(atoms) or atoms[end - 1].module is not atoms[end].module:
        return 0.0
    if atoms[end].module.measures[1].height > grid.height:
        return 0.0
    return _hole(grid.height / 3, [], grid)


def _foot_columns(
    atoms: Sequence[_Atom], columns: int, height: float, grid: Grid
) -> list[list[_Atom]]:
    """Return what goes in the columns at a page foot; the last may stay empty.

    An empty column costs as a whole hole, so it is left empty only when
    nothing that may stand there fits.
    """
    options = []
    for used in range(columns, 0, -1):
        cost, filled = _best_columns(atoms, used, height, grid, whole=False)
        if filled:
            empty = (columns - used) * _hole(height, [], grid)
            options.append((cost + empty, filled))
    return min(options, key=lambda option: option[0])[1] if options else []


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
        """Return the room left on the page, with what its rows may give.

        A page may hold a little more than its height: its spaces and pictures
        then shrink, within their ranges, when the page is finished.
        """
        height = self.grid.page_height(len(self.pages) - 1)
        return height - self.used + _page_give(self.pages[-1], self.grid)

    def space_before(self, role: str) -> float:
        if not self.pages[-1]:
            return 0.0
        previous = self.pages[-1][-1].role
        if previous in KEPT_ROLES:
            return HEADING_SPACE * self.grid.space
        if role == "heading":
            return SECTION_SPACE * self.grid.space
        return self.grid.space

    def add(self, row: Row) -> None:
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
                _stack_height(stack.parts, self.grid) for stack in row.stacks
            )
            self.add(row)


def place(modules: Sequence[Module], grid: Grid) -> Placement:
    """Return where each module goes: pages of rows, stretched to their foot.

    The pages are built in reading order, each module where it fits best
    there (:func:`_make_up`); what that cannot see is whether an article set
    over more columns, or a section started on a new page, leaves fewer holes
    further on.  So, as a designer tries, each such change is tried alone,
    the one that makes the pages best is kept, and so on until none helps.
    A trial is built from the first item it changes (:class:`_Base`).
    """
    wishes = list(modules)
    base = _Base.of(wishes, grid)
    best = base.placement
    cost = _cost(best, wishes, grid)
    trials = SEARCH_WORK // max(len(wishes), 1)
    while trials > 0:
        tried = [
            (_cost(placement, trial, grid), number, trial, placement)
            for number, trial in enumerate(itertools.islice(_changes(wishes), trials))
            for placement in [base.trial(trial)]
        ]
        trials -= len(tried)
        least = min(tried, key=lambda each: each[:2], default=None)
        if least is None or least[0] >= cost:
            break
        cost, _, wishes, best = least
        if trials > 0:  # the next round goes on from these wishes
            base = _Base.of(wishes, grid)
            trials -= 1
    return best


@dataclass
class _Base:
    """The wishes the search goes on from: their items, the pages before each.

    A trial changes a module or a few; the pages before the first item it
    changes are those of the base, so the trial is built from there.
    """

    grid: Grid
    items: list[Module | list[Module]]
    before: list[list[list[Row]]]
    placement: Placement

    @classmethod
    def of(cls, wishes: Sequence[Module], grid: Grid) -> _Base:
        items = _items_of(wishes)
        before: list[list[list[Row]]] = []
        return cls(grid, items, before, _make_up(items, grid, record=before))

    def trial(self, wishes: Sequence[Module]) -> Placement:
        """Return the placement of ``wishes``, built from where they differ."""
        items = _items_of(wishes)
        start = _first_change(self.items, items)
        return _make_up(items, self.grid, start, self.before[start])


def _items_of(wishes: Sequence[Module]) -> list[Module | list[Module]]:
    return list(_items(_new_pages_lead(wishes)))


def _first_change(
    base: Sequence[Module | list[Module]], items: Sequence[Module | list[Module]]
) -> int:
    """Return the first item that is not the base's, or that heads one that is not.

    A heading, a band or a module kept with the next is placed with room for
    what follows it: it changes with what follows.
    """
    index = next(
        (
            number
            for number, (was, item) in enumerate(zip(base, items, strict=False))
            if not _same(was, item)
        ),
        min(len(base), len(items)),
    )
    while index > 0 and _heads_next(items[index - 1]):
        index -= 1
    return index


def _same(was: Module | list[Module], item: Module | list[Module]) -> bool:
    if isinstance(was, Module) or isinstance(item, Module):
        return was is item or was == item
    return len(was) == len(item) and all(
        each is other or each == other for each, other in zip(was, item, strict=True)
    )


def _heads_next(item: Module | list[Module]) -> bool:
    """Tell whether an item is placed with room for the next: it heads it."""
    return isinstance(item, Module) and (item.role in KEPT_ROLES or item.keep_with_next)


#: How many modules the search may place in all its trials: a bound on its
#: time (a few seconds), which the corpus never reaches (its longest issue,
#: of 27 modules, takes 200 trials) but an issue of 30 pages would.
SEARCH_WORK = 12_000


def _cost(placement: Placement, wishes: Sequence[Module], grid: Grid) -> float:
    """Return how far pages fall short of a designer's: what the search lowers.

    A page with a column under the fill target counts one, and more the
    emptier its columns (a page left half empty is worse than two nearly
    full); a last page under half full counts a half, and one and a half
    more if the closing blocks do not share it with content; a module
    shorter than a column split counts ten; a page run past its foot, fifty
    for its height.  All else equal, fewer pages win, then fewer modules set
    wider than a column.
    """
    fills = placement.fills
    cost = sum(
        (min(columns) < MIN_FILL)
        + 10 * sum(max(0.0, MIN_FILL - fill) ** 2 for fill in columns)
        for columns in fills[:-1]
    )
    cost += 50 * sum(
        max(0.0, placed.top + placed.height - grid.page_height(number))
        / grid.page_height(number)
        for number, page in enumerate(placement.pages)
        for placed in page
    )
    cost += 10 * sum(note.code == "W110" for note in placement.notes)
    if len(fills) > 1:
        cost += 0.5 * (max(fills[-1]) < MIN_LAST_FILL)
        cost += 1.5 * placement.lonely_last_page
    wider = sum((wish.span or 1) > 1 for wish in wishes)
    return cost + len(fills) / 50 + wider / 100


def _changes(wishes: list[Module]) -> Iterator[list[Module]]:
    """Yield the wishes with one change to a module: wider, on a new page.

    Or it and the modules after it in its section across the grid: changes
    the search could not make one at a time where the first alone splits a
    module (a section's articles one under the other across two columns).
    """
    for index, wish in enumerate(wishes):
        changes = []
        if wish.span is None and wish.role == "block":
            changes += [
                replace(wish, span=span)
                for span in range(wish.columns, 1, -1)
                if span in wish.measures
            ]
        if index > 0 and not wish.new_page and wish.role in ("heading", "block"):
            changes.append(replace(wish, new_page=True))
        for change in changes:
            yield [*wishes[:index], change, *wishes[index + 1 :]]
        across = list(_across_from(wishes, index))
        if len(across) > 1:
            yield [*wishes[:index], *across, *wishes[index + len(across) :]]


def _across_from(wishes: list[Module], index: int) -> Iterator[Module]:
    """Yield the blocks from ``index`` on, each across the grid.

    Up to the next heading, or a block whose span the editor set.
    """
    for wish in wishes[index:]:
        if (
            wish.role != "block"
            or wish.span is not None
            or wish.columns != wishes[index].columns
            or wish.columns not in wish.measures
        ):
            return
        yield replace(wish, span=wish.columns)


def _make_up(
    items: Sequence[Module | list[Module]],
    grid: Grid,
    start: int = 0,
    before: list[list[Row]] | None = None,
    record: list[list[list[Row]]] | None = None,
) -> Placement:
    """Return the pages built in reading order, as the items wish.

    From item ``start`` on, on the pages ``before`` it; the pages before each
    item, and after the last, are kept in ``record``.
    """
    pages = _Pages(grid)
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
    return _finish(pages.pages, grid)


def _copied(pages: list[list[Row]]) -> list[list[Row]]:
    """Return copies of the rows of pages: pages to come move and stretch them."""
    return [[copy.copy(row) for row in page] for page in pages]


def _pull_up_closing(pages: _Pages) -> None:
    """Bring closing blocks alone on the last page up onto the page before.

    They close the issue under its content; alone they make a page that is
    nearly empty.  They go up if the page before can give the room.
    """
    last = pages.pages[-1]
    if len(pages.pages) < 2 or not all(_closing(row) for row in last):
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


def _closing(row: Row) -> bool:
    return all(part.module.closing for stack in row.stacks for part in stack.parts)


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
        return height - _shrink([Part(item, span, None, height)], grid)
    module = item[0]
    if _over_some(module):
        assert module.span is not None
        spanned = Part(module, module.span, None, module.measures[module.span].height)
        return spanned.height - _shrink([spanned], grid)
    measure = module.measures[1]
    first = measure.height - _shrink([Part(module, 1, None, measure.height)], grid)
    if measure.height > grid.height and len(measure.boundaries) > 3:
        first = _first_part(module, grid)
    across = module.measures.get(module.columns)
    if across is not None:
        wide = Part(module, module.columns, None, across.height)
        first = min(first, across.height - _shrink([wide], grid))
    return first


def _kept_height(following: Sequence[Module | list[Module]], grid: Grid) -> float:
    """Return what must follow a module that heads them on its page.

    A heading or a band is kept with the first part of what follows; so is a
    module that asks to be kept with the next, and so on down the chain.
    """
    height = 0.0
    for item in following:
        height += HEADING_SPACE * grid.space + _first_height(item, grid)
        if not _heads_next(item):
            break
    return height


def _full_span(module: Module) -> int:
    return (
        module.columns
        if module.role != "block"
        else min(module.span or module.columns, module.columns)
    )


def _place_full(pages: _Pages, module: Module, kept: float) -> None:
    """Place a full-width module, on a new page if it cannot stand here.

    ``kept`` is what must follow it on its page, if it heads what follows.
    """
    span = _full_span(module)
    height = module.measures[span].height
    needed = height + pages.space_before(module.role)
    if module.role in KEPT_ROLES or module.keep_with_next:
        needed += kept
    part = Part(module, span, None, height)
    if module.new_page or needed - pages.room > _shrink([part], pages.grid):
        pages.new_page()
    stack = Stack(0, span, [part])
    pages.add(Row([stack], module.columns, height, 0.0, module.role))


def _place_run(pages: _Pages, run: list[Module]) -> None:
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


def _place_spanned(pages: _Pages, run: list[Module]) -> list[Module]:
    """Place the first module over its span, and the next beside it; return the rest.

    Beside it go as many of the next modules as balance in the other columns
    no taller than it (within a line): what is beside reads after it.
    """
    grid = pages.grid
    module, following = run[0], run[1:]
    assert module.span is not None
    span, columns = module.span, module.columns
    part = Part(module, span, None, module.measures[span].height)
    if part.height - _shrink([part], grid) > pages.room - pages.space_before("block"):
        pages.new_page()
    limit = min(
        part.height + LEVEL_LINES * grid.line,
        max(pages.room - pages.space_before("block"), part.height),
    )
    beside: tuple[float, list[Stack]] = (0.0, [])
    count = 0
    while count < len(following) and not _over_some(following[count]):
        found = _balanced_stacks(
            _atoms(following[: count + 1]), columns - span, limit, grid, span
        )
        if found is None:
            break
        beside, count = found, count + 1
    height = max(part.height, beside[0])
    pages.add(Row([Stack(0, span, [part]), *beside[1]], columns, height, 0.0))
    return following[count:]


def _place_columns(pages: _Pages, run: list[Module]) -> None:
    """Place a run of modules in the columns of its grid, over pages if need be."""
    grid = pages.grid
    columns = run[0].columns
    if _widened(run, pages.room - pages.space_before("block"), grid):
        _place_widened(pages, run)
        return
    atoms = _atoms(run)
    while atoms:
        room = pages.room - pages.space_before("block")
        height = _balanced_height(atoms, columns, room, grid)
        if height is not None:
            balanced = _balanced_stacks(atoms, columns, height, grid, 0)
            assert balanced is not None
            height, stacks = min(
                [balanced, *_wide_rows(atoms, columns, room, grid)],
                key=lambda option: _hole_area(option[0], option[1], columns, grid),
            )
            across = _across(atoms, columns, height + LEVEL_LINES * grid.line, grid)
            if across and _stays_short(height, stacks, columns, grid):
                _place_widened(pages, across)
                return
            pages.add(Row(stacks, columns, height, 0.0, "block"))
            return
        filled = _foot_columns(atoms, columns, room, grid)
        wide = _wide_foot(atoms, columns, room, filled, grid)
        if wide is not None:
            pages.add(Row([wide], columns, wide.parts[0].height, 0.0, "block"))
            atoms = atoms[len(_atoms([wide.parts[0].module])) :]
            continue
        if pages.pages[-1] and (not filled or _poor_start(filled, grid)):
            pages.new_page()
            continue
        if not filled:
            filled = [[atoms[0]]]  # taller than a page: it overflows
        _add_columns(pages, filled, columns, room, False)
        atoms = atoms[sum(len(column) for column in filled) :]
        pages.new_page()


def _wide_foot(
    atoms: Sequence[_Atom],
    columns: int,
    room: float,
    filled: list[list[_Atom]],
    grid: Grid,
) -> Stack | None:
    """Return the first module across the grid, if it fills the page foot better.

    A module that does not fit in a column of what is left of a page, or
    fills it poorly, often fits across the grid, balanced in its own columns:
    the page then ends full and the rest of the run goes on below it or on
    the next page.  Of the two ways, the one that splits fewer modules
    shorter than a column wins, then the one that leaves less area blank,
    the rest laid in the columns under the wide module.
    """
    module = atoms[0].module
    measure = module.measures.get(columns) if columns > 1 else None
    if measure is None or atoms[0].unit not in (None, 0) or module.span is not None:
        return None
    wide = Part(module, columns, None, measure.height)
    if measure.height - _shrink([wide], grid) > room:
        return None
    count = len(_atoms([module]))
    if not _may_end_page(atoms, count):
        return None
    below = room - measure.height - grid.space
    rest = atoms[count:]
    under = _foot_columns(rest, columns, below, grid) if rest and below > 0 else []
    if filled and not _poor_start(filled, grid):
        across = (_short_splits_at(rest, under, grid), columns * below)
        down = (_short_splits_at(atoms, filled, grid), columns * room)
        if across[0] > down[0] or (
            across[0] == down[0]
            and across[1] - _used_area(under, grid)
            >= down[1] - _used_area(filled, grid)
        ):
            return None
    return Stack(0, columns, [wide])


def _used_area(filled: list[list[_Atom]], grid: Grid) -> float:
    """Return the area columns of atoms ink, in column-heights."""
    return sum(_stack_height(_parts(column), grid) for column in filled if column)


def _short_splits_at(
    atoms: Sequence[_Atom], filled: list[list[_Atom]], grid: Grid
) -> int:
    """Return how many modules shorter than a column ``filled`` splits."""
    ends = itertools.accumulate(len(column) for column in filled)
    return sum(_short_split_cost(atoms, end, grid) > 0 for end in ends)


def _wide_rows(
    atoms: Sequence[_Atom], columns: int, limit: float, grid: Grid
) -> Iterator[tuple[float, list[Stack]]]:
    """Yield the rows that end a run with its first or last module wider.

    That module is set across some columns (in the engine's balanced columns,
    as measured); the other columns hold the rest of the run, balanced.  This
    often ends a section more level than every module in one column.
    """
    ends = {id(atom.module): atom.module for atom in (atoms[0], atoms[-1])}
    for module in ends.values():
        if sum(atom.module is module for atom in atoms) < len(_atoms([module])):
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
            others = _balanced_stacks(rest, columns - span, limit, grid, offset)
            if others is not None:
                stacks = [wide, *others[1]] if first else [*others[1], wide]
                yield max(measure.height, others[0]), stacks


def _balanced_stacks(
    atoms: Sequence[_Atom], columns: int, limit: float, grid: Grid, offset: int
) -> tuple[float, list[Stack]] | None:
    """Return ``atoms`` balanced in ``columns`` from column ``offset``, if they fit."""
    height = _balanced_height(atoms, columns, limit, grid)
    if height is None:
        return None
    _, filled = _best_columns(atoms, columns, height, grid, whole=True)
    return height, [
        Stack(offset + index, 1, _parts(column))
        for index, column in enumerate(filled)
        if column
    ]


def _hole_area(height: float, stacks: list[Stack], columns: int, grid: Grid) -> float:
    """Return the area a row leaves blank under its stacks, in column-heights."""
    used = sum(
        stack.span * min(height, _stack_height(stack.parts, grid)) for stack in stacks
    )
    return columns * height - used


def _poor_start(filled: list[list[_Atom]], grid: Grid) -> bool:
    """Tell whether columns at a page foot hold too little to start there."""
    used = [_stack_height(_parts(column), grid) for column in filled if column]
    return not used or max(used) < 3 * grid.line


def _widened(run: list[Module], room: float, grid: Grid) -> bool:
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


def _across(
    atoms: Sequence[_Atom], columns: int, room: float, grid: Grid
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


def _stays_short(height: float, stacks: list[Stack], columns: int, grid: Grid) -> bool:
    """Tell whether a column of a row ends short of its foot however it stretches."""
    for column in range(columns):
        parts = [
            part
            for stack in stacks
            if stack.column <= column < stack.column + stack.span
            for part in stack.parts
        ]
        slack = height - _stack_height(parts, grid) if parts else height
        if slack > _capacity(parts, grid):
            return True
    return False


def _place_widened(pages: _Pages, run: list[Module]) -> None:
    """Place a run shorter than the grid as modules across the whole grid."""
    for module in run:
        _place_full(pages, replace(module, span=module.columns), 0.0)


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
        if not last or rows[-1].top + rows[-1].height > height:
            _stretch_page(rows, height, grid)
        placed_pages.append(
            [placed for row in rows for placed in _place_row(row, grid)]
        )
        fills.append(_fills(rows, height, grid))
    splits = len({p.key for page in placed_pages for p in page if p.units is not None})
    notes = [*_short_splits(pages, grid), *_fill_notes(pages, fills)]
    return Placement(placed_pages, fills, splits, notes)


def _short_splits(pages: list[list[Row]], grid: Grid) -> Iterator[Note]:
    """Note the modules split though shorter than a column of the page."""
    noted: set[str] = set()
    for number, rows in enumerate(pages):
        for row in rows:
            for stack in row.stacks:
                for part in stack.parts:
                    module = part.module
                    whole = module.measures[1].height if 1 in module.measures else 0
                    if part.units and module.key not in noted and whole <= grid.height:
                        noted.add(module.key)
                        yield Note(
                            "W110",
                            "split between columns or pages, though shorter than"
                            " a column",
                            number,
                            module.key,
                        )


def _fill_notes(pages: list[list[Row]], fills: list[list[float]]) -> Iterator[Note]:
    """Note the pages below the fill targets.

    Every column of a page but the last is nearly full; the last page of
    several is at least half full, unless it holds the closing blocks under
    some content.
    """
    for number, columns in enumerate(fills[:-1]):
        if min(columns) < MIN_FILL:
            yield Note(
                "W111",
                f"a column is only {int(min(columns) * 100)}% full"
                f" (every column of a page but the last: {MIN_FILL:.0%})",
                number,
            )
    last = pages[-1]
    closing_under_content = any(map(_closing, last)) and not all(map(_closing, last))
    lonely = len(pages) > 1 and max(fills[-1]) < MIN_LAST_FILL
    if lonely and not closing_under_content:
        yield Note(
            "W111",
            f"the last page is only {int(max(fills[-1]) * 100)}% full"
            f" (at least {MIN_LAST_FILL:.0%}, or the closing blocks under content)",
            len(pages) - 1,
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


def _page_give(rows: list[Row], grid: Grid) -> float:
    """Return how much shorter a page of ``rows`` may become."""
    spaces, gives = _page_room(rows, grid, grow=False)
    return sum(spaces) + sum(gives)


def _row_room(row: Row, grid: Grid, grow: bool) -> float:
    """Return how much taller a row may grow, or shorter, its columns level.

    Columns grow by their pictures, spaces and leading; they give by their
    pictures, cropped.
    """
    if row.role == "heading":
        return 0.0

    def room(parts: list[Part]) -> float:
        slack = row.height - _stack_height(parts, grid)
        return _capacity(parts, grid) - slack if grow else slack + _shrink(parts, grid)

    return max(0.0, min(room(stack.parts) for stack in row.stacks))


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
            part.module.measures[stack.span].flow if part.units is None else None,
            part.module.pictures == "cropped",
        )
        top += height + grid.space + extra_space


def _fills(rows: list[Row], height: float, grid: Grid) -> list[float]:
    """Return how much of each column of the page is inked, as a fraction.

    That is how far down it is inked, less the holes above: a row it has no
    module in, or the blank under its modules in a row (beyond a line) that
    another row follows.  A module covers the columns of the page grid it
    overlaps by a quarter, whatever grid its own section sets.
    """
    columns = grid.columns
    bottoms, holes, pending = [0.0] * columns, [0.0] * columns, [0.0] * columns
    for row in rows:
        lowest: dict[int, float] = {}
        for placed in _place_row(row, grid):
            for column in _covered(placed, row.columns, grid):
                bottom = placed.top + placed.height
                lowest[column] = max(lowest.get(column, bottom), bottom)
        foot = row.top + row.height
        for column in range(columns):
            if column not in lowest:
                pending[column] += row.height
                continue
            holes[column] += pending[column]
            bottoms[column] = max(bottoms[column], lowest[column])
            pending[column] = max(0.0, foot - lowest[column] - LEVEL_LINES * grid.line)
    return [
        (bottom - hole) / height for bottom, hole in zip(bottoms, holes, strict=True)
    ]


def _covered(placed: Placed, columns: int, grid: Grid) -> Iterator[int]:
    """Yield the columns of the page grid a module overlaps by a quarter."""
    width = grid.column_width(grid.columns)
    left = grid.left(placed.column, columns)
    right = left + grid.width(placed.span, columns)
    for column in range(grid.columns):
        start = grid.left(column, grid.columns)
        if min(right, start + width) - max(left, start) >= width / 4:
            yield column
