"""The HTML side of page makeup: modules out of the flow, galleys, pages.

A layout's template writes the newsletter as one flow of HTML.  The contract
page makeup relies on (``layouts/README.md`` tells designers) is a handful of
attributes:

- ``data-running`` on the elements the page margins show (footers);
- ``data-section`` on each section, with ``data-columns`` when it sets its own
  column count; inside it, ``data-block="<id>"`` on every element of a block
  (a band and its article, a list of briefs, share one id) and nothing else
  but the section's heading; ``data-band`` on a block's band, which makeup
  places across the grid above the article;
- ``data-flow`` on the element whose children may be split between columns
  or pages (an article's paragraphs), for articles longer than a column;
- ``data-filler`` on the designed pages that complete a print edition;
- any other child of ``<body>`` (masthead, editorial) opens page 1.

From that flow this module cuts the modules, writes the *galley* (each module
alone at each width it may take, on galley pages, to be measured) and,
once makeup has placed them, the *paged* HTML: one box per page, each module
at its place, so that the engine paginates nothing on its own.
"""

from __future__ import annotations

import copy
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from math import floor
from typing import Any

from lxml import html as lxml_html
from lxml.etree import _Element

from .errors import Finding
from .ladders import keep_whole, ladder_words
from .makeup import (
    Break,
    Grid,
    Measure,
    Module,
    Placed,
    Placement,
    flow_height,
    place,
)
from .model import BlockBase, Edition, Image, PictureFit, band_picture
from .render import block_position

#: Attributes of the contract (see the module docstring).
RUNNING, SECTION, COLUMNS, BLOCK, BAND, FLOW, FILLER = (
    "data-running",
    "data-section",
    "data-columns",
    "data-block",
    "data-band",
    "data-flow",
    "data-filler",
)
#: Attributes makeup writes for the engine and for preflight; on the
#: elements a split article repeats in each part, which element they are.
ITEM, UNIT, PICTURE = "data-mk", "data-mk-unit", "data-mk-picture"
#: The break values that keep two boxes in one column.
AVOID_BREAK = ("avoid", "avoid-column")
WHOLE = "data-mk-whole"
#: Kept free at the foot of every page, in CSS pixels: the engine's rounding
#: must never push a module past it, where the engine would add a page.
PAGE_SAFETY = 2.0
#: Added to the height makeup computes for a text's columns: the engine
#: compares positions in floating point.
FLOW_SAFETY = 0.5
#: Added to a block's key for its band, a module of its own.
BAND_SUFFIX = "~band"
#: The galley's page: the layout's width, endless.
GALLEY_PAGE = "mk-galley"
GALLEY_HEIGHT_MM = 5000


@dataclass(frozen=True)
class Piece:
    """One module of the flow: the masthead, a heading, a block."""

    key: str  # "front-0", "s1-heading" or a block id "s1-b0"
    role: str  # "front", "heading" or "block"
    section: int | None
    columns: int | None  # the section's own column count, if it sets one
    elements: tuple[_Element, ...]

    @property
    def units(self) -> int:
        """Return how many parts of its flow may be split apart (0: none)."""
        flow = self._flow(self.elements)
        return 0 if flow is None else len(flow)

    def _flow(self, elements: tuple[_Element, ...]) -> list[_Element] | None:
        for element in elements:
            found = element if element.get(FLOW) is not None else None
            found = found if found is not None else element.find(f".//*[@{FLOW}]")
            if found is not None:
                return [child for child in found if isinstance(child.tag, str)]
        return None

    def part(self, start: int, end: int) -> list[_Element]:
        """Return copies of the elements, with flow units ``start:end`` only.

        A part that does not start the flow loses what comes before it (the
        header); one that does not end it loses what follows (the buttons).
        """
        elements = [copy.deepcopy(element) for element in self.elements]
        units = self._flow(tuple(elements))
        if units is None or (start, end) == (0, len(units)):
            return elements
        container = units[0].getparent()
        for unit in units[:start] + units[end:]:
            container.remove(unit)
        for number, element in enumerate(container.iterancestors()):
            element.set(WHOLE, f"{self.key}/{number}")
        container.set(WHOLE, f"{self.key}/flow")
        kept = []
        for element in elements:
            if container in element.iter():
                _trim_around(element, container, start > 0, end < len(units))
                kept.append(element)
            elif (start == 0 and not kept) or (end == len(units) and kept):
                kept.append(element)
        return kept


