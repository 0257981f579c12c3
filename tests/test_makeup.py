"""Page makeup: modules placed whole on the page grid (issue 10, first step).

The placement is pure arithmetic on measured heights, so most of it is tested
on made-up measures; one test lays the sample out through a layout that turns
makeup on, and reads the boxes of the result.
"""

from __future__ import annotations

import itertools
import re
import sys
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import holes
import pytest
import yaml
from conftest import (
    CORPUS_DIR,
    MINIMAL_EDITION,
    ROOT,
    SAMPLE,
    corpus_reports,
    in_turn,
    sample_reports,
)
from pypdf import PdfReader

import emn_pdf
from emn_pdf.edition import prepare
from emn_pdf.issue.errors import Finding
from emn_pdf.layout.layouts import Page
from emn_pdf.layout.render import short_url
from emn_pdf.makeup import (
    Break,
    Grid,
    Measure,
    Measured,
    Module,
    Note,
    Placement,
    flow_height,
    pipeline,
    place,
    search,
)
from emn_pdf.makeup import fill as makeup_fill
from emn_pdf.makeup import html as makeup_html
from emn_pdf.makeup import measure as makeup_measure
from emn_pdf.makeup import pages as makeup_pages
from emn_pdf.makeup import pipeline as makeup_pipeline
from emn_pdf.makeup.copyfit import Trial
from emn_pdf.makeup.parts import Part
from emn_pdf.steps import (
    MEASURED,
    Draft,
    Drafting,
    Engine,
    _saving_trial,
    inspect,
    lay_out_target,
)

sys.path.insert(0, str(ROOT / "scripts"))
import measure_makeup

LINE = 16.0
GRID = Grid(
    page_width=800,
    content_width=680,
    first_height=1000,
    height=1000,
    columns=3,
    gap=20,
    space=20,
    line=LINE,
)


def block(
    key: str,
    height: float,
    units: int = 0,
    picture: float | None = None,
    **wishes: object,
) -> Module:
    """Return a column module; ``units`` paragraphs of equal height if given."""
    boundaries = tuple(height * i / units for i in range(units + 1)) if units else ()
    measures = {1: Measure(height, picture, boundaries), 3: Measure(height / 3 + 40)}
    return Module(key, "block", 3, measures, **wishes)  # type: ignore[arg-type]


def heading(key: str) -> Module:
    return Module(key, "heading", 3, {3: Measure(40)})


def placed_keys(placement: Placement) -> list[list[str]]:
    return [[placed.key for placed in page] for page in placement.pages]


def test_short_blocks_are_never_split() -> None:
    modules = [heading("h"), *(block(f"b{i}", 300, units=3) for i in range(7))]
    placement = place(modules, GRID)
    assert placement.splits == 0
    for page in placement.pages:
        for placed in page:
            assert placed.units is None
            assert placed.top + placed.height <= GRID.height + 0.5


def test_a_long_article_goes_on_in_the_next_column_between_paragraphs() -> None:
    modules = [block("long", 1500, units=10), *(block(f"b{i}", 200) for i in range(3))]
    placement = place(modules, GRID)
    parts = [placed for placed in placement.pages[0] if placed.key == "long"]
    assert len(parts) == 2
    assert parts[0].column == 0 and parts[1].column == 1
    assert parts[0].units is not None and parts[1].units is not None
    assert parts[0].units[1] == parts[1].units[0]  # cut between two paragraphs
    assert placement.splits == 1


def test_a_heading_never_stands_alone_at_a_page_foot() -> None:
    modules = [block(f"a{i}", 900) for i in range(3)] + [
        heading("h"),
        block("b", 400),
    ]
    modules.insert(0, Module("front", "front", 3, {3: Measure(60)}))
    placement = place(modules, GRID)
    for page in placement.pages:
        if page[-1].key == "h":
            pytest.fail("a heading ends a page")


def test_new_page_and_keep_with_next() -> None:
    modules = [
        block("a", 200),
        block("b", 200),
        block("c", 200, new_page=True),
        block("d", 200),
    ]
    assert placed_keys(place(modules, GRID))[0] == ["a", "b"]


def test_a_run_shorter_than_the_grid_spans_it() -> None:
    placement = place([heading("h"), block("only", 600)], GRID)
    (only,) = [placed for placed in placement.pages[0] if placed.key == "only"]
    assert only.span == 3


def test_full_pages_end_level_by_resizing_pictures() -> None:
    modules = [
        block(f"b{i}", 240 + 17 * (i % 4), units=2, picture=120) for i in range(16)
    ]
    placement = place(modules, GRID)
    assert len(placement.pages) >= 2
    for fills in placement.fills[:-1]:
        assert min(fills) >= 0.9
        assert max(fills) - min(fills) <= LINE / GRID.height + 1e-6


def test_a_picture_beside_its_title_shrinks_only_until_level_with_it() -> None:
    """Shrunk further (a card's picture beside its title across the grid, a
    study's cover beside its title), it would make the module no shorter: the
    page would run past its foot."""
    tall = Module("b0", "block", 3, {1: Measure(1030, 120, level=100)})
    placement = place([tall], GRID)  # 30 too tall: its picture gives 20, not 36
    assert [placed.picture for placed in placement.pages[0]] == [pytest.approx(100)]
    resizing = [
        Part(
            replace(tall, measures={1: Measure(260, 120, level=level)}), 1, None, 260
        ).resizing(GRID)
        for level in (None, 130, 100)
    ]
    assert resizing == [pytest.approx(each) for each in [(-36, 48), (0, 48), (-20, 48)]]


