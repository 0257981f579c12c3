"""Markdown bodies and locale dates, the two text transforms of the pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from emn_pdf.i18n import format_date_range, format_day, format_month, load_catalogue
from emn_pdf.text import markdown_to_html


def test_markdown_paragraphs_emphasis_links_and_lists() -> None:
    html = markdown_to_html("Un *mot* et [un lien](https://x.org).\n\n- a\n- b", "fr")
    assert html == (
        '<p>Un <em>mot</em> et <a href="https://x.org">un lien</a>.</p>\n'
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=file:///etc/passwd>",
        "[x](javascript:alert(1))",
        "[x](file:///etc/passwd)",
        "![x](file:///etc/passwd)",
        "# Not a heading of ours",
    ],
)
def test_markdown_cannot_smuggle_markup(source: str) -> None:
    html = markdown_to_html(source, "fr")
    assert "<script" not in html
    assert "<img" not in html
    assert "<h1" not in html
    assert "href" not in html


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2024, 9, 25), (2024, 9, 26), "25–26 septembre 2024"),
        ((2024, 9, 25), (2024, 10, 2), "25 septembre – 2 octobre 2024"),
        ((2024, 12, 30), (2025, 1, 2), "30 décembre 2024 – 2 janvier 2025"),
        ((2024, 10, 2), (2024, 10, 2), "2 octobre 2024"),
    ],
)
def test_french_date_ranges(
    start: tuple[int, int, int], end: tuple[int, int, int], expected: str
) -> None:
    assert (
        format_date_range(dt.date(*start), dt.date(*end), "fr_FR").replace(
            "\u2009", " "
        )
        == expected
    )


def test_french_days_and_months() -> None:
    assert format_day(dt.date(2024, 10, 2), "fr_FR") == "2 octobre 2024"
    assert format_month(dt.date(2024, 12, 18), "fr_FR") == "décembre 2024"


def test_french_catalogue_has_the_button_labels() -> None:
    labels = load_catalogue("fr").labels
    assert labels.link == "Lien"
    assert labels.read == "Cliquez ici pour lire"
