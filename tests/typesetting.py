"""Measure a PDF's typesetting from its glyph positions, as a typographer reads it.

pdfminer gives every glyph drawn with its font, size and advance box; glyphs
are grouped into the lines the engine set (a run of glyphs on one baseline,
left to right), and the lines into the columns they stand in.  From those:

- *loose lines*: body lines (the body face at the body size) whose mean word
  space exceeds 0.6 em (a normal space is about 0.25 em);
- *stray lines*: a line inside a paragraph that ends though the next line's
  first word would have fitted on it ("…forecasting / in / migration");
- *parted pairs*: a line break between what a typographer keeps together (a
  day and its month, a number and its unit or what it counts, the hour and
  its minutes, the groups of a number, a range, an initial or a title and the
  name after it);
- *ladders*: hyphenated line ends in a row;
- *page cuts*: a word hyphenated at the foot of a page, its end on the next;
- the share of body lines that end hyphenated (German text must have some).

Independent of emn-pdf's own code: month names come from Babel's CLDR data,
the rest is written here, so that a rule the typesetter gets wrong is not
measured with the same mistake.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

#: A body line whose mean word space is wider than this (in em) is loose.
LOOSE_EM = 0.6
#: The body face: the serif of both layouts, upright or italic, not bold.
BODY_FONT = re.compile(r"Noto-?Serif(?!.*Bold)", re.IGNORECASE)
SPACES = " \u00a0\u202f\u2009\u2002\u2003"
HYPHENS = "-\u2010\u00ad"
DASHES = "–—"


@dataclass
class Line:
    """One line as set: its glyphs, left to right, on one baseline."""

    page: int
    chars: list[LTChar]
    body: bool = False
    item: bool = False  # a list item's first line: its marker stands left of it
    left: float = field(init=False)
    right: float = field(init=False)
    baseline: float = field(init=False)
    size: float = field(init=False)
    text: str = field(init=False)

    def __post_init__(self) -> None:
        inked = [char for char in self.chars if char.get_text() not in SPACES]
        self.left = min(char.x0 for char in inked)
        self.right = max(char.x1 for char in inked)
        self.baseline = self.chars[0].matrix[5]
        self.size = statistics.median(char.size for char in inked)
        self.text = "".join(char.get_text() for char in self.chars).strip(SPACES)

    def word_spaces(self) -> list[float]:
        """Each space between two words of the line, in em of the line's size."""
        gaps, last_ink, spaced = [], None, False
        for char in self.chars:
            if char.get_text() in SPACES:
                spaced = last_ink is not None
                continue
            if spaced and last_ink is not None:
                gaps.append((char.x0 - last_ink.x1) / self.size)
            last_ink, spaced = char, False
        return gaps

    @property
    def width(self) -> float:
        return self.right - self.left


@dataclass
class Typesetting:
    """What a typographer counts on the pages of one edition."""

    body_lines: int
    loose: list[str]
    stray: list[str]
    parted: list[str]
    ladder: int
    page_cuts: list[str]
    hyphenated: int

    @property
    def loose_share(self) -> float:
        return len(self.loose) / self.body_lines if self.body_lines else 0.0

    @property
    def hyphenated_share(self) -> float:
        return self.hyphenated / self.body_lines if self.body_lines else 0.0

    def summary(self) -> dict[str, object]:
        """The figures, for a table or a test's message."""
        return {
            "lines": self.body_lines,
            "loose": f"{self.loose_share:.1%} ({len(self.loose)})",
            "stray": len(self.stray),
            "parted": len(self.parted),
            "ladder": self.ladder,
            "page cuts": len(self.page_cuts),
            "hyphenated": f"{self.hyphenated_share:.1%}",
        }


def measure(path: Path, language: str) -> Typesetting:
    """Count loose, stray, parted, laddered and cut lines in the PDF at ``path``."""
    lines = text_lines(path)
    body = [line for line in lines if line.body and not MARKER.fullmatch(line.text)]
    runs = list(paragraph_runs(body, _leading(body)))
    return Typesetting(
        body_lines=len(body),
        loose=[line.text for line in body if _is_loose(line)],
        stray=[
            f"{line.text} / {after.text}"
            for run in runs
            for line, after in itertools.pairwise(run)
            if _next_word_fits(line, after, run)
        ],
        parted=[
            f"{line.text[-24:]} | {after.text[:24]}"
            for run in column_runs(lines)
            for line, after in itertools.pairwise(run)
            if parted_pair(line.text, after.text, language)
            # A line that had room for the next word ends where it was written
            # to (a postal address's lines): nothing was parted for lack of room.
            and not _next_word_fits(line, after, run)
        ],
        ladder=max((_longest_ladder(run) for run in runs), default=0),
        page_cuts=_page_cuts(body),
        hyphenated=sum(_hyphenated(line.text) for line in body),
    )


def text_lines(path: Path) -> list[Line]:
    """Every line of text of the PDF at ``path``, page by page, as drawn."""
    lines: list[Line] = []
    for number, page in enumerate(_pages(path), start=1):
        lines += [Line(number, chars) for chars in _runs(list(_chars(page)))]
    body_size = _body_size(lines)
    for line in lines:
        line.body = _is_body(line, body_size)
    _mark_items(lines)
    return lines


