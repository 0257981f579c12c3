"""Reading what the engine measured: the page grid, each module's measures.

The probe gives the page grid; the galley, each module at each width: its
height, the top of each flow unit (where it may be split), the picture
makeup may resize, and, for a text the layout sets in columns, the least
height of those columns, found from where the engine may break them
(:func:`.textcolumns.flow_height`).  On the final pages, a module the engine set taller
than its place is reported (:func:`overruns`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..engine.boxes import (
    Box,
    column_count,
    descendants,
    frame,
    in_flow,
    is_column,
    is_line,
    is_picture,
    line_text,
    natural_height,
    own_box,
    page_boxes,
)
from ..issue.errors import Finding
from ..layout.contract import FLOW, OVERLEAF
from ..layout.render import block_position
from .html import BAND_SUFFIX, HEAD, ITEM, PICTURE, UNIT
from .textcolumns import FLOW_SAFETY, MIN_LINES, Galley, galley_column
from .turns import line_ends
from .types import Cut, Grid, Measure, Placed, Placement

#: Kept free at the foot of every page, in CSS pixels: the engine's rounding
#: must never push a module past it, where the engine would add a page.
PAGE_SAFETY = 2.0
#: Values of ``break-*`` that keep boxes together.
AVOID = ("avoid", "avoid-column", "avoid-page")


def read_grid(document: Any, columns: int, **options: Any) -> Grid:
    """Return the page grid the engine laid the probe out on."""
    first, second = page_boxes(document)[:2]
    probe = _first_box(first, "mk-probe")
    line = _first_box(first, "mk-probe-line")
    return Grid(
        page_width=first.margin_width(),
        content_width=first.width,
        first_height=first.height - PAGE_SAFETY,
        height=second.height - PAGE_SAFETY,
        columns=columns,
        gap=probe.width,
        space=probe.height,
        line=line.height,
        **options,
    )


def _first_box(root: Box, css_class: str) -> Box:
    """Return the first box of an element of ``css_class`` under ``root``."""
    for box in descendants(root):
        element = box.element
        if element is not None and css_class in (element.get("class") or "").split():
            return box
    raise LookupError(css_class)


def read_galley(document: Any) -> Iterator[tuple[tuple[str, int], Any]]:
    """Yield the piece key and span of each item of a laid-out galley, and its box."""
    for page in page_boxes(document):
        for box in item_boxes(page, placed=False):
            key, span = box.element.get(ITEM).rsplit("@", 1)
            yield (key, int(span)), box


def item_boxes(page_box: Box, placed: bool) -> Iterator[Box]:
    """Yield the boxes of the pieces on a page: of the galley, or placed."""
    for box in descendants(page_box):
        if own_box(box, ITEM) and (box.style["position"] == "absolute") == placed:
            yield box


def measure_of(wrapper: Box) -> Measure:
    """Return the measure of a module's box on a galley page."""
    top = wrapper.position_y
    height = wrapper.border_height()
    units: dict[int, Box] = {}
    picture = level = beside = natural = width = container = None
    for box in descendants(wrapper):
        if own_box(box, UNIT):
            units.setdefault(int(box.element.get(UNIT)), box)
        if own_box(box, PICTURE) and picture is None:
            picture, (level, beside) = box.height, _level(box, wrapper)
            natural, width = natural_height(box), box.width
        if own_box(box, FLOW) and container is None:
            container = box
    found = galley_text(wrapper, container)
    if found is None:
        rows = container is not None and own_box(container, OVERLEAF)
        ordered = [units[i] for i in sorted(units)]
        boundaries, cuts = _turns(ordered, top, height, rows)
        around = frame(wrapper, container) if boundaries else (0.0, 0.0)
        return Measure(
            height, picture, boundaries, None, level, cuts, beside, natural, width,
            around,
        )  # fmt: skip
    text, galley = found
    flow = galley.least() + FLOW_SAFETY
    head = text.content_box_y() - top
    cuts, turns = _column_turns(galley, [units[i] for i in sorted(units)])
    around = frame(wrapper, text) if turns else (0.0, 0.0)
    height += flow - text.height
    shorts = galley.shorts(flow)
    if wrapper.element.get(HEAD) is not None:
        # its picture opens its text: resized, it would refill the columns
        return Measure(
            height, None, (), flow, None, cuts, None, None, None, around, head,
            turns, above=True, shorts=shorts,
        )  # fmt: skip
    return Measure(
        height, picture, (), flow, level, cuts, beside, natural, width, around,
        head, turns, shorts=shorts,
    )  # fmt: skip


