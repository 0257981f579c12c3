"""Checks on the laid-out pages, as a printer's preflight makes them.

It reads the engine's laid-out boxes through :mod:`emn_pdf.engine.boxes`, the one
module that knows WeasyPrint's private structures.  Templates
mark each block's element with ``data-block`` (``layouts/README.md``); a finding
names the block it was found in, and the build turns that into the block's
YAML file and line.

Codes are stable; an ``E`` code is an error (the command fails), a ``W`` code
a warning:

- ``E101 overflow``: text or a picture runs out of its column, or off the page;
  the running header and footer out of their page-margin boxes;
- ``W102 lonely heading``: a heading or card title alone at a column or page foot;
- ``E103 missing glyph``: a character no font of the layout can draw (tofu);
- ``W104 low resolution``: a picture printed below 300 dpi (print target);
- ``W105 unused picture``: a file in ``images/`` that no edition shows;
- ``W106 dead link``: a Markdown link to something else than a web or e-mail
  address, which is printed as text;
- ``W107 empty page``: a page other than the last more than 25 % empty (the
  pages that fill out a print edition do not count);
- ``W109 makeup wish``: a ``span``, ``new_page``, ``keep_with_next``,
  ``crop`` or ``pull_quote`` that the layout cannot honour (it has no page
  makeup), or a span beyond the columns its section asks;
- ``I112 narrowed``: columns or a span beyond the layout's grid, set in the
  columns it has;
- ``E108 page count``: not the number of pages the issue asks for (pages
  added to fill out a print edition do not count);
- ``W114 loose line``: a justified line whose word spaces are wider than
  0.6 em;
- ``W115 stray line``: a line inside a paragraph that ends though the next
  line's first word would have fitted on it;
- ``W116 parted pair``: a line break where the typographer's pass would have
  put a no-break space (a day and its month, a number and its unit...);
- ``W117 hyphen ladder``: more than two hyphenated lines in a row.
- ``E119 channel not printed``: a contact channel the edition lists that no
  page shows (a layout that lost it);
- ``E120 small text``: text set below 6 pt in print;
- ``W140 small chart text``: a chart (a figure's picture, or one shown whole)
  whose smallest text prints below 6 pt in print, read from its SVG;
- ``E130 contrast``: text on its background below WCAG's 4.5:1 (3:1 for
  large text), on any page type.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from fontTools.ttLib import TTFont
from weasyprint.document import Document

from ..engine import boxes
from ..issue.errors import Finding
from ..issue.load import FieldPath, LoadedEdition
from ..issue.model import is_remote
from ..issue.pictures import CSS_PX_PER_INCH, MIN_PRINT_TEXT
from ..layout.contract import BLEED, BLOCK, CHANNEL, FILLER
from ..layout.i18n import typography
from ..layout.text import QUESTION_CLASS
from ..layout.typographer import keep_together

#: Below this, a picture looks soft on paper.
PRINT_DPI = 300
#: A page (not the last) may be at most this empty.
MAX_EMPTY = 0.25
#: Tolerance, in CSS pixels, for rounding in the engine's geometry.
SLACK = 1.0
#: A justified line's word spaces wider than this (in em) are loose.
LOOSE_EM = 0.6
#: A normal word space, in em, before justification widens it.
WORD_SPACE_EM = 0.25
#: More hyphenated lines in a row than this make a ladder.
LADDER = 2
#: How many words each side of a line break W116 reads the break with.
PARTED_CONTEXT = 3
#: Characters that take no glyph: spaces, joiners, selectors, soft hyphens.
NO_GLYPH_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MARKDOWN_LINK = re.compile(r"\[[^\]]+\]\(([^)\s]*)\)")
#: A chart drawn this much narrower than its labels need still prints them at
#: 6 pt to the first decimal (5.95 pt): a page a millimetre narrower.
CHART_SLACK = 0.01
#: WCAG 2.1: large text is 18 pt, or 14 pt bold (in CSS pixels).
LARGE_TEXT, LARGE_BOLD_TEXT = 24.0, 18.66
#: A contact channel: its block's name and its field in the block.
Channel = tuple[str, str]
RGB = tuple[float, float, float]


@dataclass(frozen=True)
class _Context:
    """What a box inherits from the boxes above it."""

    page: int
    block: str | None = None  # "s<section>-b<block>", from data-block
    limit: float = 0.0  # right edge of the containing block's content
    heading: Any = None  # the heading element the box is part of
    margin: bool = False  # in a page-margin box: never wider than the page
    channel: str | None = None  # a contact channel's field, from data-channel
    block_limit: float = float("inf")  # right edge of the block's element
    page_limit: float = float("inf")  # right edge of the paper (the trim)
    background: RGB = (1.0, 1.0, 1.0)  # the colour behind the box


@dataclass
class _Placed:
    """A box with what it inherited."""

    box: Any
    context: _Context

    @property
    def page(self) -> int:
        return self.context.page

    @property
    def block(self) -> str | None:
        return self.context.block


@dataclass
class _Survey:
    """What one walk of the box tree gathers for the checks."""

    placed: list[_Placed] = field(default_factory=list)
    margins: list[_Placed] = field(default_factory=list)  # running header, footer
    bottoms: dict[int, float] = field(default_factory=dict)
    fillers: set[int] = field(default_factory=set)
    screen: dict[tuple[float, ...], str] = field(default_factory=dict)
    channels: dict[int, str] = field(default_factory=dict)  # by element id


def inspect(
    document: Document,
    font_files: Iterable[Path],
    *,
    print_target: bool = False,
    pages: int | None = None,
    channels: Iterable[tuple[Channel, str]] = (),
    screen: dict[tuple[float, ...], str] | None = None,
    charts: Mapping[str, float] | None = None,
) -> list[Finding]:
    """Return every defect found on the laid-out ``document``.

    ``channels`` are the contact channels the edition lists, each with a name
    for a message; ``screen`` gives the screen colour of each print colour of
    the theme, for the contrast of print pages; ``charts`` gives the width
    at which each chart's text is legible, by its ``src``.
    """
    survey = _survey(document, screen)
    findings = [
        *_overflows(document, survey),
        *_unseen_channels(survey, dict(channels)),
        *_low_contrast(survey),
        *_lonely_headings(survey),
        *_missing_glyphs(survey, tuple(sorted(font_files))),
        *_empty_pages(document, survey),
        *_typesetting(survey, _language(document)),
    ]
    if print_target:
        findings += _low_resolution(survey)
        findings += _small_text(survey)
        findings += _small_chart_text(survey, charts or {})
    content_pages = len(document.pages) - len(survey.fillers)
    if pages is not None and pages != content_pages:
        findings.append(
            Finding("E108", f"{content_pages} pages, the issue asks for {pages}")
        )
    return findings


def page_content_length(document: Document) -> tuple[int, float]:
    """Return the pages with content, and how full the last of them is (0-1)."""
    survey = _survey(document)
    content = [
        number
        for number in range(1, len(document.pages) + 1)
        if number not in survey.fillers
    ]
    last = content[-1]
    page_box = boxes.page_boxes(document)[last - 1]
    top, height = page_box.content_box_y(), page_box.height
    return len(content), (survey.bottoms[last] - top) / height


def unused_pictures(issue_dir: Path, editions: list[LoadedEdition]) -> list[Finding]:
    """Return the files of ``images/`` that no edition shows."""
    shown = {
        (issue_dir / src).resolve()
        for loaded in editions
        for src in loaded.edition.images()
        if not is_remote(src)
    }
    return [
        Finding("W105", "no edition shows this picture", file=path)
        for path in sorted((issue_dir / "images").rglob("*"))
        if path.is_file()
        and not path.name.startswith(".")
        and path.resolve() not in shown
    ]


def dead_links(loaded: LoadedEdition) -> list[Finding]:
    """Return the Markdown links that will print as text, not links."""
    findings = []
    for location, text in _texts(loaded.document.data, ()):
        for target in MARKDOWN_LINK.findall(text):
            if urlsplit(target).scheme not in {"http", "https", "mailto"}:
                message = (
                    f"link to {target!r} is not a web or e-mail address:"
                    " it prints as text"
                )
                findings.append(
                    Finding.at("W106", loaded.document.problem(location, message))
                )
    return findings


#: Fields only page makeup reads.
MAKEUP_FIELDS = {"span", "new_page", "keep_with_next", "crop", "pull_quote"}


def unhonoured_wishes(
    loaded: LoadedEdition, makeup: bool, columns: int
) -> list[Finding]:
    """Return the layout wishes the layout cannot honour.

    Nothing an editor writes may be dropped silently: a makeup field under a
    layout without page makeup is said (W109), and so is a span beyond the
    columns its section asks.  Columns and spans the layout's grid narrows
    are said as information (I112): the same issue set in a narrower layout
    is not a mistake to mend.
    """
    if not makeup:
        wishes = [
            (
                "W109",
                location,
                f"{location[-1]} is honoured only by a layout with page"
                " makeup (makeup: true in its theme)",
            )
            for location, _ in _fields(loaded.document.data, (), MAKEUP_FIELDS)
        ]
    else:
        wishes = list(_beyond_the_grid(loaded, columns))
    return [
        Finding.at(code, loaded.document.problem(location, message))
        for code, location, message in wishes
    ]


def _beyond_the_grid(
    loaded: LoadedEdition, columns: int
) -> Iterator[tuple[str, FieldPath, str]]:
    for number, section in enumerate(loaded.edition.sections):
        asked = section.columns or columns
        own = min(asked, columns)
        if own < asked:
            yield (
                "I112",
                ("sections", number, "columns"),
                f"columns: {section.columns} is more than the layout's grid of"
                f" {columns}; the section is set in {own}",
            )
        for index, block in enumerate(section.blocks):
            if isinstance(block.span, int) and block.span > own:
                # Beyond the columns its section asks, the issue contradicts itself.
                mistaken = section.columns is not None and block.span > section.columns
                yield (
                    "W109" if mistaken else "I112",
                    ("sections", number, "blocks", index, "span"),
                    f"span: {block.span} is more than the section's {own} columns;"
                    f" the block spans {own}",
                )


def _fields(
    data: Any, location: FieldPath, names: set[str]
) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in names:
                yield (*location, key), value
            yield from _fields(value, (*location, key), names)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _fields(item, (*location, index), names)


def _texts(data: Any, location: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*location, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _texts(item, (*location, index))
    elif isinstance(data, str):
        yield location, data


def _survey(
    document: Document, screen: dict[tuple[float, ...], str] | None = None
) -> _Survey:
    survey = _Survey(screen=screen or {}, channels=_channel_elements(document))
    for number, page_box in enumerate(boxes.page_boxes(document), start=1):
        page_right = page_box.content_box_x() + page_box.width
        paper = _on_screen(
            page_box.style["background_color"], (1.0, 1.0, 1.0), survey.screen
        )
        for child in page_box.children:
            context = _Context(
                number,
                limit=child.content_box_x() + child.width,
                background=paper,
                page_limit=page_box.position_x + page_box.margin_width(),
            )
            if boxes.is_margin(child):
                # Apart: the page's content and its length are the body's.  A
                # box the engine made wider than the page (a running title
                # that may not wrap) still has the page's width only.
                margin = _Survey(screen=survey.screen)
                limit = min(context.limit, page_right)
                _walk(child, replace(context, limit=limit, margin=True), margin)
                survey.margins += margin.placed
            else:
                _walk(child, context, survey)
        if number not in survey.bottoms:
            survey.bottoms[number] = page_box.content_box_y()
    return survey


def _channel_elements(document: Document) -> dict[int, str]:
    """Return the contact channel of every element inside one, by element id."""
    channels: dict[int, str] = {}
    roots = [
        child.element
        for page_box in boxes.page_boxes(document)[:1]
        for child in page_box.children
        if child.element_tag == "html"
    ]
    for root in roots:
        for element in root.iter():
            channel = element.get(CHANNEL)
            if channel is not None:
                channels.update(dict.fromkeys(map(id, element.iter()), channel))
    return channels


def _walk(root: Any, context: _Context, survey: _Survey) -> None:
    """Gather every box under ``root`` with what it inherits, and each page's foot."""
    for box, inherited in boxes.walk(root, context, partial(_inherit, survey)):
        survey.placed.append(_Placed(box, inherited))
        if boxes.own_box(box, FILLER):
            survey.fillers.add(inherited.page)
        if _is_content(box) and box.height:
            bottom = box.position_y + box.height
            survey.bottoms[inherited.page] = max(
                survey.bottoms.get(inherited.page, 0.0), bottom
            )


