"""Live preview: rebuild on every save, keep the last good PDF when input is bad.

The build runs in this process, so that the engine, the templates and the
fonts stay loaded from one rebuild to the next; the cache skips the editions
and targets whose inputs did not change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from .build import build
from .issue.errors import Problem, UserError
from .layout.layouts import is_layout_path, package_data
from .machinery.jobs import BuildReport
from .machinery.workers import DEFAULT_LIMITS, Limits

#: Milliseconds to wait for saves to settle, and between checks of ``stop``.
DEBOUNCE = 150
STOP_CHECK = 300


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild gave: new files, or the problems that kept the old."""

    seconds: float
    reports: list[BuildReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)


def watch(
    issue_dir: Path | str,
    on_rebuild: Callable[[Rebuild], None],
    *,
    lang: str | None = None,
    target: str = "web",
    layout: str | None = None,
    out_dir: Path | str = "build",
    limits: Limits = DEFAULT_LIMITS,
    stop: threading.Event | None = None,
) -> None:
    """Build now, then again whenever the issue, a layout or a font changes.

    Runs until ``stop`` is set (or the process is interrupted); each rebuild
    is reported to ``on_rebuild``.  Bad input never stops the watch: the
    previous PDFs stay in place and the problems are reported instead.
    """
    issue_dir = Path(issue_dir)
    watched = [issue_dir, package_data("layouts"), package_data("fonts")]
    if layout is not None and is_layout_path(layout):
        watched.append(Path(layout))  # a layout from outside the package

    def rebuild(changed: list[Path]) -> None:
        reports: list[BuildReport] = []
        started = time.perf_counter()
        try:
            build(
                issue_dir,
                lang=lang,
                target=target,
                layout=layout,
                out_dir=out_dir,
                jobs=1,
                limits=limits,
                on_built=reports.append,
            )
            problems: list[Problem] = []
        except UserError as error:
            problems = error.problems
        on_rebuild(Rebuild(time.perf_counter() - started, reports, problems, changed))

    rebuild([])
    for changes in watchfiles.watch(
        *watched, stop_event=stop, debounce=DEBOUNCE, rust_timeout=STOP_CHECK
    ):
        rebuild(sorted({Path(path) for _, path in changes}))
