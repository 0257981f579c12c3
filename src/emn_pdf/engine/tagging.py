"""The structure tree of the web edition, as screen readers and PDF/UA-2 want it.

WeasyPrint (70) tags each *box*, not each HTML element (upstream #2903): a
paragraph cut by a column or page break becomes two ``P`` in two ``Art``, the
``::after`` arrow of a link a second ``Link`` (and a second annotation) inside
the first, anonymous boxes ``Div`` inside their ``Div``, ``lang`` attributes
are dropped, and a space between two inline elements becomes a ``Span`` of its
own.  While the engine writes the tree, :func:`source_keys` marks each
element with the HTML element it comes from (and its ``lang``); after the
file is written, :func:`tidy_structure` merges the parts of one HTML element
into one structure element, one link annotation per link and page, and
clears away what the engine left wrong: empty elements, figure boxes in CSS
pixels, page destinations in the outline.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import pikepdf

from .boxes import text_children

#: Private keys the engine hook writes and the tidy pass removes.
SOURCE = "/EMNSource"
BOOKMARK = "/EMNBookmark"
BLANK = "/EMNBlank"
HIDDEN = "/EMNHidden"
#: CSS pixels per PDF point: WeasyPrint writes figure boxes in pixels.
PX = 0.75
#: What typesetting adds to the editor's text, as readers should not get it:
#: no-break spaces become spaces, a word joiner nothing.
AS_WRITTEN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2060": None})


def as_written(text: str) -> str:
    """Return ``text`` with ordinary spaces, as the editor wrote it.

    The typographer's no-break spaces keep a line from parting a pair; a
    replacement text (``/ActualText``) or a bookmark is read, not set, and
    search boxes and screen readers expect the spaces typed on a keyboard.
    """
    return text.translate(AS_WRITTEN)


@contextmanager
def source_keys() -> Iterator[None]:
    """Let WeasyPrint's tagging mark each structure element with its source.

    The engine builds the tree in ``weasyprint.pdf.tags._build_box_tree``,
    one call per box; wrapping it is the one place where a structure element
    and the HTML element behind it are both known.
    """
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    bookmarks = itertools.count()

    def keyed(box: Any, parent: Any, pdf: Any, *args: Any) -> Iterator[Any]:
        nums, tags_of_boxes = args[1], args[-1]
        pieces = [
            (tags_of_boxes[text]["mcid"], text.text)
            for text in text_children(box)  # what the engine tags as its kids
            if text in tags_of_boxes
        ]
        made = []
        for element in original(box, parent, pdf, *args):
            _mark(element, box, bookmarks)
            made.append(id(element))
            yield element
        for mcid, actual in _written_pieces(box, pieces):
            wrapper = pdf.objects[int(nums[mcid].split()[0])]
            if id(wrapper) in made:
                continue  # a link holds its text itself, without wrappers
            if not actual.strip():
                wrapper[BLANK[1:]] = True
            elif _restyled(box):  # other text reads as drawn
                wrapper["ActualText"] = pydyf.String(as_written(actual))

    tags._build_box_tree = keyed
    try:
        yield
    finally:
        tags._build_box_tree = original


def _written_pieces(
    box: Any, pieces: list[tuple[int, str]]
) -> Iterator[tuple[int, str]]:
    """Yield each text piece (MCID, text) of ``box`` as the editor wrote it.

    Pieces that CSS put in capitals are found, in order, in the source
    element's text; any other piece is as written.
    """
    source = box.element
    written = (
        re.sub(r"\s+", " ", "".join(source.itertext())) if source is not None else ""
    )
    capitals, start = written.upper(), 0
    if not written or not _restyled(box) or len(capitals) != len(written):
        yield from pieces  # as written, or capitals that change length ("ß")
        return
    for mcid, text in pieces:
        needle = re.sub(r"\s+", " ", text).upper()
        found = capitals.find(needle, start)
        if found < 0:
            yield mcid, text
            continue
        start = found + len(needle)
        yield mcid, written[found:start]


def _mark(element: Any, box: Any, bookmarks: Iterator[int]) -> None:
    """Write the source element, its language, its bookmark order, its text."""
    import pydyf

    source = getattr(box, "element", None)
    if source is None or SOURCE[1:] in element:
        return  # anonymous, or marked by the call that made it
    if "mk-" in (source.get("class") or ""):
        element[BLANK[1:]] = True  # a frame of page makeup: it holds no meaning
        return
    element[SOURCE[1:]] = _identity(source)
    if source.get("aria-hidden") == "true":
        element[HIDDEN[1:]] = True  # repeats what readers read elsewhere
    if (lang := source.get("lang")) and source.tag != "html":
        element["Lang"] = pydyf.String(lang)
    if getattr(box, "bookmark_label", None) and box.style["bookmark_level"] != "none":
        element[BOOKMARK[1:]] = next(bookmarks)
    if _restyled(box) and (text := " ".join("".join(source.itertext()).split())):
        element["ActualText"] = pydyf.String(as_written(text))


def _identity(source: Any) -> int:
    """Return what names the HTML element ``source`` in the structure tree.

    Page makeup repeats an article's elements in each part of it, each copy
    saying which element it repeats: the copies are one element for readers.
    """
    whole = source.get("data-mk-whole")
    return zlib.crc32(whole.encode()) if whole else id(source)


def _restyled(box: Any) -> bool:
    """Say whether CSS changes how ``box``'s text extracts: capitals, tracking.

    Capitals would be stored as capitals, and letter-spacing makes readers
    see a space between every two letters.
    """
    spacing = box.style["letter_spacing"]
    return bool(
        box.style["text_transform"] != "none" or (spacing != "normal" and spacing > 0)
    )


def tidy_structure(pdf: pikepdf.Pdf) -> None:
    """Merge each HTML element's parts, then tidy what the engine left."""
    root = pdf.Root.StructTreeRoot
    moved: dict[tuple[int, int], Any] = {}
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    _hidden_as_artifacts(pdf, root, document)
    _merge_kids(document, moved)
    _redirect_parent_tree(root, moved)
    for link in _elements(document, "/Link"):
        _one_annotation_per_page(pdf, root, link)
    _drop_empty(document)
    bookmarked = {
        int(element[BOOKMARK]): element
        for element in _elements(document)
        if BOOKMARK in element
    }
    _structure_destinations(pdf, bookmarked)
    _actual_text_in_content(pdf, document)
    for element in _elements(document):
        _figure_box_in_user_space(element)
    _remove_private_keys(pdf)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines


