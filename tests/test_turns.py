"""Long articles turn between lines inside a paragraph (issue 30, decision 1).

As in a newspaper or a book: at least two lines on each side of a turn, never
after a hyphenated line, the header never left with fewer than its first lines
of text, the button under the last line, one paragraph one element for
readers; a block shorter than its column is never split.  The placement is
tested on made-up measures, the cutting of the HTML on its own, and one issue
is built and read back from the PDF, in three columns and in one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pdfcheck import body_text, marked_texts, page_texts, structure_elements
from test_makeup import GRID, LINE
from typesetting import text_lines

import emn_pdf
from emn_pdf.makeup import Measure, Module, Placed, place
from emn_pdf.makeup.html import TURN, WHOLE, Piece
from emn_pdf.makeup.turns import drop_first, keep_first, line_ends


def one_paragraph(
    key: str, lines: int, header: float = 48.0, columns: int = 3
) -> Module:
    """Return a block of a header and one paragraph of ``lines`` lines.

    It may turn after each line but the first and the last (orphans and
    widows 2); each line is ten characters.  It stands in a grid of
    ``columns``.
    """
    height = header + lines * LINE
    turns = [header + kept * LINE for kept in range(2, lines - 1)]
    boundaries = (0.0, *turns, height)
    cuts = ((0, 0), *((0, kept * 10) for kept in range(2, lines - 1)), (1, 0))
    measures = {1: Measure(height, None, boundaries, None, None, cuts)}
    return Module(key, "block", columns, measures, span=1)


def test_a_long_article_turns_between_lines_inside_a_paragraph() -> None:
    placement = place([one_paragraph("long", 150)], GRID)
    parts = [placed for page in placement.pages for placed in page]
    assert len(parts) == 3  # 2,448 px in columns of 1,000
    assert all(part.cuts is not None for part in parts)
    ends = [part.cuts[1] for part in parts[:-1] if part.cuts]
    assert all(unit == 0 and characters % 10 == 0 for unit, characters in ends)
    assert [part.column for part in parts] == [0, 1, 2]
    for before, after in pairwise(parts):
        assert before.cuts and after.cuts and before.cuts[1] == after.cuts[0]
    # the columns end level, to a line, the last one under them
    assert abs(parts[0].height - parts[1].height) <= LINE + 1


def test_the_header_keeps_its_first_lines_of_text() -> None:
    """A turn leaves the header at least ``first_part_lines`` high with its text."""
    filler = Module("a", "block", 3, {1: Measure(1000 - 3 * LINE - 20)}, span=1)
    placement = place([filler, one_paragraph("long", 120, header=4 * LINE)], GRID)
    first = next(p for page in placement.pages for p in page if p.key == "long")
    assert first.column != 0 or first.top == 0  # not squeezed under the filler
    assert first.height >= 6 * LINE


def test_a_block_shorter_than_its_column_is_never_split() -> None:
    """Not even at a page's foot, where it would fill the column."""
    modules = [
        Module("a", "block", 3, {1: Measure(700)}, span=1),
        Module("b", "block", 3, {1: Measure(700)}, span=1),
        Module("c", "block", 3, {1: Measure(700)}, span=1),
        one_paragraph("short", 50),  # 848 px, in a column of 1,000
    ]
    placement = place(modules, GRID)
    assert placement.splits == 0
    assert [p.cuts for page in placement.pages for p in page] == [None] * 4


#: A grid of one column, a page of 1,000 px: an A5 booklet's.
ONE_COLUMN = replace(GRID, columns=1)


def turned_in_one_column(room: float, block: Module) -> list[Placed]:
    """Return the parts of ``block`` placed under a page ``room`` px from full.

    A block half a page high follows it: the last page is not left nearly
    empty, whatever the turn.
    """
    above = Module("above", "block", 1, {1: Measure(1000 - room - GRID.space)})
    after = Module("after", "block", 1, {1: Measure(500)})
    placement = place([above, block, after], ONE_COLUMN)
    assert next(placed.key for placed in placement.pages[0]) == "above"
    return [placed for page in placement.pages for placed in page if placed.key == "b"]


