"""One edition and target, step by step: HTML, pages, PDF, its files, its findings.

The work of one job of a build (:mod:`emn_pdf.build` schedules the jobs) or
of a check: the edition's HTML (:meth:`Prepared.html`), made up into pages
(:mod:`emn_pdf.makeup`, copyfitted if a page count is asked), laid out by the
engine (:mod:`emn_pdf.engine.pdf`), written and finished for the web or the press,
and inspected (:mod:`emn_pdf.checks.preflight`).  This module loads the engine:
worker processes import it, the command's own process only when it lays out.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from .checks import printcheck
from .checks.preflight import PRINT_DPI, page_content_length, unhonoured_wishes
from .checks.preflight import inspect as inspect_pages
from .edition import Prepared, input_files
from .engine.pdf import LaidOut, Pictures, lay_out, write_pdf
from .issue.errors import Finding, Problem, UserError
from .issue.model import is_remote
from .layout.layouts import Page
from .layout.render import link_descriptions
from .machinery import cache
from .machinery.fetch import issue_path
from .machinery.files import atomic_outputs
from .machinery.jobs import (
    PAGES_PER_SHEET,
    BuildReport,
    Job,
    PdfTarget,
    pdf_target,
    whole_sheets,
)
from .machinery.remote import Remote
from .makeup import WEIGHTS, MadeUp, Measured, copyfit, make_up
from .makeup.copyfit import Trial
from .output import finish, press
from .sheets import Sheets, back_cover, planned_sheets

COVER_WIDTH = 800
#: What the engine measured in this process (a worker's, or the one of
#: ``watch``), handed to every make-up: a rebuild measures what changed only.
MEASURED = Measured()


def write_target(
    job: Job, item: Prepared, started: float
) -> tuple[BuildReport, list[str]]:
    """Lay out and write the job's files; return what was written, and read.

    The files of the job (a web PDF and its cover) are written and
    preflighted aside, then published together: a failure or an
    interruption before that leaves the previous ones as they were.
    """
    target = pdf_target(job.target)
    assert target is not None, "the web page and the e-mail are emn_pdf.web's"
    outputs = [job.output(suffix) for suffix in _SUFFIXES[target]]
    job.out_dir.mkdir(parents=True, exist_ok=True)
    with pinned_clock(item.loaded.edition.masthead.date):
        laid_out = lay_out_target(item, target, job.allow_remote, job.pages)
        job.limits.check_pages(laid_out.page_count, item.loaded.document.path)
        if laid_out.copyfit_problem is not None:
            raise UserError(laid_out.copyfit_problem)
        with atomic_outputs(*outputs) as partials:
            if job.target == "web":
                written = _write_web(job.name, item, laid_out, *partials)
            else:
                written = _write_print(item, laid_out, partials[0], job.name)
            report = BuildReport(
                job.language,
                job.target,
                path=outputs[0],
                extras=outputs[1:],
                pages=laid_out.page_count,
                size=partials[0].stat().st_size,
                seconds=time.perf_counter() - started,
                warnings=laid_out.warnings,
                findings=inspect(item, laid_out, written),
                copyfit=laid_out.copyfit,
            )
    return report, _issue_files_read(item, laid_out)


#: The files of each target, after ``<issue-id>-<lang>-``: the PDF first.
#: The resolution below which a photograph looks soft, on screen and on paper:
#: page makeup never enlarges one beyond it (preflight's W104 says 300 dpi).
SHARP_PPI: dict[PdfTarget, float] = {"web": 150.0, "print": PRINT_DPI}
_SUFFIXES: dict[PdfTarget, tuple[str, ...]] = {
    "web": ("web.pdf", "cover.png"),
    "print": ("print.pdf",),
}


def inspect(
    item: Prepared, laid_out: LaidOut, written: list[Finding] | None = None
) -> list[Finding]:
    """Return the preflight findings of an edition laid out, located in its file.

    ``written`` are the findings of the print preflight on the written PDF.
    """
    theme = item.layout.theme
    findings = inspect_pages(
        laid_out.document,
        [item.layout.font_path(face) for face in theme.fonts],
        print_target=laid_out.target == "print",
        pages=item.loaded.edition.pages,
        channels=item.channels().items(),
        screen={colour.cmyk: colour.rgb for colour in theme.colours.values()},
        charts=item.loaded.edition.chart_widths(),
    ) + (written or [])
    if laid_out.makeup is not None:
        # Makeup knows the fill of each column, which W107 estimates.
        findings = [finding for finding in findings if finding.code != "W107"]
        findings += _closed_by_the_back_page(
            laid_out.makeup.findings(laid_out.document), laid_out
        )
    if laid_out.copyfit is not None:
        findings.append(Finding("I111", f"copyfit: {laid_out.copyfit}"))
    if laid_out.sheets is not None:
        findings += laid_out.sheets.findings()
    located = [item.locate(finding, laid_out.target) for finding in findings]
    edition = f"{item.language} {laid_out.target}"
    located += [
        replace(finding, edition=edition)
        for finding in [
            *unhonoured_wishes(item.loaded, theme.makeup, theme.columns),
            *item.brand_findings(),
        ]
    ]
    if (problem := laid_out.copyfit_problem) is not None:
        # Copyfitting says why the count is wrong better than a count does.
        located = [finding for finding in located if finding.code != "E108"]
        located.append(Finding.at("E108", problem, edition=edition))
    return located


def _closed_by_the_back_page(
    findings: list[Finding], laid_out: LaidOut
) -> list[Finding]:
    """Drop the lonely last page (W111) of content the back page closes.

    With the contact on the back page, the last content page is followed by
    the closing blocks, as makeup's own rule wants of a short last page.
    """
    sheets, made_up = laid_out.sheets, laid_out.makeup
    if sheets is None or made_up is None or not sheets.contact_at_back:
        return findings
    last = len(made_up.placement.pages)
    return [f for f in findings if not (f.code == "W111" and f.page == last)]


def locate_resource(item: Prepared, url: str, reason: str) -> Problem | None:
    """Return a problem at the picture field of ``item`` that asked for ``url``."""
    local = issue_path(url, item.issue_dir)
    for location, src in item.loaded.edition.image_locations():
        if is_remote(src):
            named = url == src
        else:
            named = local is not None and local == item.issue_dir / src
        if named:
            return item.loaded.document.problem(location, f"{src}: {reason}")
    return None


def _issue_files_read(item: Prepared, laid_out: LaidOut) -> list[str]:
    """Return the issue's files the engine read, relative to the issue folder."""
    issue_dir = item.issue_dir
    checked = laid_out.fetcher.checked if laid_out.fetcher else set()
    paths = {path for url in checked if (path := issue_path(url, issue_dir))}
    return sorted(
        path.resolve().relative_to(issue_dir).as_posix()
        for path in paths
        if path.resolve().is_relative_to(issue_dir)
    )


