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
import traceback
from collections.abc import Callable
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
from .model import (
    Block,
    BlockBase,
    Contact,
    DateRange,
    Edition,
    band_picture,
    titled_addresses,
)
from .text import markdown_to_html, plain_text, typeset

ENTRY_TEMPLATE = "issue.html.j2"
#: The template of a block kind that has none of its own in the layout.
FALLBACK_BLOCK_TEMPLATE = "blocks/block.html.j2"
BLOCK_ID = re.compile(r"s(\d+)-b(\d+)")
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
            block_ids=_block_ids(edition),
            target=page.target,
            fill_pages=page.fill_pages,
            contact_at_back=page.contact_at_back,
        )
    except UserError:
        raise
    except Exception as error:  # a layout's mistake, whatever it raised
        raise UserError(_template_problem(layout, error)) from None


def block_id(section: int, block: int) -> str:
    """Return the name of a block in the HTML (its ``data-block``).

    Templates get it from the ``block_id`` filter; page makeup, preflight
    and the findings' YAML lines read it back with :func:`block_position`.
    """
    return f"s{section}-b{block}"


def block_position(name: str) -> tuple[int, int] | None:
    """Return the section and block a ``data-block`` names, if it names one."""
    match = BLOCK_ID.fullmatch(name)
    return (int(match[1]), int(match[2])) if match else None


def _block_ids(edition: Edition) -> dict[int, str]:
    return {
        id(block): block_id(section_index, block_index)
        for section_index, section in enumerate(edition.sections)
        for block_index, block in enumerate(section.blocks)
    }


@pass_context
def _block_id_of(context: Context, block: object) -> str:
    """Return the block's name: the ``block_id`` filter."""
    return str(context["block_ids"][id(block)])


def _fields(block: BlockBase) -> dict[str, Any]:
    """Return a block's values by name, ``None`` for a missing one: ``fields``.

    For templates that show any kind (the fallback): with ``f = block|fields``,
    ``f.date`` asks whether a block has a date without the error a strict
    template gives ``block.date`` on a kind that has none.
    """
    names = type(block).model_fields
    return _NoneForMissing({name: getattr(block, name) for name in names})


class _NoneForMissing(dict[str, Any]):
    def __missing__(self, key: str) -> None:
        return None


def _block_template(block: Block) -> list[str]:
    """Return the block's template, else the fallback: ``block_template``.

    ``{% include block|block_template %}`` renders any kind, so that a new
    kind needs a template only in a layout that wants a look of its own.
    """
    return [f"blocks/{block.kind}.html.j2", FALLBACK_BLOCK_TEMPLATE]


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
        address_breaks=address_breaks,
        link_caption=link_caption,
        channels=_channels,
        qr=qr_code,
        message=_message,
        block_id=_block_id_of,
        block_template=_block_template,
        band=band_picture,
        fields=_fields,
    )
    return environment


@pass_context
def _channels(context: Context, contact: Contact) -> list[dict[str, Any]]:
    """Return every channel of a contact block, in order: the ``channels`` filter.

    Each is a plain record: ``field`` (its field path in the block, which the
    template writes in ``data-channel`` so that preflight can name a channel
    it cannot see), ``label`` (the catalogue's, or a network's own name),
    ``href`` (the address to link or code, ``None`` for the postal address
    and the opening hours), ``text`` (the address as people read it) and
    ``lines`` (the lines of the postal address).
    """
    labels, networks = context["labels"], context["catalogue"].networks
    names = {account.url: account.name for account in contact.social}
    return [
        {
            "field": channel.field,
            "label": names.get(channel.href or "")
            or networks.get(channel.kind)
            or getattr(labels, channel.kind),
            "href": channel.href,
            "text": short_url(channel.text or ""),
            "lines": (channel.text or "").splitlines(),
        }
        for channel in contact.channels()
    ]


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


#: Where an address may go on to the next line: after these, never inside a word.
ADDRESS_SEPARATORS = re.compile(r"(?<=[/.?&=_@-])(?=.)")
ZERO_WIDTH_SPACE = "\u200b"


def address_breaks(address: str) -> str:
    """Return an address with a line break allowed after each separator.

    A zero-width space after ``/ . @ ? & = _ -`` lets the engine break an
    address where a reader expects it, never inside a word.  A character in
    the text, not a ``<wbr>`` element: an element would cut the link in two
    for the tagged PDF; text extraction drops the zero-width space.
    """
    return ZERO_WIDTH_SPACE.join(ADDRESS_SEPARATORS.split(short_url(address)))


def link_caption(address: str) -> str:
    """Return the short human caption of an address without a label: its host.

    An e-mail address or a phone number is short enough to be written whole.
    """
    if address.startswith(("mailto:", "tel:")):
        return address.partition(":")[2]
    return short_url(address).partition("/")[0]


@lru_cache(maxsize=1024)
def qr_code(address: str) -> Markup:
    """Return ``address`` as an inline SVG QR code, for paper that cannot click.

    Kept by address in the process: choosing a QR code's mask is most of
    segno's work, and the HTML is rendered again for every copyfit trial and
    every rebuild of ``watch``.
    """
    code = segno.make(address, error="l", boost_error=True)
    svg = code.svg_inline(scale=1, border=0, omitsize=True, svgclass="qr-code")
    # Its module count, for the layout's smallest module (--qr-module).
    modules = code.symbol_size(border=0)[0]
    return Markup(svg.replace("<svg ", f'<svg style="--qr-modules: {modules}" ', 1))


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
            for title, address in titled_addresses(block):
                text = plain_text(title or block.kind, language)
                descriptions.setdefault(address, f"{text} ({short_url(address)})")
    return descriptions


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
