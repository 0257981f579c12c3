"""Every drawing of a written PDF, with its resources and where it lands.

The press conversion (``press.py``) and the print preflight (``printcheck.py``)
read the written file as a printer's RIP does, not WeasyPrint's internals:
each content stream (pages, forms, tiling patterns, Type 3 glyphs) once, with
the resources it draws with, and each image with the matrix that places it on
the page, so that its effective resolution is known.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pikepdf

#: A PDF transformation matrix ``[a b c d e f]``.
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: Forms inside forms deeper than this are a broken (or hostile) file.
MAX_DEPTH = 12
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class Drawing:
    """One content stream: a page, a form, a tiling pattern or a glyph."""

    owner: Any  # the page dictionary, or the stream itself
    resources: Any  # its /Resources dictionary (may be empty)
    page: int  # first page (from 1) that draws it
    kind: str  # "page", "form", "pattern" or "glyph"

    @cached_property
    def instructions(self) -> list[Any]:
        """Return the parsed content stream (parsed once: it is slow)."""
        return list(pikepdf.parse_content_stream(self.owner))


@dataclass(frozen=True)
class Placement:
    """An image drawn on a page, with the matrix that maps its unit square."""

    image: Any
    page: int
    matrix: Matrix

    @property
    def size(self) -> tuple[float, float]:
        """Return the drawn width and height, in points."""
        a, b, c, d, _, _ = self.matrix
        return math.hypot(a, b), math.hypot(c, d)

    @property
    def ppi(self) -> float:
        """Return the effective resolution: pixels per inch, the lower axis."""
        width, height = self.size
        if width == 0 or height == 0:
            return math.inf
        across = int(self.image.Width) * POINTS_PER_INCH / width
        down = int(self.image.Height) * POINTS_PER_INCH / height
        return min(across, down)


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """Return the matrix that applies ``first``, then ``then``."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = then
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def drawings(pdf: pikepdf.Pdf) -> Iterator[Drawing]:
    """Yield every content stream of the document once."""
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        drawing = Drawing(page.obj, page.obj.get("/Resources", {}), number, "page")
        yield drawing
        yield from _inner_drawings(drawing.resources, number, seen, 0)


def _inner_drawings(
    resources: Any, page: int, seen: set[tuple[int, int]], depth: int
) -> Iterator[Drawing]:
    if depth > MAX_DEPTH:
        return
    for kind, stream in _streams_in(resources):
        if stream.objgen in seen and stream.objgen != (0, 0):
            continue
        seen.add(stream.objgen)
        inner = stream.get("/Resources", resources if kind == "glyph" else {})
        yield Drawing(stream, inner, page, kind)
        yield from _inner_drawings(inner, page, seen, depth + 1)


def _streams_in(resources: Any) -> Iterator[tuple[str, Any]]:
    """Yield the forms, tiling patterns and glyph procedures of ``resources``."""
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.get("/Subtype") == "/Form":
            yield "form", xobject
    for pattern in dict(resources.get("/Pattern", {})).values():
        if pattern.get("/PatternType") == 1:
            yield "pattern", pattern
    for font in dict(resources.get("/Font", {})).values():
        if font.get("/Subtype") == "/Type3":
            for glyph in dict(font.get("/CharProcs", {})).values():
                yield "glyph", glyph


def images(resources: Any) -> Iterator[Any]:
    """Yield the image XObjects ``resources`` names."""
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.get("/Subtype") == "/Image":
            yield xobject


def placements(pdf: pikepdf.Pdf) -> Iterator[Placement]:
    """Yield every image drawn on a page, once per time it is drawn."""
    for number, page in enumerate(pdf.pages, start=1):
        yield from _placed(
            page.obj, page.obj.get("/Resources", {}), IDENTITY, number, 0
        )


def _placed(
    owner: Any, resources: Any, base: Matrix, page: int, depth: int
) -> Iterator[Placement]:
    """Follow the CTM through ``owner``'s drawing to each image and form."""
    if depth > MAX_DEPTH:
        return
    for pattern in dict(resources.get("/Pattern", {})).values():
        if pattern.get("/PatternType") == 1:
            matrix = multiply(_matrix(pattern), base)
            inner = pattern.get("/Resources", {})
            yield from _placed(pattern, inner, matrix, page, depth + 1)
    ctm, stack = base, []
    xobjects = resources.get("/XObject", {})
    for instruction in pikepdf.parse_content_stream(owner):
        operands, name = instruction.operands, str(instruction.operator)
        if name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm":
            a, b, c, d, e, f = (float(value) for value in operands)
            ctm = multiply((a, b, c, d, e, f), ctm)
        elif name == "Do" and operands[0] in xobjects:
            xobject = xobjects[operands[0]]
            if xobject.get("/Subtype") == "/Image":
                yield Placement(xobject, page, ctm)
            elif xobject.get("/Subtype") == "/Form":
                inner = xobject.get("/Resources", {})
                matrix = multiply(_matrix(xobject), ctm)
                yield from _placed(xobject, inner, matrix, page, depth + 1)


def _matrix(stream: Any) -> Matrix:
    values = [float(value) for value in stream.get("/Matrix", IDENTITY)]
    a, b, c, d, e, f = values
    return (a, b, c, d, e, f)
