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
from pathlib import Path

from jinja2 import Environment, TemplateError
from markupsafe import Markup

from .errors import Problem, UserError
from .i18n import Catalogue, format_date_range, format_day, format_month
from .layouts import Layout, template_environment
from .model import DateRange, Edition
from .text import markdown_to_html, typeset, typographic

ENTRY_TEMPLATE = "issue.html.j2"


def render_html(
    edition: Edition, layout: Layout, catalogue: Catalogue, language: str
) -> str:
    """Return the whole newsletter as an HTML string."""
    environment = template_environment(layout)
    _add_filters(environment, language, catalogue.locale)
    try:
        template = environment.get_template(ENTRY_TEMPLATE)
        return template.render(
            edition=edition,
            masthead=edition.masthead,
            labels=catalogue.labels,
            catalogue=catalogue,
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
    )


def format_when(when: dt.date | DateRange, locale: str) -> str:
    """Return a day or a span of days as the locale writes it."""
    if isinstance(when, DateRange):
        return format_date_range(when.start, when.end, locale)
    return format_day(when, locale)


def short_url(url: str) -> str:
    """Return a web address as people read it aloud: no scheme, no final slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


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
