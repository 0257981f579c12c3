"""Charts on paper: labels at 6 pt where the page is wide enough, a warning where not.

A chart drawn for a screen labels its axes at 14 units in a view box 800
wide: set in one column of an A4 page (56 mm) they printed at 2.8 pt, in a
figure capped at the band height at 4.9 pt, and nothing said so.  The sizes
here are read by MuPDF on the PDF, not computed by our code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS_DIR, corpus_reports
from pdfcheck import chart_label_sizes

import emn_pdf
from emn_pdf.issue.pictures import svg_text_share

#: Corpus issues whose charts were set too small to read on paper.
CHART_ISSUES = {
    "fr-charts": ["demandes-par-annee", "premiers-titres", "cours-de-langue"],
    "fr-research-institute": ["emploi-courbe"],
    "en-lists-guide": ["calls"],
}
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">{}</svg>'


def _pictures(issue: str, names: list[str]) -> list[Path]:
    return [CORPUS_DIR / issue / "images" / f"{name}.svg" for name in names]


@pytest.mark.parametrize("layout", ["emn", "bulletin"])
@pytest.mark.parametrize("issue", CHART_ISSUES)
def test_a_charts_labels_print_at_6_pt_where_the_page_is_wide_enough(
    tmp_path_factory: pytest.TempPathFactory, issue: str, layout: str
) -> None:
    """A news chart is set across the columns its labels need, and a figure's
    chart grows beyond the band height to them: every label at 6 pt."""
    charts = _pictures(issue, CHART_ISSUES[issue])
    others = [
        p for p in (CORPUS_DIR / issue / "images").glob("*.svg") if p not in charts
    ]
    (report,) = [
        r
        for r in corpus_reports(tmp_path_factory, issue, layout)
        if r.target == "print"
    ]
    assert report.path is not None
    sizes = chart_label_sizes(report.path, charts, others)
    assert len(sizes) >= 10 * len(charts)  # every chart's labels were found
    assert min(sizes) >= 5.95
    assert not [f for f in report.findings if f.code == "W140"]


def test_a_chart_too_small_for_any_column_is_a_warning_naming_it(
    tmp_path: Path,
) -> None:
    """Labels of 5 units in a view box 800 wide need 34 cm to print at 6 pt:
    the chart is set across the page and W140 says how small it prints."""
    issue = tmp_path / "issue"
    shutil.copytree(CORPUS_DIR / "fr-charts", issue)
    chart = issue / "images" / "premiers-titres.svg"
    chart.write_text(chart.read_text().replace('font-size="14"', 'font-size="5"'))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue, target="print", out_dir=tmp_path / "out", on_built=reports.append
    )
    (report,) = reports
    (warning,) = [f for f in report.findings if f.code == "W140"]
    assert "images/premiers-titres.svg prints its smallest text at" in warning.message
    assert "it needs 338.7 mm" in warning.message
    printed = float(warning.message.split(" at ")[1].split(" pt")[0])
    assert report.path is not None
    sizes = chart_label_sizes(report.path, [chart])
    assert abs(min(sizes) - printed) < 0.1  # as MuPDF reads the page
    assert (warning.field, warning.line) == ("sections.0.blocks.1", 42)


@pytest.mark.parametrize(
    ("content", "share"),
    [
        ('<title>Sales</title><text font-size="14">2024</text>', 14 / 400),
        (
            '<g font-size="20"><text><tspan font-size="50%">a</tspan></text></g>',
            10 / 400,
        ),
        ('<text style="fill: red; font-size: 9pt">a</text>', 12 / 400),
        ('<style>.l { font-size: 8px }</style><text class="l">a</text>', 8 / 400),
        ('<g transform="scale(0.5)"><text font-size="16">a</text></g>', 8 / 400),
        ('<text style="font: bold 12px sans-serif">a</text><text>b</text>', 12 / 400),
        ("<rect width='10' height='10'/>", None),
    ],
)
def test_a_charts_smallest_text_is_read_as_css_inherits_it(
    tmp_path: Path, content: str, share: float | None
) -> None:
    """Attributes, styles, the picture's class rules, inheritance and scaling."""
    picture = tmp_path / "chart.svg"
    picture.write_text(SVG.format(content))
    assert svg_text_share(picture) == pytest.approx(share)


@pytest.mark.parametrize(
    ("svg", "share"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="a b c d">'
         '<text font-size="10">x</text></svg>', None),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0,400,200">'
         '<text font-size=".">x</text><text font-size="-4">y</text></svg>', 16 / 400),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">'
         '<g transform="scale(.)"><text font-size="1e1">x</text></g></svg>', 10 / 400),
    ],
)  # fmt: skip
def test_a_strangers_svg_with_unreadable_numbers_is_read_without_error(
    tmp_path: Path, svg: str, share: float | None
) -> None:
    """What is not a number is not read: a size inherits, a view box is unknown."""
    picture = tmp_path / "chart.svg"
    picture.write_text(svg)
    assert svg_text_share(picture) == pytest.approx(share)
