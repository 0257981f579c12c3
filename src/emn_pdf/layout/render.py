"""An edition and a layout to one HTML document.

This stage knows nothing of WeasyPrint, so the HTML can be tested (and diffed
against golden files) on its own.  Templates get the edition, the language's
labels and a few filters; all wording and measure stay in the layout and the
catalogue.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import re
import traceback
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar, cast

from jinja2 import Environment, Template, TemplateError, TemplateNotFound, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..issue.errors import DeadlineExceeded, Problem, UserError
from ..issue.model import BAND_FITS, Edition, titled_addresses
from ..machinery.workers import memory_ceiling
from .contract import quote_id
from .fillers import filler_plan
from .i18n import (
    Catalogue,
    fill_message,
    format_date_range,
    format_day,
    format_month,
)
from .layouts import DEFAULT_PAGE, Layout, Page, package_data, template_environment
from .plain import Fields, Record, fields_of, plain
from .text import markdown_to_html, plain_text, typeset, typeset_heading

ENTRY_TEMPLATE = "issue.html.j2"
#: The template of a block kind that has none of its own in the layout.
FALLBACK_BLOCK_TEMPLATE = "blocks/block.html.j2"
BLOCK_ID = re.compile(r"s(\d+)-b(\d+)")
FILLER_ID = re.compile(r"f(\d+)")
T = TypeVar("T")
#: The memory a layout's templates may take to render an edition (a real
#: newsletter's take a few megabytes): a template bomb fails, not the machine.
TEMPLATE_MEMORY = 256 * 1024**2
MEMORY_MESSAGE = "the templates took more than 256 MiB of memory"
#: The most HTML the templates may write (a 100-page newsletter: about 2 MB).
MAX_HTML_CHARS = 50_000_000
OUTPUT_MESSAGE = f"the templates wrote more than {MAX_HTML_CHARS:,} characters"
#: The context's entry for the filters alone: not a name a template can say.
STATE = "emn-pdf state"


def render_html(
    edition: Edition,
    layout: Layout,
    catalogue: Catalogue,
    language: str,
    page: Page = DEFAULT_PAGE,
    entry: str = ENTRY_TEMPLATE,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Return the whole newsletter as an HTML string.

    ``page.target`` lets templates swap link buttons for QR codes in print;
    ``page.fill_pages`` asks for that many designed pages at the end (the
    last one a back page) so that a print edition binds in sheets of four.
    ``entry`` is the template rendered (the web page and the e-mail have
    their own), ``extra`` what it is handed besides the edition.
    Templates get plain data (:mod:`emn_pdf.layout.plain`), never the models.
    """

    def context() -> dict[str, Any]:
        cells = layout.theme.filler_cells
        values = template_context(edition, catalogue, language, page, cells)
        values.update(plain(dict(extra or {})))
        return values

    return _rendered_in(layout, entry, context)


def render_listing(
    layout: Layout,
    entry: str,
    catalogue: Catalogue,
    language: str,
    values: Mapping[str, Any],
) -> str:
    """Return a layout's template that shows no one edition (the archive page).

    It is handed ``values`` (plain data), the wording of ``language`` and
    the filters, in the same sandbox as the editions' templates.
    """

    def context() -> dict[str, Any]:
        return {
            "labels": plain(catalogue.labels),
            "catalogue": plain(catalogue.model_dump(exclude={"contractions"})),
            "language": language,
            STATE: _State(catalogue, {}),
            **plain(dict(values)),
        }

    return _rendered_in(layout, entry, context)


def _rendered_in(
    layout: Layout, entry: str, context: Callable[[], dict[str, Any]]
) -> str:
    """Render the layout's template ``entry``; any mistake is located in it."""
    try:
        template = _environment(layout).get_template(entry)
        with memory_ceiling(TEMPLATE_MEMORY):
            return _rendered(template, context())
    except DeadlineExceeded as error:
        if _foreign_frames(layout, error):  # rang inside a template of outside
            raise UserError(_template_problem(layout, error)) from None
        raise  # the edition's time: our templates take none to speak of
    except UserError:
        raise
    except Exception as error:  # a layout's mistake, whatever it raised
        raise UserError(_template_problem(layout, error)) from None


