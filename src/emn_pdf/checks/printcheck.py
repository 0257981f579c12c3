"""The print preflight: what a printer's tools check, read from the written PDF.

``preflight.py`` inspects the laid-out boxes; this module reads the file the
printer receives, as Acrobat, callas or PitStop would, so that it judges
what emn-pdf wrote and not what it meant to write.  Codes are stable:

- ``E121 device RGB``: a colour, image, gradient or group in an RGB space;
- ``E122 ink coverage``: an area above the profile's total area coverage
  (measured with Ghostscript, rendering the separations);
- ``W123 too many pixels``: a picture embedded above 450 ppi for its size;
- ``E124 page count``: not a multiple of four (sheets of a folded newsletter);
- ``E125 page boxes``: a page without trim and bleed boxes, or a bleed box
  not around the trim box;
- ``E126 font not embedded``: a font the printer would have to substitute;
- ``W127 text not in pure black``: text in a grey tint or four-colour black,
  which the press screens into dots or must register on four plates;
- ``W128 ink coverage not measured``: Ghostscript is not installed;
- ``E129 no bleed``: a background that touches the trim edge stops there
  rather than running 3 mm beyond it (read on the rendered page).

``E124`` is a summary: the build stops on it, and the other findings say
what went wrong on the pages.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image, ImageMath

from ..issue.errors import Finding
from ..machinery.jobs import FLAT_SHEET, PAGES_PER_SHEET, whole_sheets
from ..output.pdfwalk import Drawing, drawings, images, placements
from ..output.press import is_rgb

#: Above this, a picture carries pixels no press prints.
MAX_PPI = 450
#: Resolution the separations are rendered at to measure coverage.
COVERAGE_PPI = 50
#: What backgrounds touching the trim run beyond it (the layouts' bleed).
BLEED_MM = 3.0
#: A pixel carrying this much ink (of 255 for 400 %) is not paper: 10 %.
INKED = 6
#: A background short of the bleed along this much of an edge is reported.
MIN_GAP_MM = 3.0
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def check_print(path: Path, ink_limit: int = 300) -> list[Finding]:
    """Return what a printer's preflight would find in the PDF at ``path``."""
    with pikepdf.open(path) as pdf:
        streams = list(drawings(pdf))
        findings = [
            *_rgb_colours(streams),
            *_detailed_pictures(pdf),
            *_page_count(pdf),
            *_page_boxes(pdf),
            *_fonts_not_embedded(streams),
            *_tinted_text(streams),
        ]
    return findings + list(_rendered(path, ink_limit))


def rgb_uses(drawing: Drawing) -> Counter[str]:
    """Count what one content stream paints in RGB, by kind."""
    spaces = dict(drawing.resources.get("/ColorSpace", {}))
    found: Counter[str] = Counter()
    for instruction in drawing.instructions:
        operator = str(instruction.operator)
        if operator in ("rg", "RG"):
            found[f"{operator} operators"] += 1
        elif operator in ("cs", "CS"):
            name = instruction.operands[0]
            if is_rgb(spaces.get(name, name)):
                found["RGB colour spaces"] += 1
        elif operator == "INLINE IMAGE":
            found["inline images"] += 1
    found["images"] += sum(
        is_rgb(image.get("/ColorSpace")) for image in images(drawing.resources)
    )
    found["gradients"] += sum(
        is_rgb(shading.get("/ColorSpace")) for shading in _shadings(drawing.resources)
    )
    group = drawing.owner.get("/Group")
    found["transparency groups"] += group is not None and is_rgb(group.get("/CS"))
    return +found


def _shadings(resources: Any) -> Iterator[Any]:
    yield from dict(resources.get("/Shading", {})).values()
    for pattern in dict(resources.get("/Pattern", {})).values():
        if pattern.get("/PatternType") == 2:
            yield pattern.Shading


def _rgb_colours(streams: list[Drawing]) -> Iterator[Finding]:
    by_page: dict[int, Counter[str]] = {}
    for drawing in streams:
        by_page.setdefault(drawing.page, Counter()).update(rgb_uses(drawing))
    for page, found in sorted(by_page.items()):
        if found:
            what = ", ".join(f"{count} {kind}" for kind, count in sorted(found.items()))
            yield Finding("E121", f"device RGB: {what}", page=page)