def test_in_one_column_a_short_block_turns_the_page_between_lines() -> None:
    """As in a book: a block shorter than the page, at a page's foot, starts
    there and goes on overleaf; the page ends full, a line from its foot."""
    parts = turned_in_one_column(300, one_paragraph("b", 40, columns=1))
    assert len(parts) == 2  # 688 px, shorter than the page
    first, second = parts
    assert first.top + first.height >= 1000 - LINE - 1
    assert first.cuts and second.cuts and first.cuts[1] == second.cuts[0]
    unit, characters = first.cuts[1]
    assert unit == 0 and 2 <= characters // 10 <= 40 - 2


def test_in_one_column_two_lines_stay_on_each_side_of_a_turn() -> None:
    """Ten lines, room for nine and a half: the turn leaves the last two
    overleaf (widows), not one."""
    parts = turned_in_one_column(48 + 9.5 * LINE, one_paragraph("b", 10, columns=1))
    assert [part.cuts for part in parts] == [((0, 0), (0, 80)), ((0, 80), (1, 0))]


@pytest.mark.parametrize(
    ("lines", "starts"), [(1.5, False), (2.5, True)], ids=["one line", "two lines"]
)
def test_in_one_column_a_heading_or_picture_keeps_its_first_two_lines(
    lines: float, starts: bool
) -> None:
    """A picture 200 px high heads the block: at a page's foot it starts
    there only with two lines of text under it."""
    block = one_paragraph("b", 40, header=200.0, columns=1)
    parts = turned_in_one_column(200 + lines * LINE, block)
    if starts:
        assert parts[0].cuts == ((0, 0), (0, 20))
    else:
        assert len(parts) == 1 and parts[0].cuts is None  # whole, overleaf


def test_in_three_columns_the_same_block_stays_whole() -> None:
    """The short-split rule holds where a split spreads a block over the
    columns of one page."""
    modules = [Module(key, "block", 3, {1: Measure(700)}, span=1) for key in "ace"] + [
        one_paragraph("b", 40)
    ]
    placement = place(modules, GRID)
    assert placement.splits == 0 and placement.short_splits == 0


def test_lines_say_where_a_paragraph_may_turn() -> None:
    written = "Un  paragraphe\nqui tourne entre ses lignes, ici-même et là."
    lines = ["Un paragraphe qui", "tourne entre ses", "lignes, ici-", "même et là."]
    assert line_ends(lines, written) == [15, 29, None, 49]
    hyphenated = ["Un paragraphe qui tour\u2010", "ne entre ses lignes,"]
    assert line_ends(hyphenated, "Un paragraphe qui tourne entre ses lignes,") == [
        None,
        36,
    ]
    # text the engine adds (generated content) is not the paragraph's: no turn
    assert line_ends(["« Un paragraphe"], "Un paragraphe") is None


def test_a_paragraph_is_cut_at_a_turn_inside_its_inline_elements() -> None:
    html = '<p>Un <a href="x">lien <em>très</em> long</a> puis la suite.</p>'
    head, tail = (
        lxml_html.fragment_fromstring(html),
        lxml_html.fragment_fromstring(html),
    )
    keep_first(head, 9)  # "Un lien très" is 2 + 4 + 4 characters: 10
    drop_first(tail, 9)
    assert lxml_html.tostring(head, encoding="unicode") == (
        '<p>Un <a href="x">lien <em>trè</em></a></p>'
    )
    assert lxml_html.tostring(tail, encoding="unicode") == (
        '<p><a href="x"><em>s</em> long</a> puis la suite.</p>'
    )


def test_both_sides_of_a_turn_are_one_element_for_readers() -> None:
    html = (
        '<div data-block="s1-b0"><h3>Titre</h3><div data-flow>'
        "<p>Premier paragraphe.</p><p>Deuxième <b>paragraphe</b> long.</p>"
        "</div><a class='button'>Lire</a></div>"
    )
    piece = Piece("s1-b0", "block", 1, None, (lxml_html.fragment_fromstring(html),))
    head = piece.part((0, 0), (1, 14))
    tail = piece.part((1, 14), (2, 0))
    (head_root,), (tail_root,) = head, tail
    assert head_root.find(".//h3") is not None and tail_root.find(".//h3") is None
    assert head_root.find(".//a") is None and tail_root.find(".//a") is not None
    head_p = head_root.findall(".//p")[-1]
    tail_p = tail_root.find(".//p")
    assert head_p.text_content() == "Deuxième paragr"
    assert tail_p.text_content() == "aphe long."
    assert head_p.get(TURN) == "head" and tail_p.get(TURN) == "tail"
    assert head_p.get(WHOLE) == tail_p.get(WHOLE)
    assert head_p.find("b").get(WHOLE) == tail_p.find("b").get(WHOLE)


