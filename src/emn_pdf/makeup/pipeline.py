"""Page makeup from end to end: probe, galley, place, paginate.

:func:`make_up` takes a layout's flow HTML and returns the paged HTML with
what makeup decided (:class:`MadeUp`); the engine is reached only through
the ``render`` it is given, and what it measured is kept for the next
lay-out of the same content.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import html as lxml_html

from ..issue.errors import Finding
from ..issue.model import Edition
from .html import (
    BAND_SUFFIX,
    Flow,
    cut,
    galley_html,
    galley_items,
    go_overleaf,
    probe_html,
)
from .ladders import keep_whole, ladder_words
from .measure import (
    arranged,
    measure_of,
    overruns,
    read_galley,
    read_grid,
    text_columns,
)
from .paged import paged_html
from .search import place
from .types import Grid, Measure, Module, Placement
from .wishes import move_notes, wanted_spans, wish_of

#: Lays HTML out and returns the engine's document.
Render = Callable[[str], Any]


@dataclass(frozen=True)
class MadeUp:
    """The paged HTML makeup wrote, and what it decided."""

    html: str
    placement: Placement
    renders: int
    seconds: float  # measuring and placing, the final render not counted
    fillers: int = 0  # designed pages after the made-up ones

    def length(self) -> tuple[int, float]:
        """Return the pages placed, and how full the last of them is (0-1)."""
        return len(self.placement.pages), max(self.placement.fills[-1])

    def figures(self) -> dict[str, object]:
        """Return what makeup decided and what it cost, as a build reports it."""
        return {
            **self.placement.figures(),
            "renders": self.renders + 1,
            "seconds": round(self.seconds, 2),
        }

    def findings(self, document: Any) -> list[Finding]:
        """Return what a designer would see on the pages, and the figures.

        ``document`` is what the engine made of the paged HTML: more pages
        than makeup placed means a module ran past its page, and a module
        taller there than its place runs over the one below.
        """
        figures = self.figures()
        placed = len(self.placement.pages) + self.fillers
        overflow = [
            Finding(
                "E112",
                f"the engine made {len(document.pages)} pages of the {placed}"
                " makeup placed: a module ran past the foot of its page (a defect"
                " of emn-pdf; please report it with the issue folder)",
            )
        ] * (len(document.pages) != placed)
        overflow += overruns(document, self.placement)
        summary = ", ".join(f"{name} {value}" for name, value in figures.items())
        return (
            [
                Finding(
                    note.code,
                    note.message,
                    page=None if note.page is None else note.page + 1,
                    block=note.key.removesuffix(BAND_SUFFIX) if note.key else None,
                )
                for note in self.placement.notes
            ]
            + overflow
            + [Finding("I110", f"page makeup: {summary}", figures=figures)]
        )


def make_up(
    html: str,
    edition: Edition,
    columns: int,
    render: Render,
    context: str,
    measured: Measured,
    least_ppi: float,
) -> MadeUp:
    """Return ``html`` made up into pages: probe, galley, place, paginate.

    ``context`` is a digest of everything but the HTML that the engine's
    measures depend on (stylesheets, fonts, pictures, settings, target): what
    ``measured`` holds from the same context is not measured again.
    ``least_ppi``: no photograph is enlarged below it.
    """
    started = time.perf_counter()
    flow = cut(html)
    grid, probed = _grid(flow, columns, render, context, measured)
    wishes = {
        piece.key: wish_of(piece, edition, grid, least_ppi) for piece in flow.pieces
    }
    wanted = wanted_spans(flow.pieces, wishes)
    measures, galleys, ladders = _measures(
        flow, grid, wanted, render, context, measured
    )
    for _ in range(LADDER_ROUNDS):  # marked words may make a ladder further on
        if not sum(keep_whole(p.elements, ladders[p.key]) for p in flow.pieces):
            break
        measures, more, ladders = _measures(
            flow, grid, wanted, render, context, measured
        )
        galleys += more
    tall = [p for p in flow.pieces if _taller_than_a_page(measures.get(p.key), grid)]
    if sum(go_overleaf(piece.elements) for piece in tall):
        measures, more, ladders = _measures(
            flow, grid, wanted, render, context, measured
        )
        galleys += more
    modules = [
        replace(wishes[piece.key], measures=measures.get(piece.key, {}))
        for piece in flow.pieces
    ]
    placed = measured.placed(modules, grid)
    notes = [*placed.notes, *move_notes(placed.moves, edition)]
    placement = replace(placed, notes=notes)
    paged = paged_html(flow, grid, placement)
    seconds = time.perf_counter() - started
    return MadeUp(paged, placement, probed + galleys, seconds, len(flow.fillers))


def _taller_than_a_page(measures: dict[int, Measure] | None, grid: Grid) -> bool:
    """Tell whether a module is taller than a page at every span it may take."""
    room = max(grid.first_height, grid.height)
    return bool(measures) and min(m.height for m in (measures or {}).values()) > room


#: Measures a :class:`Measured` keeps before it starts afresh.
MEASURES_KEPT = 20_000
#: Placements a :class:`Measured` keeps before it starts afresh.
PLACEMENTS_KEPT = 100
#: How many times a module's ladders are undone and it is measured again.
LADDER_ROUNDS = 3


@dataclass
class Measured:
    """What the engine measured, by the digest of what each measure depends on.

    A process keeps one and hands it to every make-up: a rebuild (``watch``)
    or a copyfit trial at settings tried before measures only the blocks that
    changed.  It empties itself when full.
    """

    grids: dict[str, Grid] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    #: The words each measured module keeps whole against a ladder.
    ladders: dict[str, set[str]] = field(default_factory=dict)
    #: Each placement found, by the digest of the modules and grid it placed.
    placements: dict[str, Placement] = field(default_factory=dict)
    kept: int = MEASURES_KEPT

    def missing(self, keys: dict[tuple[str, int], str]) -> dict[str, tuple[int, ...]]:
        """Return the spans of each piece not measured yet, by piece key."""
        missing: dict[str, tuple[int, ...]] = {}
        for (key, span), digest in keys.items():
            if digest not in self.measures:
                missing[key] = (*missing.get(key, ()), span)
        return missing

    def placed(self, modules: list[Module], grid: Grid) -> Placement:
        """Return the placement of ``modules`` on ``grid``, found once.

        The placement is a function of its input (:func:`.search.place`);
        a rebuild after an edit that moves no line (a word for a word, in
        ``watch``) gives it the very measures of the rebuild before.
        """
        key = _digest(repr(grid), repr(modules))
        if key not in self.placements:
            if len(self.placements) >= PLACEMENTS_KEPT:
                self.placements.clear()
            self.placements[key] = place(modules, grid)
        return self.placements[key]

    def make_room(self) -> None:
        """Start afresh if full: a long ``watch`` session forgets old content."""
        if len(self.measures) > self.kept:
            self.measures.clear()
            self.ladders.clear()

    def known(self, keys: dict[tuple[str, int], str]) -> dict[str, dict[int, Measure]]:
        """Return the measures known of ``keys``, by piece key and span."""
        measures: dict[str, dict[int, Measure]] = {}
        for (key, span), digest in keys.items():
            if digest in self.measures:
                measures.setdefault(key, {})[span] = self.measures[digest]
        return measures

    def ladder_words(self, keys: dict[tuple[str, int], str]) -> dict[str, set[str]]:
        """Return the words each piece keeps whole against a ladder, at any span."""
        words: dict[str, set[str]] = {key: set() for key, _ in keys}
        for (key, _), digest in keys.items():
            words[key] |= self.ladders.get(digest, set())
        return words


def _digest(*parts: str) -> str:
    """Return the digest of ``parts``: what a measure depends on."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _grid(
    flow: Flow, columns: int, render: Render, context: str, measured: Measured
) -> tuple[Grid, int]:
    """Return the page grid, and how many renders it took to measure it."""
    probe = probe_html(flow)
    key = _digest(context, str(columns), probe)
    if key in measured.grids:
        return measured.grids[key], 0
    grid = measured.grids[key] = read_grid(render(probe), columns)
    return grid, 1


