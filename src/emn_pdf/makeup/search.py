"""Layer 1: the search over wishes, as a designer tries one change at a time.

The pages built in reading order (:mod:`.pages`) cannot see whether an
article set over more columns, or a section started on a new page, leaves
fewer holes further on.  The search tries each change of one *kind* (see
:data:`CHANGE_KINDS`) to the wishes alone, keeps the one that lowers the
cost (:func:`.cost.placement_cost`) most, and goes on from there until none
helps.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from .cost import placement_cost
from .fill import Heights
from .pages import build_pages, heads_next, items_of
from .parts import Row
from .types import Grid, Module, Move, Placement, is_spare

#: Text columns under this many lines read as scraps (issue 30, decision 3).
THIN_LINES = 5


def spans_of_its_length(module: Module, grid: Grid) -> Module:
    """Keep only the spans at which a block's text columns hold five lines or more.

    A module's columns follow its length: a 40-word event is not spread over
    three columns of two to four lines each.  A span the editor or a chart
    asks, and one column, are always kept.
    """
    if module.span is not None or module.role != "block" or 1 not in module.measures:
        return module
    kept = {
        span: measure
        for span, measure in module.measures.items()
        if span == 1 or measure.flow is None or measure.flow / grid.line >= THIN_LINES
    }
    return replace(module, measures=kept)


def place(modules: Sequence[Module], grid: Grid) -> Placement:
    """Return where each module goes: pages of rows, stretched to their foot.

    The pages are built in reading order, each module where it fits best
    there (:func:`build_pages`); what that cannot see is whether an article set
    over more columns, or a section started on a new page, leaves fewer holes
    further on.  So, as a designer tries, each such change is tried alone,
    the one that makes the pages best is kept, and so on until none helps.
    A trial is built from the first item it changes (:class:`Base`).  The
    issue's fillers are set last, in the holes the chosen pages keep.  A
    block is never set over columns too many for its length
    (:func:`spans_of_its_length`).
    """
    wishes = [
        spans_of_its_length(module, grid) for module in modules if not is_spare(module)
    ]
    heights = Heights()
    base = Base.of(wishes, grid, heights)
    best = base.placement
    cost = placement_cost(best, wishes, grid)
    trials = SEARCH_WORK // max(len(wishes), 1)
    moves: list[Move] = []
    while trials > 0:
        tried = [
            (placement_cost(placement, trial, grid), number, trial, placement)
            for number, trial in enumerate(itertools.islice(changes(wishes), trials))
            for placement in [base.trial(trial)]
        ]
        trials -= len(tried)
        least = min(tried, key=lambda each: each[:2], default=None)
        if least is None or least[0] >= cost:
            break
        moves.extend(_moves(wishes, least[2], best, least[3]))
        cost, _, wishes, best = least
        if trials > 0:  # the next round goes on from these wishes
            base = Base.of(wishes, grid, heights)
            trials -= 1
    spares = [module for module in modules if is_spare(module)]
    if spares:  # only in the holes the content leaves: the search never saw them
        best = build_pages(items_of([*wishes, *spares]), grid, heights=heights)
    best.moves = moves
    return best


def _moves(
    wishes: Sequence[Module],
    trial: Sequence[Module],
    was: Placement,
    now: Placement,
) -> Iterator[Move]:
    """Yield the move a kept change made, if it moved a block: what it bought.

    The page whose emptiest column gained most is named, with its fill
    before and after, and the page count.
    """
    keys = [wish.key for wish in wishes]
    order = [wish.key for wish in trial]
    if keys == order:
        return
    first = next(i for i, (a, b) in enumerate(zip(keys, order, strict=True)) if a != b)
    moved = keys[first]
    after = order[order.index(moved) - 1]
    gains = [
        (min(new) - min(old), page, min(old), min(new))
        for page, (old, new) in enumerate(zip(was.fills, now.fills, strict=False))
    ]
    _, page, before, then = max(gains)
    yield Move(moved, after, page, before, then, (len(was.pages), len(now.pages)))


@dataclass
class Base:
    """The wishes the search goes on from: their items, the pages before each.

    A trial changes a module or a few; the pages before the first item it
    changes are those of the base, so the trial is built from there.  The
    bases of one placement share the least heights of runs it found.
    """

    grid: Grid
    heights: Heights
    items: list[Module | list[Module]]
    before: list[list[list[Row]]]
    placement: Placement

    @classmethod
    def of(cls, wishes: Sequence[Module], grid: Grid, heights: Heights) -> Base:
        """Return the base of ``wishes``: built once, each item's pages kept."""
        items = items_of(wishes)
        before: list[list[list[Row]]] = []
        placement = build_pages(items, grid, record=before, heights=heights)
        return cls(grid, heights, items, before, placement)

    def trial(self, wishes: Sequence[Module]) -> Placement:
        """Return the placement of ``wishes``, built from where they differ."""
        items = items_of(wishes)
        start = _first_change(self.items, items)
        return build_pages(
            items, self.grid, start, self.before[start], heights=self.heights
        )


