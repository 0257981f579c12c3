"""The cost of the typographer's pass (issue 31) against a build: medians.

    .venv/bin/python benchmarks/bench_typographer.py [ISSUE_DIR]

Times ``typographer.keep_together`` over every text of each edition (what a
build runs it on) and a forced web build of the same edition; prints both
medians of five runs and their ratio (the issue's bound: 10 %).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

import emn_pdf
from emn_pdf.layout.i18n import typography
from emn_pdf.layout.typographer import keep_together

RUNS = 5


def texts(data: object) -> list[str]:
    """Every string of an edition file."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in texts(value)]
    if isinstance(data, list):
        return [text for value in data for text in texts(value)]
    return [data] if isinstance(data, str) else []


def median_seconds(action: object) -> float:
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def main() -> None:
    issue = Path(sys.argv[1] if len(sys.argv) > 1 else "issues/2024-12")
    for edition in sorted(issue.glob("*.yaml")):
        language = edition.stem
        strings = texts(yaml.safe_load(edition.read_text(encoding="utf-8")))
        rules = typography(language)
        typographer = median_seconds(
            lambda: [keep_together(text, language, rules) for text in strings]  # noqa: B023
        )
        with tempfile.TemporaryDirectory() as out:
            build = median_seconds(
                lambda: emn_pdf.build(
                    issue,
                    lang=language,  # noqa: B023
                    target="web",
                    out_dir=Path(out),
                    force=True,
                )
            )
        print(
            f"{language}: typographer {typographer * 1000:.2f} ms, build"
            f" {build:.2f} s: {typographer / build:.3%} of a build"
        )


if __name__ == "__main__":
    main()
