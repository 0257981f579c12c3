"""Finishing: pages stretched to their foot, then read off as places and fills.

Every page but the last grows to its foot (pictures within their range,
spaces between modules, leading between paragraphs); a page holding more
than its height gives the same way.  Then each module's place is read off,
each column's fill measured, and what a designer would note (a short module
split, a page under its fill target) is said.
"""

from __future__ import annotations

from collections.abc import Iterator

from .cost import WEIGHTS, capacity
from .parts import Part, Row, Stack, is_closing, shrink, stack_height
from .types import KEPT_ROLES, Cut, Grid, Module, Note, Placed, Placement


def finish(pages: list[list[Row]], grid: Grid) -> Placement:
    """Return the placement of built pages: stretched, read off, measured, noted."""
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
    short = list(_short_splits(pages, grid))
    lonely = _lonely_last_page(pages, fills)
    notes = [
        *_short_split_notes(short),
        *_hole_notes(pages, grid),
        *_fill_notes(fills, lonely),
    ]
    return Placement(placed_pages, fills, splits, notes, len(short), lonely)


def _short_splits(pages: list[list[Row]], grid: Grid) -> Iterator[tuple[int, str]]:
    """Yield the page and key of each module split though shorter than a column."""
    found: set[str] = set()
    for number, rows in enumerate(pages):
        for row in rows:
            for stack in row.stacks:
                for part in stack.parts:
                    module = part.module
                    whole = module.measures[1].height if 1 in module.measures else 0
                    if part.units and module.key not in found and whole <= grid.height:
                        found.add(module.key)
                        yield number, module.key


def _lonely_last_page(pages: list[list[Row]], fills: list[list[float]]) -> bool:
    """Tell whether the last page of several is below its target.

    It is at least half full, unless it holds the closing blocks under some
    content.
    """
    last = pages[-1]
    closing_under_content = any(map(is_closing, last)) and not all(
        map(is_closing, last)
    )
    lonely = len(pages) > 1 and max(fills[-1]) < WEIGHTS.min_last_fill
    return lonely and not closing_under_content


def _short_split_notes(short: list[tuple[int, str]]) -> Iterator[Note]:
    """Say which modules were split though shorter than a column (W110)."""
    for number, key in short:
        yield Note(
            "W110",
            "split between columns or pages, though shorter than a column",
            number,
            key,
        )


def _fill_notes(fills: list[list[float]], lonely: bool) -> Iterator[Note]:
    """Say whether the last page is lonely (W111, :func:`_lonely_last_page`)."""
    if lonely:
        yield Note(
            "W111",
            f"the last page is only {int(max(fills[-1]) * 100)}% full"
            f" (at least {WEIGHTS.min_last_fill:.0%}, or the closing blocks under"
            " content)",
            len(fills) - 1,
        )


def _hole_notes(pages: list[list[Row]], grid: Grid) -> Iterator[Note]:
    """Say which pages but the last have a hole, as a reader sees it (W111).

    A hole is a blank of ``WEIGHTS.blank`` of the page's height in a column
    of the page grid (beside a module, under one, between two), or under
    the page's lowest module: what ``tests/holes.py`` measures on the
    rendered page.  The note says why no allowed change filled it, naming
    the module that opens the next page.
    """
    for number, rows in enumerate(pages[:-1]):
        height = grid.page_height(number)
        runs, short = blank_runs(rows, height, grid)
        worst = max(runs, default=0.0)
        if max(worst, short) < WEIGHTS.blank:
            continue
        where = (
            f"a blank of {worst:.0%} of the page in column {runs.index(worst) + 1}"
            if worst >= short
            else f"the page ends {short:.0%} of its height short"
        )
        following = pages[number + 1][0].stacks[0].parts[0].module
        yield Note(
            "W111",
            f"{where} (at most {WEIGHTS.blank:.0%}): {_why(following, grid)}",
            number,
            following.key,
        )


def _why(following: Module, grid: Grid) -> str:
    """Say why the module opening the next page did not fill the hole."""
    if following.new_page:
        return "the next page opens where the editor asked (new_page)"
    if following.role == "heading":
        return (
            "the next section's heading and the start of its first block need"
            " more room than is left"
        )
    if following.role == "band":
        return "the next block's band and the start of its text need more room"
    if following.measures.get(1) and following.measures[1].height <= grid.height:
        return (
            "the next block is taller than the room left, and a block shorter"
            " than a column is never split; no block of its section that fits"
            " may move up"
        )
    return "no allowed change fills it"