#: A news block of one paragraph of numbered words, longer than a column.
LONG_PARAGRAPH = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20,
  language: fr}
sections:
  - heading: Actualités
    blocks:
      - kind: news
        title: Un long article
        span: 1
        body: WORDS
        links: [{url: "https://example.org/suite"}]
      - kind: news
        title: Une brève
        body: Un paragraphe court.
"""


@pytest.mark.parametrize("layout", ["emn", "one-column"])
def test_a_built_paragraph_turns_between_its_lines(
    make_issue: Callable[..., Path],
    tmp_path: Path,
    layout: str,
    one_column: Path,
) -> None:
    """The paragraph reads once, in order, as one ``P``; its lines in two places."""
    words = [f"mot{number:03d}" for number in range(700)]
    issue = make_issue(LONG_PARAGRAPH.replace("WORDS", " ".join(words)))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue,
        out_dir=tmp_path,
        layout=str(one_column) if layout == "one-column" else layout,
        on_built=reports.append,
    )
    (report,) = reports
    assert not [f for f in report.findings if f.severity == "error"]
    (makeup,) = [f.figures for f in report.findings if f.code == "I110"]
    assert makeup and makeup["splits"] == 1 and makeup["short_splits"] == 0
    pdf = report.path
    assert pdf is not None
    text = body_text(pdf).split()
    assert [word for word in text if word.startswith("mot")] == words
    paragraphs = [
        spoken for tag, spoken in element_texts(pdf) if tag == "P" and "mot" in spoken
    ]
    assert len(paragraphs) == 1  # one paragraph, one element
    # every word once, in order (the engine's marked content keeps no space
    # at the end of a line: extraction spaces words by their places)
    assert "".join(paragraphs[0].split()) == "".join(words)
    if layout == "one-column":  # its lines on two pages at least
        pages = [page.split() for page in page_texts(pdf)]
        assert sum(words[0] in page or words[-1] in page for page in pages) == 2
    # the button stays under the article's last line
    assert text[text.index("mot699") + 1] == "LIEN"


def element_texts(pdf: Path) -> list[tuple[str, str]]:
    """Return each structure element's tag and the text it holds, kids included."""
    texts = marked_texts(pdf)
    elements = structure_elements(pdf)
    found = []
    for index, element in enumerate(elements):
        held = [element]
        for kid in elements[index + 1 :]:
            if len(kid.ancestors) <= len(element.ancestors):
                break
            held.append(kid)
        spoken = "".join(texts[marked] for each in held for marked in each.marked)
        found.append((element.tag, spoken))
    return found


@pytest.fixture(scope="module")
def one_column(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An A5 layout in one column: pages turn between lines, as a book's."""
    folder = tmp_path_factory.mktemp("layouts") / "a5"
    folder.mkdir()
    (folder / "theme.yaml").write_text(
        "extends: emn\npage: {size: A5 portrait}\ncolumns: 1\n", encoding="utf-8"
    )
    return folder


#: A news block across the page: its text in three columns, then its link.
ACROSS = LONG_PARAGRAPH.replace("span: 1", "span: page")


def test_the_button_stays_under_the_last_line_of_a_block_across_columns(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """In the column the text ends in, not under the first one."""
    words = [f"mot{number:03d}" for number in range(240)]
    issue = make_issue(ACROSS.replace("WORDS", " ".join(words)))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, out_dir=tmp_path, layout="emn", on_built=reports.append)
    (report,) = reports
    assert report.path is not None
    lines = text_lines(report.path)
    last = next(line for line in lines if words[-1] in line.text)
    first = next(line for line in lines if line.text.startswith(words[0]))
    button = next(line for line in lines if line.text.startswith("LIEN"))
    assert last.left > first.left + 100  # the text ends in another column
    assert last.left <= button.left < last.left + 20  # in that column (padded)
    assert last.page == button.page and button.baseline < last.baseline  # under it
