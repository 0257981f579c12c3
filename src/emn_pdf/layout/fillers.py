"""What the designed pages that complete a print edition's last sheet carry.

When makeup cannot plan a print edition in whole sheets (:mod:`emn_pdf.sheets`),
the pages before the back page list what the issue offers beyond its pages:
every link of its blocks (a QR code each; the contact's are on its own block)
and its coming dates (the events after the issue's date), in that order.  The
list spreads over those pages, and only a page left with nothing to list is
ruled for notes; an editor who wants notes pages asks for them
(``print: {notes_pages: true}``): the list then takes as few pages as it
needs, and the rest are ruled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..issue.model import Contact, DateRange, Edition, Event, titled_addresses


@dataclass(frozen=True)
class OfferedLink:
    """A link of the issue, as a filler page lists it."""

    title: str | None  # the title of the block (or brief) holding it
    label: str | None  # the label the editor gave it, if any
    address: str


@dataclass(frozen=True)
class FillerPage:
    """One designed page before the back page: part of the list, or notes."""

    links: tuple[OfferedLink, ...] = ()
    dates: tuple[Event, ...] = ()
    continued: bool = False  # the list began on the page before
    notes: bool = False  # nothing to list here: ruled for notes


@dataclass(frozen=True)
class FillerPlan:
    """The filler pages of an edition, and what they could not list."""

    pages: tuple[FillerPage, ...]
    unlisted: int  # links and dates beyond the pages' cells
    asked_notes: bool

    def said(self) -> str:
        """Say what the filler pages carry, for W132."""
        listing = sum(not page.notes for page in self.pages)
        ruled = len(self.pages) - listing
        parts = [f"{listing} listing the issue's links and coming dates"] * bool(
            listing
        )
        if ruled:
            why = "as the editor asked" if self.asked_notes else "nothing left to list"
            parts.append(f"{ruled} ruled for notes, {why}")
        if self.unlisted:
            parts.append(f"{self.unlisted} links or dates left out for want of room")
        return ", ".join(parts)


def offered_links(edition: Edition) -> list[OfferedLink]:
    """Return every address the issue's blocks link to, once each, in order.

    The contact's channels are left out: its own block prints their codes.
    """
    links: dict[str, OfferedLink] = {}
    for section in edition.sections:
        for block in section.blocks:
            if isinstance(block, Contact):
                continue
            labels = block.link_labels()
            for title, address in titled_addresses(block):
                title = title or section.heading
                links.setdefault(
                    address, OfferedLink(title, labels.get(address), address)
                )
    return list(links.values())


def first_day(when: dt.date | DateRange) -> dt.date:
    """Return the day an event starts."""
    return when.start if isinstance(when, DateRange) else when


def coming_dates(edition: Edition) -> list[Event]:
    """Return the issue's events after its date, soonest first."""
    issued = edition.masthead.date
    events = [
        block
        for section in edition.sections
        for block in section.blocks
        if isinstance(block, Event) and block.date and first_day(block.date) > issued
    ]
    return sorted(events, key=lambda event: first_day(event.date or issued))


def filler_plan(edition: Edition, count: int, cells: int) -> FillerPlan:
    """Return what ``count`` filler pages of ``cells`` entries each carry.

    The entries spread evenly over the pages, or, when the editor asked for
    notes pages, fill as few pages as they need; a page with no entry left
    is ruled for notes.
    """
    entries: list[OfferedLink | Event] = [
        *offered_links(edition),
        *coming_dates(edition),
    ]
    asked = edition.print.notes_pages
    sizes = _page_sizes(len(entries), count, cells, asked)
    starts = [sum(sizes[:number]) for number in range(count)]
    pages = tuple(
        _filler_page(entries[start : start + size], number)
        for number, (start, size) in enumerate(zip(starts, sizes, strict=True))
    )
    return FillerPlan(pages, len(entries) - sum(sizes), asked)


def _page_sizes(entries: int, count: int, cells: int, packed: bool) -> list[int]:
    """Return how many entries each of ``count`` pages lists.

    As evenly as they go (the first pages taking one more), or ``packed``
    into as few pages as they need; never more than a page's ``cells``.
    """
    if packed:
        share = [cells] * count
    else:
        even, more = divmod(entries, max(count, 1))
        share = [even + (number < more) for number in range(count)]
    sizes: list[int] = []
    for wanted in share:
        sizes.append(min(wanted, cells, entries - sum(sizes)))
    return sizes


def _filler_page(entries: list[OfferedLink | Event], number: int) -> FillerPage:
    """Return a filler page listing ``entries``, or ruled when there are none."""
    if not entries:
        return FillerPage(notes=True)
    return FillerPage(
        links=tuple(entry for entry in entries if isinstance(entry, OfferedLink)),
        dates=tuple(entry for entry in entries if isinstance(entry, Event)),
        continued=number > 0,
    )
