"""The web edition (PDF/UA, small, navigable) and the print edition (PDF/X-4)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pdfcheck import (
    MM,
    catalog,
    decoded_qr_codes,
    fonts,
    link_annotations,
    metadata,
    orphan_marked_content,
    outline_titles,
    page_boxes,
    page_count,
    raster_images,
    structure,
)
from PIL import Image
from test_sample import seed_urls

import emn_pdf

Reports = dict[tuple[str, str], emn_pdf.BuildReport]
A4 = [0.0, 0.0, 595.28, 841.89]
BLEED = 3 * MM


def web(sample: Reports) -> Path:
    path = sample["fr", "web"].path
    assert path is not None
    return path


def printed(sample: Reports) -> Path:
    path = sample["fr", "print"].path
    assert path is not None
    return path


# Web edition ---------------------------------------------------------------


def test_web_edition_is_tagged_pdf_ua(sample: Reports) -> None:
    info = catalog(web(sample))
    assert info["Marked"] and info["DisplayDocTitle"]
    assert info["pdfua"] == "1"
    assert metadata(web(sample))["Lang"] == "fr"


def test_every_figure_has_alt_text(sample: Reports) -> None:
    figures = [
        attributes for tag, attributes in structure(web(sample)) if tag == "Figure"
    ]
    assert len(figures) == 4  # the sample's four illustrations
    assert all(attributes.get("Alt") for attributes in figures)


def test_heading_levels_do_not_skip(sample: Reports) -> None:
    levels = [
        int(tag[1]) for tag, _ in structure(web(sample)) if re.fullmatch(r"H[1-6]", tag)
    ]
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(levels))


def test_running_footers_are_artifacts(sample: Reports) -> None:
    assert orphan_marked_content(web(sample)) == []


def test_outline_has_every_section_and_article(sample: Reports) -> None:
    titles = outline_titles(web(sample))
    sections = [title for depth, title in titles if depth == 1]
    assert sections == [
        "Évènements récents",
        "Publications",
        "Notes de synthèse",
        "Actualités du réseau",
        "Restez en contact avec l’EMN Luxembourg",
    ]
    articles = [title for depth, title in titles if depth == 2]
    assert (
        "Atelier des représentants des centres de rétention au sein de l’Union européenne"
        in articles
    )
    assert "La diplomatie migratoire" in articles
    assert len(articles) == 15  # 4 events, 3 publications, 7 briefs, 1 news


def test_every_link_is_described_for_screen_readers(sample: Reports) -> None:
    links = link_annotations(web(sample))
    assert {link["uri"] for link in links} >= seed_urls()
    for link in links:
        assert link["contents"] and link["contents"].casefold() not in {"lien", "link"}
    described = {link["uri"]: link["contents"] for link in links}
    assert described[
        "https://emnluxembourg.uni.lu/wp-content/uploads/sites/225/2024/09/EMN_INFORM_Victims-of-torture.pdf"
    ].startswith("Les victimes de torture (")


def test_web_metadata_comes_from_the_issue(sample: Reports) -> None:
    info = metadata(web(sample))
    assert info["Title"] == "EMN Luxembourg · Newsletter · décembre 2024"
    assert info["Author"] == "EMN Luxembourg"
    assert info["Subject"] == "Newsletter, Édition de fin d’année, décembre 2024"
    assert "traite des êtres humains" in info["Keywords"]
    assert info["CreationDate"].startswith("D:20241218")
    assert info["ModDate"].startswith("D:20241218")


def test_web_edition_is_small(sample: Reports) -> None:
    assert web(sample).stat().st_size < 1_000_000
    assert all(embedded for embedded in fonts(web(sample)).values())


def test_web_pictures_are_jpeg_at_150_dpi(sample: Reports, layout: str) -> None:
    from emn_pdf.layout.layouts import find_layout

    (photo,) = [image for image in raster_images(web(sample)) if image["width"] > 200]
    assert photo["filter"] == "/DCTDecode"
    # The picture fills a column: at 150 dpi, as many pixels as the column is
    # wide, or up to 1.4 times that if page makeup made it taller (it is then
    # cropped to cover its box).
    theme = find_layout(layout).theme
    side, gap = (
        float(length.removesuffix("mm")) for length in (theme.page.side, theme.type.gap)
    )
    column = (210 - 2 * side - (theme.columns - 1) * gap) / theme.columns
    pixels = column / 25.4 * 150
    assert pixels - 2 <= photo["width"] <= 1.4 * pixels + 2


def test_cover_thumbnail(sample: Reports) -> None:
    (cover,) = sample["fr", "web"].extras
    with Image.open(cover) as image:
        assert image.format == "PNG"
        assert image.width == 800
        assert abs(image.height - 800 * 297 / 210) <= 1


def test_the_layout_declares_its_colour_pairs_and_they_are_legible(layout: str) -> None:
    from emn_pdf.layout.layouts import contrast_ratio, find_layout

    theme = find_layout(layout).theme
    assert len(theme.contrast) >= 8
    for pair in theme.contrast:
        ratio = contrast_ratio(
            theme.colours[pair.text].rgb, theme.colours[pair.background].rgb
        )
        assert ratio >= (3 if pair.large else 4.5), pair


# Print edition -------------------------------------------------------------


def test_print_edition_is_pdf_x4_with_an_output_intent(sample: Reports) -> None:
    info = catalog(printed(sample))
    assert info["pdfx"] == "PDF/X-4"
    assert info["OutputIntents"] == [("/GTS_PDFX", "FOGRA39")]


def test_trim_bleed_and_room_for_crop_marks(sample: Reports) -> None:
    for boxes in page_boxes(printed(sample)):
        assert boxes["TrimBox"] == pytest.approx(A4, abs=0.01)
        expected = [A4[0] - BLEED, A4[1] - BLEED, A4[2] + BLEED, A4[3] + BLEED]
        assert boxes["BleedBox"] == pytest.approx(expected, abs=0.01)
        media = boxes["MediaBox"]
        assert media[0] < expected[0] - 5 * MM and media[2] > expected[2] + 5 * MM


def test_print_has_no_interactive_content(sample: Reports) -> None:
    assert link_annotations(printed(sample)) == []


def test_print_binds_in_sheets_of_four(sample: Reports) -> None:
    assert page_count(printed(sample)) % 4 == 0


def test_print_pictures_are_cmyk(sample: Reports) -> None:
    (photo,) = [
        image for image in raster_images(printed(sample)) if image["width"] > 200
    ]
    assert photo["colorspace"] == "/DeviceCMYK"


def test_every_link_is_a_qr_code_in_print(sample: Reports) -> None:
    """Every link has its code; a filler page may list some again."""
    codes = decoded_qr_codes(printed(sample))
    assert set(codes) == seed_urls() | {"mailto:emn@uni.lu"}


def test_a_one_page_print_edition_is_one_flat_sheet(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Not four pages, three of them designed: one page, a flyer."""
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        make_issue(), target="print", out_dir=tmp_path, on_built=reports.append
    )
    (report,) = reports
    assert report.pages == 1
    assert report.path is not None
    from pdfcheck import page_texts

    assert "NOTES" not in " ".join(page_texts(report.path))


