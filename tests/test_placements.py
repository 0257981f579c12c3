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
from pathlib import Path

import pytest
from replay import (
    capture,
    case_file,
    decode_input,
    editions,
    encode_result,
    read_cases,
    write_cases,
)

from emn_pdf.makeup import place

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
        result = encode_result(place(modules, grid))
        assert result == case["result"], f"case {number} of {path.name}"


def test_every_captured_file_is_an_edition_kept() -> None:
    """A capture whose issue is gone is removed, not replayed for ever."""
    kept = {case_file(*edition) for edition in EDITIONS}
    assert set(Path(case_file(*EDITIONS[0]).parent).glob("*.json")) <= kept
