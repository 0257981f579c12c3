"""Make the WOFF2 fonts of the web page from the fonts in fonts/ (run after changing them).

The web page (``--target html``) uses ``<name>.woff2`` beside each font file
when there is one: the letters of the Latin script of European languages, with
punctuation, currency and the marks the typography uses, a sixth of the font
file's size.  A letter outside them falls back on the reader's own fonts.
Subsetting takes a second per face: done here once, not at each build.

    .venv/bin/python scripts/make_web_fonts.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
#: Basic Latin to Latin Extended-B, spacing and combining marks, the French
#: ordinal's ᵉ and ʳ, punctuation, super- and subscripts, currency, letterlike
#: symbols, arrows, a few operators, ligatures.
RANGES = (
    "U+0000-024F,U+02B0-036F,U+1D49,U+02B3,U+2000-206F,U+2070-209F,U+20A0-20CF,"
    "U+2100-2152,U+2190-2199,U+2212,U+2215,U+FB00-FB06,U+FFFD"
)


def web_font(path: Path) -> Path:
    """Write the WOFF2 subset of the font at ``path`` beside it; return its path."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options, dontLoadGlyphNames=True)
    font.recalcTimestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(RANGES))
    subsetter.subset(font)
    target = path.with_suffix(".woff2")
    subset.save_font(font, str(target), options)
    return target


if __name__ == "__main__":
    for font in sorted((ROOT / "fonts").glob("*/*.[ot]tf")):
        made = web_font(font)
        print(f"{made.relative_to(ROOT)}  {made.stat().st_size // 1024} KiB")
