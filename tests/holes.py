"""Measure page makeup on the rendered pages: holes, splits, last page, crops.

Issue 30 judges page makeup on what a reader sees, not on the fill makeup
computes for itself (which did not see a blank beside or under a module).
For one built edition this module measures:

- **holes**: each made-up page is rasterised (``pdftoppm``, 50 dpi); in each
  column of the layout's grid (page size, margins, columns and gap from the
  layout's theme), the longest run of blank rows from the body's top down to
  the page's lowest ink in the body, as a share of the body height.  A page
  *has a hole* when some column has a blank run of ``HOLE`` (15 %) or more.
  Those runs stop at the lowest ink, so a page whose columns all end high
  (a one-column page always) is also measured by the blank under its
  lowest ink: a page but the last *ends short* when that is ``HOLE`` or more;
- **short splits**: the blocks shorter than a column that were split
  (``W110`` findings, with their page);
- **last-page fill**: the last made-up page's lowest ink, as a share of its
  body height;
- **W111**: the pages ``W111`` names, and whether they are the pages with a
  hole or ending short (the last page apart: W111 judges it by its fill);
- **crops**: read from the PDF's drawing (image placement and clip), never
  from the HTML: for each picture of the issue drawn on a page, the share of
  its width and of its height inside the clip that the page draws it in.  A
  raster picture is the image XObject drawn (its unit square under the
  matrix); an SVG picture is WeasyPrint's drawing of the file's view box
  (the root ``<svg>`` scale after the translation of its box).  Pictures are
  told apart by their proportions; two of the same proportions are taken in
  the issue's order.

The findings come from the build's report (the same findings
``emn-pdf check --format json`` prints).  ``scripts/measure_makeup.py`` runs
it from the command line; ``tests/heldout/README.md`` has the first figures.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
import yaml
from PIL import Image

import emn_pdf
from emn_pdf.issue.errors import Finding
from emn_pdf.layout.layouts import Theme, find_layout, millimetres, paper_size
from emn_pdf.output.pdfwalk import IDENTITY, Matrix, multiply

#: A blank run of this share of the body height, in some column, is a hole.
HOLE = 0.15
#: A last page at least this full (or an edition of one page) is accepted.
LAST_PAGE_FILL = 0.35
#: Resolution the pages are rasterised at to find holes.
DPI = 50
#: A pixel darker than this (0-255 grey) is ink; a card's tint is ink too.
PAPER = 250
#: The body ends this far above the bottom margin, in mm: the bulletin
#: layout's footer rule is drawn half a millimetre inside it.
FOOT_RULE = 1.0
MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / 25.4
#: Proportions of a drawn picture and of its file match within this.
RATIO_TOLERANCE = 0.02
#: A crop this close to its limit is at the limit (the engine rounds sizes).
CROP_TOLERANCE = 0.01


@dataclass(frozen=True)
class CropLimits:
    """The least share of a picture's height and width a page may show.

    From the README's page makeup: a column picture may be 0.7-1.4 of its
    height (at 1.4 its sides are cropped: 1/1.4 of its width is shown), a
    band 0.5-1.3; a picture that is scaled or shown whole (a chart, a
    cover, ``crop: never``, the pictures in a row) is never cropped.
    """

    picture: tuple[float, float] = (0.7, 1 / 1.4)  # height, width
    band: tuple[float, float] = (0.5, 1 / 1.3)
    whole: tuple[float, float] = (0.99, 0.99)

    def of(self, role: str) -> tuple[float, float]:
        """Return the least height and width shares for a picture's role."""
        return {"picture": self.picture, "band": self.band}.get(role, self.whole)


LIMITS = CropLimits()


# -- The grid of a layout, on a page ------------------------------------------


