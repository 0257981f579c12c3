"""What page makeup's placement takes and gives: the grid, modules, places.

The placement (:func:`emn_pdf.makeup.place`) is given the page grid the
engine measured and each module measured at each width it may take, with
what the editor wished of it; it returns a :class:`Placement`: pages of
placed modules, each column's fill, and the notes a designer would make.
Lengths are CSS pixels, as the engine gives them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..issue.model import CROP_LIMITS, PictureFit

#: Roles of modules that head what follows them.
KEPT_ROLES = ("heading", "band")


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
    picture_range: tuple[float, float] = CROP_LIMITS.picture
    band_range: tuple[float, float] = CROP_LIMITS.band  # a band may become a strip
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

    def keeps_whole(self, module: Module) -> bool:
        """Tell whether a module is never split: it is shorter than its column.

        A short block spread over the columns of one page reads badly, so it
        goes whole where it fits.  In a one-column grid a split turns the
        page, and a block of any length turns between its lines, as in a
        book (issue 30); the turn's own rules (two lines on each side, none
        after a hyphen, a header with its first lines) still hold.
        """
        measure = module.measures.get(1)
        short = measure is not None and measure.height <= self.height
        return module.columns > 1 and short

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


#: Where a module's text may turn to another column or page: a flow unit
#: (paragraph), and how many of its characters (spaces not counted) come
#: before the turn; 0 at the unit's top.
Cut = tuple[int, int]


@dataclass(frozen=True)
class Measure:
    """A module set at one width: its height, its picture, where it may split.

    ``boundaries`` are where its text may turn (the top of a flow unit, or a
    line inside a paragraph), from its top, then its end; ``cuts`` say, for
    each, which unit and character it is (none given: each is a unit's top).
    ``frame`` is the padding and borders around its text (a tinted panel's)
    that a part of it still shows: above a part that does not start the
    module, below one that does not end it.

    A module whose text is set in columns (a block across the grid) turns
    only to the next page, its header above the first part's columns and
    its closing under the rest's: ``cuts`` are then where its text may
    turn, between its start and its end, and ``turns`` the height of the
    text's columns before and after each of those turns (both balanced);
    ``head`` is the height above its text, and ``shorts`` how far each of
    its columns ends short of their height (the last of balanced columns a
    line or so; a column with nothing in it, all of it).  ``above`` says
    that its header's picture opens its text, its title across above it
    (:func:`.html.open_text`).
    """

    height: float
    picture: float | None = None  # height of the picture makeup may resize
    boundaries: tuple[float, ...] = ()  # where it may turn, then the end
    flow: float | None = None  # the height its text's columns are set to
    level: float | None = None  # its picture's height level with text beside it
    cuts: tuple[Cut, ...] = ()  # one a boundary: unit and characters before it
    beside: float | None = None  # where the text beside its picture ends
    natural: float | None = None  # its picture's height at its width, uncropped
    picture_width: float | None = None  # the width of its picture's box
    frame: tuple[float, float] = (0.0, 0.0)  # padding and borders: above, below
    head: float = 0.0  # above its text set in columns
    turns: tuple[tuple[float, float], ...] = ()  # its columns' heights at each turn
    above: bool = False  # its title above its picture, which opens its text
    shorts: tuple[float, ...] = ()  # how far each of its text's columns ends short

    def blank_beside(self, picture: float | None) -> tuple[float, float] | None:
        """Return the blank its picture leaves beside it, at a height: top, bottom.

        From the module's top, in the columns beside the picture: from where
        their text ends to where the picture does.
        """
        if self.beside is None or self.level is None or self.picture is None:
            return None
        taller = (picture or self.picture) - self.level
        return (self.beside, self.beside + taller) if taller > 0 else None

    def blanks(
        self, span: int, height: float, picture: float | None
    ) -> Iterator[tuple[int, float, float]]:
        """Yield the blanks it leaves in its ``span`` columns, set ``height`` high.

        Each as its column (from its first, 0), top and bottom from its
        top: beside its picture (:meth:`blank_beside`, in the columns after
        the first), and at the foot of its text's columns that end short.
        """
        beside = self.blank_beside(picture)
        if beside is not None:
            for column in range(1, span):
                yield column, *beside
        if self.flow is not None:
            foot = height - (self.height - self.head - self.flow)
            for column, short in enumerate(self.shorts):
                yield column, foot - short, foot

    def part_height(self, start: int, end: int) -> float:
        """Return the height of its part from boundary ``start`` to ``end``."""
        height = self.boundaries[end] - self.boundaries[start]
        above = self.frame[0] if start > 0 else 0.0
        below = self.frame[1] if end < len(self.boundaries) - 1 else 0.0
        return height + above + below

    def turned(self, start: int, end: int) -> tuple[float, float]:
        """Return the height of a part of a text in columns, and of its columns.

        The part from boundary ``start`` to ``end`` of :attr:`cuts`: the
        first holds the header (and the frame's foot), the rest the frame's
        top, and what closes the module under its columns.
        """
        assert self.flow is not None
        if start == 0:
            columns = self.turns[end - 1][0]
            return self.head + columns + self.frame[1], columns
        columns = self.turns[start - 1][1]
        return self.frame[0] + columns + self.height - self.head - self.flow, columns

    def cut(self, index: int) -> Cut:
        """Return the unit and characters boundary ``index`` turns at."""
        return self.cuts[index] if self.cuts else (index, 0)


@dataclass(frozen=True)
class Module:
    """One thing to place, in reading order, with what the editor asked."""

    key: str
    role: str  # "front", "heading" or "block"
    columns: int  # of its section's grid
    measures: dict[int, Measure]  # by span
    span: int | None = None  # fixed span; None: one column, or wider if alone
    least_span: int = 1  # a span makeup set, for its charts' text, may widen
    sharp_width: float | None = None  # its photograph drawn wider is soft
    new_page: bool = False
    keep_with_next: bool = False
    pictures: PictureFit = "cropped"  # or "scaled" down whole, or left "whole"
    closing: bool = False  # it closes the issue (contact, greeting)
    section: int | None = None  # the section it stands in
    movable: bool = False  # makeup may move it later in its section
    date: str | None = None  # an event's first day: events keep date order
    quotes: str | None = None  # a pull quote: the block it quotes, on whose page only

    @property
    def full(self) -> bool:
        """Tell whether the module takes the whole width of its grid."""
        if self.role != "block":
            return True
        return self.span is not None and self.span >= self.columns > 1


def is_spare(module: Module) -> bool:
    """Tell whether a module is set only in a hole: a filler, or a pull quote."""
    return module.role == "spare"


def may_stand_with(spare: Module, keys: set[str]) -> bool:
    """Tell whether a spare may stand on a page of the modules ``keys``.

    A filler may stand on any page; a pull quote only on a page of the
    block it quotes.
    """
    return spare.quotes is None or spare.quotes in keys


@dataclass(frozen=True)
class Placed:
    """A module, or a part of one, at its place on a page."""

    key: str
    span: int
    column: int
    top: float
    height: float
    units: tuple[int, int] | None = None  # the boundaries of a split article
    picture: float | None = None  # the picture's new height
    leading: float = 0.0  # added between its flow units (paragraphs)
    flow: float | None = None  # the height its text's columns are set to
    crops: bool = True  # its picture is cropped to its new height, else scaled
    cuts: tuple[Cut, Cut] | None = None  # where its part of the text starts, ends
    picture_width: float | None = None  # its picture narrowed, not cropped further
    above: bool = False  # its title above its picture, which opens its text


@dataclass(frozen=True)
class Note:
    """What a designer would see on the made-up pages: a preflight finding."""

    code: str
    message: str
    page: int | None  # from 0; None: about the issue, not a page
    key: str | None = None  # the module it is about


@dataclass(frozen=True)
class Move:
    """A block the search moved later in its section, and what that bought."""

    key: str  # the block moved
    after: str  # the module it now follows
    page: int  # from 0: the page whose emptiest column gained most
    before: float  # that column's fill before the move (0-1)
    then: float  # and after it
    pages: tuple[int, int] = (0, 0)  # the pages before the move, and after


@dataclass
class Placement:
    """The pages, each a list of placed modules, and what makeup measured.

    ``short_splits`` and ``lonely_last_page`` are what the search weighs and
    copyfitting asks, ``holes`` what planning a print edition in sheets asks;
    ``notes`` say the same to the editor, in words.
    """

    pages: list[list[Placed]]
    fills: list[list[float]]  # each page's columns, how full (0-1)
    splits: int  # articles split between columns or pages
    notes: list[Note] = field(default_factory=list)
    short_splits: int = 0  # modules split though shorter than a column
    lonely_last_page: bool = False  # the last page of several below its target
    moves: list[Move] = field(default_factory=list)  # blocks moved, in order
    holes: int = 0  # pages but the last with a hole a reader sees (W111)

    def figures(self) -> dict[str, object]:
        """Return the makeup figures a build reports."""
        return {
            "pages": len(self.pages),
            "splits": self.splits,
            "short_splits": self.short_splits,
            "fill": [round(min(columns), 2) for columns in self.fills[:-1]],
            "last_page_fill": round(max(self.fills[-1]), 2),
        }