#: A list item's marker: a bullet, a dash, a number.
MARKER = re.compile(r"[•◦▪‣–—-]|\d{1,2}[.)]")


def _mark_items(lines: list[Line]) -> None:
    """Mark the lines a list item's marker stands left of, on their baseline."""
    markers = [line for line in lines if MARKER.fullmatch(line.text)]
    for line in lines:
        line.item = any(
            marker.page == line.page
            and abs(marker.baseline - line.baseline) < 0.2 * line.size
            and 0 <= line.left - marker.right < 3 * line.size
            for marker in markers
        )


def _pages(path: Path) -> Iterator[LTPage]:
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    with path.open("rb") as file:
        for page in PDFPage.get_pages(file):
            interpreter.process_page(page)
            yield device.get_result()


def _chars(item: LTContainer) -> Iterator[LTChar]:
    for child in item:
        if isinstance(child, LTChar):
            yield child
        elif isinstance(child, LTContainer):
            yield from _chars(child)


def _runs(chars: list[LTChar]) -> Iterator[list[LTChar]]:
    """Split glyphs, in drawing order, into lines: one baseline, left to right.

    The engine draws a line's glyphs in a row; a glyph below or back to the
    left, or far to the right (the next column), starts another line.
    """
    run: list[LTChar] = []
    for char in chars:
        if run and not _continues(run[0], run[-1], char):
            if any(each.get_text() not in SPACES for each in run):
                yield run
            run = []
        run.append(char)
    if any(each.get_text() not in SPACES for each in run):
        yield run


def _continues(first: LTChar, last: LTChar, char: LTChar) -> bool:
    """Whether ``char`` goes on the line from ``first`` to ``last``.

    A superscript (2ᵉ, 1ᵉʳ) is raised: the line's baseline is its first
    glyph's, and a glyph near it (less than half a line off) is on it.
    """
    size = max(first.size, char.size)
    same_baseline = abs(first.matrix[5] - char.matrix[5]) < 0.45 * size
    onwards = -0.3 * last.size < char.x0 - last.x1 < 3 * max(last.size, char.size)
    return same_baseline and onwards


def _body_size(lines: list[Line]) -> float:
    """The most common size of the body face: the body text's size."""
    sizes = [
        round(char.size, 1)
        for line in lines
        for char in line.chars
        if BODY_FONT.search(char.fontname)
    ]
    return statistics.mode(sizes) if sizes else 0.0


def _is_body(line: Line, body_size: float) -> bool:
    inked = [char for char in line.chars if char.get_text() not in SPACES]
    in_body_face = sum(
        bool(BODY_FONT.search(char.fontname)) and abs(char.size - body_size) < 0.3
        for char in inked
    )
    return len(inked) > 1 and in_body_face >= 0.8 * len(inked)


def _is_loose(line: Line) -> bool:
    spaces = line.word_spaces()
    return bool(spaces) and statistics.fmean(spaces) > LOOSE_EM


def _leading(lines: list[Line]) -> float:
    """The most common step from a body line to the next: the body's leading."""
    steps = [
        round(line.baseline - after.baseline, 1)
        for line, after in itertools.pairwise(lines)
        if line.page == after.page
        and 0 < line.baseline - after.baseline < 3 * line.size
    ]
    return statistics.mode(steps) if steps else 0.0


def paragraph_runs(lines: list[Line], leading: float) -> Iterator[list[Line]]:
    """Group lines into runs of one paragraph: same page and left edge, each
    one leading under the one before (a paragraph's margin breaks a run), a
    list item's first line starting a run of its own."""
    run: list[Line] = []
    for line in lines:
        step = run[-1].baseline - line.baseline if run else 0.0
        if run and (
            line.item
            or not _follows(run[-1], line, 1.9)
            or abs(step - leading) > 0.15 * line.size
        ):
            yield run
            run = []
        run.append(line)
    if run:
        yield run


def column_runs(lines: list[Line]) -> Iterator[list[Line]]:
    """Group lines into runs of one text: like paragraphs, any face, and
    lines a little further apart (a heading's or a dateline's).

    A list's markers are no text, and each item starts a run of its own:
    "…34 56" ending an item and "Centre communal…" starting the next are
    no pair.
    """
    run: list[Line] = []
    for line in (line for line in lines if not MARKER.fullmatch(line.text)):
        if run and (line.item or not _follows(run[-1], line, 1.9, same_face=True)):
            yield run
            run = []
        run.append(line)
    if run:
        yield run


def _follows(line: Line, after: Line, leadings: float, same_face: bool = True) -> bool:
    """Whether ``after`` is the next line of the text ``line`` is in."""
    step = line.baseline - after.baseline
    return (
        line.page == after.page
        and abs(line.left - after.left) < 2 * line.size
        and 0.9 * line.size < step < leadings * line.size
        and (not same_face or abs(line.size - after.size) < 0.3)
    )


