"""The HTML stage, without WeasyPrint: golden files and escaping.

Regenerate the golden files after a deliberate template change with
``make golden`` (it sets EMN_PDF_UPDATE_GOLDEN=1), then review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from conftest import SAMPLE

from emn_pdf.edition import prepare
from emn_pdf.layout.render import short_url

GOLDEN = Path(__file__).parent / "golden"


def edition_html(issue: Path, lang: str = "fr") -> str:
    return prepare(issue, lang, None).html()


def test_sample_html_matches_the_golden_file() -> None:
    html = edition_html(SAMPLE)
    golden = GOLDEN / "2024-12-fr.html"
    if os.environ.get("EMN_PDF_UPDATE_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_text_fields_cannot_inject_markup(make_issue: Callable[..., Path]) -> None:
    issue = make_issue(
        """\
        masthead:
          organisation: <script>alert(1)</script>
          title: Newsletter
          number: 1
          date: 2025-03-20
          language: fr
        sections:
          - heading: "<iframe src=x>"
            blocks:
              - kind: news
                title: "</style><img src=file:///etc/passwd>"
                body: "<style>body{background:url(http://evil/)}</style> [x](javascript:alert(1))"
        """
    )
    html = edition_html(issue)
    for raw in (
        "<script>",
        "<iframe",
        "<img src=file",
        "<style>body",
        'href="javascript',
    ):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;iframe src=x&gt;" in html


def test_short_url_is_how_people_say_an_address() -> None:
    assert short_url("https://www.emnluxembourg.uni.lu/") == "emnluxembourg.uni.lu"
