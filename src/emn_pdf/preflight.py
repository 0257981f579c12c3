"""Checks on the laid-out pages, as a printer's preflight makes them.

This is the one module that reads WeasyPrint's laid-out boxes
(``page._page_box``, private API that WeasyPrint's own tests rely on), so that
an engine upgrade touches one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

#: Below this, a picture looks soft on paper.
PRINT_DPI = 300
CSS_PX_PER_INCH = 96


@dataclass(frozen=True)
class PlacedImage:
    """A raster picture as laid out: its source, page and effective resolution."""

    source: str
    page: int
    dpi: float


def placed_images(document: Document) -> Iterator[PlacedImage]:
    """Yield every raster picture of the document with its printed resolution."""
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            image = getattr(box, "replacement", None)
            pixels = getattr(image, "width", None)
            if not isinstance(box, boxes.ReplacedBox) or not pixels or not box.width:
                continue  # SVG pictures have no pixels and print sharp
            source = box.element.get("src", "") if box.element is not None else ""
            inches = box.width / CSS_PX_PER_INCH
            yield PlacedImage(source, number, pixels / inches)


def low_resolution_images(document: Document) -> list[str]:
    """Return a warning for each raster picture printed below 300 dpi."""
    return [
        f"{_name(image.source)} is printed at {image.dpi:.0f} dpi on page "
        f"{image.page}, below {PRINT_DPI} dpi: it will look soft on paper"
        for image in placed_images(document)
        if image.dpi < PRINT_DPI
    ]


def _name(source: str) -> str:
    return unquote(urlsplit(source).path) or "an image"