def _write_web(
    identity: str, item: Prepared, laid_out: LaidOut, pdf: Path, cover: Path
) -> list[Finding]:
    """Write the web PDF, its links described, and its cover thumbnail.

    Nothing is found in them beyond what preflight finds in the pages.
    """
    descriptions = link_descriptions(item.loaded.edition)
    write_pdf(laid_out, pdf, identity, partial(_for_web, descriptions))
    finish.write_cover(pdf, cover, COVER_WIDTH)
    return []


def _for_web(descriptions: Mapping[str, str], pdf: Path) -> None:
    """Finish a written web PDF: its structure tidied, its links described."""
    finish.finish_web(pdf, descriptions)


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
    findings: list[Finding] = []
    settings = press.press_settings(item.layout)
    write_pdf(
        laid_out,
        path,
        identity,
        partial(
            _for_press, item, laid_out, settings, identity, refuse_unbound, findings
        ),
    )
    return findings


def _for_press(
    item: Prepared,
    laid_out: LaidOut,
    settings: press.PressSettings | None,
    identity: str,
    refuse_unbound: bool,
    findings: list[Finding],
    pdf: Path,
) -> None:
    """Turn a written PDF into the printer's; add its preflight to ``findings``."""
    if settings is not None:
        press.to_press(pdf, settings)
    finish.finish_print(pdf, identity)
    findings.extend(printcheck.check_print(pdf, item.layout.theme.print.ink_limit))
    if refuse_unbound and any(finding.code == "E124" for finding in findings):
        raise UserError(_unbound(item, laid_out, findings))