def _trim_around(
    root: _Element, container: _Element, before: bool, after: bool
) -> None:
    """Remove what stands before and after ``container`` inside ``root``."""
    node = container
    while node is not root:
        parent = node.getparent()
        siblings = [child for child in parent if child is not node]
        position = list(parent).index(node)
        for sibling in siblings:
            index = list(parent).index(sibling)
            if (before and index < position) or (after and index > position):
                parent.remove(sibling)
                position = list(parent).index(node)
        node = parent


@dataclass(frozen=True)
class Flow:
    """A layout's HTML cut into what stays and what makeup places."""

    document: Any  # the lxml tree of the flow HTML
    running: tuple[_Element, ...]
    pieces: tuple[Piece, ...]
    fillers: tuple[_Element, ...]


def cut(html: str) -> Flow:
    """Return the flow HTML cut into modules (see the module docstring)."""
    document = lxml_html.document_fromstring(html)
    body = document.body
    running: list[_Element] = []
    pieces: list[Piece] = []
    fillers: list[_Element] = []
    for index, child in enumerate(list(body)):
        if not isinstance(child.tag, str):
            continue
        if child.get(RUNNING) is not None:
            running.append(child)
        elif child.get(FILLER) is not None:
            fillers.append(child)
        elif child.get(SECTION) is not None:
            pieces.extend(_section_pieces(child))
        else:
            pieces.append(Piece(f"front-{index}", "front", None, None, (child,)))
        body.remove(child)
    return Flow(document, tuple(running), tuple(pieces), tuple(fillers))


def _section_pieces(section: _Element) -> Iterator[Piece]:
    number = int(section.get(SECTION) or 0)
    columns = int(section.get(COLUMNS)) if section.get(COLUMNS) else None
    blocks: dict[str, list[_Element]] = {}
    heading = []
    for element in _outside_blocks(section):
        if element.get(BLOCK) is not None:
            blocks.setdefault(element.get(BLOCK), []).append(element)
        elif not any(True for _ in element.iterfind(f".//*[@{BLOCK}]")):
            heading.append(element)
    if heading:
        yield Piece(f"s{number}-heading", "heading", number, None, tuple(heading))
    for key, elements in blocks.items():
        if len(elements) > 1 and elements[0].get(BAND) is not None:
            yield Piece(f"{key}{BAND_SUFFIX}", "band", number, columns, (elements[0],))
            elements = elements[1:]
        yield Piece(key, "block", number, columns, tuple(elements))


def _outside_blocks(element: _Element) -> Iterator[_Element]:
    """Yield the blocks of a section and what stands outside them, in order."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.get(BLOCK) is None and child.find(f".//*[@{BLOCK}]") is not None:
            yield from _outside_blocks(child)
        else:
            yield child


def galley_html(
    flow: Flow, grid: Grid, wanted: dict[str, tuple[int, ...]], alone: bool = False
) -> str:
    """Return the galley: each piece alone at each span in ``wanted``.

    Every wrapper is as wide as its span on the page grid, so that the engine
    sets the text exactly as it will on the page; flow units and the picture
    makeup may resize are marked to be found among the boxes.  A text the
    layout sets in columns goes all in the first, to find the least height
    of its columns.  No piece is cut by a galley page: its measure would be
    the height of its last fragment; with ``alone``, each starts a page.
    """
    document = copy.deepcopy(flow.document)
    width = f"{grid.page_width:.3f}px"
    style = lxml_html.fragment_fromstring(
        f"<style>@page {GALLEY_PAGE} {{ size: {width} {GALLEY_HEIGHT_MM}mm; }}"
        f" .mk-galley {{ page: {GALLEY_PAGE}; }}"
        f" .mk-galley > .mk-item {{ break-inside: avoid;"
        f" break-before: {'page' if alone else 'auto'}; }}"
        f" .mk-galley [{FLOW}] {{ column-fill: auto; }}</style>"
    )
    document.head.append(style)
    galley = lxml_html.fragment_fromstring('<div class="mk-galley"></div>')
    for piece in flow.pieces:
        for span in wanted.get(piece.key, ()):
            galley.append(_galley_item(piece, span, grid))
    document.body.append(galley)
    return _serialise(document)


def _galley_item(piece: Piece, span: int, grid: Grid) -> _Element:
    """Return ``piece`` alone at ``span``, marked for its measures to be read."""
    wrapper = _wrapper(piece, span, grid.columns_of(piece.columns), grid)
    wrapper.set(ITEM, f"{piece.key}@{span}")
    _fill(wrapper, piece.elements)
    _mark_units(wrapper)
    return wrapper


def _wrapper(piece: Piece, span: int, columns: int, grid: Grid) -> _Element:
    wrapper = lxml_html.fragment_fromstring("<div></div>")
    wrapper.set("class", f"mk-item mk-{piece.role}")
    wrapper.set("data-span", str(span))
    wrapper.set("data-grid", str(columns))
    wrapper.set("style", f"width: {grid.width(span, columns):.3f}px")
    return wrapper


def _fill(wrapper: _Element, elements: Sequence[_Element]) -> None:
    """Put copies of ``elements`` in the wrapper's body, which sets columns."""
    body = lxml_html.fragment_fromstring('<div class="mk-body"></div>')
    for element in elements:
        body.append(copy.deepcopy(element))
    wrapper.append(body)


