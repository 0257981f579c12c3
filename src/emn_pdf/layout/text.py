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
PDF tags it) or ``[Johansson]{.name}`` (a word never hyphenated).  No other
attribute passes.  A capital letter says nothing of a name (German nouns have
one): only the editor's mark keeps a word whole.

``typographer`` adds the no-break spaces a line must not end at.  A no-break
space just before or after an inline element is moved inside it: WeasyPrint
70 breaks such a line at its first opportunity, leaving one short line inside
the paragraph ("This / year’s national conference took place on 2 October").

A paragraph wholly in bold is an interview's question (``class="question"``):
layouts keep it with the answer after it, and preflight says when one is left
at a column's foot.  A title's last word, when short, is kept with the word
before it, so that no heading ends on one short word alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.attrs import attrs_plugin

from .i18n import typography
from .typographer import keep_together

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
WORD_JOINER = "\u2060"


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
#: The class of a name, never hyphenated (marked, or in the edition's ``names:``).
NAME_CLASS = "name"
#: The classes an editor may give to a span.
SPAN_CLASSES = {NAME_CLASS}
#: The class of a paragraph wholly in bold: an interview's question.
QUESTION_CLASS = "question"
QUESTION = re.compile(r"<p><strong>((?:(?!</strong>).)*)</strong></p>", re.DOTALL)
GLUE = "\u00a0\u202f\u2060"
#: A no-break space or joiner just outside an inline element's tags.
GLUE_BEFORE_TAG = re.compile(rf"([{GLUE}])(<(?:span|em|strong|a)\b[^>]*>)")
GLUE_AFTER_TAG = re.compile(rf"(</(?:span|em|strong|a)>)([{GLUE}])")
#: A space between a word and an inline element's opening tag.
SPACE_BEFORE_TAG = re.compile(r"(?<=\S) (<(?:span|em|strong|a)\b[^>]*>)")
#: A title's last word this short is kept with the word before it.
SHORT_LAST_WORD = re.compile(r"(?<=\S) (?=\S{1,6}$)")


def typographic(text: str, language: str, after_word: bool = False) -> str:
    """Return ``text`` with the language's quotes, apostrophes and spaces.

    ``after_word``: the text goes on from a word (the end of a span or of
    emphasis), so a quote at its start closes.
    """
    rules = RULES.get(language, NEUTRAL)
    text = APOSTROPHE.sub("’", text)
    kept = [match.span() for match in LOW_QUOTED.finditer(text)]
    text = _pair_quotes(DOUBLE_QUOTE, text, rules.double_quotes, kept, after_word)
    text = _pair_quotes(SINGLE_QUOTE, text, rules.single_quotes, kept, after_word)
    if rules.space_inside_quotes:
        text = _space_guillemets(text, rules.space_inside_quotes)
    for mark, space in (rules.space_before or {}).items():
        text = re.sub(
            rf"(?:(?<=[\w»”)\]])|^)[ {NBSP}{NARROW_NBSP}]?{re.escape(mark)}"
            rf"(?=\s|$|[»”)\]])",
            space + mark,
            text,
        )
    return keep_together(text, language, typography(language))


def _pair_quotes(
    pattern: re.Pattern[str],
    text: str,
    quotes: tuple[str, str],
    kept: list[tuple[int, int]],
    after_word: bool = False,
) -> str:
    """Replace each quote by an opening or closing one, by where it stands.

    Quotes inside the ``kept`` spans are left as the editor typed them.
    """
    opening, closing = quotes

    def replace(match: re.Match[str]) -> str:
        start = match.start()
        if any(begin <= start < end for begin, end in kept):
            return match[0]
        if start == 0:
            return closing if after_word else opening
        before = text[start - 1]
        opens = before.isspace() or before in "([{"
        return opening if opens else closing

    return pattern.sub(replace, text)


def _space_guillemets(text: str, space: str) -> str:
    """Put exactly one no-break ``space`` inside each « »."""
    text = re.sub(rf"«[\s{NARROW_NBSP}]*", "«" + space, text)
    return re.sub(rf"[\s{NARROW_NBSP}]*»", space + "»", text)


def typeset(text: str, language: str, names: Sequence[str] = ()) -> Markup:
    """Return ``text`` as escaped HTML with typography, superscripts and spans.

    Each of ``names`` (the edition's ``names:``) is kept whole, as if marked.
    """
    html = _parser(language, inline=True).renderInline(text, {"names": names})
    return Markup(_glued_inside(html))


def typeset_heading(text: str, language: str, names: Sequence[str] = ()) -> Markup:
    """Return a heading as :func:`typeset` does, its short last word kept.

    The last word, when short, is kept with the one before it: no heading
    ends on one short word alone.  Headings only: elsewhere (a footer, a
    publisher's name) the no-break space would keep nothing a line could
    part, and outlines and readers' text would carry it.
    """
    if len(text.split()) > 2:
        text = SHORT_LAST_WORD.sub(NBSP, text.rstrip())
    return typeset(text, language, names)