def _hidden_as_artifacts(pdf: pikepdf.Pdf, root: Any, document: Any) -> None:
    """Take what HTML hides from readers (``aria-hidden``) out of the tree.

    A pull quote repeats a sentence of its article: its elements leave the
    structure tree, and its content becomes an artifact, read by no one.
    """
    hidden: dict[tuple[int, int], set[int]] = {}
    for element in list(_elements(document)):
        if HIDDEN in element:
            for page, mcid in _marked_content(element):
                hidden.setdefault(page.objgen, set()).add(mcid)
            parent = element.P
            parent.K = pikepdf.Array(
                [kid for kid in _kids(parent) if not _same(kid, element)]
            )
    numbers = root.ParentTree.Nums
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    for page in pdf.pages:
        mcids = hidden.get(page.obj.objgen)
        if mcids:
            rewrite_marked_content(pdf, page, partial(_as_artifact, mcids=mcids))
            for mcid in mcids:
                parents[int(page.StructParents)][mcid] = None


def _same(kid: Any, element: Any) -> bool:
    return _is_element(kid) and kid.objgen == element.objgen


def _as_artifact(mcid: int, tag: Any, mcids: set[int]) -> Any:
    if mcid not in mcids:
        return None
    return pikepdf.ContentStreamInstruction(
        [pikepdf.Name.Artifact], pikepdf.Operator("BMC")
    )