def _inherit(survey: _Survey, box: Any, context: _Context) -> _Context:
    """Return what ``box`` inherits: its block, heading, channel and edges.

    And the colour of the background it stands on, for its contrast.
    """
    element = box.element
    if element is not None and id(element) in survey.channels:
        # Asked of the element, not of the boxes above it: a channel's text
        # may sit in an anonymous box beside its own (a block in an inline).
        context = replace(context, channel=survey.channels[id(element)])
    if element is not None and box.element_tag == element.tag:
        context = replace(context, block=element.get(BLOCK, context.block))
        if element.get(BLOCK) is not None and hasattr(box, "border_width"):
            right = box.border_box_x() + box.border_width()
            context = replace(context, block_limit=right)
        classes = element.get("class", "").split()
        if element.tag in HEADINGS or QUESTION_CLASS in classes:
            context = replace(context, heading=element)
        if element.get(BLEED) is not None:
            # Meant to leave the page.
            context = replace(context, limit=float("inf"), page_limit=float("inf"))
    if boxes.is_block(box):
        limit = box.content_box_x() + box.width
        context = replace(
            context, limit=min(limit, context.limit) if context.margin else limit
        )
    background = _on_screen(
        box.style["background_color"], context.background, survey.screen
    )
    return replace(context, background=background)


