"""Editors' Markdown to safe HTML fragments.

Bodies are CommonMark with raw HTML switched off: a ``<script>`` typed in an
issue file is printed as text, never interpreted.  Headings and images are
switched off too, because a layout owns the heading levels and every picture
must go through an image field that carries alt text.  Links other than web
and e-mail addresses (``javascript:``, ``file:``, relative paths) stay text.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False})
    parser.disable(["heading", "lheading", "image", "html_block", "html_inline"])
    parser.validateLink = _is_web_or_mail_link  # type: ignore[method-assign]
    return parser


def _is_web_or_mail_link(url: str) -> bool:
    """Only web and e-mail links become links; anything else stays text."""
    return urlsplit(url).scheme in {"http", "https", "mailto"}


def markdown_to_html(source: str) -> Markup:
    """Render a Markdown body to HTML that templates may insert unescaped."""
    return Markup(_parser().render(source))
