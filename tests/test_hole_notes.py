"""W111 says the holes a reader sees (issue 30, decision 5).

A blank of 15 % of the page in a column of the grid, beside a module, under
one or between two, or under the page's lowest module, on a page but the last:
what ``tests/holes.py`` measures on the rendered page.  The note names the
module that opens the next page and says why no allowed change filled it.
On made-up measures here; on the corpus, ``test_issue30`` compares W111 with
the measure of every edition.
"""

from __future__ import annotations

from test_makeup import GRID

from emn_pdf.makeup import Measure, Module, Placement, place


def test_w111_fires_on_a_hole_beside_a_module() -> None:
    """A block a page high in column 1, two short ones beside it, then a block
    that does not fit under them and is never split: columns 2 and 3 stand
    blank over their lower half, though column 1 is full."""
    modules = [
        Module("s0-b0", "block", 3, {1: Measure(990)}, span=1),
        Module("s0-b1", "block", 3, {1: Measure(400)}, span=1),
        Module("s0-b2", "block", 3, {1: Measure(400)}, span=1),
        Module("s0-b3", "block", 3, {1: Measure(900)}, span=1, new_page=True),
    ]
    placement = place(modules, GRID)
    assert [p.key for p in placement.pages[0]] == [
        "s0-b0",
        "s0-b1",
        "s0-b2",
    ]
    (note,) = [note for note in placement.notes if note.code == "W111"]
    assert note.page == 0 and note.key == "s0-b3"
    assert note.message.startswith("a blank of 5")  # 580 of 1,000 px
    assert "column 2" in note.message
    assert "the next page opens with a page break (the editor's" in note.message


def test_no_w111_on_a_full_page_whatever_its_fill_says() -> None:
    """Three columns ending within a few lines of the foot: no hole."""
    modules = [
        Module(f"s0-b{n}", "block", 3, {1: Measure(height)}, span=1)
        for n, height in enumerate((990, 900, 880))
    ] + [Module("s0-b3", "block", 3, {1: Measure(900)}, span=1, new_page=True)]
    placement = place(modules, GRID)
    assert not [note for note in placement.notes if note.code == "W111"]


def test_w111_says_when_the_next_block_is_too_tall_to_fit() -> None:
    """In three columns a block shorter than a column is never split; in one,
    a block whose text never turns (no lines to turn between) stays whole."""
    modules = [
        Module("s0-b0", "block", 3, {1: Measure(990)}, span=1),
        Module("s0-b1", "block", 3, {1: Measure(990)}, span=1),
        Module("s0-b2", "block", 3, {1: Measure(600)}, span=1),
        Module("s0-b3", "block", 3, {1: Measure(700)}, span=1),
    ]
    placement = place(modules, GRID)
    (note,) = [note for note in placement.notes if note.code == "W111"]
    assert note.message.startswith("a blank of 39% of the page in column 3")
    assert "a block shorter than a column is never split" in note.message
    modules = [
        Module("s0-b0", "block", 1, {1: Measure(600)}, span=1),
        Module("s0-b1", "block", 1, {1: Measure(700)}, span=1),
    ]
    one_column = GRID.__class__(**{**GRID.__dict__, "columns": 1})
    placement = place(modules, one_column)
    (note,) = [note for note in placement.notes if note.code == "W111"]
    assert note.message.startswith("the page ends 40% of its height short")
    assert "its text never turns" in note.message


def test_a_picture_taller_than_the_title_beside_it_leaves_a_hole() -> None:
    """A card across the grid, its photo in column 1 beside a two-line title:
    columns 2 and 3 blank from the title's foot to the photo's (200 of 1,000
    px) are a hole, W111 says so, and the fill counts it."""
    photo = Measure(700, picture=300, level=60, beside=100)
    placement = across_before_a_new_page(photo)
    (note,) = [note for note in placement.notes if note.code == "W111"]
    assert note.page == 0 and "column 2" in note.message
    assert max(placement.fills[0]) > 0.95 > 0.85 > min(placement.fills[0])


def test_a_column_of_text_across_ending_short_leaves_a_hole() -> None:
    """A card across the grid whose text fills two of its three columns (a
    tall closing in the second): the third stands blank under its head, 300
    of 1,000 px; W111 says so in column 3, and the fill counts it."""
    card = Measure(700, flow=600, head=80, shorts=(0.0, 20.0, 300.0))
    placement = across_before_a_new_page(card)
    (note,) = [note for note in placement.notes if note.code == "W111"]
    assert note.page == 0 and "column 3" in note.message
    assert min(placement.fills[0]) < 0.75 < 0.95 < placement.fills[0][0]


def across_before_a_new_page(first: Measure) -> Placement:
    """Place a block across the grid, one 280 px under it, then a new page."""
    modules = [
        Module("s0-b0", "block", 3, {3: first}, span=3),
        Module("s0-b1", "block", 3, {3: Measure(280)}, span=3),
        Module("s0-b2", "block", 3, {3: Measure(600)}, span=3, new_page=True),
    ]
    return place(modules, GRID)
