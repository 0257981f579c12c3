"""A paragraph turned between its lines: where, in its characters, and its halves.

The engine sets a paragraph in lines; makeup may end a column after one of
them (as orphans and widows allow) and go on in the next, as a newspaper
turns a long article.  A turn is kept as a count of the paragraph's
characters before it, spaces and soft hyphens not counted: the engine's
lines give it (:func:`line_ends`, when measuring), and the HTML is cut at it
(:func:`keep_first`, :func:`drop_first`, when writing the pages).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml.etree import _Element

SOFT_HYPHEN = "\u00ad"
#: A line ending in one of these ends inside a word: no turn after it.
HYPHENS = ("-", "\u2010", "\u2011")


def visible(text: str) -> str:
    """Return the characters of ``text`` that count: no space, no soft hyphen."""
    return "".join(c for c in text if not c.isspace() and c != SOFT_HYPHEN)


def line_ends(lines: Sequence[str], written: str) -> list[int | None] | None:
    """Return, for each line set, how many characters of ``written`` end it.

    ``None`` for a line that ends in a hyphen (the engine's, or the word's
    own): a turn after it would leave a word cut at a column's or a page's
    foot.  ``None`` for the whole when the lines do not spell the text
    (generated content, capitals that change its length): that paragraph
    does not turn.
    """
    source = visible(written)
    capitals = source.upper()
    if len(capitals) != len(source):
        return None
    position, ends = 0, []
    for line in lines:
        text = visible(line).upper()
        if capitals.startswith(text, position):
            position += len(text)
            ends.append(None if text.endswith(HYPHENS) else position)
        elif text.endswith(HYPHENS) and capitals.startswith(text[:-1], position):
            position += len(text) - 1
            ends.append(None)
        else:
            return None
    return ends if position == len(source) else None


def keep_first(element: _Element, count: int) -> int:
    """Keep the first ``count`` characters of ``element``'s text; return those missing.

    What follows them goes, elements included; an element the turn falls in
    keeps its part.  No space is kept after the last character: the engine
    would count it in the width of the last line, and break it otherwise
    (the tags give readers the space, see ``engine.tagging``).
    """
    element.text, count = _first(element.text, count)
    for child in list(element):
        if count <= 0:
            element.remove(child)
            continue
        count = keep_first(child, count)
        child.tail, count = _first(child.tail, count)
    return count


def drop_first(element: _Element, count: int) -> int:
    """Drop the first ``count`` characters of ``element``'s text; return those missing.

    An element wholly before the turn goes, the text after it stays.
    """
    element.text, count = _rest(element.text, count)
    for child in list(element):
        if count <= 0:
            break
        count = drop_first(child, count)
        child.tail, count = _rest(child.tail, count)
        if not visible("".join(child.itertext())):
            _remove_keeping_tail(child)
    return count


def _first(text: str | None, count: int) -> tuple[str | None, int]:
    """Return ``text`` up to its ``count``-th character, and how many are missing."""
    if not text:
        return text, count
    if count <= 0:
        return None, count
    seen = 0
    for index, character in enumerate(text):
        seen += not character.isspace() and character != SOFT_HYPHEN
        if seen == count:
            return text[: index + 1], 0
    return text, count - seen


def _rest(text: str | None, count: int) -> tuple[str | None, int]:
    """Return ``text`` after its ``count``-th character, and how many are missing."""
    if not text or count <= 0:
        return text, count
    seen = 0
    for index, character in enumerate(text):
        seen += not character.isspace() and character != SOFT_HYPHEN
        if seen == count:
            return text[index + 1 :], 0
    return None, count - seen


def _remove_keeping_tail(element: _Element) -> None:
    """Remove ``element``; the text after it joins what stands before it."""
    parent = element.getparent()
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
