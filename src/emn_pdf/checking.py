"""The public API's other half: check an issue without writing its PDFs.

Validates every edition, compares them, then lays each out for the targets
asked and returns what preflight finds, as a build would have reported it
(:mod:`emn_pdf.build`); editions are laid out in worker processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .issue.errors import Finding, UserError, faults_as_user_errors
from .machinery import workers
from .machinery.jobs import (
    Inspection,
    chosen_languages,
    chosen_targets,
    pdf_target,
)
from .machinery.workers import DEFAULT_LIMITS, Limits, processes_for, worker_pool

if TYPE_CHECKING:
    from .edition import Prepared


def check(
    issue_dir: Path | str,
    *,
    lang: str | None = None,
    layout: str | None = None,
    target: str = "web",
    lay_out: bool = True,
    print_file: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    jobs: int | None = None,
) -> list[Finding]:
    """Check an issue: validate it, compare its editions, then preflight them.

    Invalid input (or editions that do not match: the same blocks in the same
    order, with the same links and images) raises
    :class:`~emn_pdf.issue.errors.UserError` listing every problem.  Otherwise each
    edition is laid out for ``target`` (unless ``lay_out`` is false, and
    within ``limits``), in ``jobs`` worker processes as a build is, and the
    defects found, errors and warnings, are returned in edition order.  The
    print edition is also written aside and its file preflighted (inks,
    colours, boxes, fonts) unless ``print_file`` is false: that takes about as
    long as laying it out, and an editor reworking the pages can wait for it.
    """
    from .checks import preflight
    from .checks.consistency import compare_editions
    from .edition import prepare

    issue_dir = Path(issue_dir)
    prepared, problems = [], []
    for language in chosen_languages(issue_dir, lang):
        try:
            # Within the time limit: checking pictures decodes them.
            with (
                faults_as_user_errors(),
                limits.deadline(issue_dir / f"{language}.yaml"),
            ):
                item = prepare(issue_dir, language, layout)
                item.html()
            prepared.append(item)
        except UserError as error:
            problems.extend(error.problems)
    problems.extend(compare_editions([item.loaded for item in prepared]))
    if problems:
        raise UserError(problems)
    findings = preflight.unused_pictures(issue_dir, [item.loaded for item in prepared])
    for item in prepared:
        findings += preflight.dead_links(item.loaded)
    work = [
        Inspection(issue_dir, item.language, layout, each, limits, print_file)
        for item in prepared
        for each in (chosen_targets(target) if lay_out else ())
    ]
    items = {item.language: item for item in prepared}
    for found in _inspected(work, items, jobs):
        if isinstance(found, UserError):
            raise found
        findings += found
    return findings


def _inspect(
    each: Inspection, item: Prepared | None = None
) -> list[Finding] | UserError:
    """Lay one edition out for one target; return what preflight finds, or why not.

    A worker validates the edition again (``item`` is not sent over), and
    returns a failure rather than raise it: its problems cross back whole.
    """
    from .edition import prepare

    edition = each.issue_dir / f"{each.language}.yaml"
    target = pdf_target(each.target)
    try:
        with faults_as_user_errors(), each.limits.deadline(edition):
            item = item or prepare(each.issue_dir, each.language, each.layout)
            if target is None:
                from .web.editions import inspect as inspect_web

                return inspect_web(item, each.target)
            from .steps import checked_print, inspect, lay_out_target

            laid_out = lay_out_target(item, target, allow_remote=False)
        each.limits.check_pages(laid_out.page_count, edition)
        written = (
            checked_print(item, laid_out)
            if each.target == "print" and each.print_file
            else []
        )
        return inspect(item, laid_out, written)
    except UserError as error:
        return UserError(error.problems)


def _inspected(
    work: list[Inspection], items: dict[str, Prepared], jobs: int | None
) -> Iterator[list[Finding] | UserError]:
    """Yield the findings of each inspection, in order; in workers if several PDFs.

    The web page and the e-mail alone lay nothing out: inspected here, they
    start no worker (forked from a server that imports the engine).
    """
    laid_out = sum(pdf_target(each.target) is not None for each in work)
    if processes_for(jobs, laid_out) <= 1:
        yield from (_inspect(each, items[each.language]) for each in work)
        return
    with worker_pool(processes_for(jobs, len(work)), workers.server_context()) as pool:
        futures = [pool.submit(_inspect, each) for each in work]
        yield from (future.result() for future in futures)