def _is_element(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_blank(kid: Any) -> bool:
    return _is_element(kid) and BLANK in kid


def _source(element: Any) -> tuple[int, str] | None:
    if not _is_element(element) or SOURCE not in element:
        return None
    return int(element[SOURCE]), str(element.S)


def _merge_kids(element: Any, moved: dict[tuple[int, int], Any]) -> None:
    """Make one kid of each source: later parts join the first one.

    A kid from the same source and of the same type as ``element`` itself (an
    anonymous box, a link's ``::after``) dissolves into it, and so does the
    wrapper of a mere space: its content is ``element``'s own.
    """
    own = _source(element)
    queue = deque(_kids(element))
    kept: list[Any] = []
    first: dict[tuple[int, str], Any] = {}
    while queue:
        kid = queue.popleft()
        source = _source(kid)
        if (source is not None and source == own) or _is_blank(kid):
            queue.extendleft(reversed(_adopted(kid, element)))
            moved[kid.objgen] = element
        elif source is not None and source in first:
            survivor = first[source]
            survivor.K = pikepdf.Array(_kids(survivor) + _adopted(kid, survivor))
            moved[kid.objgen] = survivor
        else:
            if source is not None:
                first[source] = kid
            kept.append(kid)
    element.K = pikepdf.Array(kept)
    for kid in kept:
        if _is_element(kid):
            kid.P = element
            _merge_kids(kid, moved)


def _adopted(kid: Any, parent: Any) -> list[Any]:
    """Return ``kid``'s content, valid in ``parent``: MCIDs keep their page."""
    content = []
    for each in _kids(kid):
        if isinstance(each, int) and kid.Pg.objgen != parent.Pg.objgen:
            each = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=kid.Pg, MCID=each)
        content.append(each)
    return content


def _redirect_parent_tree(root: Any, moved: dict[tuple[int, int], Any]) -> None:
    """Point marked content and annotations at the elements that now hold them."""

    def final(element: Any) -> Any:
        while isinstance(element, pikepdf.Dictionary) and element.objgen in moved:
            element = moved[element.objgen]
        return element

    numbers = root.ParentTree.Nums
    for index in range(1, len(numbers), 2):
        value = numbers[index]
        if isinstance(value, pikepdf.Array):
            numbers[index] = pikepdf.Array([final(each) for each in value])
        else:
            numbers[index] = final(value)


def _elements(element: Any, tag: str | None = None) -> Iterator[Any]:
    """Yield the structure elements under ``element``, in reading order."""
    for kid in _kids(element):
        if _is_element(kid):
            if tag is None or tag == kid.S:
                yield kid
            yield from _elements(kid, tag)


def _one_annotation_per_page(pdf: pikepdf.Pdf, root: Any, link: Any) -> None:
    """Keep one annotation per page of a link, covering all its parts."""
    kept: dict[tuple[int, int], Any] = {}
    content = []
    for kid in _kids(link):
        is_annotation = (
            isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
        )
        if not is_annotation or kid.Pg.objgen not in kept:
            if is_annotation:
                kept[kid.Pg.objgen] = kid.Obj
            content.append(kid)
            continue
        _absorb_annotation(kept[kid.Pg.objgen], kid.Obj)
        _remove_annotation(pdf, root, kid.Pg, kid.Obj)
    link.K = pikepdf.Array(content)


def _absorb_annotation(annotation: Any, other: Any) -> None:
    """Grow ``annotation`` to cover ``other``: a rectangle and its quads."""
    quads = list(annotation.get("/QuadPoints", _quad(annotation.Rect)))
    quads += list(other.get("/QuadPoints", _quad(other.Rect)))
    first, second = annotation.Rect, other.Rect
    annotation.Rect = pikepdf.Array(
        [
            min(first[0], second[0]),
            min(first[1], second[1]),
            max(first[2], second[2]),
            max(first[3], second[3]),
        ]
    )
    annotation.QuadPoints = pikepdf.Array(quads)


def _quad(rect: Any) -> list[Any]:
    """Return a rectangle as QuadPoints, counterclockwise from its bottom left."""
    left, bottom, right, top = rect
    return [left, bottom, right, bottom, right, top, left, top]


def _remove_annotation(pdf: pikepdf.Pdf, root: Any, page: Any, annotation: Any) -> None:
    page.Annots = pikepdf.Array(
        [each for each in page.Annots if each.objgen != annotation.objgen]
    )
    if "/StructParent" not in annotation:
        return
    number, numbers = int(annotation.StructParent), root.ParentTree.Nums
    root.ParentTree.Nums = pikepdf.Array(
        [
            value
            for index in range(0, len(numbers), 2)
            if int(numbers[index]) != number
            for value in (numbers[index], numbers[index + 1])
        ]
    )


def _drop_empty(element: Any) -> bool:
    """Remove elements that hold nothing; return whether ``element`` is one."""
    content = [
        kid for kid in _kids(element) if not (_is_element(kid) and _drop_empty(kid))
    ]
    element.K = pikepdf.Array(content)
    return not content


