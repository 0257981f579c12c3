"""Measure issues' editions as a printer and a reader would: the figures of issue 32.

For each issue, layout and target it builds the edition and reports, one row
each: the pages (and, in print, the filler pages added to whole sheets), the
smallest text size, the contact channels a reader finds (a link on the web
edition inside its page, a QR code that decodes to it in print), the largest
ink coverage and the page edges where a background stops short of the bleed.
An edition that does not build gives the codes that stopped it.

    .venv/bin/python scripts/print_figures.py issues/2024-12 tests/corpus/de-verein-kontakte
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
import yaml
import zxingcpp
from PIL import Image

import emn_pdf
from emn_pdf.checks.printcheck import bleed_shortfalls, page_coverage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from pdfcheck import type_sizes

LAYOUTS = ("emn", "bulletin")
TARGETS = ("web", "print")
MIN_TEXT_PT = 6.0


def contact_channels(edition: Path) -> list[str]:
    """Return the addresses of the edition's contact block, as links name them."""
    data = yaml.safe_load(edition.read_text(encoding="utf-8"))
    found = []
    for section in data["sections"]:
        for block in section["blocks"]:
            if block.get("kind") != "contact":
                continue
            found += [block[name] for name in ("website",) if name in block]
            found += [f"mailto:{block['email']}"] if "email" in block else []
            if "phone" in block:
                found.append("tel:" + re.sub(r"[^+0-9]", "", block["phone"]))
            found += [account["url"] for account in block.get("social", [])]
    return found


def smallest_text(pdf: Path) -> float:
    """Return the smallest font size, in points, of any character, by MuPDF."""
    return round(min(type_sizes(pdf), default=0.0), 2)


def web_links_inside(pdf: Path) -> set[str]:
    """Return the URIs of link annotations whose rectangle lies on their page."""
    inside = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            box = [float(value) for value in page.obj.MediaBox]
            for annotation in page.obj.get("/Annots", []):
                action = annotation.get("/A")
                if action is None or "/URI" not in action:
                    continue
                x0, y0, x1, y1 = (float(value) for value in annotation.Rect)
                if box[0] <= x0 and x1 <= box[2] and box[1] <= y0 and y1 <= box[3]:
                    inside.add(str(action.URI))
    return inside


def qr_addresses(pdf: Path, dpi: int = 300) -> set[str]:
    """Return what every QR code of the print edition decodes to."""
    found = set()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(pdf), f"{folder}/page"],
            check=True,
        )
        for image in sorted(Path(folder).glob("*.png")):
            found |= {
                result.text for result in zxingcpp.read_barcodes(Image.open(image))
            }
    return found


def ink_and_bleed(pdf: Path) -> tuple[float, list[str]]:
    """Return the highest ink coverage and the edges short of the bleed."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "page-%d.tif"
        subprocess.run(
            [
                shutil.which("gs") or "gs",
                "-q",
                "-dSAFER",
                "-dBATCH",
                "-dNOPAUSE",
                "-sDEVICE=tiff32nc",
                "-r100",
                "-dUseBleedBox",
                f"-sOutputFile={output}",
                str(pdf),
            ],
            check=True,
        )
        highest, short = 0.0, []
        for number, page in enumerate(sorted(Path(folder).glob("*.tif")), start=1):
            highest = max(highest, page_coverage(page))
            short += [f"p{number} {edge}" for edge in bleed_shortfalls(page, 100)]
    return round(highest), short


def measure(issue: Path, layout: str, target: str, out: Path) -> str:
    """Build one edition and return its row of figures."""
    reports: list[emn_pdf.BuildReport] = []
    try:
        emn_pdf.build(
            issue, layout=layout, target=target, out_dir=out, on_built=reports.append
        )
    except emn_pdf.UserError as error:
        codes = sorted({problem.message.split(" ")[0] for problem in error.problems})
        return f"FAILS ({'; '.join(p.message[:90] for p in error.problems)}) {codes}"
    rows = []
    for report in reports:
        assert report.path is not None
        content = [f.figures["pages"] for f in report.findings if f.figures]
        fillers = report.pages - content[0] if content and target == "print" else 0
        errors = sorted({f.code for f in report.findings if f.severity == "error"})
        channels = contact_channels(issue / f"{report.language}.yaml")
        if target == "web":
            seen = web_links_inside(report.path)
        else:
            seen = qr_addresses(report.path)
        missing = [channel for channel in channels if channel not in seen]
        row = (
            f"{report.language}: {report.pages} pages, {fillers} filler,"
            f" smallest text {smallest_text(report.path)} pt,"
            f" channels {len(channels) - len(missing)}/{len(channels)}"
        )
        if missing:
            row += f" (missing {', '.join(missing)})"
        if target == "print":
            ink, short = ink_and_bleed(report.path)
            row += f", ink {ink} %, short of bleed: {', '.join(short) or 'none'}"
        row += f", errors {errors or 'none'}"
        rows.append(row)
    return " | ".join(rows)


def main() -> None:
    """Print the figures of every issue given, in both layouts and targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issues", nargs="+", type=Path)
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--targets", default=",".join(TARGETS))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for issue in options.issues:
            for layout in options.layouts.split(","):
                for target in options.targets.split(","):
                    out = Path(folder) / f"{issue.name}-{layout}"
                    row = measure(issue, layout, target, out)
                    print(f"{issue.name} {layout} {target}: {row}", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
