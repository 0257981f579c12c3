"""Replay page makeup with one of its rules changed: what each rule costs in holes.

Page makeup's placement is pure arithmetic on what the engine measured; the
inputs of every build of the sample and the corpus are kept in
``tests/placements/`` (``make placements``).  This replays, for each edition,
the input the build placed last (the one printed), once as makeup places it
and once with one rule changed, and counts on the placements: pages, pages
but the last with a hole a reader sees (what W111 says), blocks set across
columns whose text columns hold fewer than five lines, and blocks shorter
than a column split::

    .venv/bin/python scripts/replay_rules.py            # every rule
    .venv/bin/python scripts/replay_rules.py --rule short-blocks-whole

A rule that holds holes back shows as fewer holes when it is changed.  The
figures are the placement's own (no copyfitting, no render): what a rule
buys or costs, not what a build of the changed code would print.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from replay import case_file, decode_input, editions, read_cases  # noqa: E402

from emn_pdf.makeup import Grid, Module, Placement, place, search  # noqa: E402
from emn_pdf.makeup.search import THIN_LINES  # noqa: E402


@dataclass(frozen=True)
class Counts:
    """What one placement, or a sum of them, counts."""

    pages: int = 0
    holes: int = 0
    thin: int = 0
    short_splits: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.pages + other.pages,
            self.holes + other.holes,
            self.thin + other.thin,
            self.short_splits + other.short_splits,
        )


def counted(placement: Placement, modules: list[Module], grid: Grid) -> Counts:
    """Return a placement's pages, holes, thin text columns and short splits.

    A short split is a block no taller than a column in one column, set in
    more than one part, counted whatever rule the replay changed.
    """
    by_key = {module.key: module for module in modules}
    thin = 0
    parts: dict[str, int] = {}
    for page in placement.pages:
        for placed in page:
            parts[placed.key] = parts.get(placed.key, 0) + 1
            module = by_key.get(placed.key)
            if module is None or placed.span < 2 or module.role != "block":
                continue
            measure = module.measures.get(placed.span)
            flow = placed.flow or (measure.flow if measure else None)
            thin += flow is not None and flow / grid.line < THIN_LINES
    short = sum(
        count > 1 and _shorter_than_a_column(by_key[key], grid)
        for key, count in parts.items()
        if key in by_key
    )
    return Counts(len(placement.pages), placement.holes, thin, short)


def _shorter_than_a_column(module: Module, grid: Grid) -> bool:
    """Tell whether a module in one column is no taller than a column."""
    measure = module.measures.get(1)
    return module.columns > 1 and measure is not None and measure.height <= grid.height


def _all_movable(modules: list[Module], grid: Grid) -> list[Module]:
    """Let every block of a section move, the first and dated ones too."""
    return [
        replace(module, movable=True, date=None) if module.role == "block" else module
        for module in modules
    ]


@contextmanager
def _thin_spans_allowed() -> Iterator[None]:
    """Let a block be set over any columns, however few lines each holds."""
    with mock.patch.object(search, "spans_of_its_length", lambda module, grid: module):
        yield


@contextmanager
def _short_blocks_split() -> Iterator[None]:
    """Let a block shorter than its column be split like a long one."""
    with mock.patch.object(Grid, "keeps_whole", lambda grid, module: False):
        yield


Inputs = Callable[[list[Module], Grid], list[Module]]

#: Each rule changed: its name, what it says, how the input or makeup changes.
RULES: dict[
    str, tuple[str, Inputs | None, Callable[[], AbstractContextManager[None]]]
] = {
    "text-columns-of-five-lines": (
        "a block is set across columns only where each of its text columns"
        " holds five lines or more (lifted)",
        None,
        _thin_spans_allowed,
    ),
    "short-blocks-whole": (
        "a block shorter than its column is never split (lifted)",
        None,
        _short_blocks_split,
    ),
    "moves-within-section": (
        "a section's first block stays first and events keep date order"
        " (lifted: every block may move later in its section)",
        _all_movable,
        nullcontext,
    ),
}


def replayed(rule: str, chosen: list[Path] | None = None) -> tuple[Counts, Counts]:
    """Return the counts over the captured editions: as placed, rule changed.

    Every edition kept in ``tests/placements/``, or the ``chosen`` files.
    """
    _, inputs, context = RULES[rule]
    before = after = Counts()
    for path in chosen or [case_file(*edition) for edition in editions()]:
        if not path.is_file():
            continue
        modules, grid = decode_input(read_cases(path)[-1]["input"])
        before += counted(place(modules, grid), modules, grid)
        changed = inputs(modules, grid) if inputs else modules
        with context():
            after += counted(place(changed, grid), modules, grid)
    return before, after


def main(argv: list[str] | None = None) -> None:
    """Print, for each rule changed, the counts before and after."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rule", choices=sorted(RULES), action="append")
    args = parser.parse_args(argv)
    print(
        "| rule changed | pages | pages with a hole | thin text columns | short splits |"
    )
    print("|---|---|---|---|---|")
    for rule in args.rule or RULES:
        before, after = replayed(rule)
        cells = [
            f"{getattr(before, name)} → {getattr(after, name)}"
            for name in ("pages", "holes", "thin", "short_splits")
        ]
        print(f"| {RULES[rule][0]} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
