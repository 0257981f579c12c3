"""A block set across columns turns between lines to the next page.

Under the rules of a long article in one column (issue 30, decision 1): two
lines on each side of a turn, the header with at least two lines in each of
its text's columns, the button under the last line, one paragraph one
element; a block shorter than its column is never split.  The placement is
tested on made-up measures; one issue is built and read back from the PDF:
the first part's columns end at the page's foot, the rest starts at the next
page's top, and every word is there once, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from math import ceil
from pathlib import Path

import pytest
from holes import POINTS_PER_MM, layout_grid
from pdfcheck import body_text
from test_makeup import GRID, LINE
from test_turns import element_texts
from typesetting import text_lines

import emn_pdf
from emn_pdf.makeup import Break, Measure, Module, Placed, place
from emn_pdf.makeup.textcolumns import Galley

HEADER = 48.0


def across(key: str, lines: int, header: float = HEADER, span: int = 3) -> Module:
    """Return a block across the grid: a header, one paragraph in ``span`` columns.

    Its ``lines`` lines (ten characters each) fill the columns one after
    the other; it may turn to the next page after any line that leaves two
    in each column on both sides.
    """

    def columns(count: int) -> float:
        return ceil(count / span) * LINE

    turns = range(2 * span, lines - 2 * span + 1)
    across = Measure(
        header + columns(lines),
        flow=columns(lines),
        cuts=((0, 0), *((0, kept * 10) for kept in turns), (1, 0)),
        head=header,
        turns=tuple((columns(kept), columns(lines - kept)) for kept in turns),
    )
    one = Measure(header + lines * LINE)
    return Module(key, "block", span, {1: one, span: across}, span=span)


def turned_under(room: float, block: Module) -> list[list[Placed]]:
    """Return the pages of ``block`` placed under a module leaving ``room`` px."""
    above = Module("above", "block", 3, {3: Measure(1000 - room - GRID.space)}, span=3)
    placement = place([above, block], GRID)
    assert placement.pages[0][0].key == "above"
    return [[p for p in page if p.key == block.key] for page in placement.pages]


def test_a_block_across_columns_turns_at_the_page_foot() -> None:
    """150 lines, 50 in each column (848 px), under 400 px of room: the
    page ends full with its header and 22 lines in each column; the rest,
    balanced, opens the next page."""
    pages = turned_under(400, across("b", 150))
    (first,), (rest,) = pages
    assert first.cuts == ((0, 0), (0, 660)) and rest.cuts == ((0, 660), (1, 0))
    assert first.flow == 22 * LINE and rest.flow == 28 * LINE
    assert first.height == HEADER + 22 * LINE
    assert first.top + first.height >= 1000 - LINE
    assert rest.top == 0 and rest.height == 28 * LINE


def test_a_block_across_shorter_than_its_column_stays_whole() -> None:
    """50 lines are 848 px in one column, shorter than the page: it goes
    whole to the next page (a block shorter than its column is never split)."""
    pages = turned_under(150, across("b", 50))
    assert [len(page) for page in pages] == [0, 1]
    assert pages[1][0].cuts is None


def test_a_short_block_the_editor_set_across_stays_whole() -> None:
    """Set across by the editor, it has no measure in one column: its
    columns one under the other (3 x 17 lines, 864 px) stand for it."""
    short, long = across("b", 50), across("b", 150)
    del short.measures[1], long.measures[1]
    assert [len(page) for page in turned_under(150, short)] == [0, 1]
    assert turned_under(400, long)[0][0].cuts is not None  # 48 + 3 x 50 lines


@pytest.mark.parametrize(
    ("lines", "turns"), [(1.5, False), (2.5, True)], ids=["one line", "two lines"]
)
def test_its_header_keeps_two_lines_in_each_column(lines: float, turns: bool) -> None:
    """Room for the header and one line in each column: it goes whole to
    the next page; for two, it starts here with six lines."""
    pages = turned_under(HEADER + lines * LINE, across("b", 150))
    if turns:
        assert pages[0][0].cuts == ((0, 0), (0, 60))
    else:
        assert [len(page) for page in pages] == [0, 1]


def test_the_rest_must_hold_on_the_next_page() -> None:
    """A block whose rest would run past the next page stays whole."""
    pages = turned_under(150, across("b", 210))  # 70 lines a column, 1,168 px
    assert all(placed.cuts is None for page in pages for placed in page)


def test_room_the_page_stretches_over_is_not_filled_by_a_turn() -> None:
    """A line and a half of room: the page's spaces take it, the block
    goes whole to the next page."""
    pages = turned_under(1.5 * LINE, across("b", 150))
    assert [len(page) for page in pages] == [0, 1]


def paragraph_galley(lines: int, columns: int = 2) -> Galley:
    """Return one paragraph of ``lines`` lines of 10 px, as the galley sets it."""
    breaks = tuple(Break(10.0 * n, 10.0 * n, 1, n, 2) for n in range(2, lines - 1))
    tops = tuple(10.0 * n for n in range(lines))
    return Galley(0.0, 10.0 * lines, breaks, tops, columns, pitch=10.0)


def test_the_columns_on_each_side_of_a_turn_are_balanced() -> None:
    """20 lines in two columns, turned after the eighth: four lines a column
    before the turn, six after; whole, ten."""
    galley = paragraph_galley(20)
    assert galley.least() == pytest.approx(100, abs=0.5)
    before, after = galley.turned(galley.breaks[6]) or (0, 0)  # after line 8
    assert before == pytest.approx(40.5, abs=0.5)
    assert after == pytest.approx(60.5, abs=0.5)


def test_a_turn_leaving_a_column_under_two_lines_is_none() -> None:
    """Turned after line 3, the first part's columns would hold 2 and 1."""
    galley = paragraph_galley(20)
    assert galley.turned(galley.breaks[1]) is None
    assert galley.turned(galley.breaks[2]) is not None  # after line 4: 2 and 2