def _mark_units(wrapper: _Element) -> None:
    flow = wrapper.find(f".//*[@{FLOW}]")
    if flow is not None:
        for index, unit in enumerate(
            child for child in flow if isinstance(child.tag, str)
        ):
            unit.set(UNIT, str(index))
    picture = wrapper.find(".//figure//img")
    if picture is not None:
        picture.set(PICTURE, "")


def paged_html(flow: Flow, grid: Grid, placement: Placement) -> str:
    """Return the final HTML: one box per page, each module at its place."""
    document = copy.deepcopy(flow.document)
    body = document.body
    for element in flow.running:
        body.append(copy.deepcopy(element))
    pieces = {piece.key: piece for piece in flow.pieces}
    for number, page in enumerate(placement.pages):
        box = lxml_html.fragment_fromstring("<div></div>")
        box.set("class", "mk-page")
        height = grid.page_height(number)
        box.set("style", f"height: {height:.3f}px")
        for placed in page:
            piece = pieces[placed.key]
            columns = grid.columns_of(piece.columns)
            wrapper = _wrapper(piece, placed.span, columns, grid)
            left = grid.left(placed.column, columns)
            wrapper.set(
                "style",
                f"{wrapper.get('style')}; left: {left:.3f}px; top: {placed.top:.3f}px",
            )
            wrapper.set(ITEM, f"{piece.key}@{placed.span}")
            _fill(
                wrapper, piece.part(*placed.units) if placed.units else piece.elements
            )
            if placed.picture is not None:
                _resize_picture(wrapper, placed.picture, placed.crops)
            if placed.leading:
                _lead(wrapper, placed.leading)
            _set_flow(wrapper, placed.flow)
            box.append(wrapper)
        body.append(box)
    for element in flow.fillers:
        body.append(copy.deepcopy(element))
    return _serialise(document)


def _serialise(document: Any) -> str:
    return str(
        lxml_html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")
    )


def _set_flow(wrapper: _Element, height: float | None) -> None:
    """Set the columns of a module's text to ``height``, filled one by one."""
    flow = wrapper.find(f".//*[@{FLOW}]")
    if height is not None and flow is not None:
        style = flow.get("style", "")
        flow.set("style", f"{style}; height: {height:.3f}px; column-fill: auto")


def _lead(wrapper: _Element, leading: float) -> None:
    """Add ``leading`` above every flow unit but the first: vertical justification."""
    flow = wrapper.find(f".//*[@{FLOW}]")
    units = (
        [child for child in flow if isinstance(child.tag, str)]
        if flow is not None
        else []
    )
    for unit in units[1:]:
        style = unit.get("style", "")
        unit.set("style", f"{style}; padding-top: {leading:.3f}px")


def _resize_picture(wrapper: _Element, height: float, crops: bool) -> None:
    """Give a module's picture its new height: cropped to it, or scaled whole."""
    picture = wrapper.find(".//figure//img")
    if picture is not None:
        fit = "cover" if crops else "contain"
        style = picture.get("style", "")
        picture.set("style", f"{style}; height: {height:.3f}px; object-fit: {fit}")