def _is_content(box: Any) -> bool:
    """Tell whether ``box`` inks the page: text or a picture."""
    return boxes.is_text(box) or boxes.is_picture(box)


def _overflows(document: Document, survey: _Survey) -> Iterator[Finding]:
    reported: set[tuple[int, str | None]] = set()
    for placed in [*survey.placed, *survey.margins]:
        box = placed.box
        if not _is_content(box) or not box.width:
            continue
        page_box = boxes.page_boxes(document)[placed.page - 1]
        page_bottom = page_box.content_box_y() + page_box.height
        message = _beyond_its_box(placed)
        if (
            message is None
            and not placed.context.margin
            and box.position_y + box.height > page_bottom + SLACK
        ):
            message = f"{_what(box)} runs below the bottom margin"
        if message is not None and (placed.page, placed.block) not in reported:
            reported.add((placed.page, placed.block))
            yield Finding("E101", message, placed.page, placed.block)


def _beyond_its_box(placed: _Placed) -> str | None:
    """Say how far a box runs off the page, or out of its column or block.

    The page's edge counts whatever the column says (a flex item can be as
    wide as its text); a contact channel may not leave its block; a
    page-margin box is never wider than its page.
    """
    box, context = placed.box, placed.context
    # The border box is what paints: a picture's background and padding.
    right = box.border_box_x() + box.border_width()
    limit, where = context.limit, "page-margin box" if context.margin else "column"
    what = "a picture" if boxes.is_picture(box) else _quote(box)
    if context.channel is not None:
        limit = min(limit, context.block_limit)
        what, where = f"the contact's {context.channel}: {what}", "block"
    if not context.margin and right > context.page_limit + SLACK:
        return f"{what} runs {_mm(right - context.page_limit)} off the page"
    if right <= limit + SLACK:
        return None
    return f"{what} runs {_mm(right - limit)} out of its {where}"


