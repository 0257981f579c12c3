"""Text that every reader extracts as written: capitals and tracking in the font.

CSS capitals (``text-transform``) and letter-spacing change what is drawn,
not what was written.  An ``/ActualText`` says what was written, but
readers apply it differently: MuPDF spreads it over the glyphs and breaks it
where they are spaced ("E M N L u x e m b o u rg", "2 octob re", "dé
écembre"), pdf.js ignores it and reads letter-spaced capitals one letter at a
time ("E M N L U X E M B O U R G").  So each such run of glyphs is drawn
with a copy of its font of its own, which says what each glyph stands for
in this run (``/ToUnicode``: the glyph "O" of "OCTOBRE" is an "o") and whose
advances include the letter-spacing (``/W``): no reader sees a gap between
two letters of a word, and every one reads the words as written.  The run
then needs no ``/ActualText``.  A run whose glyphs do not stand one to one for
the written letters (a "ß" set "SS") keeps its ``/ActualText``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf

#: A two-byte character code of a ``/Identity-H`` font: one glyph.
CODE = 2
BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
#: A CMap's ``bfchar`` block holds at most this many entries.
BFCHAR_BLOCK = 100
TF, TJ = pikepdf.Operator("Tf"), pikepdf.Operator("TJ")


@dataclass
class _Run:
    """One ``TJ`` of glyphs in marked content with an ``/ActualText``."""

    font: str
    size: Any
    codes: list[bytes]
    kerns: list[float]  # after each glyph, in thousandths of an em
    spacing: float  # the letter-spacing after each glyph, likewise
    lead: float = 0.0  # spacing before the first glyph (after the last run's)
    spaced_last: bool = False  # whether the last glyph is spaced after


def readable_text(pdf: pikepdf.Pdf) -> None:
    """Draw each restyled run with a font copy that reads as written."""
    parents = _parent_tree(pdf)
    for page in pdf.pages:
        done = _rewrite_page(pdf, page)
        elements = parents.get(int(page.obj.get("/StructParents", -1)), [])
        for mcid in done:
            if mcid < len(elements) and "/ActualText" in elements[mcid]:
                del elements[mcid]["/ActualText"]


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, list[Any]]:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return {}
    numbers = root.ParentTree.Nums
    return {
        int(numbers[i]): list(numbers[i + 1])
        for i in range(0, len(numbers), 2)
        if isinstance(numbers[i + 1], pikepdf.Array)
    }


def _rewrite_page(pdf: pikepdf.Pdf, page: pikepdf.Page) -> set[int]:
    """Rewrite the page's restyled runs; return the MCIDs rewritten.

    The content of each marked content with an ``/ActualText`` is gathered
    and rewritten whole, or left as it is.
    """
    fonts = page.obj.Resources.get("/Font")
    if fonts is None:
        return set()
    operations: list[Any] = []
    done: set[int] = set()
    gathered: list[Any] = []
    font: tuple[str, Any] | None = None
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator)
        if gathered or (operator == "BDC" and _marked(instruction)[1]):
            gathered.append(instruction)
            if operator == "EMC":
                content, font = _readable_content(pdf, fonts, gathered, font, done)
                operations += content
                gathered = []
            continue
        if operator == "Tf":
            font = (str(instruction.operands[0]), instruction.operands[1])
        operations.append(instruction)
    operations += gathered
    if done:
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
    return done


def _marked(instruction: Any) -> tuple[int, str | None]:
    """Return a marked content's MCID and ``/ActualText``, if it has them."""
    operands = instruction.operands
    properties = operands[1] if len(operands) == 2 else None
    if not isinstance(properties, pikepdf.Dictionary):
        return -1, None
    text = properties.get("/ActualText")
    return int(properties.get("/MCID", -1)), None if text is None else str(text)