# -- Reading what the engine measured ---------------------------------------


def probe_html(flow: Flow) -> str:
    """Return two empty pages and a line of text, to measure the page grid."""
    document = copy.deepcopy(flow.document)
    probe = lxml_html.fragment_fromstring(
        '<div><div class="mk-page"><div class="mk-probe"></div>'
        '<p class="mk-probe-line">x</p></div><div class="mk-page"></div></div>'
    )
    for element in probe:
        document.body.append(element)
    return _serialise(document)


def read_grid(document: Any, columns: int, **options: Any) -> Grid:
    """Return the page grid the engine laid the probe out on."""
    first, second = (page._page_box for page in document.pages[:2])
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


def _first_box(root: Any, css_class: str) -> Any:
    for box in _descendants(root):
        element = box.element
        if element is not None and css_class in (element.get("class") or "").split():
            return box
    raise LookupError(css_class)


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def read_galley(document: Any) -> Iterator[tuple[tuple[str, int], Any]]:
    """Yield the piece key and span of each item of a laid-out galley, and its box."""
    for page in document.pages:
        for box in _items(page._page_box, placed=False):
            key, span = box.element.get(ITEM).rsplit("@", 1)
            yield (key, int(span)), box


def _marked(box: Any, attribute: str) -> bool:
    """Tell whether ``box`` is an element's own box and the element has ``attribute``.

    An element also has anonymous boxes, and each of its columns has one.
    """
    element = box.element
    return (
        element is not None
        and box.element_tag == element.tag
        and element.get(attribute) is not None
    )


def _items(page_box: Any, placed: bool) -> Iterator[Any]:
    """Yield the boxes of the pieces on a page: of the galley, or placed."""
    for box in _descendants(page_box):
        if _marked(box, ITEM) and (box.style["position"] == "absolute") == placed:
            yield box


def _text_columns(wrapper: Any) -> Any | None:
    """Return the box of a module's text, if the layout sets it in columns."""
    text = next((box for box in _descendants(wrapper) if _marked(box, FLOW)), None)
    columns = [] if text is None else text.children
    return text if columns and getattr(columns[0], "is_column", False) else None


def _overflows(text: Any) -> bool:
    """Tell whether the engine set a text in more columns than it asks."""
    return text is not None and len(text.children) > _column_count(text)


def _column_count(text: Any) -> int:
    """Return how many columns the engine sets a text in, by its own rule."""
    from weasyprint.layout.percent import percentage  # loaded in workers only

    style = text.style
    count, width = style["column_count"], style["column_width"]
    if width == "auto":
        return int(count)
    gap: float = (
        style["font_size"]
        if style["column_gap"] == "normal"
        else percentage(style["column_gap"], style, text.width)
    )
    fitting = max(1, floor((text.width + gap) / (width + gap)))
    return int(fitting if count == "auto" else min(int(count), fitting))


def _least_columns_height(text: Any) -> float:
    """Return the least height of a text's columns.

    The galley sets the text in its first column only (``column-fill:
    auto`` on an endless page); the page will show it in all its columns,
    filled one after the other at that height (see :func:`_set_flow`): what
    the engine would do balancing them, without its trials.
    """
    column = text.children[0]
    children = [child for child in column.children if child.is_in_normal_flow()]
    top = column.content_box_y()
    length = max(
        (child.position_y + child.margin_height() - top for child in children),
        default=0.0,
    )
    breaks = [
        replace(each, end=each.end - top, start=each.start - top)
        for each in _breaks(column)
    ]
    return flow_height(breaks, length, _column_count(text))


