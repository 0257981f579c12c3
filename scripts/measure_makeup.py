"""Measure page makeup on the rendered pages of issues: holes, splits, crops.

Builds each issue in each layout and target given, then measures every
edition as ``tests/holes.py`` describes (blank runs in the layout's columns,
short blocks split, last-page fill, crops beyond the limits, W111 and
whether it names the pages with a hole), and prints one table per layout
and target::

    .venv/bin/python scripts/measure_makeup.py tests/heldout/en-two-page-digest \\
        issues/2024-12 --layout emn --layout bulletin --target all

Under each table, what holds its holes back: each reason ``W111`` gives (the
rule of page makeup that kept the next module from filling the hole), and on
how many pages, the last included.  ``--markdown`` prints the tables as
Markdown (``tests/heldout/README.md``).
The builds go to ``build/measure/<layout>/`` (and are kept up to date there).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import holes  # noqa: E402

COLUMNS = (
    "edition",
    "pages",
    "holes (page: blank)",
    "short pages (page: blank)",
    "short splits",
    "last page",
    "crops beyond limits",
    "W111",
    "W111 = holes",
)


def row(measured: holes.Measured) -> list[str]:
    """Return one edition's figures, as the table's cells."""
    found, missed, extra = measured.w111_agreement
    return [
        f"{measured.issue} {measured.language}",
        str(len(measured.pages)),
        ", ".join(f"{page.number}: {page.worst:.0%}" for page in measured.holed) or "–",
        ", ".join(f"{page.number}: {page.short_by:.0%}" for page in measured.short)
        or "–",
        ", ".join(f"p{page}" for page in measured.short_splits) or "0",
        f"{measured.last_page_fill:.0%}",
        crops_cell(measured.beyond_limits),
        ", ".join(f"p{page}" for page in measured.w111) or "0",
        "yes"
        if not (missed or extra)
        else f"{found} named, {missed} missed, {extra} extra",
    ]


def crops_cell(crops: list[holes.Crop]) -> str:
    """Return the crops beyond the limits: picture, page, share of width × height."""
    return (
        "; ".join(
            f"{Path(crop.picture.src).name} p{crop.page} {crop.width:.0%}×{crop.height:.0%}"
            for crop in crops
        )
        or "0"
    )


def totals(measured: list[holes.Measured]) -> list[str]:
    """Return the table's last row: the counts over its editions."""
    pages = sum(len(m.pages) for m in measured)
    holed = sum(len(m.holed) for m in measured)
    others = sum(len(m.pages) - 1 for m in measured)
    agree = sum(not any(m.w111_agreement[1:]) for m in measured)
    return [
        f"{len(measured)} editions",
        str(pages),
        f"{holed} of {others} pages but the last",
        str(sum(len(m.short) for m in measured)),
        str(sum(len(m.short_splits) for m in measured)),
        f"{sum(m.last_page_fill < holes.LAST_PAGE_FILL and len(m.pages) > 1 for m in measured)}"
        f" under {holes.LAST_PAGE_FILL:.0%}",
        str(sum(len(m.beyond_limits) for m in measured)),
        str(sum(len(m.w111) for m in measured)),
        f"{agree} of {len(measured)}",
    ]


def table(rows: list[list[str]], markdown: bool) -> str:
    """Return the rows under the column names, as Markdown or aligned text."""
    lines = [list(COLUMNS), *rows]
    if markdown:
        rule = ["---"] * len(COLUMNS)
        return "\n".join(
            "| " + " | ".join(cells) + " |" for cells in [lines[0], rule, *lines[1:]]
        )
    widths = [max(len(cells[i]) for cells in lines) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        for cells in lines
    )


def reasons(measured: list[holes.Measured], markdown: bool) -> str:
    """Return how many pages each reason W111 gives holds a hole back on."""
    counted = Counter(why for each in measured for why in each.w111_why)
    if not counted:
        return ""
    lines = [f"{count} × {why}" for why, count in counted.most_common()]
    bullet = "- " if markdown else "  "
    return "\nWhat W111 says holds them back:\n\n" + "\n".join(
        bullet + line for line in lines
    )


def measure_all(
    issues: Iterable[Path], layouts: list[str], target: str, out: Path, lang: str | None
) -> dict[tuple[str, str], list[holes.Measured]]:
    """Build and measure every issue in every layout; group by layout and target."""
    grouped: dict[tuple[str, str], list[holes.Measured]] = {}
    for issue in issues:
        for layout in layouts:
            folder = out / Path(layout).name
            for measured in holes.measure(issue, layout, target, folder, lang=lang):
                grouped.setdefault((layout, measured.target), []).append(measured)
    return grouped


def main(argv: list[str] | None = None) -> None:
    """Measure the issues given and print a table per layout and target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issues", nargs="+", type=Path, metavar="ISSUE_DIR")
    parser.add_argument(
        "--layout", action="append", help="a built-in name or a folder (repeatable)"
    )
    parser.add_argument("--target", default="all", choices=["web", "print", "all"])
    parser.add_argument("--lang", default=None, help="one edition (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "measure")
    parser.add_argument("--markdown", action="store_true", help="Markdown tables")
    args = parser.parse_args(argv)
    grouped = measure_all(
        args.issues, args.layout or ["emn"], args.target, args.out, args.lang
    )
    for (layout, target), measured in grouped.items():
        print(f"\n{'### ' if args.markdown else ''}{layout}, {target}\n")
        print(table([*map(row, measured), totals(measured)], args.markdown))
        print(reasons(measured, args.markdown))
        for each in measured:
            if each.errors:
                print(
                    f"\nerrors in {each.issue} {each.language}: {', '.join(each.errors)}"
                )


if __name__ == "__main__":
    main()