def _mm(length: float) -> str:
    """Return a length in CSS pixels as millimetres, for a message."""
    return f"{length * 25.4 / CSS_PX_PER_INCH:.1f} mm"


def _lonely_headings(survey: _Survey) -> Iterator[Finding]:
    """Headings whose next content stands in another column or on another page."""
    content = [placed for placed in survey.placed if _is_content(placed.box)]
    for last, following in itertools.pairwise(content):
        heading = last.context.heading
        if heading is None or following.context.heading is heading:
            continue
        if last.page in survey.fillers:
            continue  # designed pages have headings over blank space
        elsewhere = following.page != last.page or (
            abs(following.box.position_x - last.box.position_x) > SLACK
            and following.box.position_y < last.box.position_y
        )
        if elsewhere:
            where = "page" if following.page != last.page else "column"
            yield Finding(
                "W102",
                f"heading {_quote(last.box)} is alone at the foot of a {where}",
                last.page,
                last.block,
            )


def _language(document: Document) -> str:
    """Return the edition's language: its root element's ``lang``."""
    pages = boxes.page_boxes(document)
    if not pages:
        return ""
    root = pages[0].children[0].element
    return str(root.get("lang", "")) if root is not None else ""


def _typesetting(survey: _Survey, language: str) -> Iterator[Finding]:
    """Loose, stray, parted and laddered lines, paragraph by paragraph.

    Designed pages are left out: their lines are cells of a grid (a filler
    page's links and dates), not paragraphs.
    """
    for placed in survey.placed:
        if placed.page in survey.fillers:
            continue
        lines = [
            _Line(line, placed.context)
            for line in getattr(placed.box, "children", ())
            if boxes.is_line(line) and line.children
        ]
        if lines and placed.context.heading is None:
            yield from _paragraph_findings(lines, language)


