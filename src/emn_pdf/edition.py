"""One edition: validated and matched with its layout, laid out, written.

The work of one job of a build (:mod:`emn_pdf.build` schedules the jobs):
load the edition, render its HTML, make up its pages (copyfitted if a page
count is asked) and write its files, with what preflight finds in them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from . import cache
from .errors import Finding, Problem, UserError
from .i18n import catalogue_path, edition_catalogue, load_catalogue
from .jobs import (
    PAGES_PER_SHEET,
    BuildReport,
    Job,
    Target,
    edition_files,
    whole_sheets,
)
from .layouts import (
    DEFAULT_LAYOUT,
    DEFAULT_PAGE,
    Layout,
    Page,
    builtin_layout,
    find_layout,
)
from .load import FieldPath, LoadedEdition, load_edition
from .model import Contact, is_remote

if TYPE_CHECKING:
    from .copyfit import Trial
    from .galley import MadeUp
    from .pdf import LaidOut

T = TypeVar("T")
COVER_WIDTH = 800


@dataclass(frozen=True)
class Prepared:
    """An edition validated and matched with its layout, ready to render."""

    issue_id: str
    loaded: LoadedEdition
    layout: Layout

    @property
    def language(self) -> str:
        """Return the edition's language code."""
        return self.loaded.language

    def locate(self, finding: Finding, target: Target) -> Finding:
        """Return ``finding`` with the YAML file, line and field of its block."""
        from .render import block_position  # rendered by now

        location: tuple[str | int, ...] = ()
        if finding.block and (position := block_position(finding.block)):
            location = ("sections", position[0], "blocks", position[1])
        problem = self.loaded.document.problem(location, finding.message)
        return replace(
            finding,
            file=problem.file,
            line=problem.line if location else None,
            field=problem.field,
            edition=f"{self.language} {target}",
        )

    def inspect(
        self, laid_out: LaidOut, written: list[Finding] | None = None
    ) -> list[Finding]:
        """Return the preflight findings of this edition laid out.

        ``written`` are the findings of the print preflight on the written PDF.
        """
        from .preflight import inspect, unhonoured_wishes

        theme = self.layout.theme
        findings = inspect(
            laid_out.document,
            [self.layout.font_path(face) for face in theme.fonts],
            print_target=laid_out.target == "print",
            pages=self.loaded.edition.pages,
            channels=self._channels(),
            screen={colour.cmyk: colour.rgb for colour in theme.colours.values()},
        ) + (written or [])
        if laid_out.makeup is not None:
            # Makeup knows the fill of each column, which W107 estimates.
            findings = [finding for finding in findings if finding.code != "W107"]
            findings += _closed_by_the_back_page(
                laid_out.makeup.findings(laid_out.document), laid_out
            )
        if laid_out.copyfit is not None:
            findings.append(Finding("I111", f"copyfit: {laid_out.copyfit}"))
        findings += _filler_pages(laid_out.sheets)
        located = [self.locate(finding, laid_out.target) for finding in findings]
        located += [
            replace(finding, edition=f"{self.language} {laid_out.target}")
            for finding in [
                *unhonoured_wishes(self.loaded, theme.makeup, theme.columns),
                *self._another_brand(),
            ]
        ]
        if (problem := laid_out.copyfit_problem) is not None:
            # Copyfitting says why the count is wrong better than a count does.
            located = [finding for finding in located if finding.code != "E108"]
            edition = f"{self.language} {laid_out.target}"
            located.append(Finding.at("E108", problem, edition=edition))
        return located

    def _another_brand(self) -> list[Finding]:
        """Warn when the layout carries the brand of another organisation.

        Its logo and colours would tell readers the issue is that
        organisation's: a generic layout, or the issue's own logo, is meant.
        """
        brand = self.layout.theme.brand
        organisation = self.loaded.edition.masthead.organisation
        if brand is None or organisation.casefold().startswith(brand.casefold()):
            return []
        logo = "" if self.layout.theme.logo is None else " (its logo, its colours)"
        message = (
            f"the layout {self.layout.name!r} carries the brand of {brand}{logo},"
            f" not {organisation}'s: choose a generic layout (bulletin) or give"
            " the issue's own masthead.logo"
        )
        problem = self.loaded.document.problem(("masthead", "organisation"), message)
        return [Finding.at("W118", problem)]

    def _channels(self) -> list[tuple[tuple[str, str], str]]:
        """Return each contact channel of the edition: its block, field and kind."""
        from .render import block_id

        return [
            ((block_id(number, index), channel.field), channel.kind)
            for number, section in enumerate(self.loaded.edition.sections)
            for index, block in enumerate(section.blocks)
            if isinstance(block, Contact)
            for channel in block.channels()
        ]

    def locate_resource(self, url: str, reason: str) -> Problem | None:
        """Return a problem at the picture field that asked for ``url``."""
        from .fetch import issue_path

        issue_dir = self.loaded.document.path.parent.resolve()
        local = issue_path(url, issue_dir)
        for location, src in self.loaded.edition.image_locations():
            if is_remote(src):
                named = url == src
            else:
                named = local is not None and local == issue_dir / src
            if named:
                return self.loaded.document.problem(location, f"{src}: {reason}")
        return None

    def html(self, page: Page = DEFAULT_PAGE) -> str:
        """Return the edition's HTML for ``page.target``."""
        from .render import render_html  # not needed when nothing is rendered

        catalogue = edition_catalogue(
            self.loaded, self.layout.catalogue_files(self.language)
        )
        return render_html(
            self.loaded.edition, self.layout, catalogue, self.language, page
        )


