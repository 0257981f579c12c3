"""Pull quotes: a sentence the editor marks in an article, set where a hole is (issue 30, 3).

An article's ``pull_quote`` must be found in its body (quotes, spaces and
Markdown marks aside): a sentence that is not is an error on its line.  Page
makeup offers it like a filler, only on a page of its article that keeps a
hole, one a page, and says where it went (I137) or that no hole fitted it
(I138).  It repeats the article's words: readers meet them once, in the body.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from pdfcheck import (
    marked_texts,
    normalise,
    orphan_marked_content,
    page_texts,
    structure_elements,
)
from pydantic import ValidationError
from test_fillers import spare
from test_makeup import GRID
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.cli import app
from emn_pdf.issue.model import News
from emn_pdf.makeup import Measure, Module, place

QUOTE = (
    "Experts highlighted the importance of predictive analytics and"
    " digitalisation for anticipating migration flows"
)
UNUSED = "The arrangement was signed in Budva"  # its article is on the last page
#: The sample's French bulletin keeps a hole on page 2, under the forecasting
#: workshop (the English one sets its cards' titles above their pictures and
#: keeps none there): the built edition's quotes, and where they go.
QUOTES = {
    "en": (
        QUOTE,
        UNUSED,
        "          develop sustainable and inclusive migration solutions.\n",
        "          Johansson.\n",
    ),
    "fr": (
        "Des experts ont mis en lumière l'importance de l’analyse prédictive et"
        " de la numérisation pour anticiper les flux migratoires",
        "L'arrangement a été signé à Budva",
        "          développer des solutions migratoires durables et inclusives.\n",
        "          Affaires intérieures, Ylva Johansson.\n",
    ),
}
BUILT = "fr"


def quote(of: str, height: float) -> Module:
    """Return the pull quote of block ``of``, measured at each span."""
    return dataclasses.replace(spare(f"{of}-quote", height), quotes=of)


def codes(placement: object, code: str) -> dict[str, int | None]:
    return {
        note.key: note.page
        for note in placement.notes  # type: ignore[attr-defined]
        if note.code == code and note.key
    }


def test_a_pull_quote_stands_only_on_a_page_of_its_article() -> None:
    """Page 1 ends 350 px short: the quote of its article goes there; the
    quote of the article on the last page is said unused, never set there."""
    modules = [
        Module("s0-b0", "block", 3, {3: Measure(630)}, span=3),
        Module("s0-b1", "block", 3, {3: Measure(500)}, span=3, new_page=True),
        quote("s0-b1", 100),
        quote("s0-b0", 100),
    ]
    placement = place(modules, GRID)
    assert [p.key for p in placement.pages[0]] == ["s0-b0", "s0-b0-quote"]
    assert [p.key for p in placement.pages[1]] == ["s0-b1"]
    assert codes(placement, "I137") == {"s0-b0-quote": 0}
    assert codes(placement, "I138") == {"s0-b1-quote": None}


def test_one_pull_quote_a_page_and_fillers_still_fill() -> None:
    modules = [
        Module("s0-b0", "block", 3, {3: Measure(300)}, span=3),
        Module("s0-b1", "block", 3, {3: Measure(300)}, span=3),
        Module("s0-b2", "block", 3, {3: Measure(500)}, span=3, new_page=True),
        quote("s0-b0", 100),
        quote("s0-b1", 100),
        spare("f0", 100),
    ]
    placement = place(modules, GRID)
    first = {p.key for p in placement.pages[0]}
    assert "f0" in first and len(first & {"s0-b0-quote", "s0-b1-quote"}) == 1
    assert len(codes(placement, "I137")) == 1 and len(codes(placement, "I138")) == 1
    assert codes(placement, "I135") == {"f0": 0}


def test_a_pull_quote_is_found_whatever_its_quotes_spaces_and_marks() -> None:
    body = "Il a dit « *bonjour* » à [l’équipe](https://example.org/).\n\nEnsuite…"
    block = News(
        kind="news", title="T", body=body, pull_quote='dit "bonjour" à l\'équipe.'
    )
    assert block.pull_quote == 'dit "bonjour" à l\'équipe.'
    with pytest.raises(ValidationError, match="is not in the block's body"):
        News(kind="news", title="T", body=body, pull_quote="dit au revoir")


def with_quotes(folder: Path, first: str | None = None, lang: str = "en") -> Path:
    """Copy the sample into ``folder``, an edition with pull quotes.

    One in the forecasting workshop, one in the news on the last page.
    """
    quote, unused, workshop, news = QUOTES[lang]
    issue = folder / "2024-12"
    shutil.copytree(SAMPLE, issue)
    edition = issue / f"{lang}.yaml"
    text = edition.read_text(encoding="utf-8")
    text = text.replace(
        workshop, f"{workshop}        pull_quote: {first or quote}\n"
    ).replace(news, f"{news}        pull_quote: {unused}.\n")
    edition.write_text(text, encoding="utf-8")
    return issue


def line_of(issue: Path, needle: str, lang: str = "en") -> int:
    lines = (issue / f"{lang}.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The sample's French bulletin with pull quotes, built for web, print, html."""
    folder = tmp_path_factory.mktemp("quotes")
    issue = with_quotes(folder, lang=BUILT)
    reports: dict[str, object] = {}
    for target in ("web", "print", "html"):
        emn_pdf.build(
            issue, lang=BUILT, layout="bulletin", target=target,
            out_dir=folder / "out", on_built=lambda r, t=target: reports.update({t: r}),
        )  # fmt: skip
    return issue, reports


