"""Several language editions of one issue: wording, dates, typography, checks."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pdfcheck import body_text, page_texts
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.cli import app
from emn_pdf.issue.errors import UserError
from emn_pdf.layout.i18n import (
    format_date_range,
    format_month,
    load_catalogue,
    supported_languages,
)

GERMAN = """\
masthead:
  organisation: EMN Luxemburg
  title: Newsletter
  number: 3
  date: 2024-12-18
  language: de
sections:
  - heading: Aktuelle Veranstaltungen
    blocks:
      - kind: event
        title: Workshop "Zukunft der Migration"
        date: {start: 2024-09-25, end: 2024-09-26}
        place: Estland
        body: Der Workshop war ein 'voller' Erfolg, sagte die Leiterin.
        links: [{url: "https://example.org/workshop"}]
      - kind: briefs
        items:
          - {title: Migrationsdiplomatie, url: "https://example.org/brief.pdf"}
      - kind: contact
        email: emn@uni.lu
"""


@pytest.fixture(scope="session")
def sample_editions(
    sample: dict[tuple[str, str], emn_pdf.BuildReport],
) -> dict[str, Path]:
    """The web PDF of every edition of the sample issue."""
    return {
        language: report.path
        for (language, target), report in sample.items()
        if target == "web" and report.path
    }


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "fr_FR",
            [
                "25–26 septembre 2024",
                "30 septembre – 2 octobre 2024",
                "30 décembre 2024 – 2 janvier 2025",
            ],
        ),
        (
            "en_GB",
            [
                "25 – 26 September 2024",
                "30 September – 2 October 2024",
                "30 December 2024 – 2 January 2025",
            ],
        ),
        (
            "de_DE",
            [
                "25.–26. September 2024",
                "30. September – 2. Oktober 2024",
                "30. Dezember 2024 – 2. Januar 2025",
            ],
        ),
    ],
)
def test_date_ranges_within_a_month_across_months_and_years(
    locale: str, expected: list[str]
) -> None:
    spans = [
        (dt.date(2024, 9, 25), dt.date(2024, 9, 26)),
        (dt.date(2024, 9, 30), dt.date(2024, 10, 2)),
        (dt.date(2024, 12, 30), dt.date(2025, 1, 2)),
    ]
    written = [
        format_date_range(start, end, locale).replace("\u2009", " ")
        for start, end in spans
    ]
    assert written == expected


@pytest.mark.parametrize(
    ("language", "month"),
    [("fr", "octobre 2024"), ("en", "October 2024"), ("de", "Oktober 2024")],
)
def test_month_names(language: str, month: str) -> None:
    assert format_month(dt.date(2024, 10, 2), load_catalogue(language).locale) == month


def test_every_catalogue_has_the_same_labels() -> None:
    assert supported_languages() == ["de", "en", "fr"]
    keys = {
        language: set(load_catalogue(language).labels.model_dump())
        for language in supported_languages()
    }
    assert keys["fr"] == keys["en"] == keys["de"]


def test_sample_builds_every_edition(sample_editions: dict[str, Path]) -> None:
    assert set(sample_editions) == {"fr", "en"}


def test_french_spacing_before_punctuation_and_inside_guillemets(
    sample_editions: dict[str, Path],
) -> None:
    text = body_text(sample_editions["fr"])
    assert "langues\u202f!" in text
    assert "étapes\u00a0: Reconnaître" in text
    assert "«\u202fDestination Europe\u202f»" in text
    assert "l’outil" in text and "l'outil" not in text


def test_no_line_of_a_paragraph_holds_one_short_word(
    sample_editions: dict[str, Path],
) -> None:
    """Justified text never leaves a short word alone on a line inside a paragraph.

    The engine did, three lines running ("orga-nisé", "pour", "les étudiants
    du cours « Introduction"), when a quoted name's no-break space tied
    the guillemet to the element that keeps the name whole.
    """
    for pdf in sample_editions.values():
        lines = [line.strip() for line in body_text(pdf).splitlines()]
        alone = [
            (line, after)
            for line, after in itertools.pairwise(lines)
            if re.fullmatch(r"[a-zà-ÿ\x02]{1,12}", line) and after[:1].islower()
        ]
        assert alone == [], pdf.name


def test_english_curly_quotes(sample_editions: dict[str, Path]) -> None:
    text = body_text(sample_editions["en"])
    assert "“Destination Europe”" in text
    assert '"' not in text


def test_dates_follow_each_edition(sample_editions: dict[str, Path]) -> None:
    # As written, not in the layout's capitals: readers extract the words.
    assert "25–26 septembre 2024" in body_text(sample_editions["fr"])
    assert "25 – 26 September 2024" in body_text(sample_editions["en"]).replace(
        "\u2009", " "
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_label_of_another_language(
    sample_editions: dict[str, Path], language: str
) -> None:
    text = "\n".join(page_texts(sample_editions[language])).casefold()
    ours = load_catalogue(language).labels.model_dump()
    for other in set(supported_languages()) - {language}:
        for key, word in load_catalogue(other).labels.model_dump().items():
            if word.casefold() != ours[key].casefold() and len(word) > 1:
                # A word cut by hyphenation ("par‐ticularly") is not a label.
                label = rf"\b{re.escape(word.casefold())}\b(?![\u2010-])"
                assert not re.search(label, text), (
                    other,
                    key,
                    word,
                )


def test_a_german_edition_uses_german_labels_dates_and_quotes(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    (pdf,) = emn_pdf.build(make_issue(GERMAN, lang="de"), out_dir=tmp_path / "out")
    text = "\n".join(page_texts(pdf))
    for expected in [
        "Seite 1 / 1",
        "HIER KLICKEN ZUM LESEN",
        "Bleiben Sie in Kontakt",
        "25.–26. September 2024, Estland",
        "„Zukunft",
        "Migration“",
        "‚voller‘",
        "Deutsche Ausgabe",
        "Dezember 2024",
    ]:
        assert expected in text


def test_a_label_can_be_reworded_by_the_edition(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue("labels: {read: Jetzt lesen}\n" + GERMAN, lang="de")
    (pdf,) = emn_pdf.build(issue, out_dir=tmp_path / "out")
    assert "JETZT LESEN" in "\n".join(page_texts(pdf))


def test_an_unknown_label_is_reported_at_its_line(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue("labels: {lire: Jetzt lesen}\n" + GERMAN, lang="de")
    with pytest.raises(
        UserError,
        match=r"de\.yaml:1 labels\.lire: unknown label \(known: edition, link",
    ):
        emn_pdf.check(issue)


def two_editions(make_issue: Callable[..., Path], french: str, english: str) -> Path:
    issue = make_issue(french)
    (issue / "en.yaml").write_text(english, encoding="utf-8")
    return issue


FRENCH = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
sections:
  - blocks:
      - kind: news
        title: Une nouvelle
        body: Texte.
        links: [{url: "https://example.org/a"}]
      - kind: study
        title: Une étude
        summary: Résumé.
        link: {url: "https://example.org/study"}
"""


def test_consistent_editions_pass(make_issue: Callable[..., Path]) -> None:
    english = FRENCH.replace("language: fr", "language: en").replace(
        "Une nouvelle", "News"
    )
    assert emn_pdf.check(two_editions(make_issue, FRENCH, english), lay_out=False) == []


def test_a_block_missing_in_one_edition_is_reported_by_name(
    make_issue: Callable[..., Path],
) -> None:
    english = FRENCH.replace("language: fr", "language: en").split(
        "      - kind: study"
    )[0]
    with pytest.raises(UserError) as raised:
        emn_pdf.check(two_editions(make_issue, FRENCH, english))
    (problem,) = raised.value.problems
    assert str(problem).endswith(
        "fr.yaml:8 sections.0.blocks.1: study “Une étude” has no counterpart in en.yaml "
        "(mark it 'edition_only: true' if it belongs to this edition only)"
    )


def test_an_edition_only_block_is_not_looked_for(
    make_issue: Callable[..., Path],
) -> None:
    french = FRENCH.replace(
        "        title: Une étude",
        "        edition_only: true\n        title: Une étude",
    )
    english = FRENCH.replace("language: fr", "language: en").split(
        "      - kind: study"
    )[0]
    assert emn_pdf.check(two_editions(make_issue, french, english), lay_out=False) == []


def test_a_different_link_is_reported(make_issue: Callable[..., Path]) -> None:
    english = FRENCH.replace("language: fr", "language: en").replace(
        "example.org/a", "example.org/b"
    )
    # The first edition in alphabetical order (en) is the reference.
    with pytest.raises(
        UserError,
        match=r"fr\.yaml:4 sections\.0\.blocks\.0: news “Une nouvelle” differs from en\.yaml:4: links missing: https://example\.org/b; links not in en\.yaml: https://example\.org/a",
    ):
        emn_pdf.check(two_editions(make_issue, FRENCH, english))


def test_one_failing_edition_does_not_stop_the_others(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = two_editions(make_issue, FRENCH, "masthead: [\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["build", str(issue), "-o", str(out), "--jobs", "2"]
    )
    assert result.exit_code == 2
    assert (out / "2025-03-fr-web.pdf").is_file()
    assert not (out / "2025-03-en-web.pdf").exists()
    assert "failed: en web" in result.stderr
    assert re.search(r"error: .*en\.yaml:\d+: invalid YAML", result.stderr)