@dataclass(frozen=True)
class Grid:
    """The body and its columns on the trimmed page, in millimetres."""

    width: float
    height: float
    top: float
    bottom: float  # where the body ends, from the top edge
    columns: tuple[tuple[float, float], ...]  # each column's left and right

    @classmethod
    def of(cls, theme: Theme) -> Grid:
        """Return the grid a layout's theme sets: page, margins, columns, gap."""
        width, height = paper_size(theme.page.size)
        side, gap = millimetres(theme.page.side), millimetres(theme.type.gap)
        count = theme.columns
        column = (width - 2 * side - (count - 1) * gap) / count
        lefts = [side + index * (column + gap) for index in range(count)]
        top, bottom = millimetres(theme.page.top), millimetres(theme.page.bottom)
        return cls(
            width,
            height,
            top,
            height - bottom,
            tuple((left, left + column) for left in lefts),
        )


def layout_grid(layout: str) -> Grid:
    """Return the grid of a built-in layout (by name) or a layout folder."""
    return Grid.of(find_layout(layout).theme)


# -- Holes, on the rasterised pages --------------------------------------------


@dataclass(frozen=True)
class PageHoles:
    """One made-up page: the longest blank run of each column, and its foot."""

    number: int  # from 1
    runs: tuple[float, ...]  # by column, share of the body height
    lowest: float  # the lowest ink in the body, share of the body height

    @property
    def worst(self) -> float:
        """Return the longest blank run of any column of the page."""
        return max(self.runs, default=0.0)

    @property
    def has_hole(self) -> bool:
        """Tell whether some column has a blank run of ``HOLE`` or more."""
        return self.worst >= HOLE

    @property
    def short_by(self) -> float:
        """Return the blank under the page's lowest ink, share of the body."""
        return 1.0 - self.lowest

    @property
    def ends_short(self) -> bool:
        """Tell whether every column ends ``HOLE`` or more above the foot.

        The blank runs stop at the page's lowest ink (a last page is not
        judged by its empty foot), so a page whose columns all end high, as
        a one-column page does, has no hole in them: this says it.
        """
        return self.short_by >= HOLE


def ink_rows(
    image: Image.Image, left: int, right: int, top: int, bottom: int
) -> list[bool]:
    """Return, for each pixel row of the box, whether it holds any ink."""
    mask = image.convert("L").crop((left, top, right, bottom))
    mask = mask.point(lambda grey: 255 if grey < PAPER else 0)
    data, width = mask.tobytes(), right - left
    return [
        max(data[row * width : (row + 1) * width], default=0) > 0
        for row in range(bottom - top)
    ]


def longest_blank(rows: list[bool]) -> int:
    """Return the longest run of rows without ink."""
    longest = current = 0
    for inked in rows:
        current = 0 if inked else current + 1
        longest = max(longest, current)
    return longest


def page_holes(
    image: Image.Image, trim: tuple[float, float], grid: Grid, number: int
) -> PageHoles:
    """Measure one rasterised page; ``trim`` is the trimmed page's top left, in px."""
    scale = DPI / MM_PER_INCH

    def px(x_mm: float, origin: float) -> int:
        return round(origin + x_mm * scale)

    top, bottom = px(grid.top, trim[1]), px(grid.bottom - FOOT_RULE, trim[1])
    body = ink_rows(
        image,
        px(grid.columns[0][0], trim[0]),
        px(grid.columns[-1][1], trim[0]),
        top,
        bottom,
    )
    foot = max((row for row, inked in enumerate(body) if inked), default=-1) + 1
    runs = tuple(
        longest_blank(
            ink_rows(image, px(left, trim[0]), px(right, trim[0]), top, top + foot)
        )
        / (bottom - top)
        for left, right in grid.columns
    )
    return PageHoles(number, runs, foot / (bottom - top))


def trim_origins(pdf_path: Path, pages: int) -> list[tuple[float, float]]:
    """Return each page's trim box top left, in pixels of a ``DPI`` raster.

    A print page carries bleed and crop marks around its trim box; a web page
    is its own trim box.
    """
    scale = DPI / 72
    with pikepdf.open(pdf_path) as pdf:
        origins = []
        for page in list(pdf.pages)[:pages]:
            media, trim = page.mediabox, page.trimbox
            origins.append(
                (
                    (float(trim[0]) - float(media[0])) * scale,
                    (float(media[3]) - float(trim[3])) * scale,
                )
            )
    return origins