@pytest.mark.parametrize("target", ["web", "print"])
def test_the_pull_quote_is_set_once_where_a_hole_was_and_said(
    built: tuple[Path, dict[str, object]], target: str
) -> None:
    issue, reports = built
    report = reports[target]
    said = {
        finding.field: (finding.code, finding.line, finding.page)
        for finding in report.findings  # type: ignore[attr-defined]
        if finding.code in ("I137", "I138")
    }
    quote, unused, _, _ = QUOTES[BUILT]
    page = said["sections.0.blocks.2.pull_quote"][2]
    assert page is not None and page > 1  # its article's page
    assert said == {
        "sections.0.blocks.2.pull_quote": ("I137", line_of(issue, quote, BUILT), page),
        "sections.3.blocks.0.pull_quote": (
            "I138",
            line_of(issue, f"pull_quote: {unused}", BUILT),
            None,
        ),
    }
    message = next(f.message for f in report.findings if f.code == "I137")  # type: ignore[attr-defined]
    assert int(re.search(r"a blank of (\d+)%", message)[1]) >= 15  # type: ignore[index]
    pages = [normalise(text) for text in page_texts(report.path)]  # type: ignore[attr-defined]
    # Drawn twice on the page said (the body, the quote), nowhere else.
    assert pages[page - 1].count(normalise(quote)) == 2
    assert sum(each.count(normalise(quote)) for each in pages) == 2
    assert sum(page.count(normalise(unused)) for page in pages) == 1


def test_readers_read_the_pull_quote_once(
    built: tuple[Path, dict[str, object]],
) -> None:
    """In the tagged PDF, the quote is an artifact outside the structure tree."""
    import pdfua

    path = built[1]["web"].path  # type: ignore[attr-defined]
    texts = marked_texts(path)
    read = normalise(
        " ".join(
            texts.get(each, "")
            for element in structure_elements(path)
            for each in element.marked
        )
    )
    assert read.count(normalise(QUOTES[BUILT][0])) == 1
    assert orphan_marked_content(path) == []
    report = pdfua.validate(str(path))
    assert [finding.rule_id for finding in report.findings] == []


def test_the_web_page_leaves_the_pull_quote_out(
    built: tuple[Path, dict[str, object]],
) -> None:
    folder = built[1]["html"].path  # type: ignore[attr-defined]
    html = next(Path(folder).glob("*.html")).read_text(encoding="utf-8")
    assert "pull-quote" not in html
    assert normalise(html).count(normalise(QUOTES[BUILT][0])) == 1


def test_a_pull_quote_not_in_its_article_is_an_error_on_its_line(
    tmp_path: Path,
) -> None:
    issue = with_quotes(tmp_path, first="Experts agreed on everything")
    result = CliRunner().invoke(
        app, ["build", str(issue), "--lang", "en", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2, result.output
    line = line_of(issue, "Experts agreed")
    assert (
        f"en.yaml:{line} sections.0.blocks.2.pull_quote: the pull quote"
        " 'Experts agreed on everything' is not in the block's body"
    ) in " ".join(result.output.split())
    assert not (tmp_path / "out" / "2024-12-en-web.pdf").exists()


def test_a_corpus_issue_fills_its_hole_with_a_pull_quote(tmp_path: Path) -> None:
    """The association's quarterly: page 1 ended a fifth short under its
    first section in both layouts; in emn its first article's pull quote
    fills it.  In the bulletin, since a block's columns follow its length,
    page 1 ends full without it, and the quote is said unused (I138)."""
    issue = ROOT / "tests" / "corpus" / "de-verein-kontakte"
    for layout, quoted in (("emn", "I137"), ("bulletin", "I138")):
        reports: list[emn_pdf.BuildReport] = []
        emn_pdf.build(
            issue, layout=layout, out_dir=tmp_path / layout, on_built=reports.append
        )
        (report,) = reports
        found = [(f.code, f.page, f.field) for f in report.findings]
        page = 1 if quoted == "I137" else None
        assert (quoted, page, "sections.0.blocks.0.pull_quote") in found
        assert not [each for each in found if each[:2] == ("W111", 1)]


def test_a_layout_that_sets_no_pull_quotes_is_told_so(tmp_path: Path) -> None:
    """Never dropped silently: the layout's issue template is named."""
    issue = with_quotes(tmp_path)
    layout = tmp_path / "layouts" / "plain"
    layout.mkdir(parents=True)
    (layout / "theme.yaml").write_text(
        "extends: emn\ndescription: emn without pull quotes\n", encoding="utf-8"
    )
    template = (ROOT / "layouts" / "emn" / "issue.html.j2").read_text(encoding="utf-8")
    without = template.replace('{% include "pull-quote.html.j2" %}', "")
    (layout / "issue.html.j2").write_text(without, encoding="utf-8")
    with pytest.raises(emn_pdf.UserError) as raised:
        emn_pdf.check(issue, lang="en", layout=str(layout), lay_out=False)
    said = [str(problem) for problem in raised.value.problems]
    assert len(said) == 2 and all("issue.html.j2" in each for each in said)
    assert 'has no element with data-block="s0-b2-quote" in data-spares' in said[0]


def test_a_layout_without_makeup_says_it_sets_no_pull_quote(
    tmp_path: Path, flowing_layout: Path
) -> None:
    issue = with_quotes(tmp_path)
    findings = emn_pdf.check(issue, lang="en", layout=str(flowing_layout))
    said = [(f.code, f.field) for f in findings if f.code == "W109"]
    assert ("W109", "sections.0.blocks.2.pull_quote") in said