def _measures(
    flow: Flow,
    grid: Grid,
    wanted: dict[str, tuple[int, ...]],
    render: Render,
    context: str,
    measured: Measured,
) -> tuple[dict[str, dict[int, Measure]], int, dict[str, set[str]]]:
    """Return each piece's measures by span, the renders they took, ladders.

    ``ladders``: the words each piece must keep whole so that no more than
    two of its lines in a row end hyphenated (:mod:`.ladders`).  Only the
    pieces not measured before in this context go to the galley.
    """
    keys = {
        (piece.key, span): _digest(
            context,
            repr(grid),
            *(
                lxml_html.tostring(item, encoding="unicode")
                for item in galley_items(piece, span, grid)
            ),
        )
        for piece in flow.pieces
        for span in wanted.get(piece.key, ())
    }
    missing = measured.missing(keys)
    renders = 0
    if missing:
        measured.make_room()
        cut = _keep_measures(render(galley_html(flow, grid, missing)), keys, measured)
        renders = 1
        if cut:
            alone = galley_html(flow, grid, cut, alone=True)
            _keep_measures(render(alone), keys, measured)
            renders = 2
    words = measured.ladder_words(keys)
    return (
        measured.known(keys),
        renders,
        {p.key: words.get(p.key, set()) for p in flow.pieces},
    )


def _keep_measures(
    document: Any, keys: dict[tuple[str, int], str], measured: Measured
) -> dict[str, tuple[int, ...]]:
    """Keep the measures of a laid-out galley; return the items to measure again.

    A text in columns at the foot of a galley page goes on in its next column,
    not on the next page as a block does (columns fragment it first): its
    measure would be short.  Those are measured again, each on a page.  A
    module measured in two arrangements keeps the one :func:`.measure.arranged`
    chooses.
    """
    boxes: dict[tuple[str, int], list[Any]] = {}
    for item, box in read_galley(document):
        boxes.setdefault(item, []).append(box)
    cut: dict[str, tuple[int, ...]] = {}
    for (key, span), found in boxes.items():
        if any(_spilled(box) for box in found):
            cut[key] = (*cut.get(key, ()), span)
        else:
            measures = [measure_of(box) for box in found]
            measured.measures[keys[key, span]] = arranged(measures, span)
            measured.ladders[keys[key, span]] = set().union(*map(ladder_words, found))
    return cut


def _spilled(box: Any) -> bool:
    """Tell whether a galley item's text in columns went on in its next column."""
    text = text_columns(box)
    return text is not None and len(text.children) > 1