def _detailed_pictures(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    for placement in placements(pdf):
        if placement.ppi > MAX_PPI:
            image = placement.image
            yield Finding(
                "W123",
                f"a {int(image.Width)}×{int(image.Height)} picture is embedded at"
                f" {placement.ppi:.0f} ppi, above {MAX_PPI}: more pixels than print",
                page=placement.page,
            )


def _page_count(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    count = len(pdf.pages)
    if not whole_sheets(count):
        yield Finding(
            "E124",
            f"{count} pages: a folded newsletter needs a multiple of"
            f" {PAGES_PER_SHEET} ({count + -count % PAGES_PER_SHEET} pages), a flat"
            f" sheet at most {FLAT_SHEET}",
        )


def _page_boxes(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    for number, page in enumerate(pdf.pages, start=1):
        if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj:
            yield Finding("E125", "no trim box or no bleed box", page=number)
            continue
        trim = [float(value) for value in page.obj.TrimBox]
        bleed = [float(value) for value in page.obj.BleedBox]
        media = [float(value) for value in page.obj.MediaBox]
        if not (_inside(trim, bleed) and _inside(bleed, media)):
            yield Finding(
                "E125",
                "the trim box is not inside the bleed and media boxes",
                page=number,
            )


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _fonts_not_embedded(streams: list[Drawing]) -> Iterator[Finding]:
    reported: set[str] = set()
    for drawing in streams:
        for font in dict(drawing.resources.get("/Font", {})).values():
            name = str(font.get("/BaseFont", "Type 3"))
            if not _embedded(font) and name not in reported:
                reported.add(name)
                yield Finding("E126", f"font {name} not embedded", page=drawing.page)


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor", {})
    return any(key in descriptor for key in FONT_FILES)


def _tinted_text(streams: list[Drawing]) -> Iterator[Finding]:
    """Find text whose fill is dark enough to be black but not 100 % K."""
    for drawing in streams:
        colours = Counter(_text_colours(drawing))
        for colour, count in colours.items():
            if _black_but_not_pure(colour):
                inks = " ".join(f"{100 * ink:.0f}" for ink in colour)
                yield Finding(
                    "W127",
                    f"{count} texts in C M Y K {inks} %, not 100 % black only",
                    page=drawing.page,
                )


def _text_colours(drawing: Drawing) -> Iterator[tuple[float, ...]]:
    """Yield the CMYK fill colour of each text-showing operator."""
    fill: tuple[float, ...] = (0.0, 0.0, 0.0, 1.0)
    stack = []
    for instruction in drawing.instructions:
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "q":
            stack.append(fill)
        elif operator == "Q" and stack:
            fill = stack.pop()
        elif operator in ("k", "sc", "scn") and len(operands) == 4:
            fill = tuple(float(value) for value in operands)
        elif operator in ("g", "sc", "scn") and len(operands) == 1:
            fill = (0.0, 0.0, 0.0, 1 - float(operands[0]))
        elif operator in TEXT_OPERATORS:
            yield fill


def _black_but_not_pure(colour: tuple[float, ...]) -> bool:
    cyan, magenta, yellow, black = colour
    coloured = max(cyan, magenta, yellow)
    tint = coloured == 0 and 0.5 <= black < 1
    rich = black >= 0.5 and coloured > 0 and coloured / black < 1
    return tint or rich


def _rendered(path: Path, limit: int) -> Iterator[Finding]:
    """Render the separations with Ghostscript; check each page's inks and bleed.

    Rendered to the bleed box, as the press prints before the cutter: an
    area above ``limit`` is E122, a background stopping at the trim E129.
    """
    ghostscript = shutil.which("gs")
    if ghostscript is None:
        yield Finding("W128", "ink coverage not measured: Ghostscript (gs) is missing")
        return
    with tempfile.TemporaryDirectory(prefix="emn-pdf-ink-") as folder:
        output = Path(folder) / "page-%d.tif"
        subprocess.run(
            [
                ghostscript,
                "-q",
                "-dSAFER",
                "-dBATCH",
                "-dNOPAUSE",
                "-sDEVICE=tiff32nc",
                f"-r{COVERAGE_PPI}",
                "-dUseBleedBox",
                f"-sOutputFile={output}",
                str(path),
            ],
            check=True,
            capture_output=True,
        )
        for number in range(1, len(list(Path(folder).iterdir())) + 1):
            page = Path(folder) / f"page-{number}.tif"
            coverage = page_coverage(page)
            if coverage > limit:
                yield Finding(
                    "E122",
                    f"{coverage:.0f} % ink in places, above the profile's {limit} %",
                    page=number,
                )
            for edge in bleed_shortfalls(page, COVERAGE_PPI):
                yield Finding(
                    "E129",
                    f"a background touching the {edge} trim edge stops there:"
                    f" it must run {BLEED_MM:g} mm beyond it, into the bleed",
                    page=number,
                )


def page_coverage(separations: Path) -> float:
    """Return the highest total of the four inks on a CMYK page, in percent."""
    with Image.open(separations) as page:
        cyan, magenta, yellow, black = page.split()
        total = ImageMath.lambda_eval(
            lambda ink: ink["c"] + ink["m"] + ink["y"] + ink["k"],
            c=cyan,
            m=magenta,
            y=yellow,
            k=black,
        )
        return float(total.getextrema()[1]) * 100 / 255


def _total_ink(page: Image.Image) -> Image.Image:
    """Return a CMYK page's total ink per pixel, 0 to 255 for 0 to 400 %."""
    cyan, magenta, yellow, black = page.split()
    total: Image.Image = ImageMath.lambda_eval(
        lambda ink: (ink["c"] + ink["m"] + ink["y"] + ink["k"]) / 4,
        c=cyan,
        m=magenta,
        y=yellow,
        k=black,
    )
    return total.convert("L")


def bleed_shortfalls(
    separations: Path, ppi: int, bleed_mm: float = BLEED_MM
) -> list[str]:
    """Return the trim edges along which a background stops short of the bleed.

    ``separations`` is a page rendered to its bleed box: a pixel just inside
    the trim that carries ink, with paper where the bleed should run on, is a
    background the cutter would leave a white hair beside.
    """
    with Image.open(separations) as page:
        ink = _total_ink(page)
    width, height = ink.size
    bleed = round(bleed_mm / 25.4 * ppi)
    inside, outside = bleed + 1, 1
    lines = {
        "top": ((0, inside, width, inside + 1), (0, outside, width, outside + 1)),
        "bottom": (
            (0, height - inside - 1, width, height - inside),
            (0, height - outside - 1, width, height - outside),
        ),
        "left": ((inside, 0, inside + 1, height), (outside, 0, outside + 1, height)),
        "right": (
            (width - inside - 1, 0, width - inside, height),
            (width - outside - 1, 0, width - outside, height),
        ),
    }
    short = []
    for edge, (trim, beyond) in lines.items():
        pairs = zip(ink.crop(trim).tobytes(), ink.crop(beyond).tobytes(), strict=True)
        gaps = sum(at >= INKED and out < INKED for at, out in pairs)
        if gaps * 25.4 / ppi >= MIN_GAP_MM:
            short.append(edge)
    return short
