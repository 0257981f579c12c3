"""Read a PDF the way its user sees it: text, links, fonts, metadata.

One place for PDF inspection, so that tests say what they check and not how
pypdf and pdfium are driven.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import subprocess
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium

MM = 72 / 25.4
#: The page body ends this far above the bottom edge; below is the footer.
FOOTER_HEIGHT = 18 * MM


def page_count(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


def body_text(path: Path) -> str:
    """Text of every page without the running footer, pages joined in order."""
    return "\n".join(body_texts(path))


def body_texts(path: Path) -> list[str]:
    """Text of each page without the running footer."""
    document = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in document:
            width, height = page.get_size()
            texts.append(
                page.get_textpage().get_text_bounded(0, FOOTER_HEIGHT, width, height)
            )
        return texts
    finally:
        document.close()


def page_texts(path: Path) -> list[str]:
    """Whole text of each page, footer included."""
    document = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def normalise(text: str) -> str:
    """Fold text to its letters and digits, so that layout does not matter.

    Line breaks, hyphenation, quotes, dashes, case and compatibility forms
    (the superscript in "6ᵉ") are what typesetting changes; words are not.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def link_uris(path: Path) -> list[str]:
    """Every URI of a link annotation, page by page, in order."""
    uris = []
    for page in pypdf.PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    return uris