def _closed_by_the_back_page(
    findings: list[Finding], laid_out: LaidOut
) -> list[Finding]:
    """Drop the lonely last page (W111) of content the back page closes.

    With the contact on the back page, the last content page is followed by
    the closing blocks, as makeup's own rule wants of a short last page.
    """
    sheets, made_up = laid_out.sheets, laid_out.makeup
    if sheets is None or not sheets.contact_at_back:
        return findings
    last = len(made_up.placement.pages)
    return [f for f in findings if not (f.code == "W111" and f.page == last)]


def _filler_pages(sheets: Sheets | None) -> list[Finding]:
    """Say when designed pages besides the back page complete the last sheet."""
    if sheets is None or sheets.fillers <= 1:
        return []
    return [
        Finding(
            "W117",
            f"{sheets.fillers} designed pages complete the last sheet (the issue's"
            " links, notes, the back page): within the layout's copyfit ranges the"
            " content neither condenses nor spreads to whole sheets; shorten or"
            " lengthen it, or set 'pages:'",
        )
    ]


def prepare(issue_dir: Path, language: str, layout: str | None) -> Prepared:
    """Load, validate and match one edition with its layout."""
    load_catalogue(language)
    loaded = load_edition(edition_files(issue_dir)[language])
    return Prepared(issue_dir.resolve().name, loaded, _edition_layout(loaded, layout))


def _edition_layout(loaded: LoadedEdition, requested: str | None) -> Layout:
    """Return the layout asked for on the command line, else the edition's.

    An edition names a built-in layout, never a folder (a folder that came
    with the issue could run anything); a mistake there, or in the edition's
    theme changes, is reported at its line.
    """
    named = loaded.edition.layout
    if requested is not None or named is None:
        layout = find_layout(requested or DEFAULT_LAYOUT)
    else:
        layout = _located(loaded, ("layout",), lambda: builtin_layout(named))
    changes = loaded.edition.theme
    if changes is not None:
        theme = _located(loaded, ("theme",), lambda: layout.theme.overridden(changes))
        layout = layout.with_theme(theme)
    if loaded.edition.masthead.logo is not None:  # the issue's logo replaces it
        layout = layout.with_theme(layout.theme.model_copy(update={"logo": None}))
    return layout


def _located(loaded: LoadedEdition, location: FieldPath, action: Callable[[], T]) -> T:
    """Run ``action``; report what goes wrong at ``location`` in the edition."""
    try:
        return action()
    except UserError as error:
        message = "; ".join(problem.message for problem in error.problems)
        raise UserError(loaded.document.problem(location, message)) from None
    except ValidationError as error:
        message = "; ".join(
            details["msg"].removeprefix("Value error, ") for details in error.errors()
        )
        raise UserError(loaded.document.problem(location, message)) from None
    except ValueError as error:
        raise UserError(loaded.document.problem(location, str(error))) from None


