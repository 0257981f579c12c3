"""Build editions and print their typesetting figures (``typesetting.measure``).

    .venv/bin/python tests/typesetting_report.py                 # sample and corpus
    .venv/bin/python tests/typesetting_report.py fr-city-practical issues/2024-12
    .venv/bin/python tests/typesetting_report.py --held-out      # issue 31's three

Every edition of each issue, in both layouts, web and print, is built into
``build/typesetting/`` and measured; one line per edition, then the totals.
``--json FILE`` writes the figures for a later comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import emn_pdf

sys.path.insert(0, str(Path(__file__).parent))
from typesetting import Typesetting, measure

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
#: The corpus issues written for issue 31 and kept out of tuning.
HELD_OUT = ("de-interview-compounds", "fr-city-practical", "en-lists-guide")
LAYOUTS = ("emn", "bulletin")


def issues(names: list[str], held_out: bool) -> list[Path]:
    """The issue folders named, or the held-out ones, or the sample and the
    corpus but the held-out issues."""
    if names:
        return [Path(name) if "/" in name else CORPUS / name for name in names]
    if held_out:
        return [CORPUS / name for name in HELD_OUT]
    corpus = sorted(
        p for p in CORPUS.iterdir() if p.is_dir() and p.name not in HELD_OUT
    )
    return [ROOT / "issues" / "2024-12", *corpus]


def measured(issue: Path, layout: str, out: Path) -> list[tuple[str, Typesetting]]:
    """Build every edition and target of ``issue`` in ``layout``; measure each."""
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue, lang="all", target="all", layout=layout,
        out_dir=out / layout / issue.name, on_built=reports.append,
    )  # fmt: skip
    return [
        (f"{issue.name} {report.language} {layout} {report.target}",
         measure(report.path, report.language))
        for report in reports
        if report.path is not None and report.path.suffix == ".pdf"
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("issues", nargs="*")
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--layout", choices=LAYOUTS)
    parser.add_argument("--json", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    arguments = parser.parse_args()
    out = ROOT / "build" / "typesetting"
    rows: dict[str, dict[str, object]] = {}
    total = {"lines": 0, "loose": 0, "stray": 0, "parted": 0, "cuts": 0}
    for issue in issues(arguments.issues, arguments.held_out):
        for layout in [arguments.layout] if arguments.layout else LAYOUTS:
            for name, figures in measured(issue, layout, out):
                rows[name] = figures.summary()
                print(
                    f"{name:48} " + "  ".join(f"{k} {v}" for k, v in rows[name].items())
                )
                if arguments.verbose:
                    for kind in ("stray", "parted", "page_cuts"):
                        for each in getattr(figures, kind):
                            print(f"    {kind}: {each}")
                total["lines"] += figures.body_lines
                total["loose"] += len(figures.loose)
                total["stray"] += len(figures.stray)
                total["parted"] += len(figures.parted)
                total["cuts"] += len(figures.page_cuts)
    share = total["loose"] / max(total["lines"], 1)
    print(f"total: {len(rows)} editions, {total['lines']} body lines, loose {share:.1%}"
          f" ({total['loose']}), stray {total['stray']}, parted {total['parted']},"
          f" page cuts {total['cuts']}")  # fmt: skip
    if arguments.json:
        arguments.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
