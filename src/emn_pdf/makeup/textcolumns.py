"""A text the layout sets in columns, as the galley set it: in one column.

The galley sets such a text (a block across the grid) in its first column
only; the page shows it in all of them, filled one after the other at a
height makeup sets.  From where the engine may end a column (:func:`_breaks`)
this finds that height (:func:`flow_height`), and for a text turned to the
next page, the height of its columns on each side of the turn
(:meth:`Galley.turned`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from ..engine.boxes import Box, descendants, in_flow, is_block, is_line
from .fill import least

#: The least lines of a paragraph on each side of a turn (orphans, widows).
MIN_LINES = 2

#: Added to the height makeup computes for a text's columns: the engine
#: compares positions in floating point.
FLOW_SAFETY = 0.5

#: The break values that keep two boxes in one column.
AVOID_BREAK = ("avoid", "avoid-column")


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


def flow_height(
    breaks: Sequence[Break],
    length: float,
    columns: int,
    start: float = 0.0,
    turns: Sequence[Break] = (),
) -> float:
    """Return the least height of ``columns`` columns that hold a text.

    The engine balances columns by trial, one layout per trial; set to a
    height, it fills them one after the other in one layout.  That height is
    found here from the text set in one column, and the ``breaks`` the
    engine allows in it, in order, measured from its top: of the text from
    ``start`` to ``length``, turned at ``turns`` (:func:`column_breaks`).
    """
    return least(
        lambda height: (
            column_breaks(breaks, length, columns, height, start, turns) is not None
        ),
        (length - start) / columns,
        length - start,
    )


def column_breaks(
    breaks: Sequence[Break],
    length: float,
    columns: int,
    height: float,
    start: float = 0.0,
    turns: Sequence[Break] = (),
) -> list[Break] | None:
    """Return where columns of ``height``, filled one after the other, end.

    Of the text from ``start`` to ``length``; a break too near a turn of
    the text to another page, in its paragraph, is not taken: the engine
    sees the paragraph's lines on this side only.  ``None`` if the text
    does not fit in ``columns`` of them.
    """
    top, last, ends = start, Break(start, start), []
    for _ in range(columns - 1):
        if length - top <= height:
            break
        found = _last_break(breaks, top, min(top + height, length), (last, *turns))
        if found is None:
            break
        last, top = found, found.start
        ends.append(found)
    return ends if length - top <= height else None


def _last_break(
    breaks: Sequence[Break], top: float, bottom: float, turns: Sequence[Break]
) -> Break | None:
    """Return the last break (in order) ending a column from ``top`` to ``bottom``."""
    for index in range(bisect_right(breaks, bottom, key=_end) - 1, -1, -1):
        each = breaks[index]
        if each.start <= top:
            return None
        if not any(_too_near(each, turn) for turn in turns):
            return each
    return None


def _end(each: Break) -> float:
    return each.end


@dataclass(frozen=True)
class Galley:
    """A text the layout sets in columns, as the galley set it: in one column.

    Lengths from the column's top: its ``length``, where a column may end
    and the next begin (``breaks``, in order), and the top of each of its
    lines.  The page shows it in ``columns`` columns filled one after the
    other at a height makeup sets (see ``html._set_flow``): what the engine
    would do balancing them, without its trials.
    """

    top: float
    length: float
    breaks: tuple[Break, ...]
    lines: tuple[float, ...]
    columns: int
    feet: tuple[float, ...] = ()  # where each line ends, in order
    pitch: float = 0.0  # the most usual distance between two lines

    def least(self, start: Break | None = None, end: Break | None = None) -> float:
        """Return the least height of its columns holding its text.

        From the turn at ``start`` to the one at ``end`` (the text before
        and after them is on other pages), or all of it.
        """
        return flow_height(self.breaks, *self._part(start, end))

    def turned(self, turn: Break) -> tuple[float, float] | None:
        """Return the heights of its columns turned at ``turn``: before, after.

        ``None`` if a column on either side would hold fewer than
        ``MIN_LINES`` lines: a header keeps its first lines under it, and
        the text goes on in every column of the next page.
        """
        before, after = self.least(end=turn), self.least(start=turn)
        if not (self._lined(None, turn, before) and self._lined(turn, None, after)):
            return None
        # the first part's columns end at the page's foot, the rest's level
        # but the last, within a line (and the half pixel heights are found
        # to): a column ending short would leave a hole
        pitch = self.pitch + FLOW_SAFETY
        if max(self._short(None, turn, before)) > pitch:
            return None
        if max(self._short(turn, None, after)[:-1], default=0.0) > pitch:
            return None
        return before + FLOW_SAFETY, after + FLOW_SAFETY

    def shorts(self, height: float) -> tuple[float, ...]:
        """Return how far each of its columns, set ``height`` high, ends short."""
        return self._short(None, None, height)

    def _short(
        self, start: Break | None, end: Break | None, height: float
    ) -> tuple[float, ...]:
        """Return how far each column between two turns ends short of ``height``."""
        length, columns, top, turns = self._part(start, end)
        ends = column_breaks(self.breaks, length, columns, height, top, turns) or []
        tops = [top, *(each.start for each in ends)]
        bottoms = [*(each.end for each in ends), length]
        short = [
            height - bottom + first for first, bottom in zip(tops, bottoms, strict=True)
        ]
        return tuple([*short, *[height] * (columns - len(short))])

    def _part(
        self, start: Break | None, end: Break | None
    ) -> tuple[float, int, float, tuple[Break, ...]]:
        """Return the text's length, columns, start and turns between two turns."""
        turns = tuple(turn for turn in (start, end) if turn is not None)
        return (
            self._end(end) if end is not None else self.length,
            self.columns,
            start.start if start is not None else 0.0,
            turns,
        )

    def _end(self, turn: Break) -> float:
        """Return where its text before ``turn`` ends on the page.

        At a unit's top, the last line's foot, if nothing but the unit's
        margin lies under it: the layout keeps no margin under the text's
        last unit (``:last-child { margin-bottom: 0 }``).
        """
        if turn.paragraph is not None:
            return turn.end
        foot = max((each for each in self.feet if each <= turn.end), default=0.0)
        return foot if turn.end - foot < self.pitch else turn.end

    def _lined(self, start: Break | None, end: Break | None, height: float) -> bool:
        """Tell whether each column between two turns holds ``MIN_LINES`` lines."""
        length, columns, top, turns = self._part(start, end)
        ends = column_breaks(self.breaks, length, columns, height, top, turns)
        if ends is None or len(ends) < self.columns - 1:
            return False
        tops = [top, *(each.start for each in ends)]
        bottoms = [*(each.end for each in ends), length]
        return all(
            sum(high - 0.01 <= line < low for line in self.lines) >= MIN_LINES
            for high, low in zip(tops, bottoms, strict=True)
        )