def has_remote_pictures(item: Prepared) -> bool:
    """Tell whether the edition names pictures by web address."""
    return any(is_remote(src) for src in item.loaded.edition.images())


def cache_key(job: Job, item: Prepared, read: list[str]) -> str:
    """Return the digest of the job's inputs and of the issue's files it read."""
    return cache.fingerprint(*_key_inputs(job, item, read))


def cache_keys(job: Job, item: Prepared, read: list[str]) -> dict[str, Any]:
    """Return the keys the cache keeps of a job's outputs, as entry fields.

    An edition with remote pictures gets no quick key: they may have changed
    with nothing here to tell.
    """
    files, settings = _key_inputs(job, item, read)
    named = [path.resolve() for path in files]  # as they are named when looked up
    folders = [folder.resolve() for folder in item.layout.folders]
    quick = ""
    if not has_remote_pictures(item):
        quick = cache.quick_key(named, folders, job.options())
    return {
        "key": cache.fingerprint(files, settings),
        "read": read,
        "files": [str(path) for path in named],
        "folders": [str(folder) for folder in folders],
        "quick": quick,
    }


def _key_inputs(
    job: Job, item: Prepared, read: list[str]
) -> tuple[list[Path], list[str]]:
    """Return the files and settings a job's outputs depend on.

    ``read`` names files of the issue folder the engine read besides those
    the edition names (a picture inside an SVG); one that is gone, or that a
    crafted entry names outside the folder, is not read: the key differs.
    """
    issue_dir = item.loaded.document.path.parent.resolve()
    settings = [job.target, item.layout.name, str(job.pages), str(job.limits.pages)]
    found = []
    for name in read:
        path = (issue_dir / name).resolve()
        if path.is_relative_to(issue_dir) and path.is_file():
            found.append(path)
        else:
            settings.append(f"not read: {name}")
    return [*_input_files(item), *found], [*settings, *read]


def _input_files(item: Prepared) -> list[Path]:
    """Return every file the outputs of ``item`` depend on."""
    issue_dir = item.loaded.document.path.parent
    layout_files = [
        path
        for folder in item.layout.folders
        for path in folder.rglob("*")
        if path.is_file()
    ]
    return [
        item.loaded.document.path,
        catalogue_path(item.language),
        *(
            issue_dir / src
            for src in item.loaded.edition.images()
            if not is_remote(src)
        ),
        *layout_files,
        *(item.layout.font_path(face) for face in item.layout.theme.fonts),
    ]


def _issue_files_read(item: Prepared, laid_out: LaidOut) -> list[str]:
    """Return the issue's files the engine read, relative to the issue folder."""
    from .fetch import issue_path

    issue_dir = item.loaded.document.path.parent.resolve()
    checked = laid_out.fetcher.checked if laid_out.fetcher else set()
    paths = {path for url in checked if (path := issue_path(url, issue_dir))}
    return sorted(
        path.resolve().relative_to(issue_dir).as_posix()
        for path in paths
        if path.resolve().is_relative_to(issue_dir)
    )


def write_target(
    job: Job, item: Prepared, started: float
) -> tuple[BuildReport, list[str]]:
    """Lay out and write the job's files; return what was written, and read."""
    written: list[Finding] = []
    with pinned_clock(item.loaded.edition.masthead.date):
        laid_out = lay_out_target(item, job.target, job.allow_remote, job.pages)
        job.limits.check_pages(laid_out.page_count, item.loaded.document.path)
        if laid_out.copyfit_problem is not None:
            raise UserError(laid_out.copyfit_problem)
        if job.target == "web":
            files = _write_web(job, item, laid_out)
        else:
            files = [job.output("print.pdf")]
            written = _write_print(item, laid_out, files[0], job.name)
    report = BuildReport(
        job.language,
        job.target,
        path=files[0],
        extras=files[1:],
        pages=laid_out.page_count,
        size=files[0].stat().st_size,
        seconds=time.perf_counter() - started,
        warnings=laid_out.warnings,
        findings=item.inspect(laid_out, written),
        copyfit=laid_out.copyfit,
    )
    return report, _issue_files_read(item, laid_out)