def arranged(measures: Sequence[Measure], span: int) -> Measure:
    """Return the arrangement of a module a designer keeps, of those measured.

    The first has its title beside its picture; a second, if measured, its
    title above and its picture opening its text (:func:`.html.open_text`).
    That one is kept when it is no taller and its longest blank (a column
    of its text ending short) is shorter than the first's (beside a picture
    taller than its title, or under its text's columns): a short text,
    shorter than the picture, keeps its title beside it.
    """
    beside, *others = measures
    if not others:
        return beside
    above = others[0]
    shorter = _longest_blank(above, span) < _longest_blank(beside, span)
    return above if shorter and above.height <= beside.height else beside


def _longest_blank(measure: Measure, span: int) -> float:
    """Return the longest blank a module leaves in one of its ``span`` columns."""
    blanks = measure.blanks(span, measure.height, None)
    return max((bottom - top for _, top, bottom in blanks), default=0.0)


def _turns(
    units: Sequence[Box], top: float, height: float, rows: bool = False
) -> tuple[tuple[float, ...], tuple[Cut, ...]]:
    """Return where a module's text may turn (from its top), and each turn's cut.

    At the top of each flow unit that may follow a break (not after an
    interview's question or a heading kept with what follows, nor, in
    ``rows`` of units such as a contact's channels, beside the unit before
    it), and between the lines of a paragraph (:func:`_line_turns`); none
    for a module whose text never turns.  Cuts are left out when each turn
    is a unit's top.
    """
    turns: list[tuple[float, Cut]] = []
    for index, box in enumerate(units):
        before = units[index - 1]
        beside = rows and box.position_y <= before.position_y + 0.5
        if index and not beside and not _kept_together(before, box):
            turns.append((box.position_y - top, (index, 0)))
        turns.extend(_line_turns(box, index, top))
    if not turns:
        return (), ()
    boundaries = (0.0, *(position for position, _ in turns), height)
    cuts = ((0, 0), *(cut for _, cut in turns), (len(units), 0))
    plain = cuts == tuple((index, 0) for index in range(len(cuts)))
    return boundaries, () if plain else cuts


def _kept_together(box: Box, following: Box) -> bool:
    """Tell whether two flow units may not be parted by a turn."""
    return bool(
        box.style["break_after"] in AVOID or following.style["break_before"] in AVOID
    )


def _line_turns(paragraph: Box, unit: int, top: float) -> Iterator[tuple[float, Cut]]:
    """Yield where a paragraph may turn between its lines, and each turn's cut.

    Only a paragraph (``p``) of lines turns, and only where its lines spell
    its text (:func:`.turns.line_ends`); at least two lines (or the
    paragraph's ``orphans`` and ``widows``) on each side, never after a line
    ending in a hyphen.
    """
    lines = in_flow(paragraph)
    if (
        paragraph.element_tag != "p"
        or not lines
        or not all(map(is_line, lines))
        or paragraph.style["break_inside"] in AVOID
    ):
        return
    ends = line_ends(
        [line_text(line) for line in lines], "".join(paragraph.element.itertext())
    )
    if ends is None:
        return
    orphans = max(paragraph.style["orphans"], MIN_LINES)
    widows = max(paragraph.style["widows"], MIN_LINES)
    for kept in range(orphans, len(lines) - widows + 1):
        characters = ends[kept - 1]
        if characters is not None:
            yield lines[kept].position_y - top, (unit, characters)


def _level(picture: Box, wrapper: Box) -> tuple[float | None, float | None]:
    """Return the picture's height at which it ends level with text beside it.

    ``None`` if no text is beside it.  Its figure (the picture and its
    caption) is then as tall as the boxes that start beside it, from the
    highest to the lowest, however they are aligned to it.  Second, where
    that text ends, from the module's top: a taller picture leaves the
    columns beside it blank from there (a short title beside a tall photo).
    """
    figure = next(
        box
        for box in descendants(wrapper)
        if box.element_tag == "figure" and picture in descendants(box)
    )
    right = figure.position_x + figure.margin_width()
    bottom = figure.position_y + figure.margin_height()
    beside = [
        box
        for box in descendants(wrapper)
        if box.element is not None
        and box.position_x >= right
        and box.position_y < bottom
    ]
    if not beside:
        return None, None
    lowest = max(box.position_y + box.margin_height() for box in beside)
    text = lowest - min(box.position_y for box in beside)
    return (
        float(picture.height - figure.margin_height() + text),
        float(lowest - wrapper.position_y),
    )


