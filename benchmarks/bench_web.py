"""What the web page and the e-mail cost, against the PDF builds of the same edition.

Plain Python, no timing assertions: run it, read the table.

    .venv/bin/python benchmarks/bench_web.py [--runs 5]

Each figure is the median of --runs builds with ``emn_pdf.build`` in this
process (``force``: no output from the cache), after one build of each target
to warm the process (imports, the engine's fonts), for the sample's French
and English editions, and as cold CLI processes: one edition with one
process (``--jobs 1``), and both with the default workers, as a user types
``emn-pdf build issues/2024-12 --target html``.  "Fresh" clears what a
process keeps between builds first, as ``bench_build.py``'s (b) does: page
makeup's measures and the engine's parsed stylesheets for a PDF, the pictures
made for a web page or an e-mail; "kept" keeps them (a rebuild in ``watch``,
or the next target of a build).  The pictures made for a web page or an
e-mail are kept in the output folder's cache too, by content, for the next
process: "fresh" and "cold" reuse them (a build after an edit of the text);
"no pictures kept" empties that cache before each build of the web page and
the e-mail (a first build, or one after the pictures changed), the PDFs'
figures being those of the row above.  The issue's target (issue 33): the web
page and the e-mail together under 10 % of a PDF build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import emn_pdf
from emn_pdf import steps
from emn_pdf.engine import pdf
from emn_pdf.machinery.cache import CACHE_DIR
from emn_pdf.machinery.workers import DEFAULT_LIMITS
from emn_pdf.web import assets

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2024-12"
TARGETS = ("web", "print", "html", "email")
WEB_TARGETS = ("html", "email")


def forget_pictures(out: Path) -> None:
    """Empty the output folder's cache of the pictures made for the web."""
    shutil.rmtree(out / CACHE_DIR / assets.KEPT_KIND, ignore_errors=True)


def in_process(
    language: str, target: str, out: Path, fresh: bool = False, empty: bool = False
) -> float:
    """Return the seconds one forced build of an edition and target takes."""
    if empty:
        forget_pictures(out)
    if fresh:
        steps.MEASURED.measures.clear()
        steps.MEASURED.grids.clear()
        pdf._STYLES.clear()
        assets._MADE.clear()
    started = time.perf_counter()
    emn_pdf.build(
        SAMPLE, lang=language, target=target, out_dir=out, jobs=1, force=True,
        limits=DEFAULT_LIMITS,
    )  # fmt: skip
    return time.perf_counter() - started


def cold(language: str, target: str, out: Path, empty: bool = False) -> float:
    """Return the seconds a CLI process building one edition and target takes.

    ``language`` ``all``: every edition, with the default number of workers
    (one per core), as a user types it.
    """
    if empty:
        forget_pictures(out)
    command = [
        str(Path(sys.executable).parent / "emn-pdf"), "build", str(SAMPLE),
        "--lang", language, "--target", target, "-o", str(out), "--force",
        *(["--jobs", "1"] if language != "all" else []),
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        for target in TARGETS:  # warm the process
            in_process("fr", target, out)
        for language in ("fr", "en"):
            for fresh in (True, False):
                median = {
                    target: statistics.median(
                        in_process(language, target, out, fresh) for _ in range(runs)
                    )
                    for target in TARGETS
                }
                kept = "fresh" if fresh else "kept"
                _report(f"{language}, in process, {kept}", median)
                if fresh and language == "fr":
                    median |= {
                        target: statistics.median(
                            in_process(language, target, out, True, True)
                            for _ in range(runs)
                        )
                        for target in WEB_TARGETS
                    }
                    _report(f"{language}, in process, fresh, no pictures kept", median)
        median = {
            target: statistics.median(cold("fr", target, out) for _ in range(runs))
            for target in TARGETS
        }
        _report("fr, cold CLI process", median)
        median |= {
            target: statistics.median(
                cold("fr", target, out, empty=True) for _ in range(runs)
            )
            for target in WEB_TARGETS
        }
        _report("fr, cold CLI process, no pictures kept", median)
        median = {
            target: statistics.median(cold("all", target, out) for _ in range(runs))
            for target in TARGETS
        }
        _report("fr + en, cold CLI process, default --jobs", median)


def _report(name: str, median: dict[str, float]) -> None:
    web = median["html"] + median["email"]
    print(f"\n{name} (median of the runs, s)")
    for target, seconds in median.items():
        print(f"  {target:<6} {seconds:7.3f}")
    print(
        f"  html + email = {web:.3f} s: {100 * web / median['web']:.1f} % of the web PDF,"
        f" {100 * web / median['print']:.1f} % of the print PDF"
    )


if __name__ == "__main__":
    main()