def _write_web(job: Job, item: Prepared, laid_out: LaidOut) -> list[Path]:
    """Write the web PDF, its links described, and its cover thumbnail."""
    from . import finish
    from .files import atomic_output
    from .pdf import write_pdf  # WeasyPrint loads only in workers
    from .render import link_descriptions

    path = job.output("web.pdf")
    descriptions = link_descriptions(item.loaded.edition)
    write_pdf(
        laid_out,
        path,
        job.name,
        lambda pdf: finish.finish_web(pdf, descriptions),
    )
    cover = job.output("cover.png")
    with atomic_output(cover) as partial:
        finish.write_cover(path, partial, COVER_WIDTH)
    return [path, cover]


def _write_print(
    item: Prepared,
    laid_out: LaidOut,
    path: Path,
    identity: str,
    refuse_unbound: bool = True,
) -> list[Finding]:
    """Write the print PDF in the printer's inks; return its print preflight.

    With ``refuse_unbound`` (a build), a page count no printer can bind stops
    the build and no file is written: the message lists every error found on
    the pages, each with its own code, E124 last as their summary.
    """
    from . import finish, press, printcheck
    from .pdf import write_pdf

    settings = press.press_settings(item.layout)
    findings: list[Finding] = []

    def finished(pdf: Path) -> None:
        if settings is not None:
            press.to_press(pdf, settings)
        finish.finish_print(pdf, identity)
        findings.extend(printcheck.check_print(pdf, item.layout.theme.print.ink_limit))
        if refuse_unbound and any(finding.code == "E124" for finding in findings):
            raise UserError(_unbound(item, laid_out, findings))

    write_pdf(laid_out, path, identity, finished)
    return findings


def _unbound(
    item: Prepared, laid_out: LaidOut, written: list[Finding]
) -> list[Problem]:
    """Return the errors of an edition no printer can bind, E124 last."""
    errors = [
        finding
        for finding in item.inspect(laid_out, written)
        if finding.severity == "error"
    ]
    errors.sort(key=lambda finding: finding.code == "E124")
    return [
        Problem(
            f"page {finding.page}: {finding.code} {finding.message}"
            if finding.page
            else f"{finding.code} {finding.message}",
            file=finding.file or item.loaded.document.path,
            line=finding.line,
            field=finding.field,
        )
        for finding in errors
    ]


def checked_print(item: Prepared, laid_out: LaidOut) -> list[Finding]:
    """Write the print PDF aside and return what the print preflight finds.

    Every finding comes back with its own code, E124 (a page count no printer
    binds) among them: ``check`` reports them all.
    """
    identity = f"{item.issue_id}-{item.language}-print"
    with tempfile.TemporaryDirectory(prefix="emn-pdf-check-") as folder:
        path = Path(folder) / "print.pdf"
        return _write_print(item, laid_out, path, identity, refuse_unbound=False)