def test_a_three_page_print_edition_ends_on_its_back_page(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Three pages of content and the back page, which carries the contact.

    Each block is most of a page: set across, it turns to the next page.
    """
    body = "Un paragraphe assez long pour remplir une page. " * 95
    blocks = "".join(
        f"      - kind: news\n        title: Nouvelle {number}\n        span: page\n"
        f"        body: {body}\n"
        for number in range(3)
    )
    issue = make_issue(
        "masthead: {organisation: EMN Test, title: Lettre, number: 1,"
        " date: 2025-03-20, language: fr}\n"
        f"sections:\n  - blocks:\n{blocks}"
        "      - kind: contact\n        email: contact@example.org\n"
    )
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, target="print", out_dir=tmp_path, on_built=reports.append)
    (report,) = reports
    assert report.path is not None and report.pages == 4
    from pdfcheck import page_texts

    texts = page_texts(report.path)
    assert "Une publication d’EMN Test" in texts[3]  # elided before a vowel
    assert "contact@example.org" in texts[3]
    assert not [text for text in texts[:3] if "contact@example.org" in text]
    assert "page" not in texts[3]  # the back page has no footer


def test_low_resolution_pictures_are_reported_in_print(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue(
        """\
        masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
        sections:
          - blocks:
              - kind: news
                title: Une image floue
                body: Texte.
                image: {src: images/small.png, alt: Une petite image.}
        """
    )
    Image.new("RGB", (120, 60), "#1d4f91").save(issue / "images" / "small.png")
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, target="print", out_dir=tmp_path, on_built=reports.append)
    (finding,) = [finding for finding in reports[0].findings if finding.code == "W104"]
    assert (
        finding.code == "W104" and finding.page == 1 and finding.line == 4
    )  # the block
    assert re.fullmatch(
        r"images/small\.png is printed at 5\d dpi, below 300 dpi.*", finding.message
    )