def _first_change(
    base: Sequence[Module | list[Module]], items: Sequence[Module | list[Module]]
) -> int:
    """Return the first item that is not the base's, or that heads one that is not.

    A heading, a band or a module kept with the next is placed with room for
    what follows it: it changes with what follows.
    """
    index = next(
        (
            number
            for number, (was, item) in enumerate(zip(base, items, strict=False))
            if not _same(was, item)
        ),
        min(len(base), len(items)),
    )
    while index > 0 and heads_next(items[index - 1]):
        index -= 1
    return index


def _same(was: Module | list[Module], item: Module | list[Module]) -> bool:
    """Tell whether two items are the same wishes (most are the very objects)."""
    if isinstance(was, Module) or isinstance(item, Module):
        return was is item or was == item
    return len(was) == len(item) and all(
        each is other or each == other for each, other in zip(was, item, strict=True)
    )


#: How many modules the search may place in all its trials: a bound on its
#: time (a few seconds), which the corpus never reaches (its longest issue,
#: of 27 modules, takes 200 trials) but an issue of 30 pages would.
SEARCH_WORK = 12_000


#: A kind of change: given the wishes and a module's index, yield the wishes
#: changed there, each a whole list (:func:`changes` says what each keeps).
ChangeKind = Callable[[list[Module], int], Iterator[list[Module]]]


def wider(wishes: list[Module], index: int) -> Iterator[list[Module]]:
    """Set a block makeup may widen over each span it was measured at, widest first."""
    wish = wishes[index]
    if (wish.span is None or wish.span == wish.least_span > 1) and wish.role == "block":
        for span in range(wish.columns, wish.least_span, -1):
            if span in wish.measures:
                yield _replaced(wishes, index, [replace(wish, span=span)])


def on_new_page(wishes: list[Module], index: int) -> Iterator[list[Module]]:
    """Start a heading or a block on a new page (the first module is on one)."""
    wish = wishes[index]
    if index > 0 and not wish.new_page and wish.role in ("heading", "block"):
        yield _replaced(wishes, index, [replace(wish, new_page=True)])


def rest_across(wishes: list[Module], index: int) -> Iterator[list[Module]]:
    """Set a block and the rest of its section across the grid, at once.

    A change the search could not make one at a time where the first alone
    splits a module (a section's articles one under the other across two
    columns).
    """
    across = list(_across_from(wishes, index))
    if len(across) > 1:
        yield _replaced(wishes, index, across)


def later(wishes: list[Module], index: int) -> Iterator[list[Module]]:
    """Move a block later in its section: after each block it may pass.

    Only a block the editor and its kind leave movable
    (``Module.movable``); never past a block that closes the issue or opens
    a page, out of its section, nor past a block of another date (dated
    blocks, events, keep the order they were written in); never between a
    band or a block kept with the next and what it heads.
    """
    wish = wishes[index]
    if not wish.movable:
        return
    for after in range(index + 1, len(wishes)):
        other = wishes[after]
        if (
            other.section != wish.section
            or other.role not in ("block", "band")
            or other.closing
            or other.new_page
            or (wish.date and other.date and other.date != wish.date)
        ):
            return
        if other.role == "band" or other.keep_with_next:
            continue
        yield [
            *wishes[:index],
            *wishes[index + 1 : after + 1],
            wish,
            *wishes[after + 1 :],
        ]


#: Every kind of change the search tries, in the order it tries them.
CHANGE_KINDS: tuple[ChangeKind, ...] = (wider, on_new_page, rest_across, later)


def changes(wishes: list[Module]) -> Iterator[list[Module]]:
    """Yield the wishes with one change each: every kind, at every module.

    Every kind keeps these invariants (``tests/test_placements.py`` checks
    them on every captured input):

    - the same modules, each measured as before: a change is to wishes,
      never to content; in the same order, but for a block moved later in
      its section (:func:`later`), where the editor left it movable;
    - it only adds what the editor left to makeup: a span where none is set,
      a new page where none is asked; an editor's ``span``, ``new_page`` and
      ``keep_with_next`` stay;
    - it changes something: a trial that changes nothing is work lost;
    - the order is fixed (module by module, kinds as :data:`CHANGE_KINDS`
      lists them): of trials that cost the same the first wins, so a
      placement is the same on every run.
    """
    for index in range(len(wishes)):
        for kind in CHANGE_KINDS:
            yield from kind(wishes, index)


def _replaced(wishes: list[Module], index: int, changed: list[Module]) -> list[Module]:
    """Return the wishes with those from ``index`` on replaced by ``changed``."""
    return [*wishes[:index], *changed, *wishes[index + len(changed) :]]


def _across_from(wishes: list[Module], index: int) -> Iterator[Module]:
    """Yield the blocks from ``index`` on, each across the grid.

    Up to the next heading, or a block whose span the editor set.
    """
    for wish in wishes[index:]:
        if (
            wish.role != "block"
            or wish.span is not None
            or wish.columns != wishes[index].columns
            or wish.columns not in wish.measures
        ):
            return
        yield replace(wish, span=wish.columns)
