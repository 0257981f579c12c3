"""The public API: build an issue's PDFs (and check it: :mod:`emn_pdf.checking`).

Reads as the pipeline's recipe: find the editions and targets asked for,
answer those whose outputs are up to date from the cache, and build the
others (:mod:`emn_pdf.steps`).  Editions are independent: one that fails
does not stop the others, and several are built at once in worker processes
(layout holds the GIL, so threads would not help).  This module is light to
import: a build with nothing to do loads neither the models nor the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, as_completed
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .checking import check
from .issue.errors import Problem, UserError, fault_problem, faults_as_user_errors
from .machinery import cache, workers
from .machinery.files import sweep_parts
from .machinery.jobs import (
    BuildReport,
    Job,
    checked_base_url,
    chosen_languages,
    chosen_targets,
    pdf_target,
)
from .machinery.workers import DEFAULT_LIMITS, Limits, processes_for, worker_pool

#: ``check`` is given with ``build``: the package exports both from here.
__all__ = ["BuildReport", "build", "check"]

if TYPE_CHECKING:
    from .edition import Prepared


def build(
    issue_dir: Path | str,
    *,
    lang: str | None = None,
    target: str = "web",
    layout: str | None = None,
    out_dir: Path | str = "build",
    jobs: int | None = None,
    force: bool = False,
    allow_remote: bool = False,
    pages: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    base_url: str | None = None,
    on_built: Callable[[BuildReport], None] | None = None,
) -> list[Path]:
    """Write the PDFs of an issue's editions into ``out_dir``.

    Each edition and target gives ``<issue-id>-<lang>-<target>.pdf``; the web
    target also gives ``<issue-id>-<lang>-cover.png``.  ``lang`` picks one
    edition (``None`` or ``"all"``: every edition), ``target`` is ``web``,
    ``print``, ``html`` (a folder with the web page), ``email`` (a folder
    with the message) or ``all``; ``layout`` overrides the layout the
    editions name; ``base_url`` is where the output folder will be online,
    which the web page and the e-mail link to (``None``: relative links);
    ``jobs`` is the number of worker processes (one per core by default).
    Outputs whose inputs have not changed since they were written are kept
    as they are (their report says ``cached``) unless ``force`` is true.
    Pictures given by web address are downloaded only if ``allow_remote``.
    ``pages`` (else each edition's ``pages:``) asks for copyfitting.
    ``limits`` bound each edition's pages and the time to lay it out.
    ``on_built`` receives each report as it finishes.  Every edition is built
    even when another fails; afterwards :class:`~emn_pdf.issue.errors.UserError`
    lists what failed.  Returns the PDF paths, editions in order.
    """
    issue_dir, out = Path(issue_dir), Path(out_dir)
    _refuse_output_inside(out, issue_dir)
    sweep_parts(out)
    languages = chosen_languages(issue_dir, lang)
    online = checked_base_url(base_url)
    work = [
        Job(
            issue_dir,
            language,
            each,
            layout,
            out,
            force,
            allow_remote,
            pages,
            limits,
            online,
        )
        for language in languages
        for each in chosen_targets(target)
    ]
    reports = []
    damaged = {
        (job.language, job.target): warning
        for job in work
        if (warning := cache.discard_damaged(job.out_dir, job.name))
    }
    for report in _run(work, jobs):
        if warning := damaged.get((report.language, report.target)):
            report = replace(report, warnings=[warning, *report.warnings])
        reports.append(report)
        if on_built is not None:
            on_built(report)
    # An edition's input problem fails each of its targets: it is said once.
    failed = list(
        dict.fromkeys(problem for report in reports for problem in report.problems)
    )
    if failed:
        raise UserError(failed)
    order = [(job.language, job.target) for job in work]
    reports.sort(key=lambda report: order.index((report.language, report.target)))
    return [report.path for report in reports if report.path is not None]


def _refuse_output_inside(out_dir: Path, issue_dir: Path) -> None:
    """Keep build output out of the issue folder and of the ``issues/`` folder.

    They hold what people wrote; a build never writes there.
    """
    sources = issue_dir.resolve()
    if sources.parent.name == "issues":
        sources = sources.parent
    if out_dir.resolve().is_relative_to(sources):
        raise UserError(
            Problem(f"the output folder must not be inside {sources}", file=out_dir)
        )


def _run(work: list[Job], jobs: int | None) -> Iterator[BuildReport]:
    """Build every job not up to date, in worker processes if PDFs are among them.

    Up-to-date jobs are answered here, before any worker (and WeasyPrint)
    starts, so that a build with nothing to do takes no time.  Jobs whose
    files changed are checked in full while the workers' server imports the
    engine.  Workers are forked from that server: they are worth their cost
    only for two PDFs or more to lay out; the web page and the e-mail alone
    lay nothing out, and are built here.
    """
    unknown = []
    for job in work:
        if (report := cache.unchanged(job)) is not None:
            yield report
        else:
            unknown.append(job)
    parallel = processes_for(jobs, _pdf_count(unknown)) > 1
    context = workers.server_context() if parallel else None
    pending = []
    editions: dict[str, BuildReport | Prepared] = {}
    for job in unknown:
        checked = _checked_in_advance(job, editions)
        if isinstance(checked, BuildReport):
            yield checked
        else:
            pending.append((job, checked))
    jobs_left = [job for job, _ in pending]
    if context is None or processes_for(jobs, _pdf_count(jobs_left)) <= 1:
        yield from (_build_job(job, item) for job, item in pending)
        return
    with worker_pool(processes_for(jobs, len(pending)), context) as pool:
        # Longest first, so that the workers finish together.
        ordered = sorted(jobs_left, key=_expected_seconds, reverse=True)
        futures: list[Future[BuildReport]] = [
            pool.submit(_build_job, job) for job in ordered
        ]
        for future in as_completed(futures):
            yield future.result()


def _pdf_count(jobs: list[Job]) -> int:
    """Return how many of ``jobs`` are PDFs: laid out by the engine."""
    return sum(pdf_target(job.target) is not None for job in jobs)


def _expected_seconds(job: Job) -> float:
    """Return how long the job took last time, else a guess from its target.

    A print job takes longer than its web one (QR codes, press conversion):
    by about a third on the sample.
    """
    seconds = cache.last_seconds(job.out_dir, job.name)
    return seconds or (1.3 if job.target == "print" else 1.0)


def _checked_in_advance(
    job: Job, editions: dict[str, BuildReport | Prepared]
) -> BuildReport | Prepared:
    """Return the report of a job with nothing to do, else its edition.

    Nothing to do: its outputs are up to date, or its input is invalid.
    ``editions`` keeps each language's edition for its other targets.
    """
    started = time.perf_counter()
    from .edition import cache_key, cache_keys, has_remote_pictures, prepare

    if job.language not in editions:
        edition = job.issue_dir / f"{job.language}.yaml"
        try:
            # Within the time limit: checking pictures decodes them.
            with faults_as_user_errors(), job.limits.deadline(edition):
                editions[job.language] = prepare(
                    job.issue_dir, job.language, job.layout
                )
        except UserError as error:
            editions[job.language] = BuildReport(
                job.language, job.target, problems=error.problems
            )
    item = editions[job.language]
    if isinstance(item, BuildReport):
        return replace(item, target=job.target)
    if job.force or has_remote_pictures(item):
        return item  # a remote picture may have changed: no way to tell
    entry = cache.lookup(job.out_dir, job.name, lambda read: cache_key(job, item, read))
    if entry is None:
        return item
    cache.touched(job, entry, cache_keys(job, item, entry.read))
    return cache.report(job, entry, started)


def _build_job(job: Job, item: Prepared | None = None) -> BuildReport:
    """Build one edition for one target; bad input gives a failed report.

    A worker process validates the edition again (``item`` is not sent over:
    reading it is cheaper than pickling it).  Its files published, the job is
    done: a cache that cannot be written (a full disk) is a warning.
    """
    from .edition import cache_keys, prepare

    if pdf_target(job.target) is None:
        from .web.editions import write_target
    else:
        from .steps import write_target

    started = time.perf_counter()
    try:
        edition = job.issue_dir / f"{job.language}.yaml"
        with faults_as_user_errors(), job.limits.deadline(edition):
            item = item or prepare(job.issue_dir, job.language, job.layout)
            report, read = write_target(job, item, started)
    except UserError as error:
        return BuildReport(job.language, job.target, problems=error.problems)
    try:
        cache.remember(job, report, cache_keys(job, item, read))
    except OSError as error:  # the files are published: the job is done
        problem = fault_problem(error)
        warning = (
            f"the build cache is not written (the next build is slower): {problem}"
        )
        return replace(report, warnings=[*report.warnings, warning])
    return report