def test_a_photograph_grows_only_while_it_stays_sharp() -> None:
    """Growing a picture's box crops its sides and enlarges the photograph:
    600 pixels drawn 200 CSS pixels wide (2.08 in) are 288 ppi, and the 1.4
    the crop limits allow would make them 206.  At 150 ppi (the web) the
    box may grow to 1.4; at 300 (print) not beyond the photograph's own shape
    (its natural height, 150); a vector picture grows to 1.4."""
    measure = Measure(260, 120, natural=150, picture_width=200)
    module = Module("b0", "block", 3, {1: measure})
    growth = [
        Part(replace(module, sharp_width=sharp), 1, None, 260).resizing(GRID)[1]
        for sharp in (600 * 96 / 150, 600 * 96 / 300, None)
    ]
    assert growth == [pytest.approx(48), pytest.approx(30), pytest.approx(48)]
    drawn = 200 * (120 + growth[1]) / 150
    assert 600 / (drawn / 96) == pytest.approx(288)  # never enlarged past its shape


def test_a_band_stays_on_the_page_of_its_article() -> None:
    band = Module("s0-b1~band", "band", 3, {3: Measure(300)}, keep_with_next=True)
    article = block("s0-b1", 500)
    modules = [block("a", 850), block("b", 850), block("c", 850), band, article]
    pages = placed_keys(place(modules, GRID))
    (with_band,) = [page for page in pages if "s0-b1~band" in page]
    assert with_band.index("s0-b1~band") < with_band.index("s0-b1")


def test_a_section_may_end_with_a_module_wider_than_a_column() -> None:
    short = block("short", 200)
    wide = Module("wide", "block", 3, {1: Measure(600), 2: Measure(280)})
    placement = place([heading("h"), short, wide, heading("next")], GRID)
    placed = {item.key: item for item in placement.pages[0]}
    assert (placed["wide"].span, placed["wide"].column) == (2, 1)
    assert placed["next"].top < placed["wide"].top + 300 + 2 * GRID.space


def test_a_section_that_cannot_open_in_a_column_opens_across_the_page() -> None:
    """Its first module, too tall for a column of the page foot, goes across."""
    front = Module("front", "front", 3, {3: Measure(550)})
    modules = [front, heading("h"), *(block(f"b{i}", 600) for i in range(3))]
    pages = place(modules, GRID).pages
    first = {item.key: item for item in pages[0]}
    assert list(first) == ["front", "h", "b0"]
    assert first["b0"].span == 3
    assert [item.key for item in pages[1]] == ["b1", "b2"]


def test_a_new_page_takes_its_section_heading_along() -> None:
    modules = [block("a", 200), heading("h"), block("b", 200, new_page=True)]
    assert placed_keys(place(modules, GRID)) == [["a"], ["h", "b"]]


def test_fill_is_read_on_the_page_grid_whatever_the_section_grid() -> None:
    two = [
        Module(f"t{i}", "block", 2, {1: Measure(900), 2: Measure(450)})
        for i in range(2)
    ]
    placement = place(two, GRID)
    assert placement.fills[0] == pytest.approx([0.9, 0.9, 0.9])


def test_a_page_holds_what_its_spaces_can_give() -> None:
    """A full-width module a few pixels too tall stays: the spaces above shrink."""
    wide = [Module(f"w{i}", "block", 3, {3: Measure(188)}, span=3) for i in range(5)]
    height = 5 * 188 + 4 * GRID.space
    over = height - GRID.first_height  # 20 px, less than the spaces above may give
    assert 0 < over < 3 * (1 - GRID.space_shrink) * GRID.space
    placement = place(wide, GRID)
    assert len(placement.pages) == 1
    assert max(item.top + item.height for item in placement.pages[0]) <= 1000


def test_an_empty_column_costs_as_a_hole() -> None:
    """Three modules that end a section take three columns, not two."""
    modules = [heading("h"), block("a", 500), block("b", 250), block("c", 150)]
    modules[1:] = [
        replace(module, measures={1: module.measures[1]}) for module in modules[1:]
    ]
    placed = {item.key: item for item in place(modules, GRID).pages[0]}
    assert sorted(placed[key].column for key in "abc") == [0, 1, 2]


def test_modules_that_leave_holes_in_columns_are_set_across() -> None:
    """Across the grid, one under the other, if that takes no more height.

    In columns they would end 250 and 350 short of the longest, more than
    their spaces can take; across, they take 460 with no hole.
    """
    modules = [heading("h"), block("a", 500), block("b", 250), block("c", 150)]
    (page,) = place(modules, GRID).pages
    assert [(item.key, item.span) for item in page] == [
        ("h", 3), ("a", 3), ("b", 3), ("c", 3)
    ]  # fmt: skip
    # When it does take more, they stay in columns.
    taller = [
        *modules[:3],
        replace(modules[3], measures={1: Measure(150), 3: Measure(400)}),
    ]
    placed = {item.key: item for item in place(taller, GRID).pages[0]}
    assert sorted(placed[key].column for key in "abc") == [0, 1, 2]


def test_the_search_sets_articles_across_where_columns_leave_holes() -> None:
    """In columns, ``d`` cannot stand beside ``a``, ``b`` and ``c``, nor the
    next section under them: the first page would end with a column 56 %
    full.  Set across the grid, one under the other, they fill it."""
    modules = [
        heading("h1"),
        block("a", 500),
        block("b", 750),
        block("c", 700),
        block("d", 300),
        heading("h2"),
        block("n", 700),
    ]
    placement = place(modules, GRID)
    assert placed_keys(placement) == [["h1", "a", "b", "c"], ["d", "h2", "n"]]
    assert {item.span for item in placement.pages[0]} == {3}
    assert placement.figures()["fill"] == [0.93]
    assert not placement.notes


