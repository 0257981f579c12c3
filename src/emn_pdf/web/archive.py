"""The archive: every issue's editions built, listed on one page and in a feed.

``emn-pdf archive issues/ -o site/`` builds every edition of every issue
folder for every target into ``site/`` (what is up to date is taken from the
cache, so a new issue costs its own build only), then writes the website's
newsletter page, ``index.html``, with each edition's cover, title, date and
links to its web page and PDFs, newest first, and an Atom feed, ``feed.xml``.
The page is the layout's ``archive.html.j2``, in the same sandbox as the
editions' templates; the feed is written here, as the format says.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree
from PIL import Image

from ..build import build
from ..issue.errors import Problem, UserError
from ..issue.load import load_edition
from ..issue.model import Edition
from ..layout.i18n import load_catalogue
from ..layout.layouts import DEFAULT_LAYOUT, Layout, find_layout
from ..layout.render import render_listing
from ..layout.text import plain_text
from ..machinery.files import atomic_output, read_bounded
from ..machinery.jobs import (
    LANGUAGE_FILE,
    BuildReport,
    checked_base_url,
    edition_files,
)
from ..machinery.workers import DEFAULT_LIMITS, Limits
from . import markup
from .site import Site

ARCHIVE_TEMPLATE = "archive.html.j2"
STYLESHEET = "archive.css"
INDEX, FEED = "index.html", "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def issue_folders(issues_dir: Path) -> list[Path]:
    """Return the issue folders of ``issues_dir``: those holding an edition file."""
    if not issues_dir.is_dir():
        raise UserError(Problem("issues folder not found", file=issues_dir))
    found = [
        folder
        for folder in sorted(issues_dir.iterdir())
        if folder.is_dir()
        and any(LANGUAGE_FILE.match(path.stem) for path in folder.glob("*.yaml"))
    ]
    if not found:
        raise UserError(
            Problem("no issue folder (a folder holding fr.yaml...)", file=issues_dir)
        )
    return found


def archive(
    issues_dir: Path | str,
    out_dir: Path | str = "site",
    *,
    layout: str | None = None,
    base_url: str | None = None,
    language: str | None = None,
    jobs: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    on_built: Callable[[BuildReport], None] | None = None,
) -> list[Path]:
    """Build every issue of ``issues_dir`` into ``out_dir``; write its page and feed.

    ``language`` is the page's (by default the newest issue's first
    edition's); the other options are :func:`emn_pdf.build`'s.  An issue
    that fails does not stop the others; afterwards the problems are raised.
    Returns the page and the feed.
    """
    issues, out = issue_folders(Path(issues_dir)), Path(out_dir)
    online = checked_base_url(base_url)
    problems: list[Problem] = []
    for issue in issues:
        try:
            build(
                issue, target="all", layout=layout, out_dir=out, jobs=jobs,
                limits=limits, base_url=online, on_built=on_built,
            )  # fmt: skip
        except UserError as error:
            problems += error.problems
    if problems:
        raise UserError(problems)
    listed = sorted(
        (_listed(issue, code, path, out) for issue in issues
         for code, path in edition_files(issue).items()),
        key=lambda entry: (entry["date"], entry["issue"]),
        reverse=True,
    )  # fmt: skip
    language = language or str(listed[0]["language"])
    site_layout = find_layout(layout or DEFAULT_LAYOUT)
    written = [out / INDEX, out / FEED, out / STYLESHEET]
    page, css = _index(site_layout, language, listed, online)
    feed = _feed(listed, language, online)
    for path, data in zip(written, [page, feed, css], strict=True):
        with atomic_output(path) as partial:
            partial.write_bytes(data)
    return written[:2]


def _listed(
    issue: Path, language: str, edition_file: Path, out: Path
) -> dict[str, Any]:
    """Return what the page and the feed say of one edition, and where its files are."""
    edition = load_edition(edition_file).edition
    site = Site(issue.resolve().name, None)
    cover = out / site.name(language, "cover")
    with Image.open(cover) as image:
        width, height = image.size
    return {
        "issue": site.issue_id,
        "language": language,
        "date": edition.masthead.date,
        "masthead": edition.masthead,
        "title": _title(edition),
        "summary": ", ".join(
            plain_text(section.heading, language)
            for section in edition.sections
            if section.heading
        ),
        "page": site.name(language, "html"),
        "pdf": site.name(language, "pdf"),
        "print_pdf": site.name(language, "print_pdf"),
        "cover": {
            "src": site.name(language, "cover"),
            "width": width,
            "height": height,
        },
    }


def _title(edition: Edition) -> str:
    """Return an edition's title as a list names it: the newsletter and the issue."""
    masthead = edition.masthead
    language = masthead.language
    parts = [masthead.title, masthead.season]
    if masthead.number is not None:
        number = load_catalogue(language).labels.issue_number
        parts.append(f"{number} {masthead.number}")
    return plain_text(" · ".join(part for part in parts if part), language)


