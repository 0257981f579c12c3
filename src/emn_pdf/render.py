"""An edition and a layout to one HTML document.

This stage knows nothing of WeasyPrint, so the HTML can be tested (and diffed
against golden files) on its own.  Templates get the edition, the language's
labels and a few filters; all wording and measure stay in the layout and the
catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, TemplateError
from markupsafe import Markup

from .errors import Problem, UserError
from .i18n import Catalogue, format_date_range, format_day, format_month
from .layouts import Layout, Target, template_environment
from .model import ADDRESS, DateRange, Edition
from .text import markdown_to_html, typeset, typographic

ENTRY_TEMPLATE = "issue.html.j2"


@dataclass(frozen=True)
class Page:
    """What the HTML is for: its target, and blank pages to design for binding."""

    target: Target = "web"
    fill_pages: int = 0


DEFAULT_PAGE = Page()


def render_html(
    edition: Edition,
    layout: Layout,
    catalogue: Catalogue,
    language: str,
    page: Page = DEFAULT_PAGE,
) -> str:
    """Return the whole newsletter as an HTML string.

    ``page.target`` lets templates swap link buttons for QR codes in print;
    ``page.fill_pages`` asks for that many designed pages at the end (the
    last one a back page) so that a print edition binds in sheets of four.
    """
    environment = template_environment(layout)
    _add_filters(environment, language, catalogue.locale)
    try:
        template = environment.get_template(ENTRY_TEMPLATE)
        return template.render(
            edition=edition,
            masthead=edition.masthead,
            labels=catalogue.labels,
            catalogue=catalogue,
            target=page.target,
            fill_pages=page.fill_pages,
        )
    except TemplateError as error:
        raise UserError(_template_problem(layout, error)) from None


def _add_filters(environment: Environment, language: str, locale: str) -> None:
    """Give templates the text transforms, bound to the edition's language.

    ``typo`` is for every text the editor wrote, ``typo_plain`` for the same
    in attributes and ``<title>``, ``markdown`` for bodies.
    """
    environment.filters.update(
        markdown=lambda source: markdown_to_html(source, language),
        typo=lambda text: typeset(text, language),
        typo_plain=lambda text: typographic(text, language),
        day=lambda day: format_day(day, locale),
        month=lambda day: format_month(day, locale),
        when=lambda when: format_when(when, locale),
        css_string=css_string,
        short_url=short_url,
        qr=qr_code,
    )


def format_when(when: dt.date | DateRange, locale: str) -> str:
    """Return a day or a span of days as the locale writes it."""
    if isinstance(when, DateRange):
        return format_date_range(when.start, when.end, locale)
    return format_day(when, locale)


def short_url(url: str, limit: int | None = None) -> str:
    """Return an address as people read it: no scheme, no final slash.

    With a ``limit``, a long address keeps its host and the end of its path,
    the most telling parts (a file name), around an ellipsis.
    """
    short = re.sub(r"^(https?://(www\.)?|mailto:)", "", url).rstrip("/")
    if limit is None or len(short) <= limit:
        return short
    host, _, path = short.partition("/")
    last = path.rsplit("/", 1)[-1]
    room = max(limit - len(host) - 3, 8)
    if len(last) > room:
        last = last[: room - 1] + "…"
    return f"{host}/…/{last}"


def qr_code(address: str) -> Markup:
    """Return ``address`` as an inline SVG QR code, for paper that cannot click."""
    code = segno.make(address, error="l", boost_error=True)
    return Markup(code.svg_inline(scale=1, border=0, omitsize=True, svgclass="qr"))


def link_descriptions(edition: Edition) -> dict[str, str]:
    """Say where each link leads, for screen readers: its item and address.

    The description is the title of the nearest item holding the link (a
    brief, else its block) and the address as people say it.
    """
    descriptions: dict[str, str] = {}
    for section in edition.sections:
        for block in section.blocks:
            data = block.model_dump(mode="json")
            for title, address in _titled_addresses(data, block.kind):
                descriptions.setdefault(address, f"{title} ({short_url(address)})")
    return descriptions


def _titled_addresses(data: Any, title: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        title = data.get("title") or data.get("text") or title
        for key, value in data.items():
            if key == "email" and value:
                yield title, f"mailto:{value}"
            else:
                yield from _titled_addresses(value, title)
    elif isinstance(data, list):
        for item in data:
            yield from _titled_addresses(item, title)
    elif isinstance(data, str):
        yield from ((title, address) for address in ADDRESS.findall(data))


def css_string(text: str) -> Markup:
    """Quote ``text`` as a CSS string that cannot end its rule or its ``<style>``."""
    escaped = re.sub(r'[\\"<>\n\r\f]', lambda m: f"\\{ord(m[0]):x} ", text)
    return Markup(f'"{escaped}"')


def _template_problem(layout: Layout, error: TemplateError) -> Problem:
    """Locate a template error in the template file, not in Jinja's code.

    Syntax errors carry their file and line; errors raised while rendering
    (an unknown variable) are found in the traceback, whose template frames
    Jinja rewrites to the template's own file and line.
    """
    file = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    for frame, frame_line in traceback.walk_tb(error.__traceback__):
        if Path(frame.f_code.co_filename).is_relative_to(layout.folder):
            file, line = frame.f_code.co_filename, frame_line
    return Problem(
        f"template error: {error.message}",
        file=Path(file) if file else layout.folder,
        line=line,
    )