def galley_text(wrapper: Box, text: Box | None) -> tuple[Box, Galley] | None:
    """Return a module's text the layout sets in columns, and how the galley set it.

    The text of a block across ``data-span`` columns stands in one of them
    (:func:`.html.galley_html`); one the engine set in columns (another
    module's), all in the first of them.  ``text`` is the module's flow.
    """
    columns = text_columns(wrapper)
    if columns is not None:
        return columns, galley_column(columns.children[0], column_count(columns))
    span = int(wrapper.element.get("data-span"))
    block = "mk-block" in (wrapper.element.get("class") or "").split()
    if text is None or span == 1 or not block:
        return None
    return text, galley_column(text, span)


def text_columns(wrapper: Box) -> Box | None:
    """Return the box of a module's text, if the layout sets it in columns."""
    text = next((box for box in descendants(wrapper) if own_box(box, FLOW)), None)
    columns = [] if text is None else text.children
    return text if columns and is_column(columns[0]) else None


def _overflows(text: Box) -> bool:
    """Tell whether the engine set a text in more columns than it asks."""
    return text is not None and len(text.children) > column_count(text)


def _column_turns(
    galley: Galley, units: Sequence[Box]
) -> tuple[tuple[Cut, ...], tuple[tuple[float, float], ...]]:
    """Return where a text set in columns may turn to the next page, and its heights.

    The turns of a text in one column (:func:`_turns`) that the engine may
    also end a column at, each with the least height of the columns before
    it and after it (:meth:`Galley.turned`); with the cuts of the text's
    start and end around them, as :attr:`.types.Measure.cuts` keeps them.
    """
    boundaries, cuts = _turns(units, galley.top, galley.length)
    kept: list[tuple[Cut, tuple[float, float]]] = []
    for index in range(1, len(boundaries) - 1):
        position = boundaries[index]
        turn = next(
            (each for each in galley.breaks if abs(each.start - position) < 0.01), None
        )
        heights = None if turn is None else galley.turned(turn)
        if heights is not None:
            kept.append((cuts[index] if cuts else (index, 0), heights))
    if not kept:
        return (), ()
    return (
        ((0, 0), *(cut for cut, _ in kept), (len(units), 0)),
        tuple(heights for _, heights in kept),
    )


#: How far, in CSS pixels, the engine may set a module taller than its place.
OVERRUN_SLACK = 2.0


MM_PER_PX = 25.4 / 96


def overruns(document: Any, placement: Placement) -> Iterator[Finding]:
    """Report each module the engine set taller or wider than its place.

    Modules are placed absolutely, so one that runs long does not push the
    next one down: it prints over it, which no page count shows.
    """
    # The designed pages of a print edition come after the made-up ones.
    made_up = zip(page_boxes(document), placement.pages, strict=False)
    for number, (page, placed) in enumerate(made_up):
        waiting = list(placed)
        for wrapper in item_boxes(page, placed=True):
            module = _take(waiting, wrapper.element.get(ITEM))
            if module is None:
                continue  # the engine moved it to another page (E112)
            excess = _content_bottom(wrapper) - wrapper.position_y - module.height
            overrun = (
                f"{excess * MM_PER_PX:.1f} mm taller than its place: it runs over"
                " what is below"
                if excess > OVERRUN_SLACK
                else "wider than its place (its text in one column more): it runs"
                " over what is beside it"
                if _overflows(text_columns(wrapper))
                else None
            )
            if overrun is not None:
                yield Finding(
                    "E113",
                    f"the engine set a module {overrun} (a defect of emn-pdf;"
                    " please report it with the issue folder)",
                    page=number + 1,
                    block=_block_key(module.key),
                )


def _take(modules: list[Placed], item: str) -> Placed | None:
    """Remove and return the first of ``modules`` that a wrapper's item names."""
    for module in modules:
        if f"{module.key}@{module.span}" == item:
            modules.remove(module)
            return module
    return None


def _block_key(key: str) -> str | None:
    """Return the key of the block a module shows, if it shows one."""
    block = key.removesuffix(BAND_SUFFIX)
    return block if block_position(block) else None


def _content_bottom(wrapper: Box) -> float:
    """Return where the lowest line or picture of a module ends."""
    return max(
        (
            float(box.position_y + box.height)
            for box in descendants(wrapper)
            if is_line(box) or is_picture(box)
        ),
        default=float(wrapper.position_y),
    )
