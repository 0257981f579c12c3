"""Editors' text to safe, typographically correct HTML, per language.

Bodies are CommonMark with raw HTML switched off: a ``<script>`` typed in an
issue file is printed as text, never interpreted.  Headings and images are
switched off too, because a layout owns the heading levels and every picture
must go through an image field that carries alt text.  Links other than web
and e-mail addresses (``javascript:``, ``file:``, relative paths) stay text.

Typography follows the edition's language and touches only text, never an
address: French gets (narrow) no-break spaces before ``; : ! ?`` and inside
« », German „ “ quotes, English “ ” quotes, all of them typographic
apostrophes; an ordinal written "6ᵉ" is set as a real superscript.

In any text field an editor may mark a span, ``[Forecasting Workshop]{lang=en}``
(its language: the HTML carries it, typography and hyphenation follow it, the
PDF tags it) or ``[Johansson]{.name}`` (a word never hyphenated); names, any
capitalised word of seven letters or more in a body, are protected without it.
No other attribute passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.attrs import attrs_plugin

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Rules:
    """How one language writes quotes and spaces around punctuation."""

    double_quotes: tuple[str, str]
    single_quotes: tuple[str, str]
    space_inside_quotes: str = ""
    space_before: dict[str, str] | None = None


RULES = {
    "fr": Rules(
        double_quotes=("«", "»"),
        single_quotes=("“", "”"),
        space_inside_quotes=NARROW_NBSP,
        space_before={":": NBSP, ";": NARROW_NBSP, "!": NARROW_NBSP, "?": NARROW_NBSP},
    ),
    "en": Rules(double_quotes=("“", "”"), single_quotes=("‘", "’")),
    "de": Rules(double_quotes=("„", "“"), single_quotes=("‚", "‘")),
}
#: Languages without rules of their own keep their quotes and get apostrophes.
NEUTRAL = Rules(double_quotes=("“", "”"), single_quotes=("‘", "’"))

APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")
DOUBLE_QUOTE = re.compile(r"[\"“”]")
#: A quotation opened by a low-9 mark („Ivan Vazov“, ‚so‘) was typed as its
#: language writes it (Bulgarian, German, Czech...): it keeps its marks.
LOW_QUOTED = re.compile(r"[„‚][^\"“”„‚‘’]*[“”‘’]")
SINGLE_QUOTE = re.compile(r"(?<!\w)'|'(?!\w)")
SUPERSCRIPT = re.compile(r"(?<=\d)(ᵉʳ|ʳᵉ|ᵉ)")
SUPERSCRIPT_LETTERS = {"ᵉ": "e", "ʳ": "r"}
#: A BCP 47 language tag, as an editor may give one to a span.
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*")
#: The classes an editor may give to a span.
SPAN_CLASSES = {"name"}
#: A proper name, as far as hyphenation goes (``hyphenate-limit-chars: 7``).
NAME = re.compile(
    r"(?:«\u202f)?(?<![\w&])[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ’-]{6,}(?:\u202f[»!?:;])?"
)


def typographic(text: str, language: str) -> str:
    """Return ``text`` with the language's quotes, apostrophes and spaces."""
    rules = RULES.get(language, NEUTRAL)
    text = APOSTROPHE.sub("’", text)
    kept = [match.span() for match in LOW_QUOTED.finditer(text)]
    text = _pair_quotes(DOUBLE_QUOTE, text, rules.double_quotes, kept)
    text = _pair_quotes(SINGLE_QUOTE, text, rules.single_quotes, kept)
    if rules.space_inside_quotes:
        text = _space_guillemets(text, rules.space_inside_quotes)
    for mark, space in (rules.space_before or {}).items():
        text = re.sub(
            rf"(?:(?<=[\w»”)\]])|^)[ {NBSP}{NARROW_NBSP}]?{re.escape(mark)}"
            rf"(?=\s|$|[»”)\]])",
            space + mark,
            text,
        )
    return text


def _pair_quotes(
    pattern: re.Pattern[str],
    text: str,
    quotes: tuple[str, str],
    kept: list[tuple[int, int]],
) -> str:
    """Replace each quote by an opening or closing one, by where it stands.

    Quotes inside the ``kept`` spans are left as the editor typed them.
    """
    opening, closing = quotes

    def replace(match: re.Match[str]) -> str:
        start = match.start()
        if any(begin <= start < end for begin, end in kept):
            return match[0]
        opens = start == 0 or text[start - 1].isspace() or text[start - 1] in "([{"
        return opening if opens else closing

    return pattern.sub(replace, text)