@contextmanager
def pinned_clock(issue_date: dt.date) -> Iterator[None]:
    """Make "now" the issue date for the libraries that stamp files with it.

    fontTools dates the emoji font subsets it writes with the current time
    unless ``SOURCE_DATE_EPOCH`` is set; a value the user set is kept.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    midnight = dt.datetime.combine(issue_date, dt.time(), tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@dataclass
class _Draft:
    """A lay-out whose length is known, its final render left until it is chosen.

    With page makeup the placement says how long the content is, so copyfit
    trials that are not chosen are never rendered.
    """

    finish: Callable[[], LaidOut]
    page_count: int
    length: tuple[int, float]  # pages with content, the last one's fill
    makeup: MadeUp | None = None


def lay_out_target(
    item: Prepared, target: Target, allow_remote: bool, pages: int | None = None
) -> LaidOut:
    """Lay out the edition for ``target``, copyfitted if a page count is asked.

    ``pages`` (else the edition's ``pages:``) asks for copyfitting.  A print
    edition is then planned in whole sheets of four (:func:`_planned_sheets`).
    """
    draft, settings, copyfitted, problem = _copyfitted(
        item, target, allow_remote, pages
    )
    sheets = None
    if target == "print" and not whole_sheets(draft.page_count):
        fixed = pages is not None or item.loaded.edition.pages is not None
        draft, sheets = _planned_sheets(item, draft, settings, allow_remote, fixed)
    laid_out = draft.finish()
    laid_out.copyfit = sheets.report if sheets and sheets.report else copyfitted
    laid_out.copyfit_problem = problem
    laid_out.sheets = sheets
    return laid_out


@dataclass(frozen=True)
class Sheets:
    """How a print edition was planned in whole sheets, for the findings."""

    fillers: int  # designed pages after the content, the back page included
    contact_at_back: bool
    report: str | None = None  # what copyfitting did to reach whole sheets


def _planned_sheets(
    item: Prepared,
    natural: _Draft,
    settings: dict[str, str],
    allow_remote: bool,
    fixed: bool,
) -> tuple[_Draft, Sheets]:
    """Plan the print edition in whole sheets, as a designer does, not padded.

    The content fills whole sheets with the contact among it, or all sheets
    but a back page that carries the contact (printed there once), or, when
    its last page would be nearly empty without the contact, all sheets but
    a back cover (the publisher, the issue) after the content.  When
    neither does at the layout's sizes, copyfitting condenses or spreads the
    content within the theme's ranges to the nearest count that does.  Only
    when that fails too (or the editor fixed the page count) are designed
    pages added before the back page: the issue's links, then ruled notes.
    """
    at_back = _draft(item, _back_page(1), allow_remote, settings)
    pages, last_fill = at_back.length
    if whole_sheets(at_back.page_count) and (
        pages == 1 or last_fill >= SHEET_LAST_FILL
    ):
        return at_back, Sheets(1, True)
    if whole_sheets(natural.page_count + 1):  # a back cover after the contact
        cover = Page("print", fill_pages=1)
        return _draft(item, cover, allow_remote, settings), Sheets(1, False)
    if not fixed and not settings:
        planned = _sheets_by_copyfit(item, natural, at_back, allow_remote)
        if planned is not None:
            return planned
    content = natural.length[0], at_back.length[0]
    in_content = -content[0] % PAGES_PER_SHEET
    with_back = 1 + -(content[1] + 1) % PAGES_PER_SHEET
    if in_content < with_back:
        page = Page("print", fill_pages=in_content)
    else:
        page = _back_page(with_back)
    draft = _draft(item, page, allow_remote, settings)
    return draft, Sheets(page.fill_pages, page.contact_at_back)


def _back_page(fill_pages: int) -> Page:
    """Return the print page whose last designed page carries the contact."""
    return Page("print", fill_pages=fill_pages, contact_at_back=True)


def _sheets_by_copyfit(
    item: Prepared, natural: _Draft, at_back: _Draft, allow_remote: bool
) -> tuple[_Draft, Sheets] | None:
    """Copyfit the content to the nearest count of whole sheets, if one fits.

    The counts tried, nearest first: a multiple of four with the contact
    among the content, or one page short of it with the contact on the back
    page; the theme's ranges bound how far the content may condense or
    spread, and when sizes alone cannot spread it, sections open new pages.
    """
    targets = _sheet_targets(natural.length[0], at_back.length[0])
    for opened in (False, True):
        laid = _with_section_openers(item) if opened else item
        for pages, at_the_back in targets:
            page = _back_page(1) if at_the_back else Page("print")
            start = at_back if at_the_back else natural
            if opened:
                start = _draft(laid, page, allow_remote)
            fitted = _copyfit_to(laid, page, pages, start, allow_remote)
            if fitted is not None:
                chosen, report = fitted
                openers = "sections open pages, " if opened else ""
                back = " and a back page" if at_the_back else ""
                report = (
                    f"{pages} pages{back} ({natural.page_count} at the layout's"
                    f" sizes): {openers}{report}"
                )
                return chosen, Sheets(int(at_the_back), at_the_back, report)
    return None


def _copyfit_to(
    item: Prepared, page: Page, pages: int, start: _Draft, allow_remote: bool
) -> tuple[_Draft, str] | None:
    """Return the draft copyfitted to ``pages`` content pages, and the report.

    The last content page need only be :data:`SHEET_LAST_FILL` full: the
    back page follows it, and a designer would rather leave room there than
    pad the sheet with ruled pages.
    """
    from . import copyfit

    ranges = item.layout.theme.copyfit
    if ranges is None:
        return None
    own = copyfit.natural_density(ranges, item.layout.theme.type.body_size)
    trial = copyfit.Trial(own, {}, *start.length, 0.0, start)

    def render(settings: dict[str, str]) -> tuple[_Draft, int, float]:
        draft = _draft(item, page, allow_remote, settings)
        return (draft, *draft.length)

    try:
        chosen, search = copyfit.fit(
            ranges, pages, render, trial, SHEET_LAST_FILL, _splits_no_short_module
        )
    except copyfit.NoFit:
        return None
    return chosen.result, search.report(chosen)


def _with_section_openers(item: Prepared) -> Prepared:
    """Return the edition with every section but the first opening a page.

    A designer spreads a short issue over a sheet more by giving each
    section a page of its own to start on, not only by larger type.
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
        if number
        else section
        for number, section in enumerate(edition.sections)
    ]
    opened = edition.model_copy(update={"sections": sections})
    return replace(item, loaded=replace(item.loaded, edition=opened))