def _breaks(box: Any) -> Iterator[Break]:
    """Yield where a column may end inside ``box``, and where the next begins.

    Between lines, as ``orphans`` and ``widows`` allow; between blocks, as
    ``break-before`` and ``break-after`` allow; never inside a box that
    avoids breaks.  Margins count in full, at a column's foot and head: the
    engine fills columns as if it kept them.
    """
    from weasyprint.formatting_structure import boxes  # loaded in workers only

    avoid = AVOID_BREAK
    if box.style["break_inside"] in avoid:
        return
    children = [child for child in box.children if child.is_in_normal_flow()]
    if children and all(isinstance(child, boxes.LineBox) for child in children):
        orphans, widows = max(box.style["orphans"], 1), max(box.style["widows"], 1)
        for kept in range(orphans, len(children) - widows + 1):
            line, following = children[kept - 1], children[kept]
            end = line.position_y + line.height
            yield Break(end, following.position_y, id(box), kept, max(orphans, widows))
        return
    for child, following in pairwise([*children, None]):
        if isinstance(child, boxes.BlockContainerBox):
            yield from _breaks(child)
        if following is not None and not (
            child.style["break_after"] in avoid
            or following.style["break_before"] in avoid
        ):
            yield Break(child.position_y + child.margin_height(), following.position_y)


def _measure(wrapper: Any) -> Measure:
    top = wrapper.position_y
    height = wrapper.border_height()
    units: dict[int, float] = {}
    kept: set[int] = set()
    picture = level = None
    for box in _descendants(wrapper):
        if _marked(box, UNIT):
            unit = int(box.element.get(UNIT))
            units.setdefault(unit, box.position_y - top)
            kept |= _kept_units(box, unit)
        if _marked(box, PICTURE) and picture is None:
            picture, level = box.height, _level(box, wrapper)
    boundaries = (0.0, *(units[i] for i in sorted(units) if i > 0), height)
    text = _text_columns(wrapper)
    if text is None:
        if len(units) <= 1:
            return Measure(height, picture, (), None, level)
        return Measure(height, picture, boundaries, None, level, frozenset(kept))
    flow = _least_columns_height(text) + FLOW_SAFETY
    return Measure(height - text.height + flow, picture, (), flow, level)


def _kept_units(box: Any, unit: int) -> set[int]:
    """Return the flow units a column may not start with, by ``box``'s breaks.

    An interview's question (``break-after: avoid``) keeps its answer with
    it: the unit after it may not start a column.
    """
    kept = set()
    if box.style["break_after"] in AVOID_BREAK:
        kept.add(unit + 1)
    if box.style["break_before"] in AVOID_BREAK:
        kept.add(unit)
    return kept


def _level(picture: Any, wrapper: Any) -> float | None:
    """Return the picture's height at which it ends level with text beside it.

    ``None`` if no text is beside it.  Its figure (the picture and its
    caption) is then as tall as the boxes that start beside it, from the
    highest to the lowest, however they are aligned to it.
    """
    figure = next(
        box
        for box in _descendants(wrapper)
        if box.element_tag == "figure" and picture in _descendants(box)
    )
    right = figure.position_x + figure.margin_width()
    bottom = figure.position_y + figure.margin_height()
    beside = [
        box
        for box in _descendants(wrapper)
        if box.element is not None
        and box.position_x >= right
        and box.position_y < bottom
    ]
    if not beside:
        return None
    text = max(box.position_y + box.margin_height() for box in beside) - min(
        box.position_y for box in beside
    )
    return float(picture.height - figure.margin_height() + text)


# -- Makeup from end to end -------------------------------------------------

#: Lays HTML out and returns the engine's document.
Render = Callable[[str], Any]


