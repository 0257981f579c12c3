"""Checks on the laid-out pages, as a printer's preflight makes them.

This is the one module that reads WeasyPrint's laid-out boxes
(``page._page_box`` and the box tree below it, private API that WeasyPrint's
own tests rely on), so that an engine upgrade touches one place.  Templates
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
- ``W109 makeup wish``: a ``span``, ``new_page``, ``keep_with_next`` or
  ``crop`` that the layout cannot honour (it has no page makeup), or a span
  beyond the columns its section asks;
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
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from fontTools.ttLib import TTFont
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from .errors import Finding
from .i18n import typography
from .load import FieldPath, LoadedEdition
from .model import is_remote
from .text import QUESTION_CLASS
from .typographer import keep_together

#: Below this, a picture looks soft on paper.
PRINT_DPI = 300
CSS_PX_PER_INCH = 96
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
#: Characters that take no glyph: spaces, joiners, selectors, soft hyphens.
NO_GLYPH_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Mn"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MARKDOWN_LINK = re.compile(r"\[[^\]]+\]\(([^)\s]*)\)")
BLOCK_ATTRIBUTE = "data-block"
FILLER_ATTRIBUTE = "data-filler"
BLEED_ATTRIBUTE = "data-bleed"


@dataclass(frozen=True)
class _Context:
    """What a box inherits from the boxes above it."""

    page: int
    block: str | None = None  # "s<section>-b<block>", from data-block
    limit: float = 0.0  # right edge of the containing block's content
    heading: Any = None  # the heading element the box is part of
    margin: bool = False  # in a page-margin box: never wider than the page


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


def inspect(
    document: Document,
    font_files: Iterable[Path],
    *,
    print_target: bool = False,
    pages: int | None = None,
) -> list[Finding]:
    """Return every defect found on the laid-out ``document``."""
    survey = _survey(document)
    findings = [
        *_overflows(document, survey),
        *_lonely_headings(survey),
        *_missing_glyphs(survey, tuple(sorted(font_files))),
        *_empty_pages(document, survey),
        *_typesetting(survey, _language(document)),
    ]
    if print_target:
        findings += _low_resolution(survey)
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
    page_box = document.pages[last - 1]._page_box
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
MAKEUP_FIELDS = {"span", "new_page", "keep_with_next", "crop"}


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


def _survey(document: Document) -> _Survey:
    survey = _Survey()
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        page_right = page_box.content_box_x() + page_box.width
        for child in page_box.children:
            context = _Context(number, limit=child.content_box_x() + child.width)
            if isinstance(child, boxes.MarginBox):
                # Apart: the page's content and its length are the body's.  A
                # box the engine made wider than the page (a running title
                # that may not wrap) still has the page's width only.
                margin = _Survey()
                limit = min(context.limit, page_right)
                _walk(child, replace(context, limit=limit, margin=True), margin)
                survey.margins += margin.placed
            else:
                _walk(child, context, survey)
        if number not in survey.bottoms:
            survey.bottoms[number] = page_box.content_box_y()
    return survey


def _walk(box: Any, context: _Context, survey: _Survey) -> None:
    element = box.element
    if element is not None and box.element_tag == element.tag:
        context = replace(context, block=element.get(BLOCK_ATTRIBUTE, context.block))
        classes = element.get("class", "").split()
        if element.tag in HEADINGS or QUESTION_CLASS in classes:
            context = replace(context, heading=element)
        if element.get(FILLER_ATTRIBUTE) is not None:
            survey.fillers.add(context.page)
        if element.get(BLEED_ATTRIBUTE) is not None:
            context = replace(context, limit=float("inf"))  # meant to leave the page
    if isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.LineBox):
        limit = box.content_box_x() + box.width
        context = replace(
            context, limit=min(limit, context.limit) if context.margin else limit
        )
    survey.placed.append(_Placed(box, context))
    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) and box.height:
        bottom = box.position_y + box.height
        survey.bottoms[context.page] = max(
            survey.bottoms.get(context.page, 0.0), bottom
        )
    for child in getattr(box, "children", ()):
        _walk(child, context, survey)


def _overflows(document: Document, survey: _Survey) -> Iterator[Finding]:
    reported: set[tuple[int, str | None]] = set()
    for placed in [*survey.placed, *survey.margins]:
        box = placed.box
        if not isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) or not box.width:
            continue
        page_box = document.pages[placed.page - 1]._page_box
        page_bottom = page_box.content_box_y() + page_box.height
        # The border box is what paints: a picture's background and padding.
        right = box.border_box_x() + box.border_width()
        limit = placed.context.limit
        if right > limit + SLACK:
            excess = f"{(right - limit) * 25.4 / CSS_PX_PER_INCH:.1f} mm"
            what = "a picture" if isinstance(box, boxes.ReplacedBox) else _quote(box)
            where = "page-margin box" if placed.context.margin else "column"
            message = f"{what} runs {excess} out of its {where}"
        elif (
            not placed.context.margin
            and box.position_y + box.height > page_bottom + SLACK
        ):
            message = f"{_what(box)} runs below the bottom margin"
        else:
            continue
        if (placed.page, placed.block) not in reported:
            reported.add((placed.page, placed.block))
            yield Finding("E101", message, placed.page, placed.block)


def _lonely_headings(survey: _Survey) -> Iterator[Finding]:
    """Headings whose next content stands in another column or on another page."""
    content = [
        placed
        for placed in survey.placed
        if isinstance(placed.box, (boxes.TextBox, boxes.ReplacedBox))
    ]
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
    if not document.pages:
        return ""
    root = document.pages[0]._page_box.children[0].element
    return str(root.get("lang", "")) if root is not None else ""


def _typesetting(survey: _Survey, language: str) -> Iterator[Finding]:
    """Loose, stray, parted and laddered lines, paragraph by paragraph."""
    for placed in survey.placed:
        lines = [
            _Line(line, placed.context)
            for line in getattr(placed.box, "children", ())
            if isinstance(line, boxes.LineBox) and line.children
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
        texts = [
            box for box in self.box.descendants() if isinstance(box, boxes.TextBox)
        ]
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

    It does when it puts a no-break space or a word joiner between them.  A
    line ending in a letter and a hyphen ends in a word the engine cut: the
    pass never sees it so, and joins only a compound's own hyphen.
    """
    last, first = end.rsplit(" ", 1)[-1], start.split(" ", 1)[0]
    if not last or not first or re.search(r"[^\W\d_]-$", last):
        return False
    joined = last + ("" if last[-1] in "–-" else " ") + first
    kept = keep_together(joined, language, typography(language))
    return kept != joined and kept[len(last) : len(last) + 1] in "\u00a0\u202f\u2060"