def _unbound(
    item: Prepared, laid_out: LaidOut, written: list[Finding]
) -> list[Problem]:
    """Return the errors of an edition no printer can bind, E124 last."""
    errors = [
        finding
        for finding in inspect(item, laid_out, written)
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


@dataclass(frozen=True)
class Engine:
    """The engine set up for an edition, target and copyfit setting: HTML to pages."""

    item: Prepared
    target: PdfTarget
    remote: Remote | None
    settings: dict[str, str] | None = None
    pictures: Pictures | None = None  # loaded by the target's earlier renders

    def __call__(self, html: str) -> LaidOut:
        """Lay ``html`` out; relative paths resolve in the edition's folder."""
        return lay_out(
            html,
            base_dir=self.item.loaded.document.path.parent,
            layout=self.item.layout,
            target=self.target,
            remote=self.remote,
            locate=partial(locate_resource, self.item),
            settings=self.settings,
            pictures=self.pictures,
        )

    def document(self, html: str) -> Any:
        """Return the engine's document of ``html``: what makeup measures."""
        return self(html).document


@dataclass
class Draft:
    """A lay-out whose length is known, its final render left until it is chosen.

    With page makeup the placement says how long the content is, so copyfit
    trials that are not chosen are never rendered.
    """

    engine: Engine
    html: str  # what the final render lays out
    page_count: int
    length: tuple[int, float]  # pages with content, the last one's fill
    makeup: MadeUp | None = None
    laid_out: LaidOut | None = None  # laid out already (a layout without makeup)

    def splits_no_short_module(self) -> bool:
        """Tell whether makeup kept every module shorter than a column whole."""
        return self.makeup is None or self.makeup.placement.short_splits == 0

    @property
    def holes(self) -> int:
        """Return how many pages but the last makeup left with a hole (W111)."""
        return 0 if self.makeup is None else self.makeup.placement.holes

    def finish(self) -> LaidOut:
        """Return the draft laid out: rendered now, unless it already was."""
        if self.laid_out is not None:
            return self.laid_out
        laid_out = self.engine(self.html)
        laid_out.makeup = self.makeup
        return laid_out


def lay_out_target(
    item: Prepared,
    target: PdfTarget,
    allow_remote: bool,
    pages: int | None = None,
    measured: Measured = MEASURED,
) -> LaidOut:
    """Lay out the edition for ``target``, copyfitted if a page count is asked.

    ``pages`` (else the edition's ``pages:``) asks for copyfitting.  A print
    edition is then planned in whole sheets (:mod:`emn_pdf.sheets`).
    ``measured`` is what the engine measured before (the process's own).
    Every render shares one :class:`~emn_pdf.machinery.remote.Remote`, if
    remote pictures are allowed: one deadline, each downloaded once.
    """
    remote = Remote() if allow_remote else None
    drafting = Drafting(item, target, remote, measured)
    draft, settings, copyfitted, problem = _copyfitted(drafting, pages)
    planned = None
    if target == "print" and not whole_sheets(draft.page_count):
        fixed = pages is not None or item.loaded.edition.pages is not None
        laid_out, planned = _in_whole_sheets(drafting, draft, settings, fixed)
    else:
        laid_out = draft.finish()
    laid_out.copyfit = planned.report if planned and planned.report else copyfitted
    laid_out.copyfit_problem = problem
    laid_out.sheets = planned
    return laid_out


def _in_whole_sheets(
    drafting: Drafting, natural: Draft, settings: dict[str, str], fixed: bool
) -> tuple[LaidOut, Sheets]:
    """Return the print edition planned in whole sheets, laid out.

    The contact goes to the back page only if it fits there: on a small
    page, a contact of many channels runs past it (the engine makes a page
    more than planned), and stays among the content, a back cover after it.
    """
    draft, planned = planned_sheets(drafting, natural, settings, fixed)
    laid_out = draft.finish()
    if planned.contact_at_back and laid_out.page_count > draft.page_count:
        draft, planned = planned_sheets(
            drafting, natural, settings, fixed, back=back_cover
        )
        laid_out = draft.finish()
    return laid_out, planned


@dataclass(frozen=True)
class Drafting:
    """What every draft of an edition for a target shares: a copyfit trial is one."""

    item: Prepared
    target: PdfTarget
    remote: Remote | None
    measured: Measured
    #: The pictures its renders loaded: each is read and converted once.
    pictures: Pictures = field(default_factory=Pictures)

    def draft(
        self, settings: dict[str, str] | None = None, page: Page | None = None
    ) -> Draft:
        """Return the edition drafted with ``settings`` for ``page``.

        Made up, or laid out (a layout without makeup); ``page`` is the
        target's pages, with no designed page, by default.
        """
        page = page or Page(self.target)
        engine = Engine(self.item, self.target, self.remote, settings, self.pictures)
        html = self.item.html(page)
        theme = self.item.layout.theme
        if not theme.makeup:
            laid_out = engine(html)
            length = content_length(laid_out)
            return Draft(engine, html, laid_out.page_count, length, laid_out=laid_out)
        made_up = make_up(
            html,
            self.item.loaded.edition,
            theme.columns,
            engine.document,
            _measuring_context(self.item, page, settings),
            self.measured,
            SHARP_PPI[self.target],
        )
        pages = len(made_up.placement.pages) + made_up.fillers
        return Draft(engine, made_up.html, pages, made_up.length(), made_up)

    def trial(
        self, settings: dict[str, str], page: Page | None = None
    ) -> tuple[Draft, int, float]:
        """Return a copyfit trial: the draft with ``settings``, its length."""
        draft = self.draft(settings, page)
        return (draft, *draft.length)


def _copyfitted(
    drafting: Drafting, requested: int | None
) -> tuple[Draft, dict[str, str], str | None, Problem | None]:
    """Lay out with the theme's sizes, or with those that give the page count.

    The count is ``requested`` (``--pages``), else the edition's ``pages:``.
    With neither, a last page that page makeup left to the closing blocks
    alone is saved, if the theme's ranges allow, by setting the issue a page
    shorter: what a designer does rather than print a nearly empty page.
    Returns the draft chosen, its settings, what copyfitting did and why it
    could not.
    """
    item, target = drafting.item, drafting.target
    started = time.perf_counter()
    natural = drafting.draft()
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
    try:
        # A page saved need only leave a last page makeup does not call lonely.
        last_fill = WEIGHTS.min_last_fill if saving else copyfit.MIN_LAST_FILL
        chosen, search = copyfit.fit(
            ranges, pages, drafting.trial, own, last_fill, Draft.splits_no_short_module
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
    trials: list[Trial[Draft]], natural: Draft, target: PdfTarget
) -> Trial[Draft] | None:
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
        and trial.result.splits_no_short_module()
        and (target != "print" or _sheets(trial.pages) < _sheets(natural.page_count))
    ]
    own = trials[0].density
    return min(saving, key=lambda trial: abs(trial.density - own), default=None)