def _space_guillemets(text: str, space: str) -> str:
    """Put exactly one no-break ``space`` inside each « »."""
    text = re.sub(rf"«[\s{NARROW_NBSP}]*", "«" + space, text)
    return re.sub(rf"[\s{NARROW_NBSP}]*»", space + "»", text)


def typeset(text: str, language: str) -> Markup:
    """Return ``text`` as escaped HTML with typography, superscripts and spans."""
    return Markup(_parser(language, inline=True).renderInline(text, {}))


def plain_text(text: str, language: str) -> str:
    """Return ``text`` with typography, for attributes and metadata: no spans."""
    tokens = _parser(language, inline=True).parseInline(text, {})
    languages, parts = [language], []
    for child in (child for token in tokens for child in token.children or []):
        if child.type == "span_open":
            _enter_span(child, languages)
        elif child.type == "span_close":
            languages.pop()
        else:
            parts.append(typographic(child.content, languages[-1]))
    return "".join(parts)


def _typeset_text(text: str, language: str, names: bool = False) -> str:
    """Return escaped ``text`` with typography, superscripts and kept names."""
    html = SUPERSCRIPT.sub(_superscript, str(escape(typographic(text, language))))
    return NAME.sub(_kept_name, html) if names else html


def _superscript(match: re.Match[str]) -> str:
    letters = "".join(SUPERSCRIPT_LETTERS[char] for char in match[0])
    return f"<sup>{letters}</sup>"


def _kept_name(match: re.Match[str]) -> str:
    return f'<span class="name">{match[0]}</span>'


@cache
def _parser(language: str, inline: bool = False) -> MarkdownIt:
    """Return the Markdown parser of bodies, or (``inline``) of other fields.

    Other fields are text but for spans: ``*`` or ``[a](b)`` print as typed.
    """
    if inline:
        parser = MarkdownIt("zero")
    else:
        parser = MarkdownIt("commonmark", {"html": False, "linkify": False})
        parser.disable(["heading", "lheading", "image", "html_block", "html_inline"])
        parser.validateLink = _is_web_or_mail_link  # type: ignore[method-assign]
    parser.use(attrs_plugin, spans=True, after=(), allowed=("lang", "class"))

    def render_text(
        renderer: Any, tokens: list[Token], index: int, options: Any, env: Any
    ) -> str:
        previous = tokens[index - 1] if index else None
        if previous is not None and previous.markup == "autolink":
            return str(escape(tokens[index].content))  # an address, not prose
        text_language = env.get("languages", [language])[-1]
        return _typeset_text(tokens[index].content, text_language, not inline)

    def render_span(
        renderer: Any, tokens: list[Token], index: int, options: Any, env: Any
    ) -> str:
        token = tokens[index]
        languages = env.setdefault("languages", [language])
        if token.type == "span_close":
            languages.pop()
            return "</span>"
        _enter_span(token, languages)
        return f"<span{renderer.renderAttrs(token)}>"

    parser.add_render_rule("text", render_text)
    parser.add_render_rule("span_open", render_span)
    parser.add_render_rule("span_close", render_span)
    return parser


def _enter_span(token: Token, languages: list[str]) -> None:
    """Keep only a span's allowed attributes; push the language it is in."""
    _allowed_attributes(token)
    languages.append(str(token.attrs.get("lang", languages[-1])))


def _allowed_attributes(token: Token) -> None:
    """Drop a span's attributes that are not a language tag or a known class."""
    lang = str(token.attrs.get("lang", ""))
    classes = set(str(token.attrs.get("class", "")).split()) & SPAN_CLASSES
    token.attrs = {}
    if LANGUAGE_TAG.fullmatch(lang):
        token.attrs["lang"] = lang
    if classes:
        token.attrs["class"] = " ".join(sorted(classes))


def _is_web_or_mail_link(url: str) -> bool:
    """Only web and e-mail links become links; anything else stays text."""
    return urlsplit(url).scheme in {"http", "https", "mailto"}


def markdown_to_html(source: str, language: str) -> Markup:
    """Render a Markdown body to HTML that templates may insert unescaped."""
    return Markup(_parser(language).render(source))
