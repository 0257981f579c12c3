"""A picture beside a short title leaves no blank (issue 30, decision 4).

Set across columns, a card's picture stood one column wide beside its
title, its text starting under the picture: a two-line title left the
columns beside the picture blank under it.  Makeup measures the card both
ways and keeps its title above, the picture opening the text's first
column, when that saves height: the text runs beside the picture.  A card
whose text is shorter than the picture keeps its title beside it.  Read
back from the PDF: where the picture is drawn, and the lines of text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from holes import box_under, drawn_pictures, intersect
from pdfcheck import structure
from typesetting import Line, text_lines

import emn_pdf
from emn_pdf.makeup import Measure
from emn_pdf.makeup.measure import arranged

#: An event across the page, its photo beside a short title.
CARD = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20,
  language: fr}
sections:
  - heading: Évènements
    blocks:
      - kind: event
        title: Un atelier
        date: 2025-03-12
        place: Luxembourg
        span: page
        image: {src: images/forecasting.png, alt: Des courbes de prévision.}
        body: WORDS
        links: [{url: "https://example.org/atelier"}]
"""


def built(
    make_issue: Callable[..., Path], tmp_path: Path, layout: str, words: int
) -> Path:
    """Build the card with a body of ``words`` numbered words; return its PDF."""
    body = " ".join(f"mot{number:03d}" for number in range(words))
    issue = make_issue(CARD.replace("WORDS", body), images=("forecasting.png",))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, out_dir=tmp_path, layout=layout, on_built=reports.append)
    (report,) = reports
    assert not [f for f in report.findings if f.severity == "error"]
    assert report.path is not None
    return report.path


def picture_box(pdf: Path) -> tuple[float, float, float, float]:
    """Return the photo's box on page 1, in points from the page's bottom left."""
    (drawn,) = [each for each in drawn_pictures(pdf, 1) if each.pixels]
    return intersect(box_under(drawn.ctm, 0, 0, 1, 1), drawn.clip)


def lines_of(pdf: Path, start: str) -> list[Line]:
    return [line for line in text_lines(pdf) if line.text.startswith(start)]


@pytest.mark.parametrize("layout", ["emn", "bulletin"])
def test_the_text_runs_beside_the_picture_under_the_title_across(
    make_issue: Callable[..., Path], tmp_path: Path, layout: str
) -> None:
    """Its title stands above the picture, across; the text opens beside the
    picture (from its top, in the next column) and under it; every word once,
    in order; the picture keeps its alt text; the button after the last word."""
    words = 260
    pdf = built(make_issue, tmp_path, layout, words)
    left, bottom, right, top = picture_box(pdf)
    (title,) = lines_of(pdf, "Un atelier")
    assert title.baseline > top  # above the picture
    assert title.left < left + 1  # from the block's left edge, across
    text = [line for line in lines_of(pdf, "mot") if line.page == 1]
    beside = [
        line for line in text if line.left > right and bottom < line.baseline < top
    ]
    assert beside, "no text beside the picture"
    assert max(line.baseline for line in beside) > top - 2 * title.size
    under = [line for line in text if line.left < right and line.baseline < bottom]
    assert under, "no text under the picture"
    read = [word for line in text_lines(pdf) for word in line.text.split()]
    numbered = [word for word in read if word.startswith("mot")]
    assert numbered == [f"mot{number:03d}" for number in range(words)]
    figures = [attributes for tag, attributes in structure(pdf) if tag == "Figure"]
    assert [each.get("Alt") for each in figures] == ["Des courbes de prévision."]
    assert read[read.index(numbered[-1]) + 1] == "LIEN"


def test_a_text_shorter_than_the_picture_keeps_the_title_beside_it(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """No blank is saved by moving the title: it stays beside the picture."""
    pdf = built(make_issue, tmp_path, "bulletin", 30)
    _, bottom, right, top = picture_box(pdf)
    (title,) = lines_of(pdf, "Un atelier")
    assert title.left > right and bottom < title.baseline < top
    assert all(line.baseline < bottom for line in lines_of(pdf, "mot"))


#: A card across three columns, its picture (300) beside a title 80 high.
BESIDE = Measure(
    700, picture=300, flow=380, level=80, beside=90, head=310, shorts=(0.0, 0.0, 20.0)
)


def test_the_title_goes_above_when_that_saves_height_and_blank() -> None:
    above = Measure(600, flow=540, head=50, shorts=(0.0, 10.0, 30.0), above=True)
    assert arranged([BESIDE, above], 3) is above
    assert arranged([BESIDE], 3) is BESIDE


def test_the_title_stays_beside_when_above_leaves_a_longer_blank() -> None:
    """Its text shorter than the picture: above, a column of text stands empty."""
    empty = Measure(600, flow=540, head=50, shorts=(0.0, 10.0, 540.0), above=True)
    taller = Measure(720, flow=660, head=50, shorts=(0.0, 0.0, 0.0), above=True)
    assert arranged([BESIDE, empty], 3) is BESIDE
    assert arranged([BESIDE, taller], 3) is BESIDE