def measure_holes(pdf_path: Path, grid: Grid, pages: int) -> list[PageHoles]:
    """Rasterise the first ``pages`` pages and measure each one's holes."""
    origins = trim_origins(pdf_path, pages)
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(DPI),
                "-png",
                "-l",
                str(pages),
                str(pdf_path),
                str(prefix),
            ],
            check=True,
        )
        images = sorted(Path(folder).glob("page-*.png"))
        return [
            page_holes(Image.open(path), origin, grid, number)
            for number, (path, origin) in enumerate(
                zip(images, origins, strict=True), 1
            )
        ]


# -- Crops, from the PDF's drawing ---------------------------------------------


@dataclass(frozen=True)
class Picture:
    """A picture of the issue: its file, its proportions and its role."""

    src: str
    width: float
    height: float
    role: str  # "picture" (cropped in a column), "band", or "whole"

    @property
    def ratio(self) -> float:
        """Return its width over its height."""
        return self.width / self.height


@dataclass(frozen=True)
class Crop:
    """A picture drawn on a page, and the share of it the page shows."""

    page: int
    picture: Picture
    width: float  # share of its width shown
    height: float  # share of its height shown

    @property
    def beyond_limits(self) -> bool:
        """Tell whether the page shows less of it than its role allows."""
        least_height, least_width = LIMITS.of(self.picture.role)
        return (
            self.height < least_height - CROP_TOLERANCE
            or self.width < least_width - CROP_TOLERANCE
        )


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def issue_pictures(edition_file: Path) -> list[Picture]:
    """Return the pictures an edition shows, in its order, with their roles."""
    data = yaml.safe_load(edition_file.read_text(encoding="utf-8"))
    issue_dir = edition_file.parent
    found = []
    for block in (b for s in data.get("sections", []) for b in s.get("blocks", [])):
        for key, image in _block_images(block):
            path = issue_dir / image["src"]
            if path.is_file():
                width, height = picture_size(path)
                found.append(
                    Picture(image["src"], width, height, _role(block, key, image))
                )
    return found


