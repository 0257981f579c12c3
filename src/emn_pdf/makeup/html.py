"""The HTML side of page makeup: the flow cut into modules, galleys, pages.

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
- ``data-spares`` on the element holding the issue's filler blocks (each
  with its ``data-block``), which makeup sets only where a hole remains;
- any other child of ``<body>`` (masthead, editorial) opens page 1.

From that flow this module cuts the modules, writes the *probe* (to measure
the page grid), the *galley* (each module alone at each width it may take,
on galley pages, to be measured); once makeup has placed them, ``paged``
writes the pages.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html
from lxml.etree import _Element

from ..layout.contract import (
    BAND,
    BLOCK,
    CHART_CLASS,
    COLUMNS,
    FILLER,
    FLOW,
    HEAD_PICTURE,
    OVERLEAF,
    PICTURE_SELECTOR,
    RUNNING,
    SECTION,
    SPARES,
)
from .turns import drop_first, keep_first
from .types import Cut, Grid

#: Attributes makeup writes for the engine and for preflight; on the
#: elements a split article repeats in each part, which element they are.
ITEM, UNIT, PICTURE = "data-mk", "data-mk-unit", "data-mk-picture"
WHOLE = "data-mk-whole"
#: On a module whose header picture opens its text (:func:`open_text`).
HEAD = "data-mk-head"
#: On a paragraph turned between its lines: "head" (its first lines, ending a
#: column), "tail" (the rest, opening the next), or both.
TURN = "data-mk-turn"


#: Added to a block's key for its band, a module of its own.
BAND_SUFFIX = "~band"


#: The galley's page: the layout's width, endless.
GALLEY_PAGE = "mk-galley"


GALLEY_HEIGHT_MM = 5000


@dataclass(frozen=True)
class Piece:
    """One module of the flow: the masthead, a heading, a block."""

    key: str  # "front-0", "s1-heading", a block id "s1-b0" or a filler's "f0"
    role: str  # "front", "heading", "block", "band" or "spare" (a filler)
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

    def part(self, start: Cut, end: Cut) -> list[_Element]:
        """Return copies of the elements, with their flow from ``start`` to ``end``.

        A part that does not start the flow loses what comes before it (the
        header); one that does not end it loses what follows (the buttons).
        A turn inside a paragraph shows the paragraph's lines on its side
        (:func:`_turn`).
        """
        elements = [copy.deepcopy(element) for element in self.elements]
        units = self._flow(tuple(elements))
        (first, dropped), (last, kept) = start, end
        if units is None or (start, end) == ((0, 0), (len(units), 0)):
            return elements
        container = units[0].getparent()
        for unit in units[:first] + units[last + (kept > 0) :]:
            container.remove(unit)
        if kept:
            _turn(units[last], f"{self.key}/{last}", "head", kept)
        if dropped:
            _turn(units[first], f"{self.key}/{first}", "tail", dropped)
        for number, element in enumerate(container.iterancestors()):
            element.set(WHOLE, f"{self.key}/{number}")
        container.set(WHOLE, f"{self.key}/flow")
        before, after = start != (0, 0), end != (len(units), 0)
        kept_elements = []
        for element in elements:
            if container in element.iter():
                _trim_around(element, container, before, after)
                kept_elements.append(element)
            elif (not before and not kept_elements) or (not after and kept_elements):
                kept_elements.append(element)
        return kept_elements


def _turn(paragraph: _Element, whole: str, side: str, count: int) -> None:
    """Keep one side of a paragraph turned after its ``count``-th character.

    Each element of it says which element of the whole it is, so that the
    two sides are one paragraph (and one link) for readers (see
    ``engine.tagging``); ``TURN`` tells the layout's CSS which side it is.
    """
    for number, element in enumerate(paragraph.iter()):
        element.set(WHOLE, f"{whole}/{number}")
    paragraph.set(TURN, f"{paragraph.get(TURN, '')} {side}".strip())
    if side == "head":
        keep_first(paragraph, count)
    else:
        drop_first(paragraph, count)


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
        elif child.get(SPARES) is not None:
            pieces.extend(
                Piece(element.get(BLOCK), "spare", None, None, (element,))
                for element in child
                if isinstance(element.tag, str) and element.get(BLOCK) is not None
            )
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


def probe_html(flow: Flow) -> str:
    """Return two empty pages and a line of text, to measure the page grid."""
    document = copy.deepcopy(flow.document)
    probe = lxml_html.fragment_fromstring(
        '<div><div class="mk-page"><div class="mk-probe"></div>'
        '<p class="mk-probe-line">x</p></div><div class="mk-page"></div></div>'
    )
    for element in probe:
        document.body.append(element)
    return serialise(document)


def galley_html(
    flow: Flow, grid: Grid, wanted: dict[str, tuple[int, ...]], alone: bool = False
) -> str:
    """Return the galley: each piece alone at each span in ``wanted``.

    Every wrapper is as wide as its span on the page grid, so that the engine
    sets the text exactly as it will on the page; flow units and the picture
    makeup may resize are marked to be found among the boxes.  A text the
    layout sets in columns stands in one of them, to find the least height
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
        f" .mk-galley [{FLOW}] {{ column-fill: auto; }}"
        f"{_texts_in_one_column(grid, wanted)}</style>"
    )
    document.head.append(style)
    galley = lxml_html.fragment_fromstring('<div class="mk-galley"></div>')
    for piece in flow.pieces:
        for span in wanted.get(piece.key, ()):
            galley.extend(galley_items(piece, span, grid))
    document.body.append(galley)
    return serialise(document)


