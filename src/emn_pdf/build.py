"""The public API: build an issue's PDFs, or check it without rendering.

Reads as the pipeline's recipe: find the editions, load and validate each one,
then render its HTML, lay it out and write the PDF.  Editions are independent:
one that fails does not stop the others, and several are built at once in
worker processes (layout holds the GIL, so threads would not help).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .consistency import compare_editions
from .errors import Problem, UserError
from .i18n import edition_catalogue, load_catalogue
from .layouts import (
    DEFAULT_LAYOUT,
    TARGETS,
    Layout,
    Target,
    builtin_layouts,
    find_layout,
    unknown_layout,
)
from .load import LoadedEdition, load_edition
from .render import DEFAULT_PAGE, Page, link_descriptions, render_html

if TYPE_CHECKING:
    from .pdf import LaidOut

LANGUAGE_FILE = re.compile(r"^[a-z]{2,3}$")
ALL = "all"
#: A saddle-stitched newsletter is folded sheets: its pages come in fours.
PAGES_PER_SHEET = 4
COVER_WIDTH = 800


@dataclass(frozen=True)
class BuildReport:
    """What became of one edition and target: its PDF, or what stopped it."""

    language: str
    target: Target
    path: Path | None = None
    extras: list[Path] = field(default_factory=list)
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether the PDF was written."""
        return self.path is not None


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

    def html(self, page: Page = DEFAULT_PAGE) -> str:
        """Return the edition's HTML for ``page.target``."""
        catalogue = edition_catalogue(self.loaded)
        return render_html(
            self.loaded.edition, self.layout, catalogue, self.language, page
        )


@dataclass(frozen=True)
class _Job:
    """One edition and target to build; small and picklable, for workers."""

    issue_dir: Path
    language: str
    target: Target
    layout: str | None
    out_dir: Path

    def output(self, issue_id: str, suffix: str) -> Path:
        """Return ``<out>/<issue-id>-<lang>-<suffix>``."""
        return self.out_dir / f"{issue_id}-{self.language}-{suffix}"


def build(
    issue_dir: Path | str,
    *,
    lang: str | None = None,
    target: str = "web",
    layout: str | None = None,
    out_dir: Path | str = "build",
    jobs: int | None = None,
    on_built: Callable[[BuildReport], None] | None = None,
) -> list[Path]:
    """Write the PDFs of an issue's editions into ``out_dir``.

    Each edition and target gives ``<issue-id>-<lang>-<target>.pdf``; the web
    target also gives ``<issue-id>-<lang>-cover.png``.  ``lang`` picks one
    edition (``None`` or ``"all"``: every edition), ``target`` is ``web``,
    ``print`` or ``all``; ``layout`` overrides the layout the editions name;
    ``jobs`` is the number of worker processes (one per core by default).
    ``on_built`` receives each report as it finishes.  Every edition is built
    even when another fails; afterwards :class:`~emn_pdf.errors.UserError`
    lists what failed.  Returns the PDF paths, editions in order.
    """
    issue_dir, out = Path(issue_dir), Path(out_dir)
    _refuse_output_inside(out, issue_dir)
    languages = chosen_languages(issue_dir, lang)
    work = [
        _Job(issue_dir, language, each, layout, out)
        for language in languages
        for each in chosen_targets(target)
    ]
    reports = []
    for report in _run(work, jobs):
        reports.append(report)
        if on_built is not None:
            on_built(report)
    failed = [problem for report in reports for problem in report.problems]
    if failed:
        raise UserError(failed)
    order = [(job.language, job.target) for job in work]
    reports.sort(key=lambda report: order.index((report.language, report.target)))
    return [report.path for report in reports if report.path is not None]


def check(
    issue_dir: Path | str, *, lang: str | None = None, layout: str | None = None
) -> list[str]:
    """Validate an issue and render its HTML, without laying out any page.

    When several editions are checked they are also compared: the same blocks
    in the same order, with the same links and images.  Returns the language
    codes checked; raises :class:`~emn_pdf.errors.UserError` listing every
    problem found.
    """
    issue_dir = Path(issue_dir)
    prepared, problems = [], []
    for language in chosen_languages(issue_dir, lang):
        try:
            item = prepare(issue_dir, language, layout)
            item.html()
            prepared.append(item)
        except UserError as error:
            problems.extend(error.problems)
    problems.extend(compare_editions([item.loaded for item in prepared]))
    if problems:
        raise UserError(problems)
    return [item.language for item in prepared]


def edition_files(issue_dir: Path) -> dict[str, Path]:
    """Return the issue's edition files by language code (``fr.yaml``...)."""
    if not issue_dir.is_dir():
        raise UserError(Problem("issue folder not found", file=issue_dir))
    editions = {
        path.stem: path
        for path in sorted(issue_dir.glob("*.yaml"))
        if LANGUAGE_FILE.match(path.stem)
    }
    if not editions:
        raise UserError(
            Problem("no edition found (expected files such as fr.yaml)", file=issue_dir)
        )
    return editions