def _block_images(block: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for key in ("image", "cover"):
        if isinstance(block.get(key), dict):
            yield key, block[key]
    for image in block.get("images", []):
        yield "images", image


def _role(block: dict[str, Any], key: str, image: dict[str, Any]) -> str:
    """Return how makeup may crop a picture: as a column picture, a band, or not."""
    if key != "image" or block.get("kind") == "figure" or image.get("crop") == "never":
        return "whole"
    return "band" if image.get("fit") in ("page-width", "full-bleed") else "picture"


def picture_size(path: Path) -> tuple[float, float]:
    """Return a picture's intrinsic width and height (an SVG's view box)."""
    if path.suffix.lower() != ".svg":
        with Image.open(path) as image:
            return float(image.width), float(image.height)
    root = ElementTree.parse(path).getroot()
    if view_box := root.get("viewBox"):
        _, _, width, height = (float(v) for v in re.split(r"[\s,]+", view_box.strip()))
        return width, height
    return _svg_length(root.get("width")), _svg_length(root.get("height"))


def _svg_length(value: str | None) -> float:
    match = re.match(r"[\d.]+", value or "")
    return float(match.group()) if match else 1.0


def box_under(matrix: Matrix, x0: float, y0: float, x1: float, y1: float) -> Box:
    """Return the bounding box of a rectangle mapped by ``matrix``."""
    a, b, c, d, e, f = matrix
    points = [
        (a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)
    ]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def intersect(first: Box, second: Box) -> Box:
    """Return the common part of two boxes (empty: zero width or height)."""
    x0, y0 = max(first[0], second[0]), max(first[1], second[1])
    x1, y1 = min(first[2], second[2]), min(first[3], second[3])
    return x0, y0, max(x0, x1), max(y0, y1)


EVERYWHERE: Box = (-1e9, -1e9, 1e9, 1e9)
PATH_OPERATORS = {"re", "m", "l", "c", "v", "y"}
PAINT_OPERATORS = {"n", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*"}


@dataclass
class _State:
    """The graphics state the walker follows: matrix and clip, and the path."""

    ctm: Matrix = IDENTITY
    clip: Box = EVERYWHERE
    stack: list[tuple[Matrix, Box]] = field(default_factory=list)
    path: list[tuple[float, float]] = field(default_factory=list)
    clipping: bool = False
    previous: Matrix | None = None  # the last ``cm``, to find an SVG's root


@dataclass(frozen=True)
class Drawn:
    """A picture drawn: its unit (image) or view-box scale, and its clip."""

    page: int
    ctm: Matrix  # maps the image's unit square, or the SVG's user space
    clip: Box
    pixels: tuple[int, int] | None = None  # a raster image's width and height


def drawn_pictures(pdf_path: Path, pages: int) -> list[Drawn]:
    """Return every raster image and every SVG root drawn on the first pages."""
    with pikepdf.open(pdf_path) as pdf:
        found: list[Drawn] = []
        for number, page in enumerate(list(pdf.pages)[:pages], 1):
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            found += _walk(page.obj, xobjects, number)
        return found


def _walk(owner: Any, xobjects: Any, page: int) -> Iterator[Drawn]:
    """Follow a page's drawing to each picture, with the clip it is drawn in."""
    state = _State()
    for instruction in pikepdf.parse_content_stream(owner):
        name, operands = str(instruction.operator), instruction.operands
        if name == "Do" and operands[0] in xobjects:
            image = xobjects[operands[0]]
            if image.get("/Subtype") == "/Image":
                pixels = (int(image.Width), int(image.Height))
                yield Drawn(page, state.ctm, state.clip, pixels)
        elif name == "cm":
            matrix: Matrix = tuple(float(v) for v in operands)  # type: ignore[assignment]
            if _svg_root(state.previous, matrix):
                yield Drawn(page, multiply(matrix, state.ctm), state.clip)
            state.ctm, state.previous = multiply(matrix, state.ctm), matrix
            continue
        else:
            _follow(state, name, operands)
        state.previous = None


def _svg_root(previous: Matrix | None, matrix: Matrix) -> bool:
    """Tell whether a ``cm`` is the view-box scale WeasyPrint sets on an SVG.

    It draws an SVG's root as ``1 0 0 1 0 0 cm`` (its x and y) then
    ``s 0 0 s tx ty cm`` (the view box scaled to the box).
    """
    return previous == IDENTITY and matrix[1] == matrix[2] == 0


def _follow(state: _State, name: str, operands: Any) -> None:
    """Follow the state through one instruction that draws no picture."""
    if name == "q":
        state.stack.append((state.ctm, state.clip))
    elif name == "Q" and state.stack:
        state.ctm, state.clip = state.stack.pop()
    elif name in PATH_OPERATORS:
        values = [float(v) for v in operands]
        if name == "re":
            x, y, w, h = values
            values = [x, y, x + w, y + h]
        a, b, c, d, e, f = state.ctm
        state.path += [
            (a * x + c * y + e, b * x + d * y + f)
            for x, y in zip(values[::2], values[1::2], strict=False)
        ]
    elif name in ("W", "W*"):
        state.clipping = True
    elif name in PAINT_OPERATORS:
        if state.clipping and state.path:
            xs, ys = [p[0] for p in state.path], [p[1] for p in state.path]
            state.clip = intersect(state.clip, (min(xs), min(ys), max(xs), max(ys)))
        state.path, state.clipping = [], False


def crops(pdf_path: Path, pages: int, pictures: list[Picture]) -> list[Crop]:
    """Return the share shown of each of the issue's pictures drawn on a page."""
    used: set[int] = set()
    found = []
    for drawn in drawn_pictures(pdf_path, pages):
        match = _match(drawn, pictures, used)
        if match is not None:
            index, shown = match
            used.add(index)
            found.append(Crop(drawn.page, pictures[index], *shown))
    return found


def _match(
    drawn: Drawn, pictures: list[Picture], used: set[int]
) -> tuple[int, tuple[float, float]] | None:
    """Return the picture ``drawn`` can be, and the share shown.

    A raster image is matched by its proportions; an SVG root by the view
    box of the same proportions that, so scaled, fills its clip in one
    direction at least (as ``object-fit`` sets it).  Of several (two charts
    800 units wide), the unused one shown most whole: the first would read
    a whole chart of 800 by 460 as one of 800 by 500 cut to 92 %.
    """
    found = list(_candidates(drawn, pictures))
    unused = [each for each in found if each[0] not in used] or found
    best = max(unused, key=lambda each: each[2], default=None)
    return None if best is None else best[:2]


def _candidates(
    drawn: Drawn, pictures: list[Picture]
) -> Iterator[tuple[int, tuple[float, float], tuple[float, float]]]:
    """Yield each picture ``drawn`` can be, the share of it shown, and a rank.

    The rank: how whole it is shown, then how much of its clip it covers
    (a chart 800 by 460 drawn in a clip of its shape is shown whole as one
    of 800 by 500 would be, but covers only 92 % of it).
    """
    for index in range(len(pictures)):
        picture = pictures[index]
        if drawn.pixels is not None:
            if picture.src.lower().endswith(".svg"):
                continue
            width, height = drawn.pixels
            if abs(width / height / picture.ratio - 1) > RATIO_TOLERANCE:
                continue
            box = box_under(drawn.ctm, 0, 0, 1, 1)
        else:
            if not picture.src.lower().endswith(".svg"):
                continue
            box = box_under(drawn.ctm, 0, 0, picture.width, picture.height)
            if not _fills_clip(box, drawn.clip):
                continue
        shown = _shown(box, drawn.clip)
        rank = (round(shown[0] * shown[1], 3), round(_covered(box, drawn.clip), 3))
        yield index, shown, rank


def _fills_clip(box: Box, clip: Box, tolerance: float = 1.0) -> bool:
    """Tell whether ``box`` spans ``clip`` exactly across or down."""
    across = abs((box[2] - box[0]) - (clip[2] - clip[0])) <= tolerance
    down = abs((box[3] - box[1]) - (clip[3] - clip[1])) <= tolerance
    return across or down


def _covered(box: Box, clip: Box) -> float:
    """Return the share of ``clip``'s area that ``box`` covers."""
    seen = intersect(box, clip)
    area = (clip[2] - clip[0]) * (clip[3] - clip[1])
    return (seen[2] - seen[0]) * (seen[3] - seen[1]) / area if area else 0.0


def _shown(box: Box, clip: Box) -> tuple[float, float]:
    """Return the shares of ``box``'s width and height inside ``clip``."""
    seen = intersect(box, clip)
    width, height = box[2] - box[0], box[3] - box[1]
    return (seen[2] - seen[0]) / width, (seen[3] - seen[1]) / height


# -- One edition, measured ------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """What the measure found in one edition, target and layout."""

    issue: str
    language: str
    layout: str
    target: str
    pages: list[PageHoles]
    short_splits: list[int]  # the pages of each W110
    w111: list[int]  # the pages W111 names
    crops: list[Crop]
    w111_why: list[str]  # what each W111 says holds the hole back, in order
    errors: list[str]  # E codes, each with its page

    @property
    def holed(self) -> list[PageHoles]:
        """Return the pages but the last that have a hole."""
        return [page for page in self.pages[:-1] if page.has_hole]

    @property
    def short(self) -> list[PageHoles]:
        """Return the pages but the last whose every column ends short."""
        return [page for page in self.pages[:-1] if page.ends_short]

    @property
    def last_page_fill(self) -> float:
        """Return how far down the last made-up page is inked, 0-1."""
        return self.pages[-1].lowest if self.pages else 0.0

    @property
    def beyond_limits(self) -> list[Crop]:
        """Return the crops that show less than the picture's role allows."""
        return [crop for crop in self.crops if crop.beyond_limits]

    @property
    def w111_agreement(self) -> tuple[int, int, int]:
        """Return, over pages but the last: holes W111 names, holes it misses,
        and pages W111 names that have no hole (a page that ends short has
        one, under its columns)."""
        holes = {page.number for page in self.holed + self.short}
        named = {n for n in self.w111 if self.pages and n < len(self.pages)}
        return len(holes & named), len(holes - named), len(named - holes)


def issue30_failures(measured: Measured) -> list[str]:
    """Return what issue 30's targets still find wrong in an edition.

    No page but the last with a hole or ending short; no block shorter than its column
    split; a last page ``LAST_PAGE_FILL`` full, or a one-page edition; W111
    on exactly the pages with a hole; no crop beyond the limits.  The tests
    report these today and will assert them once makeup reaches them.
    """
    failures = [
        f"page {page.number}: a blank of {page.worst:.0%} of the body"
        for page in measured.holed
    ]
    failures += [
        f"page {page.number}: ends {page.short_by:.0%} of the body short"
        for page in measured.short
    ]
    failures += [
        f"page {page}: a short block split (W110)" for page in measured.short_splits
    ]
    if len(measured.pages) > 1 and measured.last_page_fill < LAST_PAGE_FILL:
        failures.append(f"last page {measured.last_page_fill:.0%} full")
    _, missed, extra = measured.w111_agreement
    if missed or extra:
        failures.append(
            f"W111 disagrees with the holes: {missed} missed, {extra} without a hole"
        )
    failures += [
        f"page {crop.page}: {crop.picture.src} shows {crop.width:.0%} of its width"
        f" and {crop.height:.0%} of its height ({crop.picture.role})"
        for crop in measured.beyond_limits
    ]
    return failures


def measure_report(
    issue_dir: Path, layout: str, report: emn_pdf.BuildReport
) -> Measured:
    """Measure the PDF a build report names, with the findings it carries."""
    assert report.path is not None, report.problems
    findings = report.findings
    pages = made_up_pages(findings) or report.pages
    edition_file = issue_dir / f"{report.language}.yaml"
    return Measured(
        issue=issue_dir.name,
        language=report.language,
        layout=layout,
        target=report.target,
        pages=measure_holes(report.path, layout_grid(layout), pages),
        short_splits=pages_of(findings, "W110"),
        w111=pages_of(findings, "W111"),
        crops=crops(report.path, pages, issue_pictures(edition_file)),
        w111_why=[
            finding.message.partition("): ")[2] or finding.message
            for finding in findings
            if finding.code == "W111"
        ],
        errors=[f"{f.code} page {f.page}" for f in findings if f.severity == "error"],
    )


def made_up_pages(findings: list[Finding]) -> int:
    """Return the pages makeup placed (I110), not a print edition's fillers."""
    for finding in findings:
        if finding.code == "I110" and finding.figures:
            return int(finding.figures["pages"])
    return 0


def pages_of(findings: list[Finding], code: str) -> list[int]:
    """Return the page of each finding of ``code``, in order."""
    return [finding.page or 0 for finding in findings if finding.code == code]


def measure(
    issue_dir: Path,
    layout: str,
    target: str,
    out_dir: Path,
    lang: str | None = None,
    jobs: int | None = None,
) -> list[Measured]:
    """Build an issue in a layout and target(s), and measure every edition."""
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue_dir, lang=lang, target=target, layout=layout, out_dir=out_dir,
        jobs=jobs, on_built=reports.append,
    )  # fmt: skip
    order = {"web": 0, "print": 1}  # the PDF targets: html and email have no pages
    reports = [report for report in reports if report.target in order]
    reports.sort(key=lambda r: (r.language, order[r.target]))
    return [measure_report(issue_dir, layout, report) for report in reports]