def _readable_content(
    pdf: pikepdf.Pdf,
    fonts: Any,
    content: list[Any],
    font: tuple[str, Any] | None,
    done: set[int],
) -> tuple[list[Any], tuple[str, Any] | None]:
    """Return one marked content drawn with font copies that read as written.

    ``content`` runs from its ``BDC`` to its ``EMC``; left as it is if it
    holds other marked content, a run of another form or of other glyphs.
    Also return the font in use after it.
    """
    mcid, written = _marked(content[0])
    runs: list[tuple[int, _Run]] = []
    for index, instruction in enumerate(content):
        operator = str(instruction.operator)
        if operator == "Tf":
            font = (str(instruction.operands[0]), instruction.operands[1])
        elif operator == "TJ":
            run = _run(font, instruction.operands[0]) if font else None
            if run is None:
                return content, font
            runs.append((index, run))
        elif operator in ("BDC", "BMC") and index > 0:
            return content, font
    meanings = _meanings([run for _, run in runs], fonts, written or "")
    if not runs or meanings is None:
        return content, font
    rewritten = list(content)
    for (index, run), meaning in reversed(list(zip(runs, meanings, strict=True))):
        rewritten[index : index + 1] = _readable_run(pdf, fonts, run, meaning)
    rewritten[0] = pikepdf.ContentStreamInstruction(
        [content[0].operands[0], pikepdf.Dictionary(MCID=mcid)], content[0].operator
    )
    done.add(mcid)
    return rewritten, font


def _readable_run(
    pdf: pikepdf.Pdf, fonts: Any, run: _Run, meanings: list[str]
) -> list[Any]:
    """Return the run drawn with copies of its font that read ``meanings``.

    One copy says what each glyph stands for: where a glyph stands for
    another letter than before in the run (the capital "N" of "NOTES DE
    SYNTHÈSE" is an "N", then an "n"), the run goes on in another copy.
    """
    operations: list[Any] = []
    glyphs: list[Any] = [run.lead] if run.lead else []
    meaning_of: dict[bytes, str] = {}
    for index, (code, kern) in enumerate(zip(run.codes, run.kerns, strict=True)):
        if meaning_of.setdefault(code, meanings[index]) != meanings[index]:
            operations += _shown(pdf, fonts, run, meaning_of, glyphs)
            glyphs, meaning_of = [], {code: meanings[index]}
        glyphs += [pikepdf.String(code), kern]
    if not run.spaced_last:  # its advance now holds a spacing it did not have
        glyphs[-1] = glyphs[-1] - run.spacing
    operations += _shown(pdf, fonts, run, meaning_of, glyphs)
    font = pikepdf.ContentStreamInstruction([pikepdf.Name(run.font), run.size], TF)
    return [*operations, font]  # the run's own font again, for what follows


def _shown(
    pdf: pikepdf.Pdf,
    fonts: Any,
    run: _Run,
    meanings: dict[bytes, str],
    glyphs: list[Any],
) -> list[Any]:
    """Return a font copy set and ``glyphs`` shown in it."""
    name = f"{run.font}R{len(fonts)}"
    fonts[name] = _font_copy(pdf, fonts[run.font], meanings, run.spacing)
    return [
        pikepdf.ContentStreamInstruction([pikepdf.Name(name), run.size], TF),
        pikepdf.ContentStreamInstruction([pikepdf.Array(glyphs)], TJ),
    ]


def _run(font: tuple[str, Any], array: Any) -> _Run | None:
    """Read a ``TJ`` array: each glyph a string, then its kern, then spacing.

    The engine writes letter-spacing as an empty string and a number, after
    each glyph but the last of the text (which may go on in the next run, in
    another font: a run may start with it).  It spaces a character it draws
    no glyph for (the word joiner of "End-\u2060of") as if it were a letter:
    that gap after a hyphen belongs to no letter, is closed, and readers do
    not take it for a space.  Any other form is left alone.
    """
    run = _Run(font[0], font[1], [], [], 0.0)
    spaced: list[list[float]] = []  # the spacings after each glyph
    items = list(array)
    for item, following in zip(items, [*items[1:], None], strict=True):
        if not isinstance(item, pikepdf.String):
            continue
        number = None if isinstance(following, pikepdf.String) else following
        data = bytes(item)
        if not data and number is not None:
            if run.codes:
                spaced[-1].append(float(number))
            else:
                run.lead += float(number)
        elif len(data) == CODE:
            run.codes.append(data)
            run.kerns.append(0.0 if number is None else float(number))
            spaced.append([])
        else:
            return None
    if not run.codes:
        return None
    counts = Counter(round(value, 6) for each in spaced for value in each)
    run.spacing = counts.most_common(1)[0][0] if counts else 0.0
    run.spaced_last = bool(spaced[-1])
    return run


