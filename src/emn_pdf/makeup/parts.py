"""What a column is built of: atoms, parts, stacks of parts, rows of stacks.

A run of modules is cut into *atoms* (a module, or one flow unit of a long
one: a paragraph), which cannot be cut.  A column holds *parts* (a module, or
a run of its flow units); a *stack* is a column of parts (several columns for
a wide module); a *row* is a band of the page, stacks side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .types import Grid, Module

#: Added to the height of a part of a split article, for rounding.
PART_SAFETY = 1.0


@dataclass(frozen=True)
class Atom:
    """What cannot be cut: a whole module, or one flow unit of a long one."""

    module: Module
    unit: int | None  # None: the whole module


def atoms_of(run: Sequence[Module]) -> list[Atom]:
    """Cut a run into atoms: the flow units of modules that have several."""
    atoms: list[Atom] = []
    for module in run:
        units = len(module.measures[1].boundaries) - 1
        if units > 1:
            atoms.extend(Atom(module, unit) for unit in range(units))
        else:
            atoms.append(Atom(module, None))
    return atoms


def parts_of(atoms: Sequence[Atom]) -> list[Part]:
    """Return the parts a column holding ``atoms`` shows, in order."""
    parts: list[Part] = []
    for atom in atoms:
        extend(parts, atom)
    return parts


def extend(parts: list[Part], atom: Atom) -> None:
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
        height = measure.part_height(start, end) + PART_SAFETY
        part = Part(atom.module, 1, (start, end), height)
    if last is not None:
        parts[-1] = part
    else:
        parts.append(part)


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
        columns are set to the height measured for it.  A part that turns
        inside a paragraph shows it in part: one paragraph, no gap.
        """
        if self.span != 1:
            return 0
        measure = self.module.measures[1]
        start, end = self.units or (0, len(measure.boundaries) - 1)
        if end <= start:
            return 0
        (first, _), (last, within) = measure.cut(start), measure.cut(end)
        return max(last - first - (within == 0), 0)

    @property
    def flow(self) -> float | None:
        """Return the height its text's columns are set to, if it sets them.

        Those of the module's measure, or of its part's side of a turn.
        """
        measure = self.module.measures[self.span]
        if self.units is None or not measure.turns:
            return measure.flow if self.units is None else None
        return measure.turned(*self.units)[1]

    @property
    def picture(self) -> float | None:
        """Return the height of the picture this part may resize, if any."""
        measure = self.module.measures[self.span]
        if measure.picture is None:
            return None
        return measure.picture if not self.units or self.units[0] == 0 else None

    def resizing(self, grid: Grid) -> tuple[float, float]:
        """Return how much its picture may shrink (below zero) and grow, in pixels.

        Within its range; a band never below the least share of its own
        height the crop limits allow (the layout may have cropped it already;
        a column picture shrinks on narrower: :meth:`picture_width`); and a
        picture with text beside it (a card's title beside it across columns,
        a study's cover beside its title) shrinks only until it ends level
        with that text: further, the module would be no shorter, and the page
        would run past its foot.
        """
        picture = self.picture
        if picture is None:
            return 0.0, 0.0
        low, high = grid.range_of(self.module)
        measure = self.module.measures[self.span]
        least = picture * (low - 1)
        if self.module.role == "band" and measure.natural is not None:
            least = min(0.0, max(least, low * measure.natural - picture))
        if measure.level is not None:
            least = max(least, min(0.0, measure.level - picture))
        return least, min(picture * (high - 1), self._sharp_growth(picture))

    def _sharp_growth(self, picture: float) -> float:
        """Return how far its picture may grow before its photograph is soft.

        Taller than its own shape at its box's width, a picture is cropped at
        its sides and its photograph drawn wider in proportion.
        """
        measure = self.module.measures[self.span]
        sharp, natural, width = (
            self.module.sharp_width,
            measure.natural,
            measure.picture_width,
        )
        if sharp is None or natural is None or not width:
            return float("inf")
        return max(0.0, max(natural, sharp * natural / width) - picture)

    def picture_width(self, height: float, grid: Grid) -> float | None:
        """Return the width its picture is narrowed to at ``height``, if it must be.

        A column picture cropped to the least share of its own height the
        crop limits allow is scaled down whole from there, narrower than its
        column, never cropped further (a band is never below that share).
        """
        measure = self.module.measures[self.span]
        if (
            self.module.pictures != "cropped"
            or measure.natural is None
            or measure.picture_width is None
        ):
            return None
        least = grid.range_of(self.module)[0] * measure.natural
        return measure.picture_width * height / least if height < least else None


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


def stack_height(parts: Sequence[Part], grid: Grid) -> float:
    """Return the height of parts one under the other, spaces between them."""
    return sum(part.height for part in parts) + grid.space * max(len(parts) - 1, 0)


def shrink(parts: Sequence[Part], grid: Grid) -> float:
    """Return how much shorter a column may become: its pictures, cropped."""
    return -sum(part.resizing(grid)[0] for part in parts)


def is_closing(row: Row) -> bool:
    """Tell whether a row holds only blocks that close the issue."""
    return all(part.module.closing for stack in row.stacks for part in stack.parts)
