"""An edition and a layout to one HTML document.

This stage knows nothing of WeasyPrint, so the HTML can be tested (and diffed
against golden files) on its own.  Templates get the edition, the language's
labels and a few filters; all wording and measure stay in the layout and the
catalogue.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import textwrap
import traceback
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import segno
from jinja2 import Environment, TemplateError, TemplateNotFound, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .errors import Problem, UserError
from .i18n import (
    Catalogue,
    fill_message,
    format_date_range,
    format_day,
    format_month,
)
from .layouts import DEFAULT_PAGE, Layout, Page, template_environment
from .model import ADDRESS, DateRange, Edition
from .text import markdown_to_html, plain_text, typeset

ENTRY_TEMPLATE = "issue.html.j2"
T = TypeVar("T")


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
    try:
        template = _environment(layout).get_template(ENTRY_TEMPLATE)
        return template.render(
            edition=edition,
            masthead=edition.masthead,
            labels=catalogue.labels,
            catalogue=catalogue,
            language=language,
            modified=modification_date(edition.masthead.date),
            target=page.target,
            fill_pages=page.fill_pages,
        )
    except UserError:
        raise
    except Exception as error:  # a layout's mistake, whatever it raised
        raise UserError(_template_problem(layout, error)) from None


def _environment(layout: Layout) -> Environment:
    """Return the layout's environment (see :func:`_environment_of`)."""
    return _environment_of(layout.folder, layout.ancestors)


@cache
def _environment_of(
    folder: Path, ancestors: tuple[tuple[str, Path], ...]
) -> Environment:
    """Return the layout's environment, made once: templates compile once.

    Jinja reloads a template whose file changed, so a long-lived process
    (``watch``) still sees a designer's edits.
    """
    environment = template_environment(folder, ancestors)
    environment.filters.update(
        markdown=_in_language(markdown_to_html),
        typo=_in_language(typeset),
        typo_plain=_in_language(plain_text),
        day=_in_locale(format_day),
        month=_in_locale(format_month),
        when=_in_locale(format_when),
        short_url=short_url,
        address_lines=address_lines,
        qr=qr_code,
        message=_message,
    )
    return environment


@pass_context
def _message(context: Context, message: str, **values: str) -> str:
    """Fill a catalogue message in: ``labels.published_by|message(publisher=...)``."""
    return fill_message(message, context["catalogue"], **values)


def _in_language(transform: Callable[[str, str], T]) -> Callable[..., T]:
    """Make a filter of ``transform`` for the edition's language.

    ``typo`` is for every text the editor wrote, ``typo_plain`` for the same
    in attributes and ``<title>``, ``markdown`` for bodies.
    """

    @pass_context
    def apply(context: Context, text: str) -> T:
        return transform(text, context["language"])

    return apply


def _in_locale(transform: Callable[[Any, str], str]) -> Callable[..., str]:
    """Make a filter of ``transform`` for the edition's locale (dates)."""

    @pass_context
    def apply(context: Context, value: Any) -> str:
        return transform(value, context["catalogue"].locale)

    return apply


def modification_date(issue_date: dt.date) -> str:
    """Return when the PDF counts as modified, for its metadata.

    The issue date, unless ``SOURCE_DATE_EPOCH`` gives a moment (the
    reproducible-builds convention).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return issue_date.isoformat()
    moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


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


def address_lines(address: str, width: int = 18) -> Markup:
    """Return a short address broken into lines of about ``width`` characters.

    Broken here, preferably after a slash or a dot, rather than by the engine:
    a QR code's caption is laid out again each time columns are balanced, and
    WeasyPrint breaking a long word made the print edition much slower.
    """
    spaced = re.sub(r"(?<=[/.?=_@-])", " ", short_url(address, 48))
    lines = textwrap.wrap(spaced, width, break_long_words=True)
    return Markup("<br>").join(line.replace(" ", "") for line in lines)


@lru_cache(maxsize=1024)
def qr_code(address: str) -> Markup:
    """Return ``address`` as an inline SVG QR code, for paper that cannot click.

    Kept by address in the process: choosing a QR code's mask is most of
    segno's work, and the HTML is rendered again for every copyfit trial and
    every rebuild of ``watch``.
    """
    code = segno.make(address, error="l", boost_error=True)
    return Markup(code.svg_inline(scale=1, border=0, omitsize=True, svgclass="qr-code"))


def link_descriptions(edition: Edition) -> dict[str, str]:
    """Say where each link leads, for screen readers: its item and address.

    The description is the title of the nearest item holding the link (a
    brief, else its block), typeset as the page prints it, and the address as
    people say it.
    """
    language = edition.masthead.language
    descriptions: dict[str, str] = {}
    for section in edition.sections:
        for block in section.blocks:
            data = block.model_dump(mode="json")
            for title, address in _titled_addresses(data, block.kind):
                text = plain_text(title, language)
                descriptions.setdefault(address, f"{text} ({short_url(address)})")
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


def _template_problem(layout: Layout, error: Exception) -> Problem:
    """Locate a template error in the template file, not in Jinja's code.

    Syntax errors carry their file and line; errors raised while rendering
    (an unknown variable, a division by zero, a template extending itself)
    are found in the traceback, whose template frames Jinja rewrites to the
    template's own file and line.
    """
    file = getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    for frame, frame_line in traceback.walk_tb(error.__traceback__):
        frame_file = Path(frame.f_code.co_filename)
        if any(frame_file.is_relative_to(folder) for folder in layout.folders):
            file, line = frame.f_code.co_filename, frame_line
    message = error.message if isinstance(error, TemplateError) else repr(error)
    if isinstance(error, TemplateNotFound):
        searched = ", ".join(str(folder) for folder in layout.folders)
        message = f"no template {error.name!r} inside the layout folders ({searched})"
    return Problem(
        f"template error: {message}",
        file=Path(file) if file else layout.folder,
        line=line,
    )