#: How full the last content page of a print edition planned in sheets must be.
SHEET_LAST_FILL = 0.4
#: How many counts of whole sheets a print edition tries to copyfit to.
SHEET_TRIALS = 4


def _sheet_targets(in_content: int, with_back: int) -> list[tuple[int, bool]]:
    """Return the content page counts that make whole sheets, nearest first.

    Each is a count and whether the contact is on the back page: ``4k``
    pages with the contact among them, or ``4k - 1`` and the back page (the
    content's own count too: its last page may be too empty).
    """
    counts = set()
    for pages, at_back in ((in_content, False), (with_back, True)):
        below = pages - (pages + at_back) % PAGES_PER_SHEET
        for target in (below, below + PAGES_PER_SHEET):
            if target >= 1:
                counts.add((abs(target - pages), -target, target, at_back))
    return [(target, at_back) for *_, target, at_back in sorted(counts)][:SHEET_TRIALS]


def _copyfitted(
    item: Prepared, target: Target, allow_remote: bool, requested: int | None
) -> tuple[_Draft, dict[str, str], str | None, Problem | None]:
    """Lay out with the theme's sizes, or with those that give the page count.

    The count is ``requested`` (``--pages``), else the edition's ``pages:``.
    With neither, a last page that page makeup left to the closing blocks
    alone is saved, if the theme's ranges allow, by setting the issue a page
    shorter: what a designer does rather than print a nearly empty page.
    Returns the draft chosen, its settings, what copyfitting did and why it
    could not.
    """
    from . import copyfit, makeup

    started = time.perf_counter()
    natural = _draft(item, Page(target), allow_remote)
    ranges = item.layout.theme.copyfit
    pages = requested or item.loaded.edition.pages
    saving = None if pages is not None else _page_to_save(natural)
    if saving is not None:
        pages = natural.page_count - 1
    if pages is None or ranges is None:
        return natural, {}, None, None
    own = copyfit.Trial(
        copyfit.natural_density(ranges, item.layout.theme.type.body_size),
        {},
        *natural.length,
        time.perf_counter() - started,
        natural,
    )
    if own.fits(pages):
        return (
            natural,
            {},
            f"the layout's own sizes fit: 1 render ({own.seconds:.1f} s)",
            None,
        )

    def render(settings: dict[str, str]) -> tuple[_Draft, int, float]:
        draft = _draft(item, Page(target), allow_remote, settings)
        return (draft, *draft.length)

    try:
        # A page saved need only leave a last page makeup does not call lonely.
        last_fill = makeup.MIN_LAST_FILL if saving else copyfit.MIN_LAST_FILL
        chosen, search = copyfit.fit(
            ranges, pages, render, own, last_fill, _splits_no_short_module
        )
    except copyfit.NoFit as error:
        search = error.search
        saved = _saving_trial(search.trials, natural, target) if saving else None
        if saved is None:
            if saving is not None:
                return natural, {}, None, None  # its makeup finding says what is wrong
            message = f"cannot copyfit: {error}"
            problem = (
                Problem(f"--pages {pages}: {message}")
                if requested is not None
                else item.loaded.document.problem(("pages",), message)
            )
            return natural, {}, None, problem
        chosen = saved
    report = search.report(chosen)
    if saving is not None:
        report = f"{chosen.pages} pages rather than {saving}: {report}"
    return chosen.result, chosen.settings, report, None


