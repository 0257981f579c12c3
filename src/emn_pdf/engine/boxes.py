"""The one reader of WeasyPrint's laid-out boxes: makeup, preflight and tagging ask it.

What the engine laid out is a tree of boxes under each page's private
``_page_box``, of classes in ``weasyprint.formatting_structure.boxes`` (private
API that WeasyPrint's own tests rely on).  This module is the only one that
reaches for them: it hands out the page boxes, walks the tree, says what kind
of box a box is, and repeats the engine's own rules where makeup must know
them (how many columns a text takes).  A WeasyPrint upgrade that moves them
touches this file.  Geometry (``position_y``, ``height``, ``margin_height()``,
``style``) is read off the boxes it gives, as WeasyPrint's tests do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from math import floor
from typing import Any, TypeVar

from weasyprint.formatting_structure import boxes
from weasyprint.layout.percent import percentage

#: A laid-out box of the engine (untyped: WeasyPrint has no type hints).
Box = Any
T = TypeVar("T")


def page_boxes(document: Any) -> list[Box]:
    """Return the root box of each page of a laid-out document, in order."""
    return [page._page_box for page in document.pages]


def walk(
    box: Box, context: T, inherit: Callable[[Box, T], T]
) -> Iterator[tuple[Box, T]]:
    """Yield ``box`` and every box below it, depth first, each with its context.

    ``inherit`` gives a box's context from the box and its parent's context:
    what a box inherits from those above it (its block, its column's edge).
    """
    context = inherit(box, context)
    yield box, context
    for child in getattr(box, "children", ()):
        yield from walk(child, context, inherit)


def descendants(box: Box) -> Iterator[Box]:
    """Yield ``box`` and every box below it, depth first."""
    for each, _ in walk(box, None, _nothing):
        yield each


def _nothing(box: Box, context: None) -> None:
    return None


def frame(root: Box, target: Box) -> tuple[float, float]:
    """Return the padding and borders above and below ``target`` inside ``root``.

    Those of ``target`` and of the boxes between it and ``root`` (``root``'s
    own left out): what a part of ``target``'s content, cut from the rest,
    still shows above and below it.
    """
    for box, path in walk(root, (), _path):
        if box is target:
            inside: tuple[Box, ...] = path[1:]
            top = sum(each.padding_top + each.border_top_width for each in inside)
            bottom = sum(
                each.padding_bottom + each.border_bottom_width for each in inside
            )
            return float(top), float(bottom)
    return 0.0, 0.0


def _path(box: Box, above: tuple[Box, ...]) -> tuple[Box, ...]:
    return (*above, box)


def in_flow(box: Box) -> list[Box]:
    """Return the children of ``box`` in the normal flow (not floated, not placed)."""
    return [child for child in box.children if child.is_in_normal_flow()]


def own_box(box: Box, attribute: str) -> bool:
    """Tell whether ``box`` is an element's own box and the element has ``attribute``.

    An element also has anonymous boxes, and each of its columns has one.
    """
    element = box.element
    return (
        element is not None
        and box.element_tag == element.tag
        and element.get(attribute) is not None
    )


def is_line(box: Box) -> bool:
    """Tell whether ``box`` is a line of text."""
    return isinstance(box, boxes.LineBox)


def is_text(box: Box) -> bool:
    """Tell whether ``box`` is a run of text inside a line."""
    return isinstance(box, boxes.TextBox)


def is_picture(box: Box) -> bool:
    """Tell whether ``box`` is a replaced element: a picture, an SVG."""
    return isinstance(box, boxes.ReplacedBox)


def natural_height(picture: Box) -> float | None:
    """Return a picture's height at its box's width, in its own shape.

    What a crop is measured against: the engine's intrinsic ratio (an SVG's
    view box), ``None`` for a picture that has none.
    """
    ratio = picture.replacement.get_intrinsic_size(1, picture.style["font_size"])[2]
    return float(picture.width / ratio) if ratio else None


def is_block(box: Box) -> bool:
    """Tell whether ``box`` holds blocks or lines: a paragraph, a section, a column."""
    return isinstance(box, boxes.BlockContainerBox) and not is_line(box)


def is_margin(box: Box) -> bool:
    """Tell whether ``box`` is a page-margin box (a running header or footer)."""
    return isinstance(box, boxes.MarginBox)


def is_column(box: Box) -> bool:
    """Tell whether ``box`` is one column of a multi-column element."""
    return bool(getattr(box, "is_column", False))


def text_children(box: Box) -> Iterator[Box]:
    """Yield the text boxes directly in ``box`` or in its lines, in order."""
    for child in getattr(box, "children", ()):
        lines = child.children if is_line(child) else [child]
        yield from (each for each in lines if is_text(each))


def line_text(line: Box) -> str:
    """Return the text a line of text shows, its runs joined."""
    return "".join(box.text for box in descendants(line) if is_text(box))


def column_count(text: Box) -> int:
    """Return how many columns the engine sets a text in, by its own rule."""
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