def test_a_block_the_editor_sets_over_two_of_three_columns_heads_a_row() -> None:
    """Wherever it stands in its section, with what follows beside it."""

    def over_two(module: Module, height: float) -> Module:
        return replace(module, span=2, measures={**module.measures, 2: Measure(height)})

    modules = [
        heading("h"),
        block("a", 300),
        block("b", 300),
        over_two(block("c", 600), 300),
        block("d", 150),
        block("e", 140),
        block("f", 300),
    ]
    placed = {item.key: item for item in place(modules, GRID).pages[0]}
    assert (placed["c"].column, placed["c"].span) == (0, 2)
    beside = [placed[key] for key in "de"]
    assert [(item.column, item.span) for item in beside] == [(2, 1), (2, 1)]
    assert placed["c"].top == placed["d"].top
    assert placed["f"].top > placed["c"].top + placed["c"].height


def test_a_column_left_blank_beside_a_wide_block_is_not_full() -> None:
    """Fill counts the holes inside a column, not only how far down it ends."""
    wide = replace(block("c", 600), span=2, measures={2: Measure(300)})
    below = replace(block("g", 1800), span=3, measures={3: Measure(600)})
    (fills,) = place([heading("h"), wide, below], GRID).fills
    assert fills[0] == fills[1] > 0.9
    assert fills[2] == pytest.approx(fills[0] - 300 / 1000)  # no module beside


def test_the_search_sets_a_block_and_the_rest_of_its_section_across_at_once() -> None:
    """Two changes the search could not make one at a time, where the first
    alone splits the next block; up to the next heading, or a block whose span
    the editor set."""
    wishes = [
        block("s0-b0", 300),
        block("s0-b1", 300),
        block("s0-b2", 300, span=1),
        heading("s1-heading"),
        block("s1-b0", 300),
        block("s1-b1", 300),
    ]
    together = [
        [wish.key for wish, was in zip(change, wishes, strict=True) if wish != was]
        for change in search.changes(wishes)
    ]
    assert [keys for keys in together if len(keys) > 1] == [
        ["s0-b0", "s0-b1"],
        ["s1-b0", "s1-b1"],
    ]
    across = next(change for change in search.changes(wishes) if change[1].span)
    assert [wish.span for wish in across[:2]] == [3, 3]


def test_a_trial_built_from_its_first_change_is_built_as_from_the_start() -> None:
    """The search builds each trial from the first item it changes, or from
    the heading or band kept with it, on the pages built before it: they are
    those built from the first item, however far down a page it starts."""
    band = Module("s1-b0~band", "band", 3, {3: Measure(200, 120)}, keep_with_next=True)

    def half(wish: Module) -> float:
        return wish.measures[1].height / 2

    for before in range(1, 6):
        wishes = [
            heading("s0-heading"),
            *(block(f"s0-b{i}", 150 + 40 * i, picture=60) for i in range(before)),
            heading("s1-heading"),
            band,
            block("s1-b0", 860, units=3, picture=100),
            *(block(f"s1-b{i}", 400 - 60 * i, picture=100) for i in range(1, 4)),
        ]
        wishes = [  # and over two columns, which heads a row of its own
            replace(wish, measures={**wish.measures, 2: Measure(half(wish) + 60)})
            if wish.role == "block"
            else wish
            for wish in wishes
        ]
        base = search.Base.of(wishes, GRID, makeup_fill.Heights())
        for change in search.changes(wishes):
            whole = makeup_pages.build_pages(makeup_pages.items_of(change), GRID)
            assert base.trial(change) == whole, (before, change)


def test_a_placement_finds_each_least_height_of_a_run_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every trial of the search builds its pages again, asking the least
    height of the same runs at the same room: one placement finds each once
    (``makeup.fill.Heights``), and places as it did when it found them anew."""
    wishes = [
        heading("s0-heading"),
        *(block(f"s0-b{i}", 150 + 40 * i, picture=60) for i in range(3)),
        heading("s1-heading"),
        block("s1-b0", 860, units=3, picture=100),
        *(block(f"s1-b{i}", 400 - 60 * i, picture=100) for i in range(1, 4)),
    ]
    found: list[tuple[object, ...]] = []
    balanced_height = makeup_fill.balanced_height

    def counted(atoms: list[Any], columns: int, limit: float, grid: Grid) -> Any:
        found.append((*((a.module.key, a.unit) for a in atoms), columns, limit))
        return balanced_height(atoms, columns, limit, grid)

    monkeypatch.setattr(makeup_fill, "balanced_height", counted)
    placement = place(wishes, GRID)
    once = list(found)
    assert len(set(once)) == len(once) > 1
    found.clear()
    monkeypatch.setattr(makeup_fill.Heights, "balanced", lambda _, *run: counted(*run))
    assert place(wishes, GRID) == placement
    assert len(found) > len(once)  # found anew, the same more than once


def test_the_search_is_bounded_by_the_modules_it_places(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """However long the issue, the search places at most SEARCH_WORK modules."""
    made_up: list[int] = []
    build = makeup_pages.build_pages

    def counted(items: list[Any], grid: Grid, *rest: Any, **options: Any) -> Placement:
        made_up.append(
            sum(len(item) if isinstance(item, list) else 1 for item in items)
        )
        return build(items, grid, *rest, **options)

    monkeypatch.setattr(search, "build_pages", counted)
    heights = [300 + 37 * (number % 11) for number in range(240)]
    modules = [
        module
        for number, height in enumerate(heights)
        for module in (
            [heading(f"h{number}")] * (number % 8 == 0) + [block(f"b{number}", height)]
        )
    ]
    placement = place(modules, GRID)
    assert sum(made_up) <= search.SEARCH_WORK + len(modules)
    assert len(made_up) > 1  # it searched
    assert {placed.key for page in placement.pages for placed in page} == {
        module.key for module in modules
    }


def test_measures_are_taken_once_per_content(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second lay-out measures nothing; an edit measures again (watch)."""
    measured = Measured()  # other tests measured the same pages
    text = MINIMAL_EDITION.replace("Un paragraphe.", f"Mot {uuid.uuid4().hex}.")

    def renders(edition: str) -> tuple[int, list[list[object]]]:
        issue = make_issue(edition)
        drafting = Drafting(prepare(issue, "fr", "emn"), "web", False, measured)
        laid_out = drafting.draft().finish()
        assert laid_out.makeup is not None
        return laid_out.makeup.renders, laid_out.makeup.placement.pages

    first, pages = renders(text)
    assert first == 2  # the page grid, then the galley
    assert renders(text) == (0, pages)
    edited, _ = renders(text.replace("Mot", "Un mot"))
    assert edited == 1  # the galley of what changed; the grid is the same


