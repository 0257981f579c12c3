"""The paged HTML: one box per page, each module at its place.

Once makeup has placed the modules (:class:`.types.Placement`), each goes
in its page's box at its place, as wide as its span: a part of a split
text cut at its turns, its picture resized, its paragraphs led, its text's
columns set to the height makeup computed, its header picture opening its
text if makeup chose so (:func:`.html.open_text`).  The engine then
paginates nothing on its own.
"""

from __future__ import annotations

import copy

from lxml import html as lxml_html
from lxml.etree import _Element

from ..layout.contract import FLOW, PICTURE_SELECTOR
from .html import ITEM, Flow, fill_body, open_text, serialise, wrapper_of
from .types import Grid, Placement


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
            wrapper = wrapper_of(piece, placed.span, columns, grid)
            left = grid.left(placed.column, columns)
            wrapper.set(
                "style",
                f"{wrapper.get('style')}; left: {left:.3f}px; top: {placed.top:.3f}px",
            )
            wrapper.set(ITEM, f"{piece.key}@{placed.span}")
            fill_body(
                wrapper, piece.part(*placed.cuts) if placed.cuts else piece.elements
            )
            if placed.above:
                open_text(wrapper)
            if placed.picture is not None:
                _resize_picture(
                    wrapper, placed.picture, placed.crops, placed.picture_width
                )
            if placed.leading:
                _lead(wrapper, placed.leading)
            _set_flow(wrapper, placed.flow)
            box.append(wrapper)
        body.append(box)
    for element in flow.fillers:
        body.append(copy.deepcopy(element))
    return serialise(document)


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


def _resize_picture(
    wrapper: _Element, height: float, crops: bool, width: float | None
) -> None:
    """Give a module's picture its new height: cropped to it, or scaled whole.

    And its new width, if it is narrowed rather than cropped further.  The
    height makeup chose is the picture's, whatever cap the layout sets on it
    for a flowing page (a card's picture at most a band high): capped, the
    picture would end short of its place, and leave a blank under it.
    """
    picture = wrapper.find(PICTURE_SELECTOR)
    if picture is not None:
        fit = "cover" if crops else "contain"
        style = f"{picture.get('style', '')}; height: {height:.3f}px; max-height: none"
        if width is not None:
            style += f"; width: {width:.3f}px; max-width: none"
        picture.set("style", f"{style}; object-fit: {fit}")
