"""Placement cases: page makeup's placement, captured and replayed without the engine.

The placement is pure arithmetic on what the engine measured (the page grid and
each module at each width).  A case is one call of it as a build made it: its
input, exact, and its result, rounded; ``tests/placements/`` holds the cases of
the sample and of every corpus issue, in each layout and target (copyfitting's
trials included).  ``test_placements`` replays them in seconds: a change to the
placement that moves anything shows as a failing case.  ``make placements``
captures them again on purpose (after a change to the engine's measures, a
layout, or the placement itself), as ``make golden`` rewrites the HTML; review
the diff before committing it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import MISSING, fields
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLE

from emn_pdf.machinery.jobs import chosen_languages

CASES = Path(__file__).parent / "placements"
CORPUS = sorted(path for path in (ROOT / "tests" / "corpus").iterdir() if path.is_dir())
LAYOUTS = ("emn", "bulletin")
TARGETS = ("web", "print")
#: Decimals a result keeps: far below what a page shows, above float noise.
DECIMALS = 2


def editions() -> list[tuple[Path, str, str, str]]:
    """Return every (issue, language, layout, target) whose placements are kept."""
    return [
        (issue, language, layout, target)
        for issue in [SAMPLE, *CORPUS]
        for language in chosen_languages(issue, None)
        for layout in LAYOUTS
        for target in TARGETS
    ]


def case_file(issue: Path, language: str, layout: str, target: str) -> Path:
    """Return the file holding one edition's placement cases."""
    return CASES / f"{issue.name}-{language}-{layout}-{target}.json"


def _plain(value: Any) -> Any:
    """Return a dataclass's fields that differ from their defaults, as JSON data."""
    if not hasattr(value, "__dataclass_fields__"):
        return value
    data = {}
    for each in fields(value):
        own = getattr(value, each.name)
        if each.default is MISSING or own != each.default:
            data[each.name] = _plain(own)
    return data


def encode_input(modules: list[Any], grid: Any) -> dict[str, Any]:
    """Return what the placement was given, exactly (floats round-trip in JSON)."""
    return {
        "grid": _plain(grid),
        "modules": [
            {
                **_plain(module),
                "measures": {
                    str(span): _plain(measure)
                    for span, measure in module.measures.items()
                },
            }
            for module in modules
        ],
    }


def decode_input(data: dict[str, Any]) -> tuple[list[Any], Any]:
    """Return the modules and grid of an encoded input."""
    from emn_pdf.makeup import Grid, Measure, Module

    grid = Grid(**_tuples(data["grid"]))
    modules = [
        Module(
            **{
                **module,
                "measures": {
                    int(span): Measure(**_tuples(measure))
                    for span, measure in module["measures"].items()
                },
            }
        )
        for module in data["modules"]
    ]
    return modules, grid


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in data.items()
    }


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(each) for each in value]
    return value


def encode_result(placement: Any) -> dict[str, Any]:
    """Return what the placement decided, rounded: pages, fills, splits, notes."""
    return {
        "pages": [
            [_rounded(list(vars(placed).values())) for placed in page]
            for page in placement.pages
        ],
        "fills": [[round(fill, 4) for fill in page] for page in placement.fills],
        "splits": placement.splits,
        "notes": [
            [note.code, note.page, note.key, note.message] for note in placement.notes
        ],
    }


@contextmanager
def captured() -> Iterator[list[dict[str, Any]]]:
    """Record each placement a build makes while inside, once per input."""
    from emn_pdf.makeup import pipeline

    cases: list[dict[str, Any]] = []
    place = pipeline.place

    def record(modules: list[Any], grid: Any) -> Any:
        placement = place(modules, grid)
        given = encode_input(modules, grid)
        if all(case["input"] != given for case in cases):
            cases.append({"input": given, "result": encode_result(placement)})
        return placement

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "place", record)
        yield cases


def capture(issue: Path, language: str, layout: str, target: str) -> list[Any]:
    """Lay an edition out as a build does; return its placement cases."""
    from emn_pdf.edition import prepare
    from emn_pdf.steps import lay_out_target

    with captured() as cases:
        lay_out_target(prepare(issue, language, layout), target, allow_remote=False)  # type: ignore[arg-type]
    return cases


def write_cases(path: Path, cases: list[Any]) -> None:
    """Write cases compactly: one line per case's input and result."""
    lines = [json.dumps(case, separators=(",", ":")) for case in cases]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_cases(path: Path) -> list[Any]:
    """Return the cases of a file written by :func:`write_cases`."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
