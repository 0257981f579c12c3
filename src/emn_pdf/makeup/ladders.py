"""No more than two hyphenated lines in a row: ladders found and undone.

The engine (WeasyPrint) hyphenates each line on its own; it knows no
``hyphenate-limit-lines``.  Page makeup sets every module in the galley at
the width it takes on the page, so the galley's lines are the page's: there,
:func:`ladder_words` finds each run of more than :data:`MOST_IN_A_ROW`
hyphenated line ends and names the word the engine split at the end of the
run, and :func:`keep_whole` marks that word, in the module's HTML, not to be
hyphenated (as the editor's ``{.name}`` does).  The galley then measures the
module again: the word moves whole to the next line and the ladder is broken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from lxml.etree import _Element

from ..engine.boxes import Box, descendants, is_line, is_text

#: More hyphenated lines in a row than this make a ladder.
MOST_IN_A_ROW = 2
#: The class of a word makeup keeps whole; ``mk-`` elements are no tags.
WHOLE_CLASS = "mk-whole"
#: No-break spaces and joiners, moved inside the mark with the word: the
#: engine breaks a line badly at one just outside an inline element.
GLUE = "\u00a0\u202f\u2060"
#: Elements whose text is never marked: addresses, names already kept whole.
SKIPPED = {"a", "script", "style", "svg"}


def ladder_words(box: Box) -> set[str]:
    """Return the words to keep whole so that no ladder is left in ``box``."""
    words: set[str] = set()
    for lines, source in _paragraphs(box):
        run: list[int] = []
        for index, text in enumerate(lines):
            run = [*run, index] if _hyphenated(text) else []
            if len(run) > MOST_IN_A_ROW and (word := _split_word(lines, run, source)):
                words.add(word)
                run = []
    return words


def _paragraphs(box: Box) -> Iterator[tuple[list[str], str]]:
    """Yield each paragraph's lines of text, and its text as written.

    A paragraph is a box whose children are all line boxes.
    """
    children = getattr(box, "children", ())
    if children and all(is_line(child) for child in children):
        source = "".join(box.element.itertext()) if box.element is not None else ""
        lines = [
            "".join(text.text for text in descendants(line) if is_text(text))
            for line in children
        ]
        yield lines, source
        return
    for child in children:
        yield from _paragraphs(child)


def _hyphenated(text: str) -> bool:
    return bool(re.search(r"\w[-\u2010\u00ad]$", text.rstrip()))


def _split_word(lines: Sequence[str], run: Sequence[int], source: str) -> str | None:
    """Return the word of ``source`` the engine split last in the run.

    A word may run over three lines ("Ein- / bürgerungsbe- / hörde"): the
    written word holds the halves joined.  A compound broken at its own
    hyphen ("bien-être") is no such word: a mark cannot keep it whole.
    """
    for index in reversed(run):
        end = re.search(r"(\w+)[-\u2010\u00ad]$", lines[index].rstrip())
        following = lines[index + 1] if index + 1 < len(lines) else ""
        start = re.match(r"\s*(\w+)", following)
        if end and start:
            joined = end[1] + start[1]
            words = [word for word in re.findall(r"\w+", source) if joined in word]
            if words:
                return str(words[0])
    return None


def keep_whole(elements: Sequence[_Element], words: set[str]) -> int:
    """Mark every occurrence of ``words`` in ``elements`` not to be hyphenated.

    Return how many were marked.
    """
    if not words:
        return 0
    pattern = re.compile(
        rf"[{GLUE}]?(?<![\w-])(?:{'|'.join(map(re.escape, sorted(words)))})"
        rf"(?![\w-])[{GLUE}]?"
    )
    return sum(_mark_text(element, pattern) for element in elements)


def _mark_text(element: _Element, pattern: re.Pattern[str]) -> int:
    """Wrap each match of ``pattern`` in ``element``'s text and its children's."""
    if not isinstance(element.tag, str) or element.tag in SKIPPED:
        return 0
    if WHOLE_CLASS in (element.get("class") or "").split():
        return 0
    marked = 0
    for child in list(element):
        marked += _mark_text(child, pattern)
        marked += _wrap_tail(child, pattern)
    return marked + _wrap_head(element, pattern)


def _wrap_head(element: _Element, pattern: re.Pattern[str]) -> int:
    """Wrap matches in the text before ``element``'s first child."""
    text = element.text or ""
    pieces = list(_pieces(text, pattern))
    if len(pieces) == 1:
        return 0
    element.text = pieces[0]
    for position, (word, tail) in enumerate(_pairs(pieces[1:])):
        element.insert(position, _whole(word, tail))
    return len(pieces) // 2


def _wrap_tail(child: _Element, pattern: re.Pattern[str]) -> int:
    """Wrap matches in the text after ``child``."""
    pieces = list(_pieces(child.tail or "", pattern))
    if len(pieces) == 1:
        return 0
    child.tail = pieces[0]
    anchor = child
    for word, tail in _pairs(pieces[1:]):
        mark = _whole(word, tail)
        anchor.addnext(mark)
        anchor = mark
    return len(pieces) // 2


def _pieces(text: str, pattern: re.Pattern[str]) -> Iterator[str]:
    """Split ``text`` into text, word, text, word, ..., text."""
    start = 0
    for match in pattern.finditer(text):
        yield text[start : match.start()]
        yield match[0]
        start = match.end()
    yield text[start:]


def _pairs(pieces: list[str]) -> Iterator[tuple[str, str]]:
    return zip(pieces[::2], pieces[1::2], strict=True)


def _whole(word: str, tail: str) -> _Element:
    from lxml.html import Element

    mark = Element("span")
    mark.set("class", WHOLE_CLASS)
    mark.set("style", "hyphens: manual")
    mark.text = word
    mark.tail = tail
    return mark