@dataclass
class _Line:
    """A line box: its text, the width it takes and the width it has."""

    box: Any
    context: _Context
    text: str = ""
    used: float = 0.0
    size: float = 1.0
    texts: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        texts = [box for box in boxes.descendants(self.box) if boxes.is_text(box)]
        self.text = "".join(box.text for box in texts)
        self.used = max(
            (
                box.position_x + box.margin_width() - self.box.position_x
                for box in texts
            ),
            default=0.0,
        )
        self.size = texts[0].style["font_size"] if texts else 1.0
        self.texts = texts

    def word_space(self) -> float:
        """Return the word space in em: a normal one, widened by justification."""
        spacing = max((box.justification_spacing for box in self.texts), default=0)
        return float(WORD_SPACE_EM + spacing / self.size)

    def finding(self, code: str, message: str) -> Finding:
        return Finding(code, message, self.context.page, self.context.block)

    def hyphenated(self) -> bool:
        """Whether the line ends in a word the engine hyphenated.

        An address breaks after its own hyphens by design (``hyphens:
        manual``); that is no ladder.
        """
        last = self.texts[-1] if self.texts else None
        return (
            last is not None
            and self.text.rstrip().endswith("-")
            and last.style["hyphens"] == "auto"
        )

    def word_width(self, word: str) -> float:
        """Return the width of ``word`` at the line's start, by its share of text."""
        first = self.texts[0]
        return float(first.width * len(word) / max(len(first.text), 1))


def _paragraph_findings(lines: list[_Line], language: str) -> Iterator[Finding]:
    """Yield what a typographer marks in one paragraph's lines."""
    ladder = 0
    for index, line in enumerate(lines):
        if line.word_space() > LOOSE_EM:
            yield line.finding("W114", f"loose line “{line.text.strip()}”")
        ladder = ladder + 1 if line.hyphenated() else 0
        if ladder == LADDER + 1:
            message = f"{ladder} hyphenated lines in a row, to “{line.text.strip()}”"
            yield line.finding("W117", message)
        if index + 1 < len(lines):
            yield from _break_findings(line, lines[index + 1], language)


def _break_findings(line: _Line, following: _Line, language: str) -> Iterator[Finding]:
    """Yield a break that leaves a stray line, or parts what belongs together."""
    end, start = line.text.rstrip(), following.text.lstrip()
    if _next_word_fits(line, following, end, start):
        yield line.finding("W115", f"stray line “{end}”, then “{start[:30]}”")
    elif _parted(end, start, language):
        yield line.finding("W116", f"parted pair “{end[-20:]} | {start[:20]}”")


def _next_word_fits(line: _Line, following: _Line, end: str, start: str) -> bool:
    """Whether the first word of ``following`` would have fitted on ``line``."""
    word = start.split(" ", 1)[0]
    hyphenated = end.endswith("-")
    needed = following.word_width(word) + (
        0 if hyphenated else WORD_SPACE_EM * line.size
    )
    return bool(word) and line.used + needed < line.box.width - SLACK