def _index(
    layout: Layout, language: str, listed: list[dict[str, Any]], base_url: str | None
) -> tuple[bytes, bytes]:
    """Return the archive page, refused if its template wrote code, and its CSS."""
    catalogue = load_catalogue(language)
    html = render_listing(
        layout,
        ARCHIVE_TEMPLATE,
        catalogue,
        language,
        {
            "editions": listed,
            "feed": FEED,
            "stylesheet": STYLESHEET,
            "url": base_url,
            "organisation": listed[0]["masthead"].organisation,
        },
    )
    root = markup.parsed(html)
    markup.refuse_code(root, layout.folder / ARCHIVE_TEMPLATE, "archive page")
    variables = layout.theme.variables("html")
    css = [
        ":root {",
        *(f"  {name}: {value};" for name, value in variables.items()),
        "}",
    ]
    css.append(read_bounded(layout.file(STYLESHEET), 1024 * 1024).decode("utf-8"))
    return markup.serialised(root).encode("utf-8"), "\n".join(css).encode("utf-8")


def _feed(listed: list[dict[str, Any]], language: str, base_url: str | None) -> bytes:
    """Return the Atom feed (RFC 4287) of every edition, newest first.

    Identifiers are made from the issue and the language, so an entry keeps
    its identifier from one archive to the next; addresses are absolute with
    ``--base-url``, else relative to the feed (``xml:base`` says to what).
    """
    newest = listed[0]
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set(XML_LANG, language)
    if base_url is not None:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base_url)
    organisation = newest["masthead"].organisation
    _add(feed, "title", f"{organisation} · {newest['masthead'].title}")
    _add(feed, "id", base_url + FEED if base_url else _urn(organisation, FEED))
    _add(feed, "updated", _moment(newest["date"]))
    _add(_add(feed, "author"), "name", organisation)
    _link(feed, FEED, "self", "application/atom+xml")
    _link(feed, INDEX, "alternate", "text/html")
    _add(feed, "generator", "emn-pdf")
    for entry in listed:
        _entry(feed, entry, organisation)
    written: bytes = etree.tostring(
        feed, xml_declaration=True, encoding="utf-8", pretty_print=True
    )
    return written


def _entry(feed: etree._Element, listed: dict[str, Any], organisation: str) -> None:
    """Add one edition to the feed: its title, date, page, PDFs and cover."""
    entry = _add(feed, "entry")
    entry.set(XML_LANG, listed["language"])
    _add(entry, "title", listed["title"])
    _add(entry, "id", _urn(organisation, f"{listed['issue']}/{listed['language']}"))
    _add(entry, "published", _moment(listed["date"]))
    _add(entry, "updated", _moment(listed["date"]))
    _link(entry, listed["page"], "alternate", "text/html", listed["language"])
    _link(entry, listed["pdf"], "enclosure", "application/pdf", listed["language"])
    _link(entry, listed["cover"]["src"], "related", "image/png")
    _add(entry, "summary", listed["summary"] or listed["title"])


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element


def _link(
    parent: etree._Element, href: str, rel: str, kind: str, language: str | None = None
) -> None:
    link = _add(parent, "link")
    link.attrib.update({"rel": rel, "type": kind, "href": href})
    if language is not None:
        link.set("hreflang", language)


def _urn(organisation: str, name: str) -> str:
    """Return a lasting identifier for ``name`` of the organisation's newsletter."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"emn-pdf:{organisation}:{name}").urn


def _moment(day: dt.date) -> str:
    """Return a day as an Atom date: its midnight, UTC."""
    return f"{day.isoformat()}T00:00:00Z"