def test_a_turn_whose_first_columns_end_uneven_is_none() -> None:
    """Three units kept whole (50, 10 and 10 px) then a paragraph: turned
    after them, the first part's columns would be 50 and 20 px, the second
    blank under its units: no turn there."""
    units = (Break(50, 50), Break(60, 60), Break(70, 70))
    lines = (
        0.0,
        10.0,
        20.0,
        30.0,
        40.0,
        50.0,
        60.0,
        *(70.0 + 10 * n for n in range(20)),
    )
    para = tuple(Break(70 + 10.0 * n, 70 + 10.0 * n, 1, n, 2) for n in range(2, 19))
    galley = Galley(0.0, 270.0, units + para, lines, 2, pitch=10.0)
    assert galley.turned(units[2]) is None
    assert galley.turned(para[8]) is not None  # 50 | 20 + 80: level within a line


#: A short news block, then one across the page: a paragraph of numbered words.
ACROSS = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20,
  language: fr}
sections:
  - heading: Actualités
    blocks:
      - kind: news
        title: Une brève
        body: Un paragraphe court, puis un autre, pour une brève en tête de page.
      - kind: news
        title: Un long article
        span: page
        body: WORDS
        links: [{url: "https://example.org/suite"}]
"""


@pytest.mark.parametrize("layout", ["emn", "bulletin"])
def test_a_built_block_across_columns_turns_to_the_next_page(
    make_issue: Callable[..., Path], tmp_path: Path, layout: str
) -> None:
    """Its columns reach page 1's foot, the rest opens page 2; every word
    once, in order, in one paragraph; the button under the last line."""
    words = [f"mot{number:03d}" for number in range(900)]
    issue = make_issue(ACROSS.replace("WORDS", " ".join(words)))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, out_dir=tmp_path, layout=layout, on_built=reports.append)
    (report,) = reports
    assert not [f for f in report.findings if f.severity == "error"]
    (makeup,) = [f.figures for f in report.findings if f.code == "I110"]
    assert makeup and makeup["pages"] == 2 and makeup["splits"] == 1
    assert report.path is not None
    text = body_text(report.path).split()
    assert [word for word in text if word.startswith("mot")] == words
    paragraphs = [
        spoken
        for tag, spoken in element_texts(report.path)
        if tag == "P" and "mot" in spoken
    ]
    assert len(paragraphs) == 1 and "".join(paragraphs[0].split()) == "".join(words)
    assert text[text.index(words[-1]) + 1] == "LIEN"
    grid = layout_grid(layout)
    foot = (grid.height - grid.bottom) * POINTS_PER_MM  # from the page's bottom
    head = (grid.height - grid.top) * POINTS_PER_MM
    lines = [line for line in text_lines(report.path) if line.text.startswith("mot")]
    leading = min(
        above.baseline - below.baseline
        for above, below in pairwise(lines)
        if above.page == below.page and abs(above.left - below.left) < 1
    )
    columns = sorted({round(line.left) for line in lines if line.page == 1})
    assert len(columns) == len(grid.columns)
    for left in columns:  # each column of the first part ends at the foot
        lowest = min(
            line.baseline
            for line in lines
            if line.page == 1 and round(line.left) == left
        )
        assert foot <= lowest < foot + 1.5 * leading
    first_on_2 = max(line.baseline for line in lines if line.page == 2)
    assert head - 1.5 * leading < first_on_2 < head  # the rest opens page 2
    assert {line.page for line in lines} == {1, 2}