def _too_near(each: Break, turn: Break) -> bool:
    """Tell whether two breaks in one paragraph leave too few lines between them."""
    return (
        each.paragraph is not None
        and each.paragraph == turn.paragraph
        and abs(each.line - turn.line) < each.apart
    )


def galley_column(column: Box, columns: int) -> Galley:
    """Return a text set in ``columns`` columns as the galley set it, in ``column``."""
    top = column.content_box_y()
    length = max(
        (child.position_y + child.margin_height() - top for child in in_flow(column)),
        default=0.0,
    )
    breaks = tuple(
        replace(each, end=each.end - top, start=each.start - top)
        for each in _breaks(column)
    )
    lines = [box for box in descendants(column) if is_line(box)]
    tops = tuple(line.position_y - top for line in lines)
    steps = sorted(b - a for a, b in pairwise(tops) if b > a)
    return Galley(
        top,
        length,
        breaks,
        tops,
        columns,
        tuple(line.position_y + line.height - top for line in lines),
        steps[len(steps) // 2] if steps else 0.0,
    )


def _breaks(box: Box) -> Iterator[Break]:
    """Yield where a column may end inside ``box``, and where the next begins.

    Between lines, as ``orphans`` and ``widows`` allow; between blocks, as
    ``break-before`` and ``break-after`` allow; never inside a box that
    avoids breaks.  Margins count in full, at a column's foot and head: the
    engine fills columns as if it kept them.
    """
    avoid = AVOID_BREAK
    if box.style["break_inside"] in avoid:
        return
    children = in_flow(box)
    if children and all(is_line(child) for child in children):
        orphans, widows = max(box.style["orphans"], 1), max(box.style["widows"], 1)
        for kept in range(orphans, len(children) - widows + 1):
            line, following = children[kept - 1], children[kept]
            end = line.position_y + line.height
            yield Break(end, following.position_y, id(box), kept, max(orphans, widows))
        return
    for child, following in pairwise([*children, None]):
        if is_block(child):
            yield from _breaks(child)
        if following is not None and not (
            child.style["break_after"] in avoid
            or following.style["break_before"] in avoid
        ):
            yield Break(child.position_y + child.margin_height(), following.position_y)
