"""Preflight: each defect code, triggered by a crafted issue, with its line and page."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL_EDITION, SAMPLE
from PIL import Image
from typer.testing import CliRunner
from weasyprint import HTML

import emn_pdf
from emn_pdf.checks.preflight import inspect
from emn_pdf.cli import app
from emn_pdf.issue.errors import Finding

CRAFTED = """\
pages: 3
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
sections:
  - heading: Actualités
    blocks:
      - kind: news
        title: Un numéro trop long
        body: "Le code 123456789012345678901234567890123456789012345678901234567890 ne se coupe pas. Voir [le site](www.example.org). Et 中文."
  - columns: 1
    blocks:
      - kind: news
        title: Une grande image
        body: Texte.
        image: {src: images/tall.png, alt: Un grand carré bleu.}
"""


@pytest.fixture
def crafted(make_issue: Callable[..., Path]) -> Path:
    issue = make_issue(CRAFTED)
    Image.new("RGB", (300, 333), "#1d4f91").save(issue / "images" / "tall.png")
    Image.new("RGB", (10, 10)).save(issue / "images" / "unused.png")
    return issue


@pytest.fixture
def findings(crafted: Path) -> list[Finding]:
    return emn_pdf.check(crafted, target="all")


def only(findings: list[Finding], code: str, edition: str = "fr web") -> Finding:
    matching = [
        finding
        for finding in findings
        if finding.code == code and finding.edition in {edition, ""}
    ]
    assert len(matching) == 1, matching
    return matching[0]


def test_overflowing_text_is_an_error_at_its_block(findings: list[Finding]) -> None:
    finding = only(findings, "E101")
    assert (finding.severity, finding.line, finding.field, finding.page) == (
        "error",
        6,
        "sections.0.blocks.0",
        1,
    )
    assert finding.message.startswith("“1234567890")
    assert "out of its column" in finding.message


def test_characters_without_glyph_are_errors(findings: list[Finding]) -> None:
    missing = [
        finding
        for finding in findings
        if finding.code == "E103" and finding.edition == "fr web"
    ]
    assert [finding.message[:29] for finding in missing] == [
        "no font of the layout has '中'",
        "no font of the layout has '文'",
    ]
    assert {(finding.line, finding.page) for finding in missing} == {(6, 1)}


def test_low_resolution_pictures_in_print(findings: list[Finding]) -> None:
    finding = only(findings, "W104", "fr print")
    assert (finding.line, finding.field, finding.page) == (11, "sections.1.blocks.0", 1)
    assert finding.message.startswith("images/tall.png is printed at 136 dpi")


def test_unused_pictures(findings: list[Finding]) -> None:
    finding = only(findings, "W105")
    assert finding.file is not None and finding.file.name == "unused.png"


def test_markdown_links_that_stay_text(findings: list[Finding]) -> None:
    finding = only(findings, "W106")
    assert (finding.line, finding.field) == (8, "sections.0.blocks.0.body")
    assert "'www.example.org'" in finding.message


def test_mostly_empty_pages(crafted: Path, flowing_layout: Path) -> None:
    """Without page makeup, preflight estimates each page's fill from its boxes."""
    findings = emn_pdf.check(crafted, layout=str(flowing_layout))
    finding = only(findings, "W107")
    assert finding.page == 1
    assert finding.message == "page 1 is 68% empty"


def test_page_count_against_pages(findings: list[Finding]) -> None:
    # The layout's copyfitting ranges cannot stretch this content to 3 pages.
    finding = only(findings, "E108")
    assert (finding.line, finding.field) == (1, "pages")
    assert finding.message.startswith("cannot copyfit: too short for 3 pages")
    printed = only(findings, "E108", "fr print").message
    assert printed.startswith("cannot copyfit: too short for 3 pages")


def test_page_count_without_copyfitting(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    layout = tmp_path / "fixed"
    shutil.copytree(SAMPLE.parent.parent / "layouts" / "bulletin", layout)
    theme = (layout / "theme.yaml").read_text()
    (layout / "theme.yaml").write_text(
        theme[: theme.index("copyfit:")]
        + "copyfit: null  # not emn's either\n"
        + theme[theme.index("fonts:") :]
    )
    issue = make_issue("pages: 2\n" + MINIMAL_EDITION)
    (finding,) = [
        f for f in emn_pdf.check(issue, layout=str(layout)) if f.code == "E108"
    ]
    assert finding.message == "1 pages, the issue asks for 2"


def test_a_heading_alone_at_a_page_foot() -> None:
    html = """
        <style>@page { size: A6; margin: 10mm }</style>
        <article data-block="s1-b2"><p style="height: 110mm">Texte.</p>
        <h3>Un titre esseulé</h3><p style="break-before: page">La suite.</p></article>
    """
    document = HTML(string=html).render()
    fonts = sorted((SAMPLE.parent.parent / "fonts").rglob("*.[ot]tf"))
    (finding,) = [
        finding for finding in inspect(document, fonts) if finding.code == "W102"
    ]
    assert (finding.page, finding.block) == (1, "s1-b2")
    assert (
        finding.message == "heading “Un titre esseulé” is alone at the foot of a page"
    )


def test_a_running_footer_off_the_page_is_an_error() -> None:
    """A footer that may not wrap runs under its neighbour and off the page."""
    html = """
        <style>@page { size: A6; margin: 10mm;
          @bottom-left { content: element(footer) }
          @bottom-right { content: "page 1" } }
        .footer { position: running(footer); white-space: nowrap }</style>
        <p class="footer">An organisation whose name is far longer than a page is wide</p>
        <p>Texte.</p>
    """
    document = HTML(string=html).render()
    fonts = sorted((SAMPLE.parent.parent / "fonts").rglob("*.[ot]tf"))
    (finding,) = [
        finding for finding in inspect(document, fonts) if finding.code == "E101"
    ]
    assert finding.page == 1
    assert finding.message.startswith("“An organisation whose name is far longer")
    assert finding.message.endswith("out of its page-margin box")


def test_the_sample_has_no_preflight_error(
    sample: dict[tuple[str, str], emn_pdf.BuildReport], layout: str
) -> None:
    """Each edition and target as its build preflighted it (what ``check`` finds)."""
    findings = [finding for report in sample.values() for finding in report.findings]
    findings += emn_pdf.check(SAMPLE, layout=layout, lay_out=False)
    assert len(sample) == 4 and [r.problems for r in sample.values()] == [[]] * 4
    assert [finding for finding in findings if finding.severity == "error"] == []


def test_check_exits_2_on_errors_and_speaks_json(crafted: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(crafted), "--format", "json"])
    assert result.exit_code == 2
    entries = json.loads(result.stdout)
    assert {entry["code"] for entry in entries} == {
        "E101", "E103", "W105", "W106", "E108", "I110"
    }  # fmt: skip
    (makeup,) = [entry for entry in entries if entry["code"] == "I110"]
    assert makeup["severity"] == "info"
    # The page grid, the galley and the final render; fewer when this process
    # measured the same content before (``crafted`` is laid out by other tests).
    assert makeup["figures"]["pages"] == 1 and 1 <= makeup["figures"]["renders"] <= 3


def test_check_reports_invalid_input_as_json(make_issue: Callable[..., Path]) -> None:
    result = CliRunner().invoke(
        app, ["check", str(make_issue("masthead: [")), "--format", "json"]
    )
    assert result.exit_code == 2
    (entry,) = json.loads(result.stdout)
    assert entry["code"] == "E000" and entry["line"] == 2  # the end of the file