def fonts(path: Path) -> dict[str, bool]:
    """Base font names used on the pages, with whether each is embedded."""
    found: dict[str, bool] = {}
    for page in pypdf.PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            embedded = font["/Subtype"] == "/Type3" or (
                descriptor is not None
                and any(
                    key in descriptor.get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
            )
            found[name] = found.get(name, True) and embedded
    return found


def metadata(path: Path) -> dict[str, str]:
    reader = pypdf.PdfReader(path)
    info = {
        key.lstrip("/"): str(value) for key, value in (reader.metadata or {}).items()
    }
    info["Lang"] = str(reader.trailer["/Root"].get("/Lang", ""))
    return info


def structure(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Structure elements in reading order: tag and attributes (``Alt``...)."""
    return [(element.tag, element.attributes) for element in structure_elements(path)]


@dataclass
class Element:
    """A structure element as an assistive technology meets it."""

    tag: str
    attributes: dict[str, str]  # Alt, ActualText, Lang
    ancestors: tuple[str, ...]  # tags from the root down
    content: int  # marked content, annotations and elements it holds
    bbox: list[float] | None  # a figure's layout box, if any
    page_box: list[float] | None  # the MediaBox of its page
    marked: list[tuple[int, int]]  # its own marked content: (page index, MCID)


def structure_elements(path: Path) -> list[Element]:
    """Every structure element, in reading order."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        found: list[Element] = []
        if root is not None:
            _walk_structure(root, (), pages, found)
        return found


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _walk_structure(
    node: pikepdf.Object,
    ancestors: tuple[str, ...],
    pages: dict[tuple[int, int], int],
    found: list[Element],
) -> None:
    for kid in _kids(node):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            attributes = {
                key[1:]: str(kid[key])
                for key in ("/Alt", "/ActualText", "/Lang")
                if key in kid
            }
            layout = kid.get("/A")
            bbox = (
                layout.get("/BBox") if isinstance(layout, pikepdf.Dictionary) else None
            )
            page = kid.get("/Pg")
            found.append(
                Element(
                    str(kid.S)[1:],
                    attributes,
                    ancestors,
                    len(_kids(kid)),
                    [float(value) for value in bbox] if bbox is not None else None,
                    [float(value) for value in page.MediaBox] if page else None,
                    _marked(kid, pages),
                )
            )
            _walk_structure(kid, (*ancestors, str(kid.S)[1:]), pages, found)


def _marked(element: pikepdf.Object, pages: dict[tuple[int, int], int]) -> list:
    """(page index, MCID) of the marked content ``element`` holds itself."""
    marked = []
    for kid in _kids(element):
        if isinstance(kid, int):
            marked.append((pages[element.Pg.objgen], kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            marked.append((pages[kid.Pg.objgen], int(kid.MCID)))
    return marked


def marked_texts(path: Path) -> dict[tuple[int, int], str]:
    """The text of each piece of marked content: (page index, MCID) -> text."""
    found: dict[tuple[int, int], str] = {}
    for index, page in enumerate(pypdf.PdfReader(path).pages):
        found |= {(index, mcid): text for mcid, text in _page_marked(page).items()}
    return found


def _page_marked(page: pypdf.PageObject) -> dict[int, str]:
    found: dict[int, str] = {}
    current: list[int | None] = [None]

    def operator(name: bytes, operands: list, *_: object) -> None:
        if name == b"BDC" and isinstance(operands[1], dict):
            current[0] = operands[1].get("/MCID")
        elif name == b"EMC":
            current[0] = None

    def text(chars: str, *_: object) -> None:
        if current[0] is not None:
            found[int(current[0])] = found.get(int(current[0]), "") + chars

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return found


def outline_actions(path: Path) -> list[dict[str, str]]:
    """Each outline entry's go-to: the page it opens and the element it leads to."""
    found = []
    with pikepdf.open(path) as pdf:
        outlines = pdf.Root.get("/Outlines")
        stack = [outlines.First] if outlines is not None else []
        while stack:
            entry = stack.pop()
            action = entry.get("/A", {})
            destination = action.get("/SD")
            found.append(
                {
                    "title": str(entry.Title),
                    "page": str(action.get("/D", entry.get("/Dest"))),
                    "element": str(destination[0].S) if destination else "",
                }
            )
            stack += [entry[key] for key in ("/Next", "/First") if key in entry]
        return found


def page_mode(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.get("/PageMode", "/UseNone"))


def reader_words(path: Path) -> set[str]:
    """Words of the page bodies as a reader's search sees them.

    A hyphen at a line end joins the two halves, as pdf.js's find and
    poppler do ("sou-" and "haitons"); when it was a compound's own hyphen
    ("bien-" and "être") the halves are words too.  pdfium reports such a
    hyphen as U+0002 (U+FFFE in whole page text).  A U+2010 hyphen is not
    joined: readers take it for a real one.
    """
    text = body_text(path)
    line_end = r"\x02\s*|[-\ufffe]\s*\n\s*"
    return words(re.sub(line_end, "", text)) | words(re.sub(line_end, " ", text))


def words_across_pages(path: Path) -> set[str]:
    """Words hyphenated across a page break: no reader's find, page by page, sees them."""
    pages = body_texts(path)
    found = set()
    for page, following in itertools.pairwise(pages):
        end = re.search(r"(\w+)[-\x02\ufffe]\s*$", page)
        start = re.match(r"\s*(\w+)", following)
        if end and start:
            found |= words(end[1] + start[1])
    return found


def reader_texts(path: Path) -> dict[str, str]:
    """The whole text of the PDF at ``path`` as each reader extracts it.

    MuPDF (PyMuPDF, whose MuPDF reads ``/ActualText`` as current viewers
    do), pdf.js (Firefox) and poppler (``pdftotext``).  No-break spaces are
    spaces: they are typesetting, not words.
    """
    import pymupdf

    with pymupdf.open(path) as document:
        mupdf = "\n".join(page.get_text() for page in document)
    script = Path(__file__).parent / "js" / "text.mjs"
    pdfjs = subprocess.run(
        ["node", str(script), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    poppler = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    texts = {"MuPDF": mupdf, "pdf.js": pdfjs, "poppler": poppler}
    return {name: re.sub("[\u00a0\u202f]", " ", text) for name, text in texts.items()}


def pdfjs_find(path: Path, queries: list[str]) -> dict[str, int]:
    """How many matches pdf.js's find (Firefox's Ctrl+F) gives each query."""
    script = Path(__file__).parent / "js" / "find.mjs"
    result = subprocess.run(
        ["node", str(script), str(path)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return dict(json.loads(result.stdout))


def words(text: str) -> set[str]:
    """The words of ``text``, folded: letters only, two or more."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return set(re.findall(r"[^\W\d_]{2,}", folded))


def orphan_marked_content(path: Path) -> list[tuple[int, int]]:
    """(page, MCID) of tagged content that no structure element reaches.

    Such content is neither real content nor an artifact: screen readers may
    read it out of place (Matterhorn 01-005).
    """
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        reachable: set[tuple[int, int]] = set()
        stack = [root]
        while stack:
            kids = stack.pop().get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if (
                    isinstance(kid, pikepdf.Dictionary)
                    and "/S" in kid
                    and kid.objgen not in reachable
                ):
                    reachable.add(kid.objgen)
                    stack.append(kid)
        numbers = root.ParentTree.Nums
        parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        orphans = []
        for index, page in enumerate(pdf.pages):
            for instruction in pikepdf.parse_content_stream(page):
                operands = instruction.operands
                if (
                    str(instruction.operator) == "BDC"
                    and isinstance(operands[1], pikepdf.Dictionary)
                    and "/MCID" in operands[1]
                ):
                    mcid = int(operands[1].MCID)
                    element = parents[index][mcid]
                    if element.objgen not in reachable:
                        orphans.append((index + 1, mcid))
        return orphans


def outline_titles(path: Path) -> list[tuple[int, str]]:
    """Bookmarks as (depth, title), in order."""
    titles: list[tuple[int, str]] = []
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        stack = [(0, item) for item in reversed(outline.root)]
        while stack:
            depth, item = stack.pop()
            titles.append((depth, item.title))
            stack.extend((depth + 1, child) for child in reversed(item.children))
    return titles


def link_annotations(path: Path) -> list[dict[str, str]]:
    """Every link annotation: its URI and its description (``Contents``)."""
    found = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link":
                    found.append(
                        {
                            "uri": str(annotation.A.URI),
                            "contents": str(annotation.get("/Contents", "")),
                        }
                    )
    return found


def catalog(path: Path) -> dict[str, object]:
    """The document catalogue's accessibility and print entries."""
    with pikepdf.open(path) as pdf:
        preferences = pdf.Root.get("/ViewerPreferences", {})
        intents = pdf.Root.get("/OutputIntents", [])
        return {
            "DisplayDocTitle": bool(preferences.get("/DisplayDocTitle", False)),
            "Marked": bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False)),
            "OutputIntents": [
                (str(intent.S), str(intent.OutputConditionIdentifier))
                for intent in intents
            ],
            "pdfx": str(pdf.open_metadata().get("pdfx:GTS_PDFXVersion", "")),
            "pdfua": str(pdf.open_metadata().get("pdfuaid:part", "")),
        }


def page_boxes(path: Path) -> list[dict[str, list[float]]]:
    """MediaBox, BleedBox and TrimBox of each page, in points."""
    with pikepdf.open(path) as pdf:
        return [
            {
                name: [float(value) for value in page.obj[f"/{name}"]]
                for name in ("MediaBox", "BleedBox", "TrimBox")
                if f"/{name}" in page.obj
            }
            for page in pdf.pages
        ]


def raster_images(path: Path) -> list[dict[str, object]]:
    """Raster pictures embedded in the PDF: filter, size in pixels, colour space."""
    with pikepdf.open(path) as pdf:
        return [
            {
                "filter": str(obj.get("/Filter")),
                "width": int(obj.Width),
                "height": int(obj.Height),
                "colorspace": str(obj.get("/ColorSpace")),
            }
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]


def decoded_qr_codes(path: Path, dpi: int = 300) -> list[str]:
    """Decode every QR code printed on the pages, rasterised at ``dpi``."""
    import zxingcpp

    found = []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            found += [result.text for result in zxingcpp.read_barcodes(image)]
    finally:
        document.close()
    return found


def device_rgb(path: Path) -> list[str]:
    """Everything in the file painted in an RGB space, found object by object.

    Independent of emn-pdf's own walker: every stream of the file is looked
    at (page contents, forms, patterns, glyphs, images) and every shading.
    """
    rgb = {"/DeviceRGB", "/CalRGB"}

    def is_rgb(space: object) -> bool:
        if isinstance(space, pikepdf.Array) and len(space) > 1:
            if str(space[0]) == "/ICCBased":
                return int(space[1].get("/N", 0)) == 3
            return str(space[0]) in rgb or is_rgb(space[1])
        return str(space) in rgb

    found = []
    with pikepdf.open(path) as pdf:
        contents = [page.obj for page in pdf.pages]
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            if "/ColorSpace" in obj and is_rgb(obj.ColorSpace):
                found.append(f"{obj.get('/Subtype', obj.get('/ShadingType'))} in RGB")
            if "/CS" in obj and is_rgb(obj.CS):
                found.append("RGB group")
            if obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
                contents.append(obj)
            contents += list(dict(obj.get("/CharProcs", {})).values())
        for stream in contents:
            found += [
                str(each.operator)
                for each in pikepdf.parse_content_stream(stream)
                if str(each.operator) in ("rg", "RG")
                or (str(each.operator) in ("cs", "CS") and is_rgb(each.operands[0]))
            ]
    return found


def text_fill_colours(path: Path) -> dict[tuple[float, ...], int]:
    """How many text-showing operators each CMYK fill colour paints, all pages."""
    counts: dict[tuple[float, ...], int] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            fill: tuple[float, ...] = (0, 0, 0, 1)
            for each in pikepdf.parse_content_stream(page):
                operator = str(each.operator)
                if operator in ("k", "scn", "sc") and len(each.operands) == 4:
                    fill = tuple(round(float(value), 3) for value in each.operands)
                elif operator in ("Tj", "TJ"):
                    counts[fill] = counts.get(fill, 0) + 1
    return counts


def rgb_colours(path: Path) -> set[tuple[float, ...]]:
    """Every RGB colour the pages paint with (``rg``, ``RG``), rounded."""
    colours: set[tuple[float, ...]] = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for each in pikepdf.parse_content_stream(page):
                if str(each.operator) in ("rg", "RG"):
                    colours.add(
                        tuple(round(float(value), 3) for value in each.operands)
                    )
    return colours


def output_intent(path: Path) -> dict[str, str]:
    """The first output intent's entries, as text."""
    with pikepdf.open(path) as pdf:
        intent = pdf.Root.OutputIntents[0]
        return {
            key: str(value)
            for key, value in intent.items()
            if key != "/DestOutputProfile"
        }


def structured_text(path: Path) -> str:
    """Return MuPDF's structured text of a PDF: every line, font and size."""
    return subprocess.run(
        ["mutool", "draw", "-q", "-F", "stext", "-o", "-", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def type_sizes(path: Path) -> list[float]:
    """Return the size of every run of text, read by MuPDF (not our code)."""
    return [
        float(size)
        for size in re.findall(r'<font [^>]*size="([0-9.]+)"', structured_text(path))
    ]


def chart_label_sizes(
    path: Path, charts: Sequence[Path], others: Sequence[Path] = ()
) -> list[float]:
    """Return the size, in pt, of each line of the PDF that only charts draw.

    Read by MuPDF: a line all of whose words are words of the charts' SVG
    ``<text>`` elements (their labels, values, titles) and of no other
    picture's (``others``: a report's cover reads "2024" too) is a chart's.
    """
    labels = _svg_words(charts) - _svg_words(others)
    sizes = []
    for line in re.findall(r"<line .*?</line>", structured_text(path), re.DOTALL):
        words = html.unescape("".join(re.findall(r' c="([^"]*)"', line))).split()
        size = re.search(r'<font [^>]*size="([0-9.]+)"', line)
        if words and size and all(word in labels for word in words):
            sizes.append(float(size.group(1)))
    return sizes


def _svg_words(pictures: Sequence[Path]) -> set[str]:
    """Return the words the ``<text>`` elements of SVG pictures draw."""
    return {
        word
        for picture in pictures
        for text in re.findall(r"<text[^>]*>([^<]+)</text>", picture.read_text())
        for word in html.unescape(text).split()
    }
