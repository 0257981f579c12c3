"""Worker processes that die with their parent, and a deadline for each edition.

A build's workers are forked from a server process, so the kernel does not
tie them to the command the user runs: killed with ``kill -9``, it would leave
them writing PDFs.  Each worker watches the command's process and ends when it
ends; on SIGTERM any process of a build removes its temporary files first.
An edition's layout is also given limits, pages and seconds, so that input
within every size limit (thousands of briefs, a huge SVG) cannot hold a build
for ever or make hundreds of pages.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import resource
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ..issue.errors import DeadlineExceeded, Problem, UserError
from .files import (
    end_of_publishing,
    held_while_publishing,
    publishing,
    remove_partials,
    stop_publishing,
)

#: Seconds between two looks at whether the parent still runs.
PARENT_CHECK = 0.2
#: Longest an edition and target may take to lay out and write, by default.
LAYOUT_SECONDS = 300.0
#: Seconds between the alarms that follow a deadline until one stops the work.
DEADLINE_AGAIN = 0.25
#: Most pages an edition may have, by default: more is taken for a mistake.
MAX_PAGES = 100


@dataclass(frozen=True)
class Limits:
    """How much one edition and target may take; the user may raise both."""

    pages: int = MAX_PAGES
    seconds: float = LAYOUT_SECONDS

    def check_pages(self, pages: int, edition: Path) -> None:
        """Refuse an edition of more pages than the limit."""
        if pages > self.pages:
            raise UserError(
                Problem(
                    f"the edition has {pages} pages, more than the limit of"
                    f" {self.pages} (--max-pages allows more)",
                    file=edition,
                )
            )

    @contextmanager
    def deadline(self, edition: Path) -> Iterator[None]:
        """Stop the work inside after :attr:`seconds` with a problem.

        Only the main thread of a process receives the alarm; elsewhere (a
        test running builds in threads) the work is not bounded.
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def expire(signum: int, frame: FrameType | None) -> None:
            if publishing():  # the outputs are done: let them be published
                return  # (the alarm comes again while the work goes on)
            raise DeadlineExceeded(
                Problem(
                    f"laying out took longer than {self.seconds:g} s; the input is"
                    " too large (--time-limit allows more)",
                    file=edition,
                )
            )

        previous = signal.signal(signal.SIGALRM, expire)
        # Again every so often after the deadline: the first alarm may land in
        # code that swallows exceptions (an object's __del__ during collection).
        signal.setitimer(signal.ITIMER_REAL, self.seconds, DEADLINE_AGAIN)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


DEFAULT_LIMITS = Limits()


@contextmanager
def memory_ceiling(extra: int) -> Iterator[None]:
    """Let the work inside take at most ``extra`` bytes more address space.

    A bomb then fails fast with a :class:`MemoryError` instead of taking the
    machine's memory.  Where the process's size cannot be read (no
    ``/proc``), or a lower limit is set already, the work runs unbounded by
    this.
    """
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = pages * resource.getpagesize() + extra
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if soft != resource.RLIM_INFINITY and soft <= ceiling:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def server_context() -> multiprocessing.context.BaseContext:
    """Return how workers start: forked from a server that imported WeasyPrint.

    A fresh server process (not this one, which may hold threads and locks)
    imports the layout engine once; each worker is forked from it ready to
    work.  Where fork does not exist, workers are spawned and import it.
    The server starts now: it imports while this process checks the editions.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["emn_pdf.steps"])
    multiprocessing.forkserver.ensure_running()
    return context


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def processes_for(jobs: int | None, work: int) -> int:
    """Return how many worker processes ``work`` jobs take, at most one each.

    ``jobs`` if the user said, else one per core.
    """
    return min(jobs or default_jobs(), work)


@contextmanager
def worker_pool(
    workers: int, context: multiprocessing.context.BaseContext
) -> Iterator[ProcessPoolExecutor]:
    """Yield a pool of workers that end with this process, or with its failure."""
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        # ProcessPoolExecutor only ever waits for running jobs (CPython #93234).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _watch_parent(parent: int) -> None:
    """Make this worker end, cleanly, when ``parent`` or a SIGTERM ends it."""
    signal.signal(signal.SIGTERM, _end_now)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C

    def watch() -> None:
        while _running(parent):
            time.sleep(PARENT_CHECK)
        end_of_publishing()
        remove_partials()
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@held_while_publishing
def _end_now(signum: int, frame: FrameType | None) -> None:
    remove_partials()
    os._exit(128 + signum)


def end_cleanly_when_interrupted() -> None:
    """Let Ctrl-C and SIGTERM end this process with nothing half written.

    Its temporary files are removed at once and no output is published after
    the interruption, even if a library swallows the ``KeyboardInterrupt``.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)


@held_while_publishing
def _interrupt(signum: int, frame: FrameType | None) -> None:
    stop_publishing()
    raise KeyboardInterrupt