def _next_word_fits(line: Line, after: Line, run: list[Line]) -> bool:
    """Whether the first word of ``after`` would have fitted at the end of ``line``.

    The measure is the widest line of the paragraph; a list item's first line
    (its marker to the left of the text) is a paragraph of its own.
    """
    if abs(line.left - after.left) > 0.5:
        return False
    measure = max(each.right for each in run)
    first_word = re.match(r"[^ ]+", after.text)  # up to a space a line may end at
    if first_word is None:
        return False
    word_width = sum(char.x1 - char.x0 for char in after.chars[: len(first_word[0])])
    room = measure - line.right - 0.25 * line.size
    return word_width < room


def _hyphenated(text: str) -> bool:
    """Whether a line ends in a word cut (or a compound's own hyphen)."""
    return bool(re.search(rf"\w[{HYPHENS}]$", text))


def _longest_ladder(run: list[Line]) -> int:
    longest = current = 0
    for line in run:
        current = current + 1 if _hyphenated(line.text) else 0
        longest = max(longest, current)
    return longest


def _page_cuts(body: list[Line]) -> list[str]:
    """Words hyphenated at the foot of a page's last column, ended on the next.

    A column foot's hyphenated line goes on at the top of the next column
    when one of the page starts with a lower-case letter to its right.
    """
    cuts = []
    for line in body:
        if not _hyphenated(line.text) or _has_line_below(line, body):
            continue
        goes_on_here = any(
            other.page == line.page
            and other.left > line.right - line.size
            and other.text[:1].islower()
            and not _has_line_above(other, body)
            for other in body
        )
        if not goes_on_here:
            cuts.append(line.text)
    return cuts


def _has_line_below(line: Line, lines: list[Line]) -> bool:
    return any(_follows(line, other, 2.2, same_face=False) for other in lines)


def _has_line_above(line: Line, lines: list[Line]) -> bool:
    return any(_follows(other, line, 2.2, same_face=False) for other in lines)


# Parted pairs -------------------------------------------------------------

NUMBER = r"\d+(?:[.,\u202f\u00a0 ]\d+)*"
#: A number a typographer keeps with what follows it: a day, a count, an
#: ordinal (1er, 2e, 17th, 3., XIXe).
SHORT_NUMBER = re.compile(
    r"(?:^|\s|\()(?:\d{1,3}(?:[.,]\d+)?(?:er|re|e|ᵉ|ᵉʳ|st|nd|rd|th)?"
    r"|(?:[IVXLC]{2,}|[IVX])(?:e|ᵉ|er|ᵉʳ))$"
)
#: A German ordinal: a day or a rank and a point (am 3. | Oktober); a longer
#: number and a point ends a sentence (auf 260. | Zwölf).
POINT_ORDINAL = re.compile(r"(?:^|\s|\()\d{1,2}\.$")
UNITS = {
    "%", "€", "$", "£", "‰", "°", "km", "m", "cm", "mm", "kg", "g", "t", "h", "min",
    "s", "ha", "l", "uhr", "am", "pm", "a.m.", "p.m.", "km²", "m²",
}  # fmt: skip
TITLES = {
    "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof", "prof.", "m.",
    "mme", "mlle", "me", "pr", "frau", "herr", "dipl.-soz.", "st", "st.", "sir",
    "n°", "no.", "nr.", "§", "p.", "art.",
}  # fmt: skip


def parted_pair(end: str, start: str, language: str) -> bool:
    """Whether a line ending in ``end`` and the next beginning with ``start``
    part what a typographer keeps together, in ``language``."""
    last = (end.split() or [""])[-1]
    first = (start.split() or [""])[0]
    first_word = first.strip("(),.;:!?«»“”„\"'").casefold()
    if re.search(rf"\d[{DASHES}]$", end) or re.match(rf"[{DASHES}]\d", start):
        return True  # a range: 9– | 12
    if re.search(r"\d$", end) and re.match(r"\d", start):
        return True  # groups of one number, a phone number: 3 | 740
    if SHORT_NUMBER.search(end) and first_word:
        return not _is_year(last)  # a day, a count, an ordinal and its word
    if language == "de" and POINT_ORDINAL.search(end) and first_word:
        return True  # am 3. | Oktober
    if re.search(NUMBER + "$", end) and first_word.rstrip(".") in UNITS | {"€"}:
        return True  # a number and its unit: 3 740 | €
    if re.search(r"\d\s?(?:h|Uhr)$", end) and re.match(r"\d", start):
        return True  # the hour and its minutes: 12 h | 30
    if first_word in _months(language) and re.search(r"\d\.?$", end):
        return True
    return _before_name(last) and first[:1].isupper()


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"\(?(1[5-9]|20)\d\d", token))


def _before_name(token: str) -> bool:
    """A title or an initial: what must not end a line before a name."""
    return token.casefold() in TITLES or bool(re.fullmatch(r"[A-Z]\.", token))


@cache
def _months(language: str) -> frozenset[str]:
    """The month names of ``language`` (format and stand-alone), folded."""
    locale = Locale.parse(language)
    names = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            names |= {
                name.casefold().rstrip(".")
                for name in locale.months[context][width].values()
            }
    return frozenset(names)