def _rendered(template: Template, context: dict[str, Any]) -> str:
    """Render ``template``, refusing more than :data:`MAX_HTML_CHARS` of output.

    The refusal is thrown into the template where it writes, so that its
    traceback, hence the message, names the template's line; so are the
    deadline's alarm and the memory ceiling when they strike here, between
    two pieces.
    """
    pieces, size = [], 0
    stream = cast(Generator[str, None, None], template.generate(context))
    try:
        for piece in stream:
            size += len(piece)
            if size > MAX_HTML_CHARS:
                stream.throw(TemplateTooLarge(OUTPUT_MESSAGE))
            pieces.append(piece)
    except (DeadlineExceeded, MemoryError) as error:
        if inspect.getgeneratorstate(stream) == inspect.GEN_CLOSED:  # located
            raise
        pieces.clear()
        stream.throw(error)  # raised here, between two pieces: locate it
    return "".join(pieces)


class TemplateTooLarge(Exception):
    """A template wrote or took far more than any newsletter needs."""


def template_context(
    edition: Edition,
    catalogue: Catalogue,
    language: str,
    page: Page,
    filler_cells: int,
) -> dict[str, Any]:
    """Return what templates get (``layouts/README.md``, "The context").

    ``filler_cells`` is how many links or dates a filler page lists (the
    theme's ``filler`` grid).  What only the filters read sits under
    :data:`STATE`, a name no template can write: the catalogue's
    contractions, the blocks' names.
    """
    data = plain(edition)
    return {
        "edition": data,
        "masthead": data.masthead,
        "labels": plain(catalogue.labels),
        "catalogue": plain(catalogue.model_dump(exclude={"contractions"})),
        "language": language,
        "modified": modification_date(edition.masthead.date),
        "target": page.target,
        "fill_pages": page.fill_pages,
        "filler_pages": plain(
            filler_plan(edition, page.fill_pages - 1, filler_cells).pages
        ),
        "contact_at_back": page.contact_at_back,
        STATE: _State(catalogue, _block_ids(data), tuple(edition.names)),
    }


@dataclass(frozen=True)
class _State:
    """What the filters know of a rendering and templates never see."""

    catalogue: Catalogue
    block_ids: dict[int, str]
    names: tuple[str, ...] = ()


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


def _block_ids(edition: Record) -> dict[int, str]:
    ids = {
        id(block): block_id(section_index, block_index)
        for section_index, section in enumerate(edition.sections)
        for block_index, block in enumerate(section.blocks)
    }
    fillers = getattr(edition, "fillers", None) or []
    return ids | {id(block): filler_id(index) for index, block in enumerate(fillers)}


def filler_id(index: int) -> str:
    """Return the name of the issue's filler block ``index`` in the HTML."""
    return f"f{index}"


def filler_position(name: str) -> int | None:
    """Return which filler a ``data-block`` names, if it names one."""
    match = FILLER_ID.fullmatch(name)
    return int(match.group(1)) if match else None


@pass_context
def _pull_quotes(context: Context, edition: Record) -> list[Record]:
    """Return the pull quotes the editor marked: the ``pull_quotes`` filter.

    Each is a record: ``id`` (its ``data-block``), ``text`` and ``block``
    (the name of the block it quotes), in reading order.
    """
    ids: dict[int, str] = context[STATE].block_ids
    return [
        Record(id=quote_id(ids[id(block)]), text=quote, block=ids[id(block)])
        for section in edition.sections
        for block in section.blocks
        if (quote := getattr(block, "pull_quote", None))
    ]


@pass_context
def _block_id_of(context: Context, block: object) -> str:
    """Return the block's name: the ``block_id`` filter."""
    state: _State = context[STATE]
    return state.block_ids[id(block)]


def _fields(block: Record) -> Fields:
    """Return a block's values by name, ``None`` for a missing one: ``fields``.

    For templates that show any kind (the fallback): with ``f = block|fields``,
    ``f.date`` asks whether a block has a date without the error a strict
    template gives ``block.date`` on a kind that has none.
    """
    return fields_of(block)


def _block_template(block: Record) -> list[str]:
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
        markdown=_with_names(markdown_to_html),
        typo=_with_names(typeset),
        typo_heading=_with_names(typeset_heading),
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
        pull_quotes=_pull_quotes,
        block_template=_block_template,
        band=_band,
        fields=_fields,
    )
    return environment


@pass_context
def _channels(context: Context, contact: Record) -> list[Record]:
    """Return every channel of a contact block, in order: the ``channels`` filter.

    Each is a record: ``field`` (its field path in the block, which the
    template writes in ``data-channel`` so that preflight can name a channel
    it cannot see), ``label`` (the catalogue's, or a network's own name),
    ``href`` (the address to link or code, ``None`` for the postal address
    and the opening hours), ``text`` (the address as people read it) and
    ``lines`` (the lines of the postal address).
    """
    catalogue: Catalogue = context[STATE].catalogue
    names = {account.url: account.name for account in contact.social}
    return [
        Record(
            field=channel.field,
            label=names.get(channel.href or "")
            or catalogue.networks.get(channel.kind)
            or getattr(catalogue.labels, channel.kind),
            href=channel.href,
            text=_unbroken(channel.text or "")
            if channel.kind == "phone"
            else short_url(channel.text or ""),
            lines=(channel.text or "").splitlines(),
        )
        for channel in contact.channels
    ]


