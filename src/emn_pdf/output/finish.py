"""Last touches on a written PDF that WeasyPrint cannot make, per target.

Web edition (PDF/UA): WeasyPrint tags running footers as content that belongs
to no structure element (upstream keeps margin boxes out of the tree: only
PDF 2.0 allows artifacts there), so they become ``/Artifact`` here and are not
read aloud; and each link gets a description (``/Contents``) saying where it
leads, since a button reading "Lien" says nothing to a screen-reader user.

Print edition (PDF/X): link annotations are removed (printers' RIPs reject
them), and crop marks are drawn in CMYK black outside the bleed, on a media
box grown to hold them; WeasyPrint draws its own marks inside the bleed.
Also the cover thumbnail of the web edition is made here from the PDF.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2

from ..engine.tagging import rewrite_marked_content, tidy_structure
from .readable import readable_text

MM = 72 / 25.4
#: Crop marks: their length, their distance from the bleed edge, their width.
MARK_LENGTH = 5 * MM
MARK_OFFSET = 1 * MM
MARK_WIDTH = 0.25


def finish_web(path: Path, link_descriptions: Mapping[str, str]) -> None:
    """Make footers artifacts, tidy the tags and describe every link, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        _footers_as_artifacts(pdf)
        tidy_structure(pdf)
        readable_text(pdf)
        for annotation in _link_annotations(pdf):
            uri = str(annotation.A.URI)
            if uri in link_descriptions:
                annotation.Contents = pikepdf.String(link_descriptions[uri])
        _save(pdf, path)


def finish_print(path: Path, identity: str) -> None:
    """Remove interactive content and draw crop marks outside the bleed.

    WeasyPrint gives PDF/X a random XMP document ID; ``identity`` (the issue,
    edition and target) replaces it, so that the same inputs give the same
    bytes and every version of one edition keeps one document ID.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            _add_crop_marks(pdf, page)
        document_id = uuid.uuid5(uuid.NAMESPACE_URL, identity)
        with pdf.open_metadata(
            set_pikepdf_as_editor=False, update_docinfo=False
        ) as xmp:
            xmp["xmpMM:DocumentID"] = f"xmp.did:{document_id}"
        _save(pdf, path)


def write_cover(pdf_path: Path, png_path: Path, width: int) -> None:
    """Render the first page as a PNG ``width`` pixels wide."""
    document = pypdfium2.PdfDocument(pdf_path)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
        image.save(png_path, format="PNG", compress_level=1)  # flat art: as small
    finally:
        document.close()


def _save(pdf: pikepdf.Pdf, path: Path) -> None:
    # The file identifier is a digest of the content: the same inputs give
    # the same bytes, different editions different identifiers.  Saved in
    # memory first: on a full disk qpdf aborts the process instead of raising.
    output = io.BytesIO()
    pdf.save(output, deterministic_id=True)
    path.write_bytes(output.getvalue())


def _link_annotations(pdf: pikepdf.Pdf) -> Iterator[Any]:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            if action is not None and action.get("/S") == "/URI":
                yield annotation


def _footers_as_artifacts(pdf: pikepdf.Pdf) -> None:
    """Turn marked content that no structure element reaches into artifacts."""
    reachable = _reachable_elements(pdf.Root.StructTreeRoot)
    parent_tree = _parent_tree(pdf.Root.StructTreeRoot.ParentTree)
    for index, page in enumerate(pdf.pages):
        elements = parent_tree.get(index, [])
        orphans = {
            mcid
            for mcid, element in enumerate(elements)
            if isinstance(element, pikepdf.Dictionary)
            and element.objgen not in reachable
        }
        if orphans:
            _mark_as_artifacts(pdf, page, orphans)


def _reachable_elements(root: Any) -> set[tuple[int, int]]:
    """Return the structure elements the tree reaches from its root."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            is_element = isinstance(kid, pikepdf.Dictionary) and "/S" in kid
            if is_element and kid.objgen not in seen:
                seen.add(kid.objgen)
                stack.append(kid)
    return seen


def _parent_tree(tree: Any) -> dict[int, list[Any]]:
    numbers = tree.Nums
    return {
        int(numbers[i]): list(numbers[i + 1])
        for i in range(0, len(numbers), 2)
        if isinstance(numbers[i + 1], pikepdf.Array)
    }


def _mark_as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    artifact = pikepdf.ContentStreamInstruction(
        [pikepdf.Name.Artifact], pikepdf.Operator("BMC")
    )
    rewrite_marked_content(
        pdf, page, lambda mcid, tag: artifact if mcid in mcids else None
    )


def _add_crop_marks(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    trim = [float(value) for value in page.TrimBox]
    bleed = [float(value) for value in page.BleedBox]
    reach = MARK_OFFSET + MARK_LENGTH
    page.MediaBox = pikepdf.Array(
        [bleed[0] - reach, bleed[1] - reach, bleed[2] + reach, bleed[3] + reach]
    )
    lines = []
    for x in (trim[0], trim[2]):
        for y, outward in ((bleed[1], -1), (bleed[3], 1)):
            start = y + outward * MARK_OFFSET
            lines.append(
                f"{x:.3f} {start:.3f} m {x:.3f} {start + outward * MARK_LENGTH:.3f} l S"
            )
    for y in (trim[1], trim[3]):
        for x, outward in ((bleed[0], -1), (bleed[2], 1)):
            start = x + outward * MARK_OFFSET
            lines.append(
                f"{start:.3f} {y:.3f} m {start + outward * MARK_LENGTH:.3f} {y:.3f} l S"
            )
    marks = f"Q\nq /Artifact BMC {MARK_WIDTH} w 0 0 0 1 K\n" + "\n".join(lines)
    # Wrap the page's own drawing in q/Q so that its coordinate system (which
    # WeasyPrint flips) does not leak into the marks.
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(f"{marks}\nEMC Q\n".encode()), prepend=False)