def _missing_glyphs(survey: _Survey, font_files: tuple[Path, ...]) -> Iterator[Finding]:
    drawable = _drawable_characters(font_files)
    reported: set[str] = set()
    for placed in [*survey.placed, *survey.margins]:
        if not isinstance(placed.box, boxes.TextBox):
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
        (number, page)
        for number, page in enumerate(document.pages, start=1)
        if number not in survey.fillers
    ]
    for number, page in content[:-1]:
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        empty = 1 - (survey.bottoms[number] - top) / height
        if empty > MAX_EMPTY:
            yield Finding("W107", f"page {number} is {empty:.0%} empty", number)


def _low_resolution(survey: _Survey) -> Iterator[Finding]:
    for placed in survey.placed:
        box = placed.box
        pixels = getattr(getattr(box, "replacement", None), "width", None)
        if not isinstance(box, boxes.ReplacedBox) or not pixels or not box.width:
            continue  # SVG pictures have no pixels and print sharp
        dpi = pixels / (box.width / CSS_PX_PER_INCH)
        if dpi < PRINT_DPI:
            yield Finding(
                "W104",
                f"{_source(box)} is printed at {dpi:.0f} dpi, below {PRINT_DPI} dpi:"
                " it will look soft on paper",
                placed.page,
                placed.block,
            )


def _quote(box: Any) -> str:
    text = " ".join(box.text.split())
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _what(box: Any) -> str:
    return "a picture" if isinstance(box, boxes.ReplacedBox) else f"text {_quote(box)}"


def _source(box: Any) -> str:
    source = box.element.get("src", "") if box.element is not None else ""
    return unquote(urlsplit(source).path) or "a picture"
