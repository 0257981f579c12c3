"""Shared fixtures: the sample issue built once, and small issues built on demand."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest

import emn_pdf
from emn_pdf.machinery.jobs import chosen_languages

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2024-12"
CORPUS_DIR = ROOT / "tests" / "corpus"
SEED = Path(__file__).parent / "data" / "seed-2024-12-fr.txt"

MINIMAL_EDITION = """\
masthead:
  organisation: EMN Test
  title: Newsletter
  number: 7
  date: 2025-03-20
  language: fr
sections:
  - heading: Évènements
    blocks:
      - kind: news
        title: Une nouvelle
        body: Un paragraphe.
"""

#: One news block with a picture; ``SRC`` is replaced with its address.
NEWS_WITH_IMAGE = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
sections:
  - blocks:
      - kind: news
        title: Une image
        body: Texte.
        image: {src: "SRC", alt: Une image.}
"""


#: Every test of the sample runs with each built-in layout.
LAYOUTS = ["emn", "bulletin"]


@pytest.fixture(scope="session", params=LAYOUTS)
def layout(request: pytest.FixtureRequest) -> str:
    """The name of a built-in layout."""
    return str(request.param)


def shared_path(factory: pytest.TempPathFactory, name: str) -> Path:
    """Return a path every process of the test run sees (``make test`` has two).

    Under pytest-xdist each worker has its own temporary folder; their parent
    is the run's.  A single process uses its own.
    """
    root = factory.getbasetemp()
    return (root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / name


@contextmanager
def exclusive(path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold ``path``'s lock while inside: one process of the run at a time.

    Without ``wait``, yield whether the lock was free instead of waiting.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def sample(
    tmp_path_factory: pytest.TempPathFactory, layout: str
) -> dict[tuple[str, str], emn_pdf.BuildReport]:
    """Every edition and target of the sample issue, built once per layout."""
    return sample_reports(tmp_path_factory, layout)


def sample_reports(
    factory: pytest.TempPathFactory, layout: str
) -> dict[tuple[str, str], emn_pdf.BuildReport]:
    """Return the sample's build in ``layout``, by language and target."""
    reports = build_all(SAMPLE, layout, shared_path(factory, f"build-{layout}"))
    return {(report.language, report.target): report for report in reports}


def build_all(issue: Path, layout: str, out_dir: Path) -> list[emn_pdf.BuildReport]:
    """Build every edition of ``issue`` for both targets; return the reports.

    Each edition and target is built once in the test run, in this process,
    by whichever process takes it first: a process that needs the same issue
    builds the others meanwhile, then waits for the rest and finds them up to
    date.  Print first: it takes longest.
    """
    reports: dict[tuple[str, str], emn_pdf.BuildReport] = {}
    units = [
        (language, target)
        for target in ("print", "web")
        for language in chosen_languages(issue, None)
    ]
    for wait in (False, True):
        for language, target in units:
            if (language, target) in reports:
                continue
            with exclusive(Path(f"{out_dir}-{language}-{target}"), wait) as mine:
                if mine:
                    keep = partial(reports.__setitem__, (language, target))
                    emn_pdf.build(
                        issue, lang=language, target=target, layout=layout,
                        out_dir=out_dir, jobs=1, on_built=keep,
                    )  # fmt: skip
    return [reports[unit] for unit in units]


T = TypeVar("T")


def in_turn(items: list[T]) -> list[T]:
    """Return ``items`` from this process's own place on: the processes of
    a test run build different editions at once, then find the others built."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = (int(worker) if worker.isdigit() else 0) * len(items) // 2
    return items[start:] + items[:start]


def corpus_reports(
    factory: pytest.TempPathFactory, name: str, layout: str
) -> list[emn_pdf.BuildReport]:
    """Return the reports of a corpus issue built in ``layout``, web and print.

    Built once in the test run (:func:`build_all`) for every test that reads
    them: the makeup's figures, the crops, the archive; the files stay, for
    the measure of issue 30's figures to read (``holes.py``).
    """
    out = shared_path(factory, f"corpus-{layout}") / name
    return build_all(CORPUS_DIR / name, layout, out)


@pytest.fixture(scope="session")
def sample_build(
    sample: dict[tuple[str, str], emn_pdf.BuildReport],
) -> emn_pdf.BuildReport:
    """The French web edition of the sample."""
    return sample["fr", "web"]


@pytest.fixture
def make_issue(tmp_path: Path) -> Callable[..., Path]:
    """Write an issue folder from YAML text; return the folder.

    ``images`` names files to create in ``images/`` (copied from the sample).
    """

    def make(
        text: str = MINIMAL_EDITION, *, lang: str = "fr", images: tuple[str, ...] = ()
    ) -> Path:
        folder = tmp_path / "issues" / "2025-03"
        (folder / "images").mkdir(parents=True, exist_ok=True)
        (folder / f"{lang}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        for name in images:
            shutil.copy(SAMPLE / "images" / name, folder / "images" / name)
        return folder

    return make


@pytest.fixture(scope="session")
def flowing_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The emn layout with page makeup turned off, as a layout may have it.

    Its pictures may be as tall as a page, as they could before page makeup.
    """
    folder = tmp_path_factory.mktemp("layouts") / "flowing"
    folder.mkdir()
    (folder / "theme.yaml").write_text(
        "extends: emn\n"
        "description: emn without page makeup\n"
        "makeup: false\n"
        "type: {band_height: 250mm}\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(autouse=True)
def _no_engine_warning(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test on any warning of the engine, as WeasyPrint's own tests do.

    A warning is the engine ignoring something a layout asked for (a CSS
    property it does not know, a picture it cannot read): emn-pdf reports
    them, and neither the sample nor a test's issue should have any.  A
    test about such warnings is marked ``engine_warnings``.  Lay-outs in
    worker processes are checked by their reports' ``warnings``.
    """
    said: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = said.append  # type: ignore[method-assign]
    engine = logging.getLogger("weasyprint")
    engine.addHandler(handler)
    try:
        yield
    finally:
        engine.removeHandler(handler)
    if said and request.node.get_closest_marker("engine_warnings") is None:
        pytest.fail(f"the engine warned: {[record.getMessage() for record in said]}")


#: ``make quick`` sets it: only the tests that lay no page out run.
QUICK = os.environ.get("EMN_PDF_QUICK") == "1"


@pytest.fixture(scope="session", autouse=True)
def _quick_runs_no_lay_out() -> Iterator[None]:
    """Under ``make quick``, skip a test as soon as it asks for a lay-out.

    What lays pages out is known where it happens, not from a list kept by
    hand: the engine's one render, and the workers that would render; a test
    whose shared fixture lays out is skipped with it.  What runs the CLI in
    another process or thread is marked ``lays_out``.  ``make test`` runs
    everything.
    """
    if not QUICK:
        yield
        return
    import weasyprint

    from emn_pdf.machinery import workers

    def lays_out(*args: object, **kwargs: object) -> None:
        pytest.skip("lays pages out (make test runs it)")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint.HTML, "render", lays_out)
        patch.setattr(workers, "server_context", lays_out)
        yield


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, under ``make quick``, the tests marked as laying pages out."""
    if QUICK and item.get_closest_marker("lays_out"):
        pytest.skip("lays pages out in another process (make test runs it)")
