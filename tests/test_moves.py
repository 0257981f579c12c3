"""Blocks may move within their section (issue 30, decision 2).

When that fills the pages better: the section's first block stays first,
dated blocks (events) keep their order, ``order: fixed`` (on a section or the
whole issue) forbids any move, and every move is said (I134: which block moved
after which, what it bought).  The search is tested on made-up measures; what
the editor allows, on a loaded issue; the finding, through ``check``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE

import emn_pdf
from emn_pdf.edition import prepare
from emn_pdf.makeup import Grid, Measure, Module, place
from emn_pdf.makeup.html import cut
from emn_pdf.makeup.search import changes
from emn_pdf.makeup.wishes import wish_of

#: One column, a page 1,000 px high: a block shorter than it is never split.
COLUMN = Grid(
    page_width=500,
    content_width=400,
    first_height=1000,
    height=1000,
    columns=1,
    gap=20,
    space=20,
    line=16,
)


def block(key: str, height: float, **wishes: object) -> Module:
    """Return a block of section 0, one column, ``height`` high."""
    return Module(key, "block", 1, {1: Measure(height)}, section=0, **wishes)  # type: ignore[arg-type]


def keys(modules: list[Module]) -> list[str]:
    return [module.key for module in modules]


def test_a_block_moves_later_where_that_fills_a_page() -> None:
    """600, then 700 (no room left), then 380: the 380 goes up beside the 600."""
    modules = [
        block("s0-b0", 600),
        block("s0-b1", 700, movable=True),
        block("s0-b2", 380, movable=True),
    ]
    placement = place(modules, COLUMN)
    assert [[p.key for p in page] for page in placement.pages] == [
        ["s0-b0", "s0-b2"],
        ["s0-b1"],
    ]
    (move,) = placement.moves
    assert (move.key, move.after, move.page) == ("s0-b1", "s0-b2", 0)
    assert move.before == pytest.approx(0.6) and move.then == pytest.approx(1.0)


def test_a_block_the_editor_keeps_in_place_does_not_move() -> None:
    modules = [block("s0-b0", 600), block("s0-b1", 700), block("s0-b2", 380)]
    placement = place(modules, COLUMN)
    assert [p.key for page in placement.pages for p in page] == keys(modules)
    assert placement.moves == []


def test_dated_blocks_keep_their_order_and_moves_stay_in_the_section() -> None:
    modules = [
        block("s0-b0", 100),
        block("s0-b1", 100, movable=True, date="2025-03-01"),
        block("s0-b2", 100, movable=True, date="2025-03-01"),
        block("s0-b3", 100, movable=True),
        block("s0-b4", 100, movable=True, date="2025-02-01"),
        block("s0-b5", 100, movable=True, closing=True),
        Module("s1-heading", "heading", 1, {1: Measure(40)}, section=1),
        block("s1-b0", 100),
    ]
    moved = {
        (
            keys(modules)[index],
            keys(change)[keys(change).index(keys(modules)[index]) - 1],
        )
        for change in changes(modules)
        if keys(change) != keys(modules)
        for index in [
            next(
                i
                for i, (a, b) in enumerate(zip(modules, change, strict=True))
                if a != b
            )
        ]
    }
    # b1 passes b2 (same day) and b3 (no date), never b4 (another day);
    # nothing passes the closing block or leaves the section
    assert moved == {
        ("s0-b1", "s0-b2"),
        ("s0-b1", "s0-b3"),
        ("s0-b2", "s0-b3"),
        ("s0-b3", "s0-b4"),
    }


SECTION = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20,
  language: fr}
# issue order
sections:
  - heading: Actualités
    # section order
    blocks:
      - kind: news
        title: Première
        body: Un paragraphe.
      - kind: news
        title: Deuxième
        body: Un paragraphe.
      - kind: news
        title: Troisième
        body: Un paragraphe.
        keep_with_next: true
      - kind: news
        title: Quatrième
        body: Un paragraphe.
      - kind: contact
        email: info@example.org
"""


@pytest.mark.parametrize(
    ("issue_order", "section_order", "movable"),
    [
        ("", "", [False, True, False, False, False]),
        ("order: fixed", "", [False] * 5),
        ("", "order: fixed", [False] * 5),
        ("order: fixed", "order: free", [False, True, False, False, False]),
    ],
)
def test_what_the_editor_leaves_movable(
    make_issue: Callable[..., Path],
    issue_order: str,
    section_order: str,
    movable: list[bool],
) -> None:
    """The first block, a block kept with the next and the one after it, and
    the closing contact never move; ``order: fixed`` keeps every block, a
    section's own order wins over the issue's."""
    text = SECTION.replace("# issue order", issue_order).replace(
        "# section order", section_order
    )
    item = prepare(make_issue(text), "fr", "emn")
    wishes = [
        wish_of(piece, item.loaded.edition, COLUMN, least_ppi=300.0)
        for piece in cut(item.html()).pieces
        if piece.role == "block"
    ]
    assert [wish.movable for wish in wishes] == movable


def test_an_unknown_order_is_refused_with_its_line(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue(SECTION.replace("# issue order", "order: random"))
    with pytest.raises(emn_pdf.UserError) as raised:
        emn_pdf.check(issue)
    assert "order" in str(raised.value) and "fr.yaml:3" in str(raised.value)


def test_each_move_is_said_and_order_fixed_keeps_the_order_written(
    tmp_path: Path,
) -> None:
    """The sample's English web edition in emn moves its third block (a
    workshop) after the promotion that followed it, and takes 3 pages rather
    than 4: said as I134, on the block's line; with ``order: fixed`` at the
    top of the issue, nothing moves."""
    findings = emn_pdf.check(SAMPLE, lang="en", layout="emn", target="web")
    (moved,) = [finding for finding in findings if finding.code == "I134"]
    assert moved.line is not None and moved.field == "sections.0.blocks.2"
    assert moved.message.startswith(
        "moved after «Promoting the “Destination Europe” learning tool» in its"
        " section: 3 pages rather than 4"
    )
    fixed = tmp_path / "2024-12"
    shutil.copytree(SAMPLE, fixed)
    edition = fixed / "en.yaml"
    edition.write_text("order: fixed\n" + edition.read_text(encoding="utf-8"))
    findings = emn_pdf.check(fixed, lang="en", layout="emn", target="web")
    assert not [finding for finding in findings if finding.code == "I134"]
