"""A print edition planned in whole sheets, as a designer plans it, not padded.

A printer binds one flat sheet (one or two pages) or folded sheets of four
pages.  An edition whose content does not fill whole sheets is planned here,
after page makeup and copyfitting (:mod:`emn_pdf.steps`): the contact moves to
a back page, or a back cover follows the content, or copyfitting condenses or
spreads the content within the theme's ranges to the nearest count that
fills whole sheets.  Only when none of that works are designed pages added:
the issue's links and coming dates, or notes (:mod:`emn_pdf.layout.fillers`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .issue.errors import Finding
from .layout.fillers import filler_plan
from .layout.layouts import Page
from .machinery.jobs import PAGES_PER_SHEET, whole_sheets
from .makeup import copyfit

if TYPE_CHECKING:
    from .edition import Prepared
    from .steps import Draft, Drafting

#: How full the last content page of a print edition planned in sheets must be.
SHEET_LAST_FILL = 0.4
#: How many counts of whole sheets a print edition tries to copyfit to.
SHEET_TRIALS = 4


@dataclass(frozen=True)
class Sheets:
    """How a print edition was planned in whole sheets, for the findings."""

    fillers: int  # designed pages after the content, the back page included
    contact_at_back: bool
    report: str | None = None  # what copyfitting did to reach whole sheets
    carried: str = ""  # what the designed pages before the back page carry

    def findings(self) -> list[Finding]:
        """Say what the designed pages besides the back page carry.

        One page listing the issue's links completes a sheet as a designer
        would (I139, what it could not list said); more only pad it (W132).
        """
        if self.fillers <= 1:
            return []
        ending = _ending_said(self.contact_at_back)
        if self.fillers == 2:
            return [
                Finding(
                    "I139",
                    f"a designed page completes the last sheet ({self.carried};"
                    f" {ending})",
                )
            ]
        return [
            Finding(
                "W132",
                f"{self.fillers} designed pages complete the last sheet"
                f" ({self.carried}; {ending}): within the layout's copyfit ranges"
                " the content neither condenses nor spreads to whole sheets;"
                " shorten or lengthen it, or set 'pages:'",
            )
        ]


def planned_sheets(
    drafting: Drafting,
    natural: Draft,
    settings: dict[str, str],
    fixed: bool,
    back: Callable[[int], Page] | None = None,
) -> tuple[Draft, Sheets]:
    """Plan the print edition in whole sheets, as a designer does, not padded.

    The content fills whole sheets with the contact among it, or all sheets
    but a back page that carries the contact (printed there once), or, when
    its last page would be nearly empty without the contact, all sheets but
    a back cover (the publisher, the issue) after the content.  When
    neither does at the layout's sizes, copyfitting condenses or spreads the
    content within the theme's ranges to the nearest count that does
    (unless the editor ``fixed`` the page count).  Only when that fails too
    are designed pages added before the back page: the issue's links and
    coming dates (:mod:`emn_pdf.layout.fillers`), ruled for notes when there
    is nothing left to list or the editor asked for notes pages.

    ``back`` makes the designed pages that end the edition (by default the
    last carries the contact; :func:`back_cover` when the contact does not
    fit on it at the layout's size).
    """
    back = back or _back_page
    at_back = drafting.draft(settings, back(1))
    pages, last_fill = at_back.length
    if whole_sheets(at_back.page_count) and (
        pages == 1 or last_fill >= SHEET_LAST_FILL
    ):
        return at_back, Sheets(1, back(1).contact_at_back)
    if whole_sheets(natural.page_count + 1):  # a back cover after the contact
        return drafting.draft(settings, Page("print", fill_pages=1)), Sheets(1, False)
    if not fixed and not settings:
        planned = _sheets_by_copyfit(drafting, natural, at_back, back)
        if planned is not None:
            return planned
    content = natural.length[0], at_back.length[0]
    in_content = -content[0] % PAGES_PER_SHEET
    with_back = 1 + -(content[1] + 1) % PAGES_PER_SHEET
    if in_content < with_back:
        page = Page("print", fill_pages=in_content)
    else:
        page = back(with_back)
    draft = drafting.draft(settings, page)
    return draft, Sheets(
        page.fill_pages, page.contact_at_back, carried=_carried(drafting, page)
    )


def _carried(drafting: Drafting, page: Page) -> str:
    """Say what the designed pages before the back page carry (I139, W132)."""
    item = drafting.item
    cells = item.layout.theme.filler_cells
    return filler_plan(item.loaded.edition, page.fill_pages - 1, cells).said()


def _back_page(fill_pages: int) -> Page:
    """Return the print page whose last designed page carries the contact."""
    return Page("print", fill_pages=fill_pages, contact_at_back=True)


def back_cover(fill_pages: int) -> Page:
    """Return the print page whose last designed page is a back cover.

    The contact stays among the content: for a layout whose back page
    cannot hold it (a small page, many channels).
    """
    return Page("print", fill_pages=fill_pages)


def _sheets_by_copyfit(
    drafting: Drafting, natural: Draft, at_back: Draft, back: Callable[[int], Page]
) -> tuple[Draft, Sheets] | None:
    """Copyfit the content to the nearest count of whole sheets, if one fits.

    The counts tried, nearest first: a multiple of four with the contact
    among the content, or one page short of it and a designed page, the
    back page with the contact or, as at the layout's sizes, a back cover
    when the last page would be too empty without the contact; the theme's
    ranges bound how far the content may condense or spread, and when sizes
    alone cannot spread it, sections open new pages.

    A count the content is spread to only by leaving more pages with holes
    than at the layout's own sizes (at the loosest sizes, a section's
    heading and its first lines overleaf of a page ending short) is not
    taken: that spreads it with blanks, and a designer would rather add
    designed pages (the issue's links and coming dates) than accept a page
    with a hole (issue 30); sections opening pages would only add more.
    Condensed to fewer sheets, it saves paper: taken.
    """
    targets = _sheet_targets(natural.length[0], at_back.length[0])
    drafted = {Page("print"): natural, back(1): at_back}
    holed = False
    for opened in (False, True):
        if holed:
            break
        laid = (
            replace(drafting, item=_with_section_openers(drafting.item))
            if opened
            else drafting
        )
        for pages, designed in targets:
            for page in _endings(designed, back):
                start = None if opened else drafted.get(page)
                spread = pages > natural.length[0]
                fitted = _copyfit_to(
                    laid,
                    page,
                    pages,
                    start or laid.draft(None, page),
                    natural.holes if spread else None,
                )
                if fitted is None:
                    continue
                if not spread or _no_more_holes(fitted[0], natural.holes):
                    return _planned(drafting, fitted, page, natural, opened)
                holed = True
    return None


def _planned(
    drafting: Drafting,
    fitted: tuple[Draft, str],
    page: Page,
    natural: Draft,
    opened: bool,
) -> tuple[Draft, Sheets]:
    """Return the draft copyfitted to whole sheets, and how, for the findings."""
    chosen, report = fitted
    openers = "sections open pages, " if opened else ""
    report = (
        f"{chosen.length[0]} pages{_after_content(page)} ({natural.page_count} at"
        f" the layout's sizes): {openers}{report}"
    )
    carried = _carried(drafting, page)
    return chosen, Sheets(page.fill_pages, page.contact_at_back, report, carried)


def _endings(designed: int, back: Callable[[int], Page]) -> tuple[Page, ...]:
    """Return the print pages that may end the content, in the order tried.

    None, or ``designed`` pages after the content, the last the back page
    with the contact, else a back cover, the contact among the content (its
    last page, without the contact, may be too empty).
    """
    if not designed:
        return (Page("print"),)
    return tuple(dict.fromkeys((back(designed), back_cover(designed))))


def _ending_said(contact_at_back: bool) -> str:
    """Say the designed page that ends the edition."""
    return "the back page" if contact_at_back else "a back cover"


def _after_content(page: Page) -> str:
    """Say the designed pages after the content, for the report."""
    if not page.fill_pages:
        return ""
    listing = ", a page of the issue's links" * (page.fill_pages > 1)
    return f"{listing} and {_ending_said(page.contact_at_back)}"


def _copyfit_to(
    drafting: Drafting, page: Page, pages: int, start: Draft, holes: int | None
) -> tuple[Draft, str] | None:
    """Return the draft copyfitted to ``pages`` content pages, and the report.

    The last content page need only be :data:`SHEET_LAST_FILL` full: the
    back page follows it, and a designer would rather leave room there than
    pad the sheet with ruled pages.  Of the settings tried that fit, one
    that splits no short module and, spreading, leaves no more pages with
    holes than the layout's own sizes (``holes``), is preferred.  A draft
    at the layout's sizes that already fits is taken as it is.
    """
    theme = drafting.item.layout.theme
    if theme.copyfit is None:
        return None

    def clean(draft: Draft) -> bool:
        spread_well = holes is None or _no_more_holes(draft, holes)
        return draft.splits_no_short_module() and spread_well

    own = copyfit.natural_density(theme.copyfit, theme.type.body_size)
    trial = copyfit.Trial(own, {}, *start.length, 0.0, start)
    if trial.fits(pages, SHEET_LAST_FILL) and clean(start):
        return start, "the layout's own sizes"

    def render(settings: dict[str, str]) -> tuple[Draft, int, float]:
        return drafting.trial(settings, page)

    try:
        chosen, search = copyfit.fit(
            theme.copyfit, pages, render, trial, SHEET_LAST_FILL, clean
        )
    except copyfit.NoFit:
        return None
    return chosen.result, search.report(chosen)


def _no_more_holes(draft: Draft, holes: int) -> bool:
    """Tell whether a spread draft leaves no more pages with holes than ``holes``."""
    return draft.holes <= holes


def _with_section_openers(item: Prepared) -> Prepared:
    """Return the edition with every section but the first opening a page.

    A designer spreads a short issue over a sheet more by giving each
    section a page of its own to start on, not only by larger type; the
    closing blocks (a greeting, the contact) close the last page instead.
    """
    edition = item.loaded.edition
    sections = [
        section.model_copy(
            update={
                "blocks": [
                    section.blocks[0].model_copy(update={"new_page": True}),
                    *section.blocks[1:],
                ]
            }
        )
        if number and not all(block.closing for block in section.blocks)
        else section
        for number, section in enumerate(edition.sections)
    ]
    opened = edition.model_copy(update={"sections": sections})
    return replace(item, loaded=replace(item.loaded, edition=opened))


def _sheet_targets(in_content: int, with_back: int) -> list[tuple[int, int]]:
    """Return the content page counts that make whole sheets, nearest first.

    Each is a count and how many designed pages follow it: none (``4k``
    pages, the contact among them); the back page or a back cover (``4k -
    1``); or a page listing the issue's links and coming dates before it
    (``4k - 2``), never more than one such page: more only pad the sheet.
    The content's own count is with the contact among it when no designed
    page follows, without it otherwise.
    """
    counts = set()
    for designed in (0, 1, 2):
        pages = with_back if designed else in_content
        below = pages - (pages + designed) % PAGES_PER_SHEET
        for target in (below, below + PAGES_PER_SHEET):
            if target >= 1:
                counts.add((abs(target - pages), -target, designed, target))
    return [(target, designed) for *_, designed, target in sorted(counts)][
        :SHEET_TRIALS
    ]
