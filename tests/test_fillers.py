"""Fillers: the issue's short house blocks, set where a hole remains (issue 30, 3).

An issue may offer ``fillers:`` (subscribe, in figures, coming up, a picture
with a caption); page makeup sets each, at most once, in a blank at the feet of
a page's columns that stretching could not close, never on the last page, and
says where (I135); a filler no hole fits is said too (I136), never dropped
silently.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLE
from test_makeup import GRID

import emn_pdf
from emn_pdf.makeup import Measure, Module, place


def spare(key: str, height: float) -> Module:
    """Return a filler measured at each span of the grid, ``height`` at each."""
    return Module(
        key,
        "spare",
        3,
        {1: Measure(height), 2: Measure(height), 3: Measure(height)},
        pictures="whole",
    )


def test_a_filler_goes_where_a_hole_remains_and_an_unused_one_is_said() -> None:
    """Page 1 ends 350 px short (an editor's new page follows): the filler of
    300 px goes there, across the grid; the one of 600 fits nowhere."""
    modules = [
        Module("s0-b0", "block", 3, {3: Measure(630)}, span=3),
        Module("s0-b1", "block", 3, {3: Measure(500)}, span=3, new_page=True),
        spare("f0", 600),
        spare("f1", 300),
    ]
    placement = place(modules, GRID)
    first = [(p.key, p.span) for p in placement.pages[0]]
    assert first == [("s0-b0", 3), ("f1", 3)]
    assert all(p.key not in ("f0", "f1") for p in placement.pages[-1])
    notes = {
        note.key: note for note in placement.notes if note.code in ("I135", "I136")
    }
    assert notes["f1"].code == "I135" and notes["f1"].page == 0
    assert notes["f0"].code == "I136" and notes["f0"].page is None
    assert not [note for note in placement.notes if note.code == "W111"]


def test_no_filler_where_no_hole_is() -> None:
    modules = [
        Module("s0-b0", "block", 3, {3: Measure(900)}, span=3),
        Module("s0-b1", "block", 3, {3: Measure(500)}, span=3, new_page=True),
        spare("f0", 60),
    ]
    placement = place(modules, GRID)
    assert [p.key for page in placement.pages for p in page] == ["s0-b0", "s0-b1"]
    assert [note.code for note in placement.notes if note.key == "f0"] == ["I136"]


FILLERS = """\
fillers:
  - kind: promotion
    title: Subscribe to the newsletter
    body: Four issues a year, in English and French, free of charge.
    links:
      - url: https://emnluxembourg.uni.lu/newsletter/
  - kind: news
    title: Coming up in the spring issue
    body: The national report on asylum and migration 2024, a workshop on
      labour migration, and the network's new glossary app.
  - kind: news
    title: A filler too long for any hole
    body: WORDS
"""


def test_fillers_are_set_in_the_holes_of_a_built_edition(tmp_path: Path) -> None:
    """The sample's French edition in the bulletin layout: page 2 ends a
    third short (the next section does not fit).  The two short fillers go
    there, said on their lines; the long one is said unused; the PDF shows
    the two and not the third."""
    issue = tmp_path / "2024-12"
    shutil.copytree(SAMPLE, issue)
    edition = issue / "fr.yaml"
    text = edition.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    edition.write_text(text + FILLERS.replace("WORDS", "word " * 400))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue, lang="fr", layout="bulletin", out_dir=tmp_path / "out",
        on_built=reports.append,
    )  # fmt: skip
    (report,) = reports
    said = {
        finding.field: (finding.code, finding.line, finding.page)
        for finding in report.findings
        if finding.code in ("I135", "I136")
    }
    assert said == {
        "fillers.0": ("I135", lines + 2, 2),
        "fillers.1": ("I135", lines + 7, 2),
        "fillers.2": ("I136", lines + 11, None),
    }
    assert report.path is not None
    text = emn_pdf_text(report.path)
    assert "Subscribe to the newsletter" in text and "Coming up" in text
    assert "too long for any hole" not in text


def emn_pdf_text(path: Path) -> str:
    from pdfcheck import body_text

    return " ".join(body_text(path).split())