#: A phone number's spaces and hyphens, and the characters that keep its line.
UNBREAKABLE = str.maketrans({" ": "\u00a0", "-": "\u2011"})


def _unbroken(phone: str) -> str:
    """Return a phone number that no line breaks: read and dialled whole."""
    return phone.translate(UNBREAKABLE)


@pass_context
def _message(context: Context, message: str, **values: str) -> str:
    """Fill a catalogue message in: ``labels.published_by|message(publisher=...)``."""
    return fill_message(message, context[STATE].catalogue, **values)


def _in_language(transform: Callable[[str, str], T]) -> Callable[..., T]:
    """Make a filter of ``transform`` for the edition's language.

    ``typo_plain`` is for the editor's text in attributes and ``<title>``.
    """

    @pass_context
    def apply(context: Context, text: str) -> T:
        return transform(text, context["language"])

    return apply


def _with_names(transform: Callable[[str, str, Sequence[str]], T]) -> Callable[..., T]:
    """Make a filter of ``transform`` for the edition's language and ``names:``.

    ``typo`` is for every text the editor wrote (``typo_heading`` for its
    headings), ``markdown`` for bodies: each keeps the edition's names whole.
    """

    @pass_context
    def apply(context: Context, text: str) -> T:
        return transform(text, context["language"], context[STATE].names)

    return apply


def _in_locale(transform: Callable[[Any, str], str]) -> Callable[..., str]:
    """Make a filter of ``transform`` for the edition's locale (dates)."""

    @pass_context
    def apply(context: Context, value: Any) -> str:
        return transform(value, context[STATE].catalogue.locale)

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


def format_when(when: dt.date | Record, locale: str) -> str:
    """Return a day or a span of days (a record of a range) as the locale writes it."""
    if isinstance(when, Record):
        return format_date_range(when.start, when.end, locale)
    return format_day(when, locale)


def _band(block: Record) -> Record | None:
    """Return the block's picture set as a band across the page, if any: ``band``."""
    image = getattr(block, "image", None)
    return image if getattr(image, "fit", "column") in BAND_FITS else None


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
    import segno  # the print PDF's alone: the other targets never import it (13 ms)

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
    if frames := _template_frames(layout, error):
        file, line = frames[-1]
    return Problem(
        f"template error: {_template_message(layout, error)}",
        file=Path(file) if file else layout.folder,
        line=line,
    )


def _template_frames(layout: Layout, error: BaseException) -> list[tuple[str, int]]:
    """Return the template files and lines ``error`` went through, innermost last."""
    return [
        (frame.f_code.co_filename, line)
        for frame, line in _frames(error)
        if any(
            Path(frame.f_code.co_filename).is_relative_to(folder)
            for folder in layout.folders
        )
    ]


def _foreign_frames(layout: Layout, error: BaseException) -> list[tuple[str, int]]:
    """Return the frames of ``error`` in templates not shipped with emn-pdf."""
    ours = package_data("layouts").resolve()
    return [
        (file, line)
        for file, line in _template_frames(layout, error)
        if not Path(file).resolve().is_relative_to(ours)
    ]


def _frames(error: BaseException) -> list[tuple[FrameType, int]]:
    """Return the frames ``error`` went through, and those of what it interrupted.

    The deadline's alarm rings again every so often: a second one may ring
    while Jinja handles the first, and only the first went through the
    template.  Innermost last.
    """
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.insert(0, error)
        error = error.__context__  # type: ignore[assignment]
    return [step for each in chain for step in traceback.walk_tb(each.__traceback__)]


def _template_message(layout: Layout, error: Exception) -> str:
    if isinstance(error, TemplateNotFound):
        searched = ", ".join(str(folder) for folder in layout.folders)
        return f"no template {error.name!r} inside the layout folders ({searched})"
    if isinstance(error, TemplateError):
        return str(error.message)
    if isinstance(error, DeadlineExceeded):
        return error.problems[0].message
    if isinstance(error, MemoryError):
        return MEMORY_MESSAGE
    return str(error) if isinstance(error, TemplateTooLarge) else repr(error)