def _parted(end: str, start: str, language: str) -> bool:
    """Return whether the typographer's pass keeps a line's end with the next.

    It does when it puts a no-break space or a word joiner between them,
    read with the words around the break ("12 h | 30" is parted, "h 30"
    alone is no time).  A line ending in a letter and a hyphen ends in a
    word the engine cut: the pass never sees it so, and joins only a
    compound's own hyphen.
    """
    last, first = end.rsplit(" ", 1)[-1], start.split(" ", 1)[0]
    if not last or not first or re.search(r"[^\W\d_]-$", last):
        return False
    rules = typography(language)
    before = " ".join(end.split(" ")[-PARTED_CONTEXT:])
    after = " ".join(start.split(" ")[:PARTED_CONTEXT])
    joined = before + ("" if last[-1] in "–-" else " ") + after
    kept = keep_together(joined, language, rules)
    at = len(keep_together(before, language, rules))
    return kept != joined and kept[at : at + 1] in "\u00a0\u202f\u2060"


def _missing_glyphs(survey: _Survey, font_files: tuple[Path, ...]) -> Iterator[Finding]:
    drawable = _drawable_characters(font_files)
    reported: set[str] = set()
    for placed in [*survey.placed, *survey.margins]:
        if not boxes.is_text(placed.box):
            continue
        for character in placed.box.text:
            if character in reported or ord(character) in drawable:
                continue
            if unicodedata.category(character) in NO_GLYPH_CATEGORIES:
                continue
            reported.add(character)
            name = unicodedata.name(character, "unnamed character")
            yield Finding(
                "E103",
                f"no font of the layout has {character!r} (U+{ord(character):04X}"
                f" {name}): it would print as an empty box",
                placed.page,
                placed.block,
            )


@cache
def _drawable_characters(font_files: tuple[Path, ...]) -> frozenset[int]:
    """Return the code points the layout's fonts and the emoji font can draw."""
    codes: set[int] = set()
    for path in [*font_files, *_emoji_font()]:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            codes.update(font.getBestCmap() or {})
    return frozenset(codes)


def _emoji_font() -> list[Path]:
    """Return the system emoji font, the one font a build may take from outside."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    found = subprocess.run(
        [fc_match, "-f", "%{file}", "emoji"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [Path(found)] if found and Path(found).is_file() else []


def _empty_pages(document: Document, survey: _Survey) -> Iterator[Finding]:
    """Pages more than a quarter empty, but for the last one (and fillers)."""
    content = [
        (number, page_box)
        for number, page_box in enumerate(boxes.page_boxes(document), start=1)
        if number not in survey.fillers
    ]
    for number, page_box in content[:-1]:
        top, height = page_box.content_box_y(), page_box.height
        empty = 1 - (survey.bottoms[number] - top) / height
        if empty > MAX_EMPTY:
            yield Finding("W107", f"page {number} is {empty:.0%} empty", number)


def _low_resolution(survey: _Survey) -> Iterator[Finding]:
    for placed in survey.placed:
        box = placed.box
        pixels = getattr(getattr(box, "replacement", None), "width", None)
        if not boxes.is_picture(box) or not pixels or not box.width:
            continue  # SVG pictures have no pixels and print sharp
        dpi = pixels / (_drawn_width(box) / CSS_PX_PER_INCH)
        if dpi < PRINT_DPI:
            yield Finding(
                "W104",
                f"{_source(box)} is printed at {dpi:.0f} dpi, below {PRINT_DPI} dpi:"
                " it will look soft on paper",
                placed.page,
                placed.block,
            )


def _drawn_width(picture: Any) -> float:
    """Return how wide a picture is drawn in its box, as its ``object-fit`` says.

    Cropped to a box taller than its own shape (``cover``), it is drawn
    wider than the box, its sides cut; shown whole in a box of another shape
    (``contain``), narrower.
    """
    natural = boxes.natural_height(picture)
    if not natural:
        return float(picture.width)
    ratio, fit = picture.height / natural, picture.style["object_fit"]
    if fit == "cover":
        return float(picture.width * max(1.0, ratio))
    if fit == "contain":
        return float(picture.width * min(1.0, ratio))
    return float(picture.width)


def _quote(box: Any) -> str:
    text = " ".join(box.text.split())
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _what(box: Any) -> str:
    return "a picture" if boxes.is_picture(box) else f"text {_quote(box)}"


def _source(box: Any) -> str:
    source = box.element.get("src", "") if box.element is not None else ""
    return unquote(urlsplit(source).path) or "a picture"


def _on_screen(colour: Any, behind: RGB, screen: dict[tuple[float, ...], str]) -> RGB:
    """Return a CSS colour as sRGB over what is ``behind`` it.

    A print colour of the theme is its screen colour; another CMYK colour is
    converted as CSS does.  A transparent colour leaves what is behind.
    """
    if colour is None or colour.alpha == 0:
        return behind
    if colour.space == "device-cmyk":
        inks = tuple(round(value, 4) for value in colour.coordinates)
        known = screen.get(inks)
        if known is not None:
            red, green, blue = (int(known[i : i + 2], 16) / 255 for i in (1, 3, 5))
        else:  # as CSS Color 5 converts device-cmyk() naively
            red, green, blue = ((1 - ink) * (1 - inks[3]) for ink in inks[:3])
    else:
        red, green, blue = colour.to("srgb").coordinates
    alpha = colour.alpha
    return (
        red * alpha + behind[0] * (1 - alpha),
        green * alpha + behind[1] * (1 - alpha),
        blue * alpha + behind[2] * (1 - alpha),
    )


def contrast(first: RGB, second: RGB) -> float:
    """Return the WCAG 2.1 contrast ratio of two sRGB colours (0 to 1)."""

    def luminance(colour: RGB) -> float:
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in colour
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _low_contrast(survey: _Survey) -> Iterator[Finding]:
    """Text on its background below WCAG's ratio, once per page and colours."""
    reported: set[tuple[int, RGB, RGB]] = set()
    for placed in [*survey.placed, *survey.margins]:
        box = placed.box
        if not boxes.is_text(box) or not box.text.strip():
            continue
        text = _on_screen(box.style["color"], placed.context.background, survey.screen)
        ratio = contrast(text, placed.context.background)
        size, weight = box.style["font_size"], box.style["font_weight"]
        large = size >= LARGE_TEXT or (size >= LARGE_BOLD_TEXT and weight >= 700)
        needed = 3.0 if large else 4.5
        key = (placed.page, text, placed.context.background)
        if ratio < needed and key not in reported:
            reported.add(key)
            yield Finding(
                "E130",
                f"text {_quote(box)} has a contrast of {ratio:.1f}:1 on its"
                f" background, below {needed}:1",
                placed.page,
                placed.block,
            )