def _saving_trial(
    trials: list[Trial[_Draft]], natural: _Draft, target: Target
) -> Trial[_Draft] | None:
    """Return the setting tried that saves what the natural one wastes, if any.

    Aiming at one page less, the content may jump two: for print that still
    saves filler pages (11 pages take one, 13 take three), and a last page
    that is full enough is no longer lonely.  Of those that split no short
    module, the one closest to the layout's own setting.
    """
    saving = [
        trial
        for trial in trials[1:]  # the first is the natural setting
        if trial.pages < natural.page_count
        and _page_to_save(trial.result) is None
        and _splits_no_short_module(trial.result)
        and (target != "print" or _sheets(trial.pages) < _sheets(natural.page_count))
    ]
    own = trials[0].density
    return min(saving, key=lambda trial: abs(trial.density - own), default=None)


def _sheets(pages: int) -> int:
    """Return how many folded sheets ``pages`` pages take."""
    return -(-pages // PAGES_PER_SHEET)


def _splits_no_short_module(draft: _Draft) -> bool:
    """Tell whether makeup kept every module shorter than a column whole."""
    notes = draft.makeup.placement.notes if draft.makeup is not None else []
    return not any(note.code == "W110" for note in notes)


def _page_to_save(draft: _Draft) -> str | None:
    """Say why a designer would set the issue one page shorter, if one would.

    A last page left to the closing blocks alone reads as a leftover.  (A
    print edition's count of whole sheets is planned afterwards:
    :func:`_planned_sheets`.)
    """
    if _lonely_last_page(draft):
        return "a last page of closing blocks alone"
    return None


def _lonely_last_page(draft: _Draft) -> bool:
    """Tell whether makeup left a last page below its target (a lonely one)."""
    return draft.makeup is not None and draft.makeup.placement.lonely_last_page


def _lay_out(
    item: Prepared,
    page: Page,
    allow_remote: bool,
    settings: dict[str, str] | None = None,
) -> LaidOut:
    return _draft(item, page, allow_remote, settings).finish()


def _draft(
    item: Prepared,
    page: Page,
    allow_remote: bool,
    settings: dict[str, str] | None = None,
) -> _Draft:
    from .galley import make_up
    from .pdf import lay_out

    def render(html: str) -> LaidOut:
        return lay_out(
            html,
            base_dir=item.loaded.document.path.parent,
            layout=item.layout,
            target=page.target,
            allow_remote=allow_remote,
            locate=item.locate_resource,
            settings=settings,
        )

    if not item.layout.theme.makeup:
        laid_out = render(item.html(page))
        return _Draft(lambda: laid_out, laid_out.page_count, content_length(laid_out))
    made_up = make_up(
        item.html(page),
        item.loaded.edition,
        item.layout.theme.columns,
        lambda html: render(html).document,
        _measuring_context(item, page, settings),
    )

    def finish() -> LaidOut:
        laid_out = render(made_up.html)
        laid_out.makeup = made_up
        return laid_out

    pages = len(made_up.placement.pages) + made_up.fillers
    return _Draft(finish, pages, made_up.length(), made_up)


def _measuring_context(
    item: Prepared, page: Page, settings: dict[str, str] | None
) -> str:
    """Return a digest of what the engine's measures depend on, the HTML aside.

    The edition file is left out: its text is in the HTML measured.
    """
    files = _input_files(item)
    files.remove(item.loaded.document.path)
    named = [f"{name}={value}" for name, value in sorted((settings or {}).items())]
    return cache.fingerprint(files, [page.target, item.layout.name, *named])


def content_length(laid_out: LaidOut) -> tuple[int, float]:
    """Return the pages with content, and how full the last of them is (0-1).

    Page makeup knows; otherwise preflight reads it off the boxes.
    """
    from .preflight import page_content_length

    if laid_out.makeup is None:
        return page_content_length(laid_out.document)
    length: tuple[int, float] = laid_out.makeup.length()
    return length
