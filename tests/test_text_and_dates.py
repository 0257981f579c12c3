"""Markdown bodies and locale dates, the two text transforms of the pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from emn_pdf.layout.i18n import (
    fill_message,
    format_date_range,
    format_day,
    format_month,
    load_catalogue,
)
from emn_pdf.layout.text import markdown_to_html, typographic


def test_markdown_paragraphs_emphasis_links_and_lists() -> None:
    html = markdown_to_html("Un *mot* et [un lien](https://x.org).\n\n- a\n- b", "fr")
    assert html == (
        '<p>Un<em> mot</em> et<a href="https://x.org"> un lien</a>.</p>\n'
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
    )


def test_a_name_keeps_its_guillemets_and_their_spaces() -> None:
    """A name the editor marks is kept whole in an element of its own; the
    no-break spaces tying it to its guillemets go inside it, or the engine
    breaks the line at its first opportunity (a stray short line)."""
    html = markdown_to_html(
        'du cours "[Introduction to Border Studies]{.name}" à', "fr"
    )
    assert (
        '«<span class="name">\u202fIntroduction to Border Studies\u202f</span>»' in html
    )


def test_a_capital_letter_does_not_make_a_name() -> None:
    """German nouns are capitalised: only the editor's mark keeps a word whole."""
    html = markdown_to_html("der Reform des Fachkräfteeinwanderungsgesetzes", "de")
    assert "name" not in html


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


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        # A quotation opened by a low-9 mark was typed as its language
        # writes it: a Bulgarian name keeps „…“ in the English edition.
        ("en", "the „Ivan Vazov“ theatre", "the „Ivan Vazov“ theatre"),
        ("fr", "le théâtre „Ivan Vazov“", "le théâtre „Ivan Vazov“"),
        ("en", "a ‚small‘ one", "a ‚small‘ one"),
        # Straight quotes, and the “ ” word processors make of them, follow
        # the edition's language.
        ("en", 'a "straight" quote', "a “straight” quote"),
        (
            "fr",
            "l’outil “Destination Europe”",
            "l’outil «\u202fDestination Europe\u202f»",
        ),
        ("fr", 'un mot "cité"', "un mot «\u202fcité\u202f»"),
        ("de", 'ein "Wort"', "ein „Wort“"),
    ],
)
def test_quotes_follow_the_language_but_low_9_quotations_are_kept(
    language: str, source: str, expected: str
) -> None:
    assert typographic(source, language) == expected


@pytest.mark.parametrize(
    ("language", "publisher", "expected"),
    [
        (
            "fr",
            "l’Institut luxembourgeois",
            "Une publication de l’Institut luxembourgeois",
        ),
        ("fr", "le Centre d’études", "Une publication du Centre d’études"),
        ("fr", "les Amis du quartier", "Une publication des Amis du quartier"),
        ("fr", "la Ville de Luxembourg", "Une publication de la Ville de Luxembourg"),
        ("fr", "EMN Luxembourg", "Une publication d’EMN Luxembourg"),
        ("de", "dem Verein Brücken", "Eine Veröffentlichung vom Verein Brücken"),
        ("de", "der Stadt Trier", "Eine Veröffentlichung von der Stadt Trier"),
        ("en", "the City of Esch", "A publication of the City of Esch"),
    ],
)
def test_the_publisher_line_elides_and_contracts(
    language: str, publisher: str, expected: str
) -> None:
    catalogue = load_catalogue(language)
    line = fill_message(catalogue.labels.published_by, catalogue, publisher=publisher)
    assert line == expected


def test_a_reworded_message_without_placeholder_gets_the_value_after_it() -> None:
    catalogue = load_catalogue("fr")
    assert (
        fill_message("Publié par", catalogue, publisher="le Centre")
        == "Publié par le Centre"
    )


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("-", ""),
        (">", ""),
        ("1.", ""),
        ("- a\n-\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
        ("Texte.\n\n-\n\nAutre.", "<p>Texte.</p>\n<p>Autre.</p>\n"),
    ],
)
def test_empty_list_items_and_quotations_are_dropped(source: str, html: str) -> None:
    """A lone '-', '1.' or '>' holds nothing to print: no empty bullet is set."""
    assert markdown_to_html(source, "fr") == html