def _structure_destinations(pdf: pikepdf.Pdf, bookmarked: dict[int, Any]) -> None:
    """Give each outline entry the heading it leads to (PDF 2.0 ``/SD``).

    Its title reads as written (:func:`as_written`).  The page destination
    stays for PDF 1.7 readers (PDF/UA-1).  Entries and bookmarked elements
    come in the same order: the document's.
    """
    outlines = pdf.Root.get("/Outlines")
    entries = list(_outline_entries(outlines.get("/First"))) if outlines else []
    for entry in entries:
        entry.Title = pikepdf.String(as_written(str(entry.Title)))
    if len(entries) != len(bookmarked):
        return
    elements = [bookmarked[index] for index in sorted(bookmarked)]
    for element, entry in zip(elements, entries, strict=True):
        destination = entry.get("/Dest")
        if destination is None:
            continue
        entry.A = pikepdf.Dictionary(
            S=pikepdf.Name.GoTo,
            D=destination,
            SD=pikepdf.Array([element, *list(destination)[1:]]),
        )
        del entry["/Dest"]


def _outline_entries(entry: Any) -> Iterator[Any]:
    """Yield the outline's entries from ``entry`` on, in document order."""
    while entry is not None:
        yield entry
        yield from _outline_entries(entry.get("/First"))
        entry = entry.get("/Next")


def _actual_text_in_content(pdf: pikepdf.Pdf, document: Any) -> None:
    """Move an element's ``/ActualText`` onto its content when it is one piece.

    Text extraction (poppler, pdfium) reads the marked content's
    ``/ActualText``; MuPDF reads the structure element's for each piece of
    its content, so an element cut in several pieces (a button's label and
    its arrow, a heading broken over lines) would read twice: it loses its
    own, and each piece keeps what :func:`source_keys` gave it.
    """
    replaced: dict[tuple[int, int], dict[int, Any]] = {}
    for element in _elements(document):
        pieces = list(_marked_content(element)) if "/ActualText" in element else []
        if len(pieces) == 1:
            page, mcid = pieces[0]
            replaced.setdefault(page.objgen, {})[mcid] = element.ActualText
        elif pieces:
            del element["/ActualText"]
    for page in pdf.pages:
        texts = replaced.get(page.obj.objgen, {})
        if texts:
            rewrite_marked_content(pdf, page, partial(_with_actual_text, texts=texts))


def _with_actual_text(mcid: int, tag: Any, texts: dict[int, Any]) -> Any:
    if mcid not in texts:
        return None
    properties = pikepdf.Dictionary(MCID=mcid, ActualText=texts[mcid])
    return pikepdf.ContentStreamInstruction([tag, properties], pikepdf.Operator("BDC"))


def _marked_content(element: Any) -> Iterator[tuple[Any, int]]:
    """Yield (page, MCID) of the content under ``element``, in order."""
    for kid in _kids(element):
        if isinstance(kid, int):
            yield element.Pg, kid
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield kid.Pg, int(kid.MCID)
        elif _is_element(kid):
            yield from _marked_content(kid)


def rewrite_marked_content(
    pdf: pikepdf.Pdf, page: pikepdf.Page, rewrite: Callable[[int, Any], Any]
) -> None:
    """Replace the opening of each marked content with an MCID on ``page``.

    ``rewrite(mcid, tag)`` returns the instruction to put instead, or None to
    keep it.
    """
    operations: list[Any] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        properties = operands[1] if len(operands) == 2 else None
        if str(operator) == "BDC" and isinstance(properties, pikepdf.Dictionary):
            mcid = int(properties.get("/MCID", -1))
            instruction = rewrite(mcid, operands[0]) or instruction
        operations.append(instruction)
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))


def _remove_private_keys(pdf: pikepdf.Pdf) -> None:
    """Remove the hook's marks everywhere, footers' elements outside the tree too.

    They hold addresses in memory: left in, no two builds would be the same.
    """
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/S" in obj:
            for key in (SOURCE, BOOKMARK, BLANK, HIDDEN):
                if key in obj:
                    del obj[key]


def _figure_box_in_user_space(element: Any) -> None:
    """Turn WeasyPrint's figure box (CSS pixels from the top) into points."""
    attributes = element.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary) or "/BBox" not in attributes:
        return
    height = float(element.Pg.MediaBox[3])
    x1, y1, x2, y2 = (float(value) for value in attributes.BBox)
    attributes.BBox = pikepdf.Array(
        [x1 * PX, height - y2 * PX, x2 * PX, height - y1 * PX]
    )
