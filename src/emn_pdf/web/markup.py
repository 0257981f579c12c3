"""The HTML of a web edition as a browser and a mail client will read it.

The templates write it (escaping all the editor wrote); this module reads
it back: it refuses anything that would run on the organisation's site or
in a reader's mail (a layout's templates may come from a stranger too),
points each picture at its copies, and says what the page links to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html
from lxml.etree import _Element

from ..issue.errors import Problem, UserError

#: Elements that run code, load another document, or send what a reader types.
UNSAFE_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet",
    "base", "form", "portal",
}  # fmt: skip
#: Attributes that hold an address.
ADDRESS_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "background", "cite",
    "data", "xlink:href", "ping",
}  # fmt: skip
#: Schemes an address of the page may have (none: a relative address).
SAFE_SCHEMES = {"", "http", "https", "mailto", "tel", "cid"}
SAFE_DATA = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
#: ``<meta http-equiv>`` values that only describe the document (mrml's).
SAFE_EQUIV = {"content-type", "x-ua-compatible"}


def parsed(html: str) -> _Element:
    """Return the document ``html`` as an element tree."""
    root: _Element = lxml_html.document_fromstring(html)
    return root


def serialised(root: _Element) -> str:
    """Return the document as HTML, with its doctype."""
    text: str = lxml_html.tostring(
        root, doctype="<!DOCTYPE html>", encoding="unicode", method="html"
    )
    return text + "\n"


def refuse_code(root: _Element, template: Path, medium: str) -> None:
    """Refuse markup that would run code or load a page, naming the template.

    The editor's text is escaped before it gets here; this is what a
    layout's template may not write into a ``medium`` (a web page, an
    e-mail) that readers open.
    """
    found = sorted(set(_unsafe(root)))
    if found:
        raise UserError(
            Problem(
                f"template error: the {medium} may not hold {', '.join(found)}:"
                " a layout writes markup, never code",
                file=template,
            )
        )


def _unsafe(root: _Element) -> Iterator[str]:
    """Yield what in the document would run code or load another page."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in UNSAFE_ELEMENTS:
            yield f"<{element.tag}>"
        equiv = element.get("http-equiv")
        if element.tag == "meta" and equiv and equiv.lower() not in SAFE_EQUIV:
            yield f'<meta http-equiv="{equiv}">'
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                yield f"an event attribute ({name})"
            elif not all(_safe_address(address) for address in _addresses(name, value)):
                yield f"the address {value[:40]!r}"


def _addresses(name: str, value: str) -> list[str]:
    """Return the addresses an attribute holds (a ``srcset`` holds several)."""
    if name.lower() == "srcset":
        return [part.split()[0] for part in value.split(",") if part.strip()]
    return [value] if name.lower() in ADDRESS_ATTRIBUTES else []


def _safe_address(address: str) -> bool:
    """Tell whether an address only leads to a page, a picture, a mail or a call."""
    address = address.strip()
    if address.lower().startswith("data:"):
        return address.lower().startswith(SAFE_DATA)
    return urlsplit(address).scheme.lower() in SAFE_SCHEMES


def pictures_in(root: _Element) -> Iterator[_Element]:
    """Yield the document's ``<img>`` elements."""
    yield from root.iter("img")


def in_band(image: _Element) -> bool:
    """Tell whether a picture is a band across the page (``data-band``)."""
    return any("data-band" in ancestor.attrib for ancestor in image.iterancestors())


def links_in(root: _Element) -> list[str]:
    """Return every address the document links to, in order, once each."""
    return list(
        dict.fromkeys(
            anchor.get("href", "").strip()
            for anchor in root.iter("a")
            if anchor.get("href", "").strip()
        )
    )


def drop_attributes(root: _Element, keep: Callable[[str], bool]) -> None:
    """Remove every attribute whose name ``keep`` does not keep."""
    for element in root.iter():
        if isinstance(element.tag, str):
            for name in [name for name in element.attrib if not keep(name)]:
                del element.attrib[name]


#: Runs of the spaces HTML collapses anyway (not the no-break space).
COLLAPSIBLE = re.compile(r"[ \t\r\n]+")


def collapse_spaces(root: _Element) -> None:
    """Write each run of collapsible white space as one space, as it is shown.

    The templates' indentation is bytes a webmail counts before it clips.
    """
    for element in root.iter():
        if element.tag in ("pre", "style", "textarea"):
            continue
        if element.text:
            element.text = COLLAPSIBLE.sub(" ", element.text)
        if element.tail:
            element.tail = COLLAPSIBLE.sub(" ", element.tail)