def _sheets(pages: int) -> int:
    """Return how many folded sheets ``pages`` pages take."""
    return -(-pages // PAGES_PER_SHEET)


def _page_to_save(draft: Draft) -> str | None:
    """Say why a designer would set the issue one page shorter, if one would.

    A last page left to the closing blocks alone reads as a leftover.  (A
    print edition's count of whole sheets is planned afterwards:
    :mod:`emn_pdf.sheets`.)
    """
    if _lonely_last_page(draft):
        return "a last page of closing blocks alone"
    return None


def _lonely_last_page(draft: Draft) -> bool:
    """Tell whether makeup left a last page below its target (a lonely one)."""
    return draft.makeup is not None and draft.makeup.placement.lonely_last_page


def _measuring_context(
    item: Prepared, page: Page, settings: dict[str, str] | None
) -> str:
    """Return a digest of what the engine's measures depend on, the HTML aside.

    The edition file is left out: its text is in the HTML measured.
    """
    files = input_files(item)
    files.remove(item.loaded.document.path)
    named = [f"{name}={value}" for name, value in sorted((settings or {}).items())]
    return cache.fingerprint(files, [page.target, item.layout.name, *named])


def content_length(laid_out: LaidOut) -> tuple[int, float]:
    """Return the pages with content, and how full the last of them is (0-1).

    Page makeup knows; otherwise preflight reads it off the boxes.
    """
    if laid_out.makeup is None:
        return page_content_length(laid_out.document)
    length: tuple[int, float] = laid_out.makeup.length()
    return length
