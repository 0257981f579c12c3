"""Copyfitting: the type sizes that give exactly the page count asked for.

The theme declares ranges for the body size, the leading and the space between
blocks, from tightest to loosest.  One number, the *density* from 0 (tightest)
to 1 (loosest), moves them all together, and the length of the laid-out
content grows with it, nearly in proportion; so a search on the density, from
the layout's own setting towards the end of the range, each trial where the
length measured so far says the page count is reached, finds the setting
closest to the layout's own that gives the page count with the last page at
least 70 % full: a few renders, the same ones every time.  When even the end
of the range cannot, the message says by how much the content is over or
under.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..layout.layouts import Copyfit, length_unit

#: The last page must be at least this full.
MIN_LAST_FILL = 0.7
MAX_RENDERS = 8
#: Densities closer than this are the same setting, near enough.
RESOLUTION = 0.06

T = TypeVar("T")


@dataclass(frozen=True)
class Trial(Generic[T]):
    """One render: its settings, how many pages it filled, how long it took."""

    density: float
    settings: dict[str, str]
    pages: int
    last_fill: float
    seconds: float
    result: T

    @property
    def length(self) -> float:
        """Return the content's length in pages: 2.5 is two pages and a half."""
        return self.pages - 1 + self.last_fill

    def fits(self, pages: int, last_fill: float = MIN_LAST_FILL) -> bool:
        """Tell whether this is ``pages`` pages, the last one full enough."""
        return self.pages == pages and self.last_fill >= last_fill


@dataclass
class Search(Generic[T]):
    """The renders a copyfit search made, in order."""

    trials: list[Trial[T]] = field(default_factory=list)

    def report(self, chosen: Trial[T]) -> str:
        """Return what was chosen and what it cost, for the user."""
        timings = ", ".join(f"{trial.seconds:.1f} s" for trial in self.trials)
        return f"{describe(chosen.settings)}: {len(self.trials)} renders ({timings})"


class NoFit(Exception):
    """No setting within the theme's ranges gives the page count.

    ``search`` holds the renders made, for a caller some other count suits.
    """

    def __init__(self, message: str, search: Search[Any]) -> None:
        super().__init__(message)
        self.search = search


def settings_at(ranges: Copyfit, density: float) -> dict[str, str]:
    """Return the custom properties of ``density``, between the ranges' ends."""
    settings = {}
    for name, (low, high) in ranges.model_dump().items():
        unit = length_unit(low) if isinstance(low, str) else ""
        start, end = (float(str(value).removesuffix(unit)) for value in (low, high))
        value = start + (end - start) * density
        settings[f"--{name.replace('_', '-')}"] = f"{value:.3g}{unit}"
    return settings


def describe(settings: Mapping[str, str]) -> str:
    """Return settings as a person reads them: 'body 9.6pt, leading 1.32...'."""
    names = {
        "--body-size": "body",
        "--body-leading": "leading",
        "--block-space": "space",
    }
    return ", ".join(
        f"{names.get(key, key)} {value}" for key, value in settings.items()
    )


def fit(
    ranges: Copyfit,
    pages: int,
    render: Callable[[dict[str, str]], tuple[T, int, float]],
    natural: Trial[T],
    last_fill: float = MIN_LAST_FILL,
    clean: Callable[[T], bool] | None = None,
) -> tuple[Trial[T], Search[T]]:
    """Search the setting closest to ``natural`` that gives ``pages`` pages.

    ``render`` lays the content out with some settings and returns the result,
    its page count and how full its last page is; ``natural`` is the layout's
    own setting, already rendered, too long or too short.  Content that is too
    long gets the largest type that still fits, content too short the
    smallest that fills the pages, the last one at least ``last_fill`` full.
    If the setting found is not ``clean`` (page makeup had to split a short
    article) and another one tried on the way fits and is, that one is taken:
    a setting a little tighter often is, and costs no render more.
    Raises :class:`NoFit`.
    """
    search: Search[T] = Search([natural])

    def trial(density: float) -> Trial[T]:
        settings = settings_at(ranges, density)
        started = time.perf_counter()
        result, count, last_fill = render(settings)
        seconds = time.perf_counter() - started
        made = Trial(density, settings, count, last_fill, seconds, result)
        search.trials.append(made)
        return made

    shrinking = natural.length > pages
    end = trial(0.0 if shrinking else 1.0)  # if the range's end cannot, none can
    if not _reaches(end, pages, shrinking, last_fill):
        raise NoFit(_beyond_the_range(pages, end, last_fill), search)
    good, bad = end, natural
    boundary = pages if shrinking else pages - 1 + last_fill
    while (
        abs(good.density - bad.density) >= RESOLUTION
        and len(search.trials) < MAX_RENDERS
    ):
        middle = trial(_next_density(good, bad, boundary))
        good, bad = (
            (middle, bad)
            if _reaches(middle, pages, shrinking, last_fill)
            else (good, middle)
        )
    if not good.fits(pages, last_fill):
        raise NoFit(
            f"no setting gives {pages} pages with the last one {last_fill:.0%}"
            f" full: from {describe(bad.settings)} to {describe(good.settings)} the"
            f" content jumps from {bad.length:.2f} to {good.length:.2f} pages",
            search,
        )
    if clean is not None and not clean(good.result):
        good = min(
            (
                made
                for made in search.trials
                if made.fits(pages, last_fill) and clean(made.result)
            ),
            key=lambda made: abs(made.density - natural.density),
            default=good,
        )
    return good, search


def _next_density(good: Trial[T], bad: Trial[T], length: float) -> float:
    """Return the density to try between a setting that fits and one that does not.

    The content's length is nearly linear in the density: the density where
    it would be ``length`` is estimated between the two, and the trial made a
    little on the side that fits, so that the next one, a resolution away,
    may close the search.  The estimate keeps within the middle four fifths
    of the interval: where the length jumps, the search is a bisection.
    """
    span = bad.density - good.density
    slope = (bad.length - good.length) / span if span else 0.0
    estimate = good.density + (length - good.length) / slope if slope else 0.0
    toward_good = estimate - RESOLUTION / 2 * (1 if span > 0 else -1)
    share = (toward_good - good.density) / span if span else 0.5
    if abs(share * span) < RESOLUTION:
        share = 0.99 * RESOLUTION / abs(span)
    return good.density + min(max(share, 0.1), 0.9) * span


def _reaches(made: Trial[T], pages: int, shrinking: bool, last_fill: float) -> bool:
    """Tell whether the content fits within (or, growing, fills) the pages."""
    return made.length <= pages if shrinking else made.length >= pages - 1 + last_fill


def natural_density(ranges: Copyfit, body_size: str) -> float:
    """Return where the layout's own body size lies in the range, from 0 to 1."""
    low, high = (
        float(value.removesuffix(length_unit(value))) for value in ranges.body_size
    )
    size = float(body_size.removesuffix(length_unit(body_size)))
    return min(max((size - low) / (high - low), 0.0), 1.0)


def _beyond_the_range(pages: int, end: Trial[T], last_fill: float) -> str:
    """Say by how much the content is over or under at the range's end."""
    if end.length > pages:
        return (
            f"too long for {pages} pages: at the tightest setting"
            f" ({describe(end.settings)}) it takes {end.length:.2f} pages,"
            f" {end.length - pages:.2f} pages too many"
        )
    short = pages - 1 + last_fill - end.length
    return (
        f"too short for {pages} pages: at the loosest setting"
        f" ({describe(end.settings)}) it fills {end.length:.2f} pages,"
        f" {short:.2f} pages short of a last page {last_fill:.0%} full"
    )