def _to_unicode(font: Any) -> dict[bytes, str]:
    """Return what each code of ``font`` stands for, from its ``/ToUnicode``."""
    if "/ToUnicode" not in font:
        return {}
    return {
        bytes.fromhex(code.decode()): bytes.fromhex(text.decode()).decode("utf-16-be")
        for code, text in BFCHAR.findall(font.ToUnicode.read_bytes())
    }


def _meanings(runs: list[_Run], fonts: Any, written: str) -> list[list[str]] | None:
    """Return what each glyph of each run stands for in ``written``.

    The glyphs must read ``written`` but for case and spaces, each glyph as
    many letters as it draws, in Type0 fonts.
    """
    drawn: list[list[str]] = []
    for run in runs:
        font = fonts.get(run.font)
        known = _to_unicode(font) if font is not None else {}
        if font is None or font.get("/Subtype") != "/Type0":
            return None
        if any(code not in known for code in run.codes):
            return None
        drawn.append([known[code] for code in run.codes])
    letters = "".join(text for texts in drawn for text in texts)
    if len(letters) != len(written) or not _same_letters(letters, written):
        return None
    found: list[list[str]] = []
    position = 0
    for texts in drawn:
        found.append([])
        for text in texts:
            found[-1].append(written[position : position + len(text)])
            position += len(text)
    return found


def _same_letters(drawn: str, written: str) -> bool:
    def folded(text: str) -> str:
        return re.sub(r"\s", " ", text).casefold()

    return folded(drawn) == folded(written)


def _font_copy(
    pdf: pikepdf.Pdf, original: Any, meanings: dict[bytes, str], spacing: float
) -> Any:
    """Return a copy of a Type0 font for one run: ``meanings`` for its codes.

    Its advances are widened by ``spacing`` (a ``TJ`` number: negative widens).
    """
    descendant = original.DescendantFonts[0]
    widths = dict(_widths(descendant))
    default = float(descendant.get("/DW", 1000))
    copy = pikepdf.Dictionary({key: value for key, value in descendant.items()})
    copy.W = pikepdf.Array(
        [
            item
            for code in sorted(meanings)
            for item in (
                int.from_bytes(code, "big"),
                [widths.get(int.from_bytes(code, "big"), default) - spacing],
            )
        ]
    )
    font = pikepdf.Dictionary({key: value for key, value in original.items()})
    font.DescendantFonts = pikepdf.Array([pdf.make_indirect(copy)])
    font.ToUnicode = pdf.make_stream(_cmap(meanings))
    return pdf.make_indirect(font)


def _widths(descendant: Any) -> Iterator[tuple[int, float]]:
    """Yield each code's width from a CID font's ``/W``."""
    items = list(descendant.get("/W", []))
    index = 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            for offset, width in enumerate(items[index + 1]):
                yield first + offset, float(width)
            index += 2
        else:
            last, width = int(items[index + 1]), float(items[index + 2])
            for code in range(first, last + 1):
                yield code, width
            index += 3


def _cmap(meanings: dict[bytes, str]) -> bytes:
    """Return a ``/ToUnicode`` CMap for ``meanings``."""
    entries = [
        f"<{code.hex()}> <{text.encode('utf-16-be').hex()}>"
        for code, text in sorted(meanings.items())
    ]
    blocks = "".join(
        f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar\n"
        for block in (
            entries[start : start + BFCHAR_BLOCK]
            for start in range(0, len(entries), BFCHAR_BLOCK)
        )
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()