def blank_runs(rows: list[Row], height: float, grid: Grid) -> tuple[list[float], float]:
    """Return each grid column's longest blank run, and the blank under all.

    Shares of the page's height: the blank under the page's lowest module
    is the second.  Runs are counted from the page's top to its lowest
    module, as a reader sees blanks beside and under modules, whatever
    their rows.
    """
    covered: list[list[tuple[float, float]]] = [[] for _ in range(grid.columns)]
    for row in rows:
        for column, top, bottom in _inked(row, grid):
            covered[column].append((top, bottom))
    lowest = max((end for each in covered for _, end in each), default=0.0)
    runs = [_longest_gap(sorted(each), lowest) / height for each in covered]
    return runs, max(0.0, height - lowest) / height


def _inked(row: Row, grid: Grid) -> Iterator[tuple[int, float, float]]:
    """Yield the stretches of the page grid's columns a row's modules cover.

    Each as its column, top and bottom: a module covers the columns it
    overlaps by a quarter, from its top to its foot, but for the blank its
    picture leaves beside a shorter text (:meth:`.Measure.blank_beside`).
    """
    for placed, blank in _placed_blanks(row, grid):
        bottom = placed.top + placed.height
        for index, column in enumerate(_covered(placed, row.columns, grid)):
            if blank is not None and index > 0:
                yield column, placed.top, placed.top + blank[0]
                yield column, placed.top + blank[1], bottom
            else:
                yield column, placed.top, bottom


def _placed_blanks(
    row: Row, grid: Grid
) -> Iterator[tuple[Placed, tuple[float, float] | None]]:
    """Yield each module of a row as placed, with the blank beside its picture."""
    for stack in row.stacks:
        placed_parts = zip(stack.parts, _place_stack(stack, row, grid), strict=True)
        for part, placed in placed_parts:
            measure = part.module.measures[stack.span]
            blank = (
                measure.blank_beside(placed.picture)
                if stack.span > 1 and part.picture is not None
                else None
            )
            yield placed, blank


def _longest_gap(spans: list[tuple[float, float]], lowest: float) -> float:
    """Return the longest stretch from 0 to ``lowest`` that no span covers."""
    longest = reached = 0.0
    for start, end in spans:
        longest = max(longest, start - reached)
        reached = max(reached, end)
    return max(longest, lowest - reached)


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


def page_give(rows: list[Row], grid: Grid) -> float:
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
        slack = row.height - stack_height(parts, grid)
        return capacity(parts, grid) - slack if grow else slack + shrink(parts, grid)

    return max(0.0, min(room(stack.parts) for stack in row.stacks))


def _place_row(row: Row, grid: Grid) -> Iterator[Placed]:
    for stack in row.stacks:
        yield from _place_stack(stack, row, grid)


def _place_stack(stack: Stack, row: Row, grid: Grid) -> Iterator[Placed]:
    """Place a column's parts, their pictures resized to end at the row's foot.

    Pictures take what is missing or left over first, within their range;
    then the spaces between parts widen, up to the widest space.
    """
    slack = row.height - stack_height(stack.parts, grid)
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
            _cuts(part),
        )
        top += height + grid.space + extra_space


def _cuts(part: Part) -> tuple[Cut, Cut] | None:
    """Return where a part of a split text starts and ends: unit, characters."""
    if part.units is None:
        return None
    measure = part.module.measures[1]
    return measure.cut(part.units[0]), measure.cut(part.units[1])


def _fills(rows: list[Row], height: float, grid: Grid) -> list[float]:
    """Return how much of each column of the page is inked, as a fraction.

    That is how far down it is inked, less the holes above: a row it has no
    module in, the blank under its modules in a row (beyond a line) that
    another row follows, or beside a picture taller than the text beside it.
    A module covers the columns of the page grid it overlaps by a quarter,
    whatever grid its own section sets.
    """
    columns = grid.columns
    bottoms, holes, pending = [0.0] * columns, [0.0] * columns, [0.0] * columns
    for row in rows:
        lowest: dict[int, float] = {}
        for placed, blank in _placed_blanks(row, grid):
            for index, column in enumerate(_covered(placed, row.columns, grid)):
                bottom = placed.top + placed.height
                lowest[column] = max(lowest.get(column, bottom), bottom)
                if blank is not None and index > 0:
                    holes[column] += blank[1] - blank[0]
        foot = row.top + row.height
        for column in range(columns):
            if column not in lowest:
                pending[column] += row.height
                continue
            holes[column] += pending[column]
            bottoms[column] = max(bottoms[column], lowest[column])
            pending[column] = max(
                0.0, foot - lowest[column] - WEIGHTS.level_lines * grid.line
            )
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