def _texts_in_one_column(grid: Grid, wanted: dict[str, tuple[int, ...]]) -> str:
    """Return the galley's rules setting each block's text in one of its columns.

    The layout sets the text of a block across ``data-span`` columns in that
    many columns, the grid's gap apart (``layouts/README.md``).  The engine
    lays columns out twice, a trial then the real one (upstream
    ``layout/column.py``), a block once: in one column as wide as one of
    them, its text breaks into the same lines, where the galley reads them
    (:func:`.measure.galley_text`): a fifth of the sample's galley saved.
    """
    spans = sorted({span for spans in wanted.values() for span in spans if span > 1})
    return "".join(
        f' .mk-galley > .mk-block[data-span="{span}"] [{FLOW}] {{ columns: auto;'
        f" display: flow-root; width: calc((100% - {(span - 1) * grid.gap!r}px)"
        f" / {span}); }}"
        for span in spans
    )


def galley_items(piece: Piece, span: int, grid: Grid) -> list[_Element]:
    """Return ``piece`` alone at ``span``, marked for its measures to be read.

    Set across columns, a block whose header has a picture is measured
    twice: its title beside the picture, and above it, the picture opening
    its text (:func:`open_text`); makeup keeps the one a designer would
    (:func:`.measure.arranged`).
    """
    items = [_galley_item(piece, span, grid)]
    if span > 1:
        above = _galley_item(piece, span, grid)
        if open_text(above):
            items.append(above)
    return items


def _galley_item(piece: Piece, span: int, grid: Grid) -> _Element:
    wrapper = wrapper_of(piece, span, grid.columns_of(piece.columns), grid)
    wrapper.set(ITEM, f"{piece.key}@{span}")
    fill_body(wrapper, piece.elements)
    _mark_units(wrapper)
    return wrapper


def open_text(wrapper: _Element) -> bool:
    """Move a module's header picture to open its text; tell whether it moved.

    Its title then stands across the module's columns, and its text runs
    beside and under the picture in the first of them: no blank is left
    beside a picture taller than a short title.  A chart stays across the
    columns its labels need.  The picture is no flow unit: the text's units
    keep their numbers, and so do its turns.
    """
    picture = wrapper.find(HEAD_PICTURE)
    flow = wrapper.find(f".//*[@{FLOW}]")
    if picture is None or flow is None or _is_chart(picture):
        return False
    flow.insert(0, picture)
    wrapper.set(HEAD, "above")
    return True


def go_overleaf(elements: Sequence[_Element]) -> int:
    """Let a block taller than a page go on overleaf: its ``data-overleaf`` flows.

    A contact of many channels on a small page is kept whole by any other
    means only by losing channels off the page's foot.  Return how many
    elements were given ``data-flow``.
    """
    found = [
        each
        for element in elements
        for each in element.xpath(f"descendant-or-self::*[@{OVERLEAF}]")
        if each.get(FLOW) is None
    ]
    for each in found:
        each.set(FLOW, "")
    return len(found)


def _is_chart(figure: _Element) -> bool:
    """Tell whether a figure holds a chart, whose text needs its width."""
    return CHART_CLASS in (figure.get("class") or "").split()


def wrapper_of(piece: Piece, span: int, columns: int, grid: Grid) -> _Element:
    """Return the box a module stands in, as wide as ``span`` columns of the grid."""
    wrapper = lxml_html.fragment_fromstring("<div></div>")
    wrapper.set("class", f"mk-item mk-{piece.role}")
    wrapper.set("data-span", str(span))
    wrapper.set("data-grid", str(columns))
    wrapper.set("style", f"width: {grid.width(span, columns):.3f}px")
    return wrapper


def fill_body(wrapper: _Element, elements: Sequence[_Element]) -> None:
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
    picture = wrapper.find(PICTURE_SELECTOR)
    if picture is not None:
        picture.set(PICTURE, "")


def serialise(document: Any) -> str:
    """Return a document as the HTML the engine lays out."""
    return str(
        lxml_html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")
    )
