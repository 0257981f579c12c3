"""A contact sheet: every page of an edition in one picture, as spreads.

A folded newsletter is read as spreads: page 1 alone on the right, then 2 and
3 side by side, 4 and 5, and so on.  One PNG of them is quicker to look over,
and to send round for review, than a PDF.  It is written as every output is:
a failure leaves the previous sheet as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pypdfium2
from PIL import Image

from .machinery.files import atomic_output

PAGE_HEIGHT = 360  # pixels
SPREADS_PER_ROW = 4
GAP = 28
BACKGROUND = "#5b6675"
T = TypeVar("T")


def contact_sheet(pdf: Path, png: Path, page_height: int = PAGE_HEIGHT) -> Path:
    """Write the pages of ``pdf`` as spreads into ``png``; return ``png``."""
    pages = _rendered_pages(pdf, page_height)
    width = pages[0].width
    spreads = _chunks([None, *pages, *([None] if len(pages) % 2 == 0 else [])], 2)
    rows = _chunks(spreads, SPREADS_PER_ROW)
    columns = min(len(spreads), SPREADS_PER_ROW)
    sheet = Image.new(
        "RGB",
        (GAP + columns * (2 * width + GAP), GAP + len(rows) * (page_height + GAP)),
        BACKGROUND,
    )
    for row, spreads_in_row in enumerate(rows):
        for column, spread in enumerate(spreads_in_row):
            left = GAP + column * (2 * width + GAP)
            top = GAP + row * (page_height + GAP)
            for side, page in enumerate(spread):
                if page is not None:
                    sheet.paste(page, (left + side * width, top))
    with atomic_output(png) as partial:
        sheet.save(partial, format="PNG", optimize=True)
    return png


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _rendered_pages(pdf: Path, height: int) -> list[Image.Image]:
    """Render each page trimmed: a print PDF's bleed and crop marks are cut."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [_trimmed(page, height) for page in document]
    finally:
        document.close()


def _trimmed(page: pypdfium2.PdfPage, height: int) -> Image.Image:
    media_left, media_bottom, media_right, media_top = page.get_mediabox()
    left, bottom, right, top = page.get_trimbox()
    crop = (
        left - media_left,
        bottom - media_bottom,
        media_right - right,
        media_top - top,
    )
    bitmap = page.render(scale=height / (top - bottom), crop=crop)
    image: Image.Image = bitmap.to_pil()
    return image.convert("RGB")
