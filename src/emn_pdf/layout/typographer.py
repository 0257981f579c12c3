"""The breaks a typographer never makes, per language.

A line may not end between a day and its month, a number and its unit or
what it counts, the hour and its minutes, the groups of a number or of a
telephone number, the ends of a range, an initial or a title and the name
after it, a compound and its own hyphen ("bien-être": a reader's search
takes a hyphen at a line's end for a word cut, and would not find
"bien-être" broken there; the compound may still be hyphenated within a
part).  Each such space becomes a no-break space (a narrow one before a
sign in French), a range's dash and a compound's hyphen are joined to what
follows them (U+2060 WORD
JOINER), digit groups typed with spaces are written as the locale writes
them (Babel: a narrow no-break space in French, a comma in English, a point
in German), and French ordinals typed "1er", "2e", "XIXe" become the
modifier letters "1ᵉʳ", "2ᵉ", "XIXᵉ" that ``text`` sets as superscripts.

Month names and digit groups come from Babel's CLDR data; the titles, units
and ordinals of each language from its catalogue (``typography:``).
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_group_symbol

from .i18n import Typography

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
WORD_JOINER = "\u2060"
#: Signs set after a number with a narrow no-break space in French.
SIGNS = "%‰€$£°"
#: A number kept with the word after it: a day, a count, a decimal, an
#: ordinal (1ᵉʳ, 2ᵉ, 17th; German 27., a day or a rank: "auf 260. Zwölf"
#: ends a sentence), or a number written in groups.
NUMBER = (
    r"(?<![\w.,])(?:\d{{1,3}}(?:[.,]\d+)?(?:ᵉʳ|ʳᵉ|ᵉ|st|nd|rd|th)?{dot}"
    r"|\d{{1,3}}(?:[\u202f\u00a0.,]\d{{3}})+|[IVX]+(?:ᵉʳ|ᵉ))"
)
#: Languages whose ordinals are a number and a point (27. November).
ORDINAL_POINT = {"de", "da", "fi", "nb", "no", "cs", "sk", "sl", "hr", "hu", "et"}
PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3} )?\(?0\d{1,5}\)?(?: \d{2,4}){2,5}(?!\w)")
GROUPS = re.compile(r"(?<![\w.,])\d{1,3}(?: \d{3})+(?![\w.,]\d)")
RANGE = re.compile(r"(?<=\d)([–-])(?=\d)")
#: A compound's own hyphen, between two letters ("bien-être", "EMN-OCDE").
COMPOUND = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
SPACED_RANGE = re.compile(r"(?<=\d) (?=– ?\d)|(?<=\d –) (?=\d)")
INITIAL = re.compile(r"(?<![\w.])([A-Z]\.) (?=[A-Z])")
FRENCH_ORDINAL = re.compile(r"(?<![\w.])(\d+|[IVX]+)(er|re|ère|i?ème|e)(?!\w)")
ORDINAL_LETTERS = {
    "er": "ᵉʳ",
    "re": "ʳᵉ",
    "ère": "ʳᵉ",
    "e": "ᵉ",
    "ème": "ᵉ",
    "ième": "ᵉ",
}


def keep_together(text: str, language: str, conventions: Typography) -> str:
    """Return ``text`` with no-break spaces where a line must not end."""
    text = PHONE.sub(lambda match: match[0].replace(" ", NBSP), text)
    text = GROUPS.sub(lambda match: match[0].replace(" ", _group(language)), text)
    if conventions.ordinals:
        text = FRENCH_ORDINAL.sub(_ordinal, text)
    text = RANGE.sub(r"\1" + WORD_JOINER, text)
    text = COMPOUND.sub("-" + WORD_JOINER, text)
    text = SPACED_RANGE.sub(NBSP, text)
    text = _patterns(language, conventions).sub(
        lambda match: match[1] + _space_before(match[2], language), text
    )
    return INITIAL.sub(r"\1" + NBSP, text)


def _space_before(following: str, language: str) -> str:
    return NARROW_NBSP if language == "fr" and following in SIGNS else NBSP


def _ordinal(match: re.Match[str]) -> str:
    """1er -> 1ᵉʳ, 2e -> 2ᵉ, XIXe -> XIXᵉ; a Roman numeral takes only e, er."""
    if match[1].isalpha() and match[2] not in ("e", "er"):
        return match[0]
    return match[1] + ORDINAL_LETTERS[match[2]]


@cache
def _group(language: str) -> str:
    """Return the digit group separator of ``language`` (a space if unknown)."""
    try:
        symbol = get_group_symbol(Locale.parse(language))
    except (ValueError, UnknownLocaleError):
        return NBSP
    return NARROW_NBSP if symbol.isspace() else symbol


@cache
def _patterns(language: str, conventions: Typography) -> re.Pattern[str]:
    """One pattern for every space to keep: group 1 before it, 2 the next character.

    After a number (before a word or a sign), after a title, after a unit
    followed by digits (12 h 30), between a month and its day (October 2).
    """
    titles = "|".join(map(re.escape, sorted(conventions.titles, key=len, reverse=True)))
    units = "|".join(map(re.escape, sorted(conventions.units, key=len, reverse=True)))
    months = "|".join(sorted(_months(language), key=len, reverse=True))
    number = NUMBER.format(
        dot=r"|\d{1,2}\." if language.split("-")[0] in ORDINAL_POINT else ""
    )
    before = [number, rf"(?<!\w)(?:{titles})"] if titles else [number]
    if units:
        before.append(rf"(?<=\d[ {NBSP}{NARROW_NBSP}])(?:{units})(?= \d)")
    if months:
        before.append(rf"(?<!\w)(?i:{months})(?= \d{{1,2}}\b)")
    return re.compile(rf"({'|'.join(before)}) (?=(\w|[{SIGNS}]))")


@cache
def _months(language: str) -> frozenset[str]:
    """Return the month names of ``language``, as a regular expression's words."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return frozenset()
    names = {
        re.escape(name)
        for context in ("format", "stand-alone")
        for name in locale.months[context]["wide"].values()
    }
    return frozenset(names)