def test_a_placement_is_found_once_per_measures(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lay-out whose measures are those of the one before (watch, after an
    edit that moves no line) places nothing again: the same pages, the same
    notes; an edit that changes a measure is placed anew."""
    measured = Measured()
    placed: list[int] = []
    monkeypatch.setattr(
        pipeline,
        "place",
        lambda modules, grid: placed.append(1) or place(modules, grid),
    )
    text = MINIMAL_EDITION.replace("Un paragraphe.", f"Mot {uuid.uuid4().hex}.")

    def made_up(edition: str) -> tuple[list[list[object]], list[Note]]:
        issue = make_issue(edition)
        draft = Drafting(prepare(issue, "fr", "emn"), "web", False, measured).draft()
        assert draft.makeup is not None
        return draft.makeup.placement.pages, draft.makeup.placement.notes

    first = made_up(text)
    assert made_up(text) == first
    assert len(placed) == 1
    made_up(text.replace("Mot", "Un paragraphe de plusieurs lignes. " * 30 + "Mot"))
    assert len(placed) == 2


def test_measures_do_not_depend_on_where_galley_pages_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On shorter galley pages, modules fall at a page's foot: each goes to
    the next page whole (a block's text across columns stands in one column
    there, which the engine does not go on with in a next one), and every
    measure is what it is on the long pages."""
    item = prepare(SAMPLE, "fr", "emn")

    def measured(galley_height_mm: int) -> tuple[int, list[float]]:
        fresh = Measured()
        monkeypatch.setattr(makeup_html, "GALLEY_HEIGHT_MM", galley_height_mm)
        laid_out = Drafting(item, "web", False, fresh).draft().finish()
        assert laid_out.makeup is not None
        return laid_out.makeup.renders, [
            number
            for _, measure in sorted(fresh.measures.items())
            for number in (measure.height, measure.flow or 0, *measure.boundaries)
        ]

    monkeypatch.setattr(makeup_pipeline, "LADDER_ROUNDS", 0)  # galley pages alone
    renders, long_pages = measured(makeup_html.GALLEY_HEIGHT_MM)
    assert renders == 2  # the page grid, the galley
    for renders, measures in [measured(height) for height in (500, 700, 900)]:
        assert renders == 2  # none measured again
        assert measures == pytest.approx(long_pages)


def test_the_galley_measures_a_text_across_columns_in_one_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A block's text the page sets in columns stands in one column on the
    galley page (laid out once, where the engine lays columns out twice),
    and measures as it did all in the first of the engine's columns."""
    item = prepare(SAMPLE, "fr", "emn")
    engine = Engine(item, "web", None)
    flow = makeup_html.cut(item.html(Page("web")))
    grid = makeup_measure.read_grid(engine.document(makeup_html.probe_html(flow)), 3)
    wanted = {piece.key: (2, 3) for piece in flow.pieces if piece.role == "block"}

    def galley() -> tuple[list[Measure], int]:
        """Return the measures of the galley, and how many texts are in columns."""
        document = engine.document(makeup_html.galley_html(flow, grid, wanted))
        boxes = [box for _, box in makeup_measure.read_galley(document)]
        in_columns = [makeup_measure.text_columns(box) is not None for box in boxes]
        return [makeup_measure.measure_of(box) for box in boxes], sum(in_columns)

    one_column, in_columns = galley()
    assert in_columns == 0
    assert sum(measure.flow is not None for measure in one_column) >= 10
    monkeypatch.setattr(makeup_html, "_texts_in_one_column", lambda *_: "")
    engines_columns, in_columns = galley()
    assert in_columns >= 10
    assert one_column == engines_columns


def test_columns_are_set_to_the_least_height_that_holds_their_text() -> None:
    """Ten lines, two of them at least on each side of a break in a paragraph."""
    lines = [Break(20.0 * n, 20.0 * n, 1, n, 2) for n in range(2, 9)]
    assert flow_height(lines, 200.0, 2) == pytest.approx(100, abs=0.5)
    assert flow_height(lines, 200.0, 3) == pytest.approx(80, abs=0.5)  # 4, 4, 2
    # Five lines: 2 + 2 + 1 would leave one line between two breaks.
    five = [Break(20.0 * n, 20.0 * n, 1, n, 2) for n in (2, 3)]
    assert flow_height(five, 100.0, 3) == pytest.approx(60, abs=0.5)
    # Two paragraphs, a margin between them kept at the column's foot.
    assert flow_height([Break(150.0, 160.0)], 200.0, 2) == pytest.approx(150, abs=0.5)


def test_the_text_of_wide_blocks_is_set_in_the_columns_it_asks(
    make_issue: Callable[..., Path],
) -> None:
    """Each wide block's text fills its columns, one after the other, no more."""

    issue = make_issue(
        MINIMAL_EDITION.replace(
            "body: Un paragraphe.",
            "body: |\n"
            + "\n".join([10 * " " + "Une phrase de texte, assez longue. " * 3] * 9),
        )
    )
    laid_out = lay_out_target(prepare(issue, "fr", "emn"), "web", allow_remote=False)
    texts = [
        text
        for page in laid_out.document.pages
        for wrapper in makeup_measure.item_boxes(page._page_box, placed=True)
        if (text := makeup_measure.text_columns(wrapper)) is not None
    ]
    assert texts, "no block set across columns"
    for text in texts:
        columns = text.children
        assert len(columns) == makeup_measure.column_count(text) > 1
        assert text.style["column_fill"] == "auto"
        assert max(column.height for column in columns) <= text.height + 0.01


def measured(monkeypatch: pytest.MonkeyPatch, issue: Path) -> list[Module]:
    """Return the modules makeup places in the web edition of ``issue``, in emn."""

    modules: list[Module] = []

    def spy(wishes: list[Module], grid: Grid) -> Placement:
        modules.extend(wishes)
        return place(wishes, grid)

    monkeypatch.setattr(pipeline, "place", spy)
    lang = "en" if (issue / "en.yaml").exists() else "fr"
    lay_out_target(prepare(issue, lang, "emn"), "web", allow_remote=False)
    return modules


def test_a_study_cover_keeps_its_size_over_several_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Set over several columns, a study's cover stays the size it has in one
    (it grew with the span: across three columns, a cover a page high)."""
    covers = [
        {span: measure.picture for span, measure in module.measures.items()}
        for module in measured(monkeypatch, CORPUS_DIR / "en-many-blocks")
        if module.pictures == "scaled" and module.measures[1].picture
    ]
    assert any(len(cover) == 3 for cover in covers), "no study measured across"
    for cover in covers:
        assert max(cover.values()) <= 1.2 * cover[1], cover


def test_the_text_beside_a_picture_is_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Across the grid, a card's title goes beside its picture: the galley
    measures how tall the picture may be to end level with it.  In one
    column, nothing is beside the picture; a card whose title makeup set
    above, its picture opening its text, has nothing beside it either, and
    its picture is not resized (it would refill the columns)."""
    cards = [
        module.measures
        for module in measured(monkeypatch, SAMPLE)
        if 1 in module.measures
        and module.pictures == "cropped"
        and module.measures[1].picture
    ]
    assert cards
    for measures in cards:
        assert measures[1].level is None
        for span in set(measures) - {1}:
            level, picture = measures[span].level, measures[span].picture
            if measures[span].above:
                assert level is None and picture is None
                continue
            assert level is not None and picture is not None
            assert 0 < level < picture  # a short title: the picture may shrink
    assert any(m[span].above for m in cards for span in set(m) - {1})


def test_a_module_set_taller_than_its_place_is_said(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Modules are placed absolutely: one that runs long prints over the next."""

    measured = makeup_measure.measure_of

    def half(wrapper: Any) -> Measure:
        measure = measured(wrapper)
        if wrapper.element.get(makeup_html.ITEM).startswith("s0-b0@"):
            return replace(measure, height=measure.height / 2)
        return measure

    monkeypatch.setattr(pipeline, "measure_of", half)
    monkeypatch.setattr(MEASURED, "grids", {})  # measured afresh, halved
    monkeypatch.setattr(MEASURED, "measures", {})
    issue = make_issue(
        MINIMAL_EDITION.replace("Un paragraphe.", "Un paragraphe assez long. " * 40)
    )
    findings = emn_pdf.check(issue, target="web")
    overruns = [finding for finding in findings if finding.code == "E113"]
    assert [(finding.line, finding.page) for finding in overruns] == [(10, 1)]
    assert "runs over what is below" in overruns[0].message


def test_the_sample_made_up_keeps_blocks_whole() -> None:
    item = prepare(SAMPLE, "fr", "emn")
    laid_out = lay_out_target(item, "web", allow_remote=False)
    placement = laid_out.makeup.placement
    assert isinstance(placement, Placement)
    assert laid_out.page_count == len(placement.pages)
    keys = [placed.key for page in placement.pages for placed in page]
    assert "s2-b0" in keys and "s4-b1" in keys  # briefs and contact placed
    for number, page in enumerate(placement.pages):
        for placed in page:
            assert placed.top + placed.height <= GRID_HEIGHT_SLACK + (
                laid_out.document.pages[number]._page_box.height
            )
    findings = inspect(item, laid_out)
    assert not [finding for finding in findings if finding.code == "E101"]
    glossary = [
        placed for page in placement.pages for placed in page if placed.key == "s1-b2"
    ]
    assert len(glossary) == 1  # the glossary card whole


GRID_HEIGHT_SLACK = 1.0


def test_makeup_fields_a_flowing_layout_ignores_are_said(
    make_issue: Callable[..., Path], flowing_layout: Path
) -> None:
    issue = make_issue(
        MINIMAL_EDITION.replace(
            "      - kind: news", "      - kind: news\n        span: 2"
        )
    )
    findings = emn_pdf.check(issue, layout=str(flowing_layout))
    (wish,) = [finding for finding in findings if finding.code == "W109"]
    assert wish.field == "sections.0.blocks.0.span" and wish.line == 11
    assert "page makeup" in wish.message


def test_a_span_wider_than_its_section_is_said(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue(
        MINIMAL_EDITION.replace(
            "    blocks:\n      - kind: news",
            "    columns: 2\n    blocks:\n      - kind: news\n        span: 3",
        )
    )
    (wish,) = [f for f in emn_pdf.check(issue, target="web") if f.code == "W109"]
    assert (wish.field, wish.line) == ("sections.0.blocks.0.span", 12)
    assert wish.message.endswith(
        "span: 3 is more than the section's 2 columns; the block spans 2"
    )
    # The same span in a layout of two columns is the layout's choice.
    wide = make_issue(
        MINIMAL_EDITION.replace(
            "      - kind: news", "      - kind: news\n        span: 3"
        )
    )
    found = emn_pdf.check(wide, target="web", layout="bulletin")
    assert [(f.code, f.field) for f in found if f.code in ("W109", "I112")] == [
        ("I112", "sections.0.blocks.0.span")
    ]


CORPUS = sorted(path for path in CORPUS_DIR.iterdir() if path.is_dir())


@pytest.mark.parametrize("issue", CORPUS, ids=[path.name for path in CORPUS])
def test_the_makeup_corpus_is_valid(issue: Path) -> None:
    """The varied issues page makeup is judged on: each one validates."""
    findings = emn_pdf.check(issue, lay_out=False)
    assert not [finding for finding in findings if finding.code.startswith("E")]


#: Where an address may go on to the next line: after these, never inside a word.
ADDRESS_BREAKS = "/.@?&=-_"


@pytest.mark.parametrize(
    ("issue", "target"),
    [
        (SAMPLE, "print"),
        (ROOT / "tests" / "corpus" / "fr-long-addresses", "web"),
        (ROOT / "tests" / "corpus" / "fr-long-addresses", "print"),  # back page
    ],
)
def test_addresses_are_never_hyphenated(
    issue: Path, target: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each contact address reads whole, its lines broken only after a separator."""
    if issue == SAMPLE:
        pdf = sample_reports(tmp_path_factory, "emn")["fr", target].path
    else:  # the corpus's own build, shared with the corpus tests below
        reports = corpus_reports(tmp_path_factory, issue.name, "emn")
        (pdf,) = [r.path for r in reports if (r.language, r.target) == ("fr", target)]
    assert pdf is not None
    text = "|".join(
        "|".join(page.extract_text().splitlines()) for page in PdfReader(pdf).pages
    )
    contact = yaml.safe_load((issue / "fr.yaml").read_text(encoding="utf-8"))
    (block,) = [
        block
        for section in contact["sections"]
        for block in section.get("blocks", [])
        if block["kind"] == "contact"
    ]
    for address in [block["email"], short_url(block["website"])]:
        printed = re.findall(r"\|?".join(map(re.escape, address)), text)
        assert printed, address
        for lines in printed:
            ends = [line[-1] for line in lines.split("|")[:-1]]
            assert set(ends) <= set(ADDRESS_BREAKS), lines


# The corpus, made up in both layouts and both targets ---------------------------

LAYOUT_NAMES = ("emn", "bulletin")


Edition = tuple[str, str]  # a corpus issue's name and a layout
EDITIONS = [(issue.name, layout) for issue in CORPUS for layout in LAYOUT_NAMES]


def corpus_findings(factory: pytest.TempPathFactory, edition: Edition) -> list[Finding]:
    """Return what the builds of a corpus issue found, web then print, in a layout."""
    reports = sorted(corpus_reports(factory, *edition), key=lambda r: r.target != "web")
    return [finding for report in reports for finding in report.findings]


def corpus_pages(
    factory: pytest.TempPathFactory, edition: Edition
) -> dict[tuple[str, str], Path]:
    """Return the PDFs of a corpus issue built in a layout, by language and target."""
    reports = corpus_reports(factory, *edition)
    return {(r.language, r.target): r.path for r in reports if r.path is not None}


@pytest.mark.parametrize("edition", EDITIONS, ids="-".join)
def test_the_corpus_is_made_up_without_defects(
    tmp_path_factory: pytest.TempPathFactory, edition: Edition
) -> None:
    """No error, no heading alone at a foot, nothing run past a page."""
    findings = corpus_findings(tmp_path_factory, edition)
    assert findings is not None
    assert not [finding for finding in findings if finding.severity == "error"]
    assert not [finding for finding in findings if finding.code == "W102"]
    figures = [finding.figures for finding in findings if finding.code == "I110"]
    assert len(figures) == 2  # web and print, each made up


def copyfit_said(
    factory: pytest.TempPathFactory, edition: Edition
) -> tuple[list[int], list[str]]:
    """Return the pages made up (web, print) and what copyfit said, if it did."""
    findings = corpus_findings(factory, edition)
    assert findings is not None
    pages = [finding.figures["pages"] for finding in findings if finding.figures]
    said = [finding.message for finding in findings if finding.code == "I111"]
    return pages, said


def test_a_print_edition_one_page_over_whole_sheets_is_set_a_page_shorter(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Five pages would print as eight, three of them designed fillers:
    copyfit set the print edition in four, one folded sheet.

    Since a card across the grid sets its title above its picture when a
    short title beside it would leave a blank (issue 30, decision 4),
    makeup alone sets it in four at the layout's sizes."""
    pages, said = copyfit_said(tmp_path_factory, ("en-many-blocks", "bulletin"))
    assert pages[1] == 4
    assert said == []


def test_a_print_edition_thirteen_pages_long_is_set_in_eleven_and_its_back_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """13 pages would print as 16, three of them fillers: copyfit set 12.

    Since issue 30, makeup alone sets the print edition in 11 pages (12
    printed, one designed filler page) and the web edition in 10; 11 since
    its full-bleed 3:2 band shows at least half its height (70 mm across the
    page, no longer a 62 mm strip makeup shrank to a third of it)."""
    pages, said = copyfit_said(tmp_path_factory, ("fr-eight-pages", "bulletin"))
    assert pages == [11, 11]  # web, print
    assert said == []


def draft(pages: int, lonely: bool = False) -> Any:
    """Return a made-up lay-out ``pages`` long, its last page lonely or not."""
    notes = [Note("W111", "the last page is only 10% full", pages - 1)] * lonely
    placement = Placement(
        [[]] * pages, [[1.0]] * pages, 0, notes, lonely_last_page=lonely
    )
    return Draft(
        None,  # type: ignore[arg-type]
        "",
        pages,
        (pages, 1.0),
        SimpleNamespace(placement=placement),  # type: ignore[arg-type]
    )


def test_a_print_edition_whose_content_jumps_two_pages_takes_them() -> None:
    """Aiming at 12 pages of 13, a setting may give 11: printed with one
    filler page rather than three, it is taken; of such settings, the one
    closest to the layout's own; not one that leaves a lonely last page."""
    trials = [
        Trial(density, {}, pages, 1.0, 1.0, draft(pages, lonely))
        for density, pages, lonely in [
            (1.0, 13, False),  # the layout's own setting, then those tried
            (0.8, 10, False),
            (0.9, 11, False),
            (0.95, 11, True),
            (1.1, 14, False),
        ]
    ]
    assert _saving_trial(trials, trials[0].result, "print") is trials[2]
    assert _saving_trial(trials[:2], trials[0].result, "print") is trials[1]
    assert _saving_trial(trials[3:], trials[0].result, "print") is None


def test_the_corpus_figures(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The corpus-wide makeup figures, as measured when this test was written.

    They guard against a change that makes pages worse; the closing note of
    issue 10 gives them, and a better makeup raises the floor.
    """
    found = {
        edition: corpus_findings(tmp_path_factory, edition)
        for edition in in_turn(EDITIONS)
    }
    figures = [
        finding.figures
        for findings in found.values()
        for finding in findings
        if finding.code == "I110" and finding.figures
    ]
    fills = [fill for each in figures for fill in each["fill"]]
    full = sum(fill >= 0.9 for fill in fills) / len(fills)
    short_splits = sum(each["short_splits"] for each in figures)
    lonely = sum(each["last_page_fill"] < 0.5 for each in figures)
    assert full >= FULL and short_splits <= SHORT and lonely <= LONELY, (
        full,
        short_splits,
        lonely,
    )


#: Measured on the corpus (13 issues, 16 since issue 31; 2 layouts, 2 targets): the
#: share of pages but the last whose every column is 90 % full, the blocks
#: split though shorter than a column, the last pages under half full.  When
#: makeup was turned on: 0.32, 1, 10; since pages may hold what their spaces
#: and pictures can give: 0.40, 2, 8; since the contact card's QR codes are
#: their designed 21 mm (they were squeezed to 18) and its addresses wrap
#: rather than break inside words: 0.39, 1, 8; since no galley page cuts a
#: block and copyfit saves a lonely page or a print edition's fifth page:
#: 0.42, 1, 7; since blocks in balanced columns get 4 % of room, not 12 %
#: (E113 says if the engine needs more): 0.46, 1, 7; since the text of a wide
#: block is set in columns of a height makeup computes (exact measures, no
#: room), the first and last block of a run may take any span, and copyfit
#: interpolates (it picks another setting within its resolution for three
#: editions, whose fullest pages move across 0.9): 0.430, 1, 6; since a
#: section that cannot open in a column at a page foot opens with its first
#: module across the grid, and a split of a short module costs as a third of
#: a column left empty: 0.482, 0, 7 (one last page of two pages, closing
#: blocks under content, went from 67 % to 44 % full as its first page went
#: from 46 % to 100 %); since a heading goes with what follows it if that
#: fits once its picture is made smaller, the modules of a run that would
#: leave holes in columns are set across the grid, one under the other, when
#: that takes no more height, a print edition aiming at a page less takes two
#: less rather than three filler pages, and a study's cover is scaled, never
#: cropped (a chart is neither): 0.505, 0, 6; since a search tries each
#: module across the grid and each section on a new page, keeping what
#: leaves fewer holes: 0.661, 0, 5; since a column's fill counts the holes
#: inside it (a blank beside a wide module was counted full) and the search
#: also tries two of three columns: 0.640, 0, 3; since a study's cover keeps
#: its size set over several columns (it grew with the span, to a page-high
#: cover across three): 0.658, 0, 4 (en-long-titles, emn print: its first two
#: pages, 52 % and 47 % full, are now 99 % and 80 %; its last page, 72 % full,
#: now 39 %); since issue 30 (articles turn between lines, blocks move within
#: their sections, a card's button and QR codes close its text, and a column
#: blank beside a picture taller than the title beside it counts as a hole:
#: the fill no longer counts it full) on 16 issues: 0.563, 0, 8 (the last
#: pages emptier as print editions lose a page); merged with the typesetting
#: (ragged right, its three corpus issues) and print work (whole sheets):
#: 0.537, 0, 8; since no crop goes beyond the limits (a band keeps half its
#: own height, a picture cropped to its limit is narrowed, not shrunk
#: further): 0.472, 0, 9; since a card across the grid sets its title above
#: its picture when a short title beside it leaves a blank, and a block's
#: text column ending short counts as a hole: 0.598, 0, 10 (one last page
#: more alone under its target); merged with the bulletin setting a study's cover
#: beside its title (the blank beside it, a quarter of a page, was counted
#: by neither) and print editions plan one page of links: 0.577, 0, 10;
#: since charts are set wide enough for their labels to print at 6 pt (an
#: article's chart across the grid, a figure's taller than the band height,
#: centred with a margin each side that the fill counts blank): 0.554, 0, 10;
#: since a block's columns follow its length (no text column under five
#: lines: a short block stays in fewer columns, beside a blank): 0.50, 0, 10.
#: Issue 10's targets are 1.0, 0 and 0.
FULL, SHORT, LONELY = 0.50, 0, 10


def test_issue_30s_figures_on_the_corpus(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Issue 30's figures, measured on the rendered pages of every corpus
    edition (both layouts, web and print; ``tests/holes.py``, as the held-out
    issues are).  Run with ``-rP`` to read the tables.

    Held on every edition: no block shorter than its column split, no
    error.  Held as floors, a better makeup lowering them: the pages but the
    last with a hole or ending short (issue 30's target: at most one in
    twenty, W111 saying why), the last pages under 35 % (of editions of
    more than a page), the pages where W111 and the measure disagree, the
    crops beyond the documented limits.
    """
    measured = [
        holes.measure_report(CORPUS_DIR / name, layout, report)
        for name, layout in in_turn(EDITIONS)
        for report in corpus_reports(tmp_path_factory, name, layout)
    ]
    for (layout, target), group in itertools.groupby(
        sorted(measured, key=lambda m: (m.layout, m.target, m.issue, m.language)),
        key=lambda m: (m.layout, m.target),
    ):
        each = list(group)
        print(f"\n### {layout}, {target}\n")
        print(measure_makeup.table([*map(measure_makeup.row, each)], markdown=True))
        print(measure_makeup.table([measure_makeup.totals(each)], markdown=True))
    assert not [m.issue for m in measured if m.short_splits or m.errors]
    figures = {
        "holes": sum(len({p.number for p in m.holed + m.short}) for m in measured),
        "last pages under 35 %": sum(
            len(m.pages) > 1 and m.last_page_fill < holes.LAST_PAGE_FILL
            for m in measured
        ),
        "w111 disagrees": sum(sum(m.w111_agreement[1:]) for m in measured),
        "crops": sum(len(m.beyond_limits) for m in measured),
    }
    pages = sum(len(m.pages) - 1 for m in measured)
    assert all(figures[name] <= FLOORS[name] for name in FLOORS), (figures, pages)


#: Measured on the corpus (16 issues, 2 layouts, 2 targets: 64 editions)
#: when issue 30 was resolved as far as it went: 62 of 126 pages but the
#: last with a hole or ending short (49 of 103 on the 13 issues of issue
#: 30's first figures, 69 of 111 then), 4 last pages under 35 % (web:
#: fr-city-practical and de-no-editorial in both layouts), 29 pages where
#: W111 and the measure disagree (mostly blanks inside a module set across
#: columns, its text columns shorter than its picture or one another), 34
#: crops beyond the limits (as before: no rule of issue 30 changed crops).
#: Issue 30's targets: 6 of 126 (one in twenty), 0, 0, 0.  Merged with the
#: typesetting and print work (19 issues, 76 editions): 70 of 136, 6, 28, 48.
#: With no crop beyond the limits (a band no longer shrinks to a strip under
#: half its height, a portrait is narrowed, not cut into a landscape band):
#: 77 of 142, 6, 26, 0; the crop limits cost the holes of the pages where a
#: band or a picture cropped past them used to fit (de-city-integration and
#: en-extreme-pictures take a page more).  With blocks set across columns
#: turning from a page's foot to the next page (18 issues, 72 editions):
#: 75 -> 72 of 142, 6, 26, 0.  With a card across the grid setting its
#: title above its picture when a short title beside it leaves a blank (the
#: picture opening the text's first column), and the fills and W111 counting
#: a block's text column ending short of the others: 62 of 142, 8, 23, 0
#: (two print editions take a page more, their last page under 35 %:
#: fr-long-addresses in emn, 32 %, and en-long-titles in the bulletin, 30 %).
#: With charts set wide enough for their labels to print at 6 pt: 63 of 148,
#: 7, 15, 0 (the chart issues take a page more in eight editions; fr-charts'
#: first page ends a quarter short in all four, its next article, a chart
#: of 70 mm over its text, taller than the room left).  With a block's
#: columns following its length (decision 3: no text column under five
#: lines): 71 of 148, 6, 11, 0 (the replay of the captured placements,
#: scripts/replay_rules.py, says the rule costs ten pages with a hole and
#: saves 86 text columns of two to four lines).
FLOORS = {
    "holes": 71,
    "last pages under 35 %": 6,
    "w111 disagrees": 11,
    "crops": 0,
}


@pytest.fixture(scope="module")
def one_column_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An A5 layout in one column, from outside: makeup serves any grid.

    It says only what differs from the layout it extends.
    """
    folder = tmp_path_factory.mktemp("layouts") / "a5"
    folder.mkdir()
    (folder / "theme.yaml").write_text(
        "extends: emn\n"
        "description: A5 in one column\n"
        "page: {size: A5 portrait}\n"
        "columns: 1\n"
        "type: {band_height: 40mm}\n",
        encoding="utf-8",
    )
    return folder


def test_a_one_column_layout_is_made_up(one_column_layout: Path) -> None:
    """The web edition here; the print edition in the next test."""
    findings = emn_pdf.check(SAMPLE, lang="fr", layout=str(one_column_layout))
    assert not [finding for finding in findings if finding.severity == "error"]
    (web,) = (finding.figures for finding in findings if finding.code == "I110")
    assert web and web["pages"] >= 6 and web["short_splits"] == 0
    # The sample's two-column publications are set on a one-column page, as
    # information: the layout's choice, not the editor's mistake.
    assert not [finding for finding in findings if finding.code == "W109"]
    (narrowed,) = {
        (finding.line, finding.field, finding.message)
        for finding in findings
        if finding.code == "I112"
    }
    assert narrowed[:2] == (122, "sections.1.columns")  # under the sample's names:
    assert narrowed[2].endswith("the section is set in 1")


def test_a_one_column_print_edition_binds_in_sheets_of_four(
    one_column_layout: Path, tmp_path: Path
) -> None:
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        SAMPLE,
        lang="fr",
        layout=str(one_column_layout),
        target="print",
        out_dir=tmp_path,
        on_built=reports.append,
    )
    (report,) = reports
    assert report.pages % 4 == 0 and report.pages >= 8
    assert not [finding for finding in report.findings if finding.severity == "error"]