@dataclass(frozen=True)
class MadeUp:
    """The paged HTML makeup wrote, and what it decided."""

    html: str
    placement: Placement
    renders: int
    seconds: float  # measuring and placing, the final render not counted
    fillers: int = 0  # designed pages after the made-up ones

    def length(self) -> tuple[int, float]:
        """Return the pages placed, and how full the last of them is (0-1)."""
        return len(self.placement.pages), max(self.placement.fills[-1])

    def figures(self) -> dict[str, object]:
        """Return what makeup decided and what it cost, as a build reports it."""
        return {
            **self.placement.figures(),
            "renders": self.renders + 1,
            "seconds": round(self.seconds, 2),
        }

    def findings(self, document: Any) -> list[Finding]:
        """Return what a designer would see on the pages, and the figures.

        ``document`` is what the engine made of the paged HTML: more pages
        than makeup placed means a module ran past its page, and a module
        taller there than its place runs over the one below.
        """
        figures = self.figures()
        placed = len(self.placement.pages) + self.fillers
        overflow = [
            Finding(
                "E112",
                f"the engine made {len(document.pages)} pages of the {placed}"
                " makeup placed: a module ran past the foot of its page (a defect"
                " of emn-pdf; please report it with the issue folder)",
            )
        ] * (len(document.pages) != placed)
        overflow += overruns(document, self.placement)
        summary = ", ".join(f"{name} {value}" for name, value in figures.items())
        return (
            [
                Finding(
                    note.code,
                    note.message,
                    page=note.page + 1,
                    block=note.key.removesuffix(BAND_SUFFIX) if note.key else None,
                )
                for note in self.placement.notes
            ]
            + overflow
            + [Finding("I110", f"page makeup: {summary}", figures=figures)]
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
    made_up = zip(document.pages, placement.pages, strict=False)
    for number, (page, placed) in enumerate(made_up):
        waiting = list(placed)
        for wrapper in _items(page._page_box, placed=True):
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
                if _overflows(_text_columns(wrapper))
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


def _content_bottom(wrapper: Any) -> float:
    """Return where the lowest line or picture of a module ends."""
    from weasyprint.formatting_structure import boxes  # loaded in workers only

    return max(
        (
            float(box.position_y + box.height)
            for box in _descendants(wrapper)
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox))
        ),
        default=float(wrapper.position_y),
    )


def make_up(
    html: str, edition: Edition, columns: int, render: Render, context: str
) -> MadeUp:
    """Return ``html`` made up into pages: probe, galley, place, paginate.

    ``context`` is a digest of everything but the HTML that the engine's
    measures depend on (stylesheets, fonts, pictures, settings, target): what
    was measured in the same context is not measured again.
    """
    started = time.perf_counter()
    flow = cut(html)
    grid, probed = _grid(flow, columns, render, context)
    wishes = {piece.key: _wish(piece, edition, grid) for piece in flow.pieces}
    wanted = _wanted_spans(flow.pieces, wishes)
    measures, galleys, ladders = _measures(flow, grid, wanted, render, context)
    for _ in range(LADDER_ROUNDS):  # marked words may make a ladder further on
        if not sum(keep_whole(p.elements, ladders[p.key]) for p in flow.pieces):
            break
        measures, more, ladders = _measures(flow, grid, wanted, render, context)
        galleys += more
    modules = [
        replace(wishes[piece.key], measures=measures.get(piece.key, {}))
        for piece in flow.pieces
    ]
    placement = place(modules, grid)
    paged = paged_html(flow, grid, placement)
    seconds = time.perf_counter() - started
    return MadeUp(paged, placement, probed + galleys, seconds, len(flow.fillers))


#: What the engine measured in this process, by the digest of what it
#: depends on: a rebuild (``watch``, a copyfit trial at settings tried
#: before) measures only the blocks that changed.  Emptied when full.
_GRIDS: dict[str, Grid] = {}
_MEASURED: dict[str, Measure] = {}
#: The words to keep whole against a ladder, by the same digests.
_LADDERS: dict[str, set[str]] = {}
#: How many times a module's ladders are undone and it is measured again.
LADDER_ROUNDS = 3
MEASURES_KEPT = 20_000


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _grid(flow: Flow, columns: int, render: Render, context: str) -> tuple[Grid, int]:
    """Return the page grid, and how many renders it took to measure it."""
    probe = probe_html(flow)
    key = _digest(context, str(columns), probe)
    if key in _GRIDS:
        return _GRIDS[key], 0
    grid = _GRIDS[key] = read_grid(render(probe), columns)
    return grid, 1