def _glued_inside(html: str) -> str:
    """Move a space next to an inline element's opening tag inside the element.

    WeasyPrint 70 breaks a line at its first opportunity, not its last, when
    the line runs up to an inline element after a space: "took / place / on 2
    October at the University of / <span>Luxembourg</span>" (one word alone,
    two lines above the element; upstream #1614).  A space inside the element
    breaks as well and sets nothing wrong; a no-break space or joiner goes
    inside too, before or after the element.
    """
    html = SPACE_BEFORE_TAG.sub(r"\1 ", html)
    html = GLUE_BEFORE_TAG.sub(r"\2\1", html)
    return GLUE_AFTER_TAG.sub(r"\2\1", html)


def plain_text(text: str, language: str) -> str:
    """Return ``text`` with typography, for attributes and metadata: no spans.

    No word joiner either: it keeps a line from breaking, and an attribute
    (a picture's description, the document's title) is read, not set.
    """
    tokens = _parser(language, inline=True).parseInline(text, {})
    languages, parts = [language], []
    for child in (child for token in tokens for child in token.children or []):
        if child.type == "span_open":
            _enter_span(child, languages)
        elif child.type == "span_close":
            languages.pop()
        else:
            parts.append(typographic(child.content, languages[-1]))
    return "".join(parts).replace(WORD_JOINER, "")


def _typeset_text(text: str, language: str, after_word: bool = False) -> str:
    """Return escaped ``text`` with typography and superscripts."""
    typeset = typographic(text, language, after_word)
    return SUPERSCRIPT.sub(_superscript, str(escape(typeset)))


def _superscript(match: re.Match[str]) -> str:
    letters = "".join(SUPERSCRIPT_LETTERS[char] for char in match[0])
    return f"<sup>{letters}</sup>"


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
        parser.core.ruler.push("without_empty_containers", _without_empty_containers)
    parser.use(attrs_plugin, spans=True, after=(), allowed=("lang", "class"))

    def render_text(
        renderer: Any, tokens: list[Token], index: int, options: Any, env: Any
    ) -> str:
        previous = tokens[index - 1] if index else None
        if previous is not None and previous.markup == "autolink":
            return str(escape(tokens[index].content))  # an address, not prose
        text_language = env.get("languages", [language])[-1]
        after_word = previous is not None and previous.nesting == -1
        html = _typeset_text(tokens[index].content, text_language, after_word)
        if env.get("names") and not any(env.get("in_name", ())):
            html = _names(tuple(env["names"])).sub(_kept_name, html)
        return html

    def render_span(
        renderer: Any, tokens: list[Token], index: int, options: Any, env: Any
    ) -> str:
        token = tokens[index]
        languages = env.setdefault("languages", [language])
        names = env.setdefault("in_name", [])
        if token.type == "span_close":
            languages.pop()
            names.pop()
            return "</span>"
        _enter_span(token, languages)
        names.append("name" in str(token.attrs.get("class", "")).split())
        return f"<span{renderer.renderAttrs(token)}>"

    parser.add_render_rule("text", render_text)
    parser.add_render_rule("span_open", render_span)
    parser.add_render_rule("span_close", render_span)
    return parser


#: A container's opening and closing tokens with nothing between them.
EMPTY_CONTAINERS = {
    (f"{name}_open", f"{name}_close")
    for name in ("list_item", "bullet_list", "ordered_list", "blockquote")
}


def _without_empty_containers(state: StateCore) -> None:
    """Drop list items, lists and quotations with nothing inside.

    A lone ``-``, ``1.`` or ``>`` holds no text (a slip of the keyboard); set,
    an empty item is a bullet with nothing after it, which the engine gives
    a line the galley does not measure.
    """
    tokens, index = state.tokens, 0
    while index < len(tokens) - 1:
        if (tokens[index].type, tokens[index + 1].type) in EMPTY_CONTAINERS:
            del tokens[index : index + 2]
            index = max(index - 1, 0)  # its container may be empty now
        else:
            index += 1


@cache
def _names(names: tuple[str, ...]) -> re.Pattern[str]:
    """Return a pattern of ``names`` as whole words of escaped text."""
    words = "|".join(
        re.escape(str(escape(name))) for name in sorted(names, key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w&])(?:{words})(?!\w)")


def _kept_name(match: re.Match[str]) -> str:
    return f'<span class="{NAME_CLASS}">{match[0]}</span>'


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


def markdown_to_html(source: str, language: str, names: Sequence[str] = ()) -> Markup:
    """Render a Markdown body to HTML that templates may insert unescaped.

    A paragraph wholly in bold is marked as a question (an interview's);
    each of ``names`` is kept whole, as if marked.
    """
    html = _glued_inside(_parser(language).render(source, {"names": names}))
    return Markup(
        QUESTION.sub(rf'<p class="{QUESTION_CLASS}"><strong>\1</strong></p>', html)
    )
