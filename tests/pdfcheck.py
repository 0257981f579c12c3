"""Read a PDF the way its user sees it: text, links, fonts, metadata.

One place for PDF inspection, so that tests say what they check and not how
pypdf and pdfium are driven.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdf
import pypdfium2 as pdfium

MM = 72 / 25.4
#: The page body ends this far above the bottom edge; below is the footer.
FOOTER_HEIGHT = 18 * MM


def page_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


def body_text(path: Path) -> str:
    """Text of every page without the running footer, pages joined in order."""
    document = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in document:
            width, height = page.get_size()
            texts.append(
                page.get_textpage().get_text_bounded(0, FOOTER_HEIGHT, width, height)
            )
        return "\n".join(texts)
    finally:
        document.close()


def page_texts(path: Path) -> list[str]:
    """Whole text of each page, footer included."""
    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def normalise(text: str) -> str:
    """Fold text to its letters and digits, so that layout does not matter.

    Line breaks, hyphenation, quotes, dashes, case and compatibility forms
    (the superscript in "6ᵉ") are what typesetting changes; words are not.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def link_uris(path: Path) -> list[str]:
    """Every URI of a link annotation, page by page, in order."""
    uris = []
    for page in pypdf.PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    return uris


def fonts(path: Path) -> dict[str, bool]:
    """Base font names used on the pages, with whether each is embedded."""
    found: dict[str, bool] = {}
    for page in pypdf.PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            embedded = font["/Subtype"] == "/Type3" or (
                descriptor is not None
                and any(
                    key in descriptor.get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
            )
            found[name] = found.get(name, True) and embedded
    return found


def metadata(path: Path) -> dict[str, str]:
    reader = pypdf.PdfReader(path)
    info = {
        key.lstrip("/"): str(value) for key, value in (reader.metadata or {}).items()
    }
    info["Lang"] = str(reader.trailer["/Root"].get("/Lang", ""))
    return info