def prepare(issue_dir: Path, language: str, layout: str | None) -> Prepared:
    """Load, validate and match one edition with its layout."""
    load_catalogue(language)
    loaded = load_edition(edition_files(issue_dir)[language])
    return Prepared(issue_dir.resolve().name, loaded, _edition_layout(loaded, layout))


def chosen_languages(issue_dir: Path, lang: str | None) -> list[str]:
    """Return the language codes ``lang`` selects: one, or all editions."""
    editions = edition_files(issue_dir)
    if lang is None or lang == ALL:
        return list(editions)
    if lang not in editions:
        available = ", ".join(editions)
        raise UserError(
            Problem(f"no {lang}.yaml edition (available: {available})", file=issue_dir)
        )
    return [lang]


def chosen_targets(target: str) -> tuple[Target, ...]:
    """Return the targets ``target`` selects: ``web``, ``print`` or ``all``."""
    if target == ALL:
        return TARGETS
    if target not in TARGETS:
        raise UserError(Problem(f"unknown target {target!r} (web, print or all)"))
    return (target,)


def _run(work: list[_Job], jobs: int | None) -> Iterator[BuildReport]:
    """Build every job, in worker processes when there is more than one."""
    workers = min(jobs or default_jobs(), len(work))
    if workers <= 1:
        yield from map(_build_job, work)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        # Print jobs take longest (QR codes, often two layouts): start them
        # first so that the workers finish together.
        ordered = sorted(work, key=lambda job: job.target != "print")
        futures: list[Future[BuildReport]] = [
            pool.submit(_build_job, job) for job in ordered
        ]
        for future in as_completed(futures):
            yield future.result()


def _context() -> multiprocessing.context.BaseContext:
    """Return how workers start: forked from a server that imported WeasyPrint.

    A fresh server process (not this one, which may hold threads and locks)
    imports the layout engine once; each worker is forked from it ready to
    work.  Where fork does not exist, workers are spawned and import it.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["emn_pdf.pdf", "emn_pdf.finish"])
    return context


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _build_job(job: _Job) -> BuildReport:
    """Build one edition for one target; bad input gives a failed report."""
    started = time.perf_counter()
    try:
        item = prepare(job.issue_dir, job.language, job.layout)
        return _write_target(job, item, started)
    except UserError as error:
        return BuildReport(job.language, job.target, problems=error.problems)


def _write_target(job: _Job, item: Prepared, started: float) -> BuildReport:
    from . import finish, preflight
    from .pdf import atomic_output, write_pdf  # WeasyPrint loads only in workers

    path = job.output(item.issue_id, f"{job.target}.pdf")
    extras = []
    if job.target == "web":
        laid_out = _lay_out(item, Page("web"))
        descriptions = link_descriptions(item.loaded.edition)
        write_pdf(laid_out, path, lambda pdf: finish.finish_web(pdf, descriptions))
        cover = job.output(item.issue_id, "cover.png")
        with atomic_output(cover) as partial:
            finish.write_cover(path, partial, COVER_WIDTH)
        extras.append(cover)
    else:
        laid_out = _lay_out_for_binding(item)
        laid_out.warnings.extend(preflight.low_resolution_images(laid_out.document))
        write_pdf(laid_out, path, finish.finish_print)
    return BuildReport(
        job.language,
        job.target,
        path=path,
        extras=extras,
        pages=laid_out.page_count,
        size=path.stat().st_size,
        seconds=time.perf_counter() - started,
        warnings=laid_out.warnings,
    )


def _lay_out(item: Prepared, page: Page) -> LaidOut:
    from .pdf import lay_out

    return lay_out(
        item.html(page),
        base_dir=item.loaded.document.path.parent,
        layout=item.layout,
        target=page.target,
    )


def _lay_out_for_binding(item: Prepared) -> LaidOut:
    """Lay out the print edition, filled out to whole sheets of four pages.

    A second layout adds the designed pages (notes, then a back page) at the
    end; what comes before them does not move.
    """
    laid_out = _lay_out(item, Page("print"))
    missing = -laid_out.page_count % PAGES_PER_SHEET
    if missing:
        laid_out = _lay_out(item, Page("print", fill_pages=missing))
    return laid_out


def _edition_layout(loaded: LoadedEdition, requested: str | None) -> Layout:
    """Return the layout asked for on the command line, else the edition's.

    An unknown layout named in the edition is reported at its line there.
    """
    named = loaded.edition.layout
    if requested is None and named is not None and named not in builtin_layouts():
        raise UserError(loaded.document.problem(("layout",), unknown_layout(named)))
    return find_layout(requested or named or DEFAULT_LAYOUT)


def _refuse_output_inside(out_dir: Path, issue_dir: Path) -> None:
    """Keep build output out of the issue folder, which holds only sources."""
    if out_dir.resolve().is_relative_to(issue_dir.resolve()):
        raise UserError(
            Problem(
                "the output folder must not be inside the issue folder", file=out_dir
            )
        )