def _measures(
    flow: Flow,
    grid: Grid,
    wanted: dict[str, tuple[int, ...]],
    render: Render,
    context: str,
) -> tuple[dict[str, dict[int, Measure]], int, dict[str, set[str]]]:
    """Return each piece's measures by span, the renders they took, ladders.

    ``ladders``: the words each piece must keep whole so that no more than
    two of its lines in a row end hyphenated (:mod:`ladders`).  Only the
    pieces not measured before in this context go to the galley.
    """
    keys = {
        (piece.key, span): _digest(
            context,
            repr(grid),
            lxml_html.tostring(_galley_item(piece, span, grid), encoding="unicode"),
        )
        for piece in flow.pieces
        for span in wanted.get(piece.key, ())
    }
    missing: dict[str, tuple[int, ...]] = {}
    for (key, span), digest in keys.items():
        if digest not in _MEASURED:
            missing[key] = (*missing.get(key, ()), span)
    renders = 0
    if missing:
        if len(_MEASURED) > MEASURES_KEPT:
            _MEASURED.clear()
            _LADDERS.clear()
        cut = _keep_measures(render(galley_html(flow, grid, missing)), keys)
        renders = 1
        if cut:
            _keep_measures(render(galley_html(flow, grid, cut, alone=True)), keys)
            renders = 2
    measures: dict[str, dict[int, Measure]] = {}
    ladders: dict[str, set[str]] = {piece.key: set() for piece in flow.pieces}
    for (key, span), digest in keys.items():
        if digest in _MEASURED:
            measures.setdefault(key, {})[span] = _MEASURED[digest]
            ladders[key] |= _LADDERS.get(digest, set())
    return measures, renders, ladders


def _keep_measures(
    document: Any, keys: dict[tuple[str, int], str]
) -> dict[str, tuple[int, ...]]:
    """Keep the measures of a laid-out galley; return the items to measure again.

    A text in columns at the foot of a galley page goes on in its next column,
    not on the next page as a block does (columns fragment it first): its
    measure would be short.  Those are measured again, each on a page.
    """
    cut: dict[str, tuple[int, ...]] = {}
    for (key, span), box in read_galley(document):
        text = _text_columns(box)
        if text is not None and len(text.children) > 1:
            cut[key] = (*cut.get(key, ()), span)
        else:
            _MEASURED[keys[key, span]] = _measure(box)
            _LADDERS[keys[key, span]] = ladder_words(box)
    return cut


def _wish(piece: Piece, edition: Edition, grid: Grid) -> Module:
    """Return the module of ``piece``, with what the editor and its kind ask.

    A band is a module of its own across the grid, kept with its article,
    which stands in the columns under it.
    """
    columns = grid.columns_of(piece.columns)
    if piece.role not in ("block", "band"):
        return Module(piece.key, piece.role, grid.columns, {})
    block = _block(edition, piece.key.removesuffix(BAND_SUFFIX))
    if block is None:
        return Module(piece.key, piece.role, columns, {})
    band = band_picture(block)
    pictures: list[Image]
    if piece.role == "band":
        pictures = [band] if band else []
    else:
        pictures = [image for image in _block_images(block) if image is not band]
    never = any(image.crop == "never" for image in pictures)
    fit: PictureFit = "whole" if never else block.pictures
    banded = band is not None
    if piece.role == "band":
        return Module(
            piece.key,
            "band",
            columns,
            {},
            new_page=block.new_page,
            keep_with_next=True,
            pictures=fit,
        )
    span = (
        None if block.span is None else columns if block.span == "page" else block.span
    )
    if block.full_width:
        span = columns
    return Module(
        piece.key,
        "block",
        columns,
        {},
        span=None if span is None else min(span, columns),
        new_page=block.new_page and not banded,
        keep_with_next=block.keep_with_next,
        pictures=fit,
        closing=block.closing,
    )


def _block(edition: Edition, key: str) -> BlockBase | None:
    """Return the block a ``data-block`` names, if it names one of the edition's."""
    position = block_position(key)
    try:
        return edition.sections[position[0]].blocks[position[1]] if position else None
    except IndexError:
        return None


def _block_images(block: Any) -> list[Image]:
    return [
        value
        for name in type(block).model_fields
        if isinstance(value := getattr(block, name), Image)
    ]


def _wanted_spans(
    pieces: Sequence[Piece], wishes: dict[str, Module]
) -> dict[str, tuple[int, ...]]:
    """Return the spans to measure each piece at: those it may take.

    A module of a section's columns may take any number of them: makeup's
    search tries each (see :func:`emn_pdf.makeup.place`).  Measures across
    columns cost no more than in one (see :func:`_least_columns_height`).
    """
    return {
        piece.key: (
            (min(wish.span or wish.columns, wish.columns),)
            if wish.full
            else tuple(range(1, wish.columns + 1))
        )
        for piece in pieces
        for wish in [wishes[piece.key]]
    }
