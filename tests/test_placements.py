"""Page makeup's placement replayed on captured cases, without the engine.

Each case is an input the placement was given in a build of the sample or a
corpus issue (the page grid, each module measured at each width) and what it
decided, rounded (see ``replay.py``).  A change to makeup that moves a module,
a page's fill or a finding fails here, naming the edition and the case; a
deliberate one is recorded with ``make placements`` (it sets
EMN_PDF_UPDATE_PLACEMENTS=1 and lays every edition out again), then the diff
is reviewed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from replay import (
    CASES,
    capture,
    case_file,
    decode_input,
    editions,
    encode_result,
    read_cases,
    write_cases,
)

from emn_pdf.makeup import Grid, Module, Placement, place

sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
import replay_rules

from emn_pdf.makeup.search import changes
from emn_pdf.makeup.types import KEPT_ROLES

EDITIONS = editions()


def edition_id(edition: tuple[Path, str, str, str]) -> str:
    return case_file(*edition).stem


@pytest.mark.parametrize("edition", EDITIONS, ids=edition_id)
def test_the_placements_are_those_captured(
    edition: tuple[Path, str, str, str],
) -> None:
    path = case_file(*edition)
    if os.environ.get("EMN_PDF_UPDATE_PLACEMENTS"):
        write_cases(path, capture(*edition))
    assert path.is_file(), f"no captured placements: run make placements ({path})"
    cases = read_cases(path)
    assert cases, "a made-up edition places at least once"
    for number, case in enumerate(cases):
        modules, grid = decode_input(case["input"])
        placement = place(modules, grid)
        assert encode_result(placement) == case["result"], (
            f"case {number} of {path.name}"
        )
        assert not new_pages_dropped(modules, placement), f"case {number}"


def test_every_captured_file_is_an_edition_kept() -> None:
    """A capture whose issue is gone is removed, not replayed for ever."""
    kept = {case_file(*edition) for edition in EDITIONS}
    assert set(Path(case_file(*EDITIONS[0]).parent).glob("*.json")) <= kept


def captured_inputs() -> list[tuple[str, list[Module], Grid]]:
    """Return every captured input: its edition and case, modules and grid."""
    return [
        (f"{case_file(*edition).stem} case {number}", *decode_input(case["input"]))
        for edition in EDITIONS
        if case_file(*edition).is_file()
        for number, case in enumerate(read_cases(case_file(*edition)))
    ]


def test_every_change_the_search_tries_keeps_the_editors_wishes() -> None:
    """The invariants of every change kind (``makeup.search.changes``), on every
    captured input: the same modules, only a span or a new page added where the
    editor left them to makeup, or a movable block moved later in its section
    (``moved_as_allowed``), and something changed."""
    tried = set()
    for where, modules, _ in captured_inputs():
        for change in changes(modules):
            assert change != modules, where
            if [each.key for each in change] != [each.key for each in modules]:
                assert moved_as_allowed(modules, change), where
                tried.add(("order",))
                continue
            for was, now in zip(modules, change, strict=True):
                assert replace(now, span=was.span, new_page=was.new_page) == was
                assert was.span is None or now.span == was.span, where
                assert now.new_page >= was.new_page, where
            tried.add(
                tuple(
                    name
                    for name in ("span", "new_page")
                    if any(
                        getattr(now, name) != getattr(was, name)
                        for was, now in zip(modules, change, strict=True)
                    )
                )
            )
    assert tried == {("span",), ("new_page",), ("order",)}  # each kind is exercised


def moved_as_allowed(modules: list[Module], change: list[Module]) -> bool:
    """Tell whether ``change`` is ``modules`` with one movable block moved later.

    The same modules, unchanged; the one moved was movable, stays in its
    section, passes no block that closes the issue, opens a page or has
    another date, and lands after neither a band nor a block kept with the
    next.
    """
    keys = [module.key for module in modules]
    index = next(
        i for i, (a, b) in enumerate(zip(modules, change, strict=True)) if a != b
    )
    moved = modules[index]
    landed = change.index(moved)
    passed = modules[index + 1 : landed + 1]
    return (
        sorted(keys) == sorted(each.key for each in change)
        and change == [*modules[:index], *passed, moved, *modules[landed + 1 :]]
        and moved.movable
        and all(
            other.section == moved.section
            and other.role in ("block", "band")
            and not (other.closing or other.new_page)
            and (not (other.date and moved.date) or other.date == moved.date)
            for other in passed
        )
        and passed[-1].role != "band"
        and not passed[-1].keep_with_next
    )


def new_pages_dropped(modules: list[Module], placement: Placement) -> list[str]:
    """Return the modules an editor starts on a new page that do not open one.

    Such a module is under nothing on its page but what heads it (its
    section's heading, its band).
    """
    wishes = {module.key: module for module in modules}
    dropped = []
    for module in filter(lambda module: module.new_page, modules):
        keys = next(
            keys
            for page in placement.pages
            if module.key in (keys := [placed.key for placed in page])
        )
        above = keys[: keys.index(module.key)]
        if any(
            wishes[key].role not in KEPT_ROLES and not wishes[key].keep_with_next
            for key in above
        ):
            dropped.append(module.key)
    return dropped


def test_some_captured_edition_asks_for_a_new_page() -> None:
    """The replay checks new pages (``new_pages_dropped``) on some edition."""
    assert any(
        module.new_page and module.role == "block"
        for _, modules, _ in captured_inputs()
        for module in modules
    )


def test_a_rule_replayed_changes_what_it_governs() -> None:
    """``scripts/replay_rules.py`` (what each rule of page makeup costs in
    holes) on one issue's four editions: as placed, no short block is split
    and blocks across columns rarely have text columns under five lines (a
    part turned to the next page may); with
    thin columns allowed, some have; with short blocks allowed to split,
    some are."""
    chosen = sorted(CASES.glob("fr-city-practical-*.json"))
    assert len(chosen) == 4
    placed, lifted = replay_rules.replayed("text-columns-of-five-lines", chosen)
    assert placed.thin < lifted.thin
    placed, lifted = replay_rules.replayed("short-blocks-whole", chosen)
    assert placed.short_splits == 0 < lifted.short_splits