def _small_text(survey: _Survey) -> Iterator[Finding]:
    """Text set below 6 pt, which paper does not zoom."""
    for placed in [*survey.placed, *survey.margins]:
        box = placed.box
        if boxes.is_text(box) and box.text.strip():
            size = box.style["font_size"]
            if size < MIN_PRINT_TEXT - 0.05:
                yield Finding(
                    "E120",
                    f"text {_quote(box)} is set in {size * 0.75:.1f} pt, below 6 pt",
                    placed.page,
                    placed.block,
                )


def _small_chart_text(
    survey: _Survey, charts: Mapping[str, float]
) -> Iterator[Finding]:
    """Charts whose labels print below 6 pt: drawn by the picture, not the layout."""
    for placed in survey.placed:
        box = placed.box
        if not boxes.is_picture(box) or box.element is None or not box.width:
            continue
        legible = charts.get(box.element.get("src", ""))
        width = _drawn_width(box)
        if legible is not None and width < legible * (1 - CHART_SLACK):
            size = MIN_PRINT_TEXT * width / legible * 0.75
            yield Finding(
                "W140",
                f"{_source(box)} prints its smallest text at {size:.1f} pt, below"
                f" 6 pt: drawn {_mm(width)} wide, it needs {_mm(legible)} (larger"
                " labels in the picture, or a layout with wider columns)",
                placed.page,
                placed.block,
            )


def _unseen_channels(
    survey: _Survey, channels: dict[Channel, str]
) -> Iterator[Finding]:
    """Contact channels the edition lists that no page shows."""
    shown = {
        (placed.block, placed.context.channel)
        for placed in survey.placed
        if _is_content(placed.box) and placed.box.width
    }
    for (block, channel), name in channels.items():
        if (block, channel) not in shown:
            yield Finding(
                "E119",
                f"the contact's {name} ({channel}) is not printed on any page",
                block=block,
            )
