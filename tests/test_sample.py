"""The December 2024 sample, built end to end and read back from the PDF."""

from __future__ import annotations

import re

from conftest import SEED
from pdfcheck import (
    body_text,
    fonts,
    link_uris,
    metadata,
    normalise,
    page_count,
    page_texts,
)

import emn_pdf

#: Where the layout deliberately writes a seed passage differently (patterns).
SEED_REWRITES = {
    r"15 Nov 2024": "15 novembre 2024",  # dates are written out by the layout
    r"ACCEUILLONS": "ACCUEILLONS",  # the source's one misspelling, corrected
    r"\bLINK\b": "",  # an English button label in the French source; ours says "Lien"
    r"inter-\n\n-nationale": "internationale",  # a word split across columns
    r"(Cliquez ici pour lire\s*)+": "\n\nCliquez ici pour lire\n\n",  # labels run together
}
URL = re.compile(r"https?://\S+")


def seed_passages() -> list[str]:
    """Every heading and sentence of the seed, its URLs and e-mail excepted."""
    text = SEED.read_text(encoding="utf-8")
    for old, new in SEED_REWRITES.items():
        text = re.sub(old, new, text)
    passages = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [
            line for line in paragraph.splitlines() if not URL.fullmatch(line.strip())
        ]
        # Event headings are followed by "(date, place)", which the layout puts first.
        lines = [line for line in lines if line.strip() and "@" not in line]
        joined = " ".join(
            line.strip() for line in lines if not line.strip().startswith("(")
        )
        passages += [s for s in re.split(r"(?<=[.!?])\s+", joined) if normalise(s)]
        passages += [
            line.strip(" ()") for line in lines if line.strip().startswith("(")
        ]
    return passages


def seed_urls() -> set[str]:
    return set(URL.findall(SEED.read_text(encoding="utf-8")))


def test_seed_has_the_expected_inventory() -> None:
    assert len(seed_urls()) == 18
    assert len(seed_passages()) > 60


def test_every_seed_sentence_and_heading_is_in_the_pdf(
    sample_build: emn_pdf.BuildReport,
) -> None:
    text = normalise(body_text(sample_build.path))
    missing = [passage for passage in seed_passages() if normalise(passage) not in text]
    assert missing == []


def test_every_seed_url_and_the_email_are_links(
    sample_build: emn_pdf.BuildReport,
) -> None:
    uris = set(link_uris(sample_build.path))
    assert seed_urls() <= uris
    assert "mailto:emn@uni.lu" in uris


def test_no_link_points_anywhere_unexpected(sample_build: emn_pdf.BuildReport) -> None:
    assert set(link_uris(sample_build.path)) == seed_urls() | {"mailto:emn@uni.lu"}


def test_fonts_are_embedded_and_come_from_the_layout(
    sample_build: emn_pdf.BuildReport,
) -> None:
    used = fonts(sample_build.path)
    assert all(used.values()), used
    families = {
        re.sub(r"-(Ultra-|Semi-|Extra-)?(Bold|Medium|Italic|Regular)\b.*", "", name)
        for name in used
    }
    # Only the layout's families; emoji is the one allowed system font.
    assert families <= {"Inter", "Noto-Serif", "Noto-Color-Emoji"}, families
    assert any(name.startswith("Noto-Color-Emoji") for name in used), (
        "the 🎅 must be an emoji"
    )


def test_page_count_and_footer(sample_build: emn_pdf.BuildReport) -> None:
    pages = page_count(sample_build.path)
    assert 3 <= pages <= 5
    assert sample_build.pages == pages
    for number, text in enumerate(page_texts(sample_build.path), start=1):
        assert f"page {number} / {pages}" in text
        assert "Newsletter · décembre 2024 · EMN Luxembourg" in text


def test_metadata_and_language(sample_build: emn_pdf.BuildReport) -> None:
    info = metadata(sample_build.path)
    assert info["Lang"] == "fr"
    assert info["Title"] == "EMN Luxembourg · Newsletter · décembre 2024"
    assert info["Author"] == "EMN Luxembourg"
    assert info["CreationDate"].startswith("D:20241218")


def test_the_engine_had_nothing_to_complain_about(
    sample_build: emn_pdf.BuildReport,
) -> None:
    assert sample_build.warnings == []
