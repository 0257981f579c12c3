"""Checking a picture file before anything decodes it for real.

Pictures come from editors' cameras, e-mails and web sites.  A file that is too
big, is not the picture its name says, is truncated, or decompresses into a
gigantic bitmap (a "decompression bomb") is refused here, at validation, with a
message naming it, instead of stalling or crashing the layout engine later.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from lxml import etree
from PIL import Image, ImageFile, UnidentifiedImageError

#: Largest picture file accepted (a full-page photo at 300 dpi is ~10 MB).
MAX_PICTURE_BYTES = 25 * 1024 * 1024
#: Largest bitmap accepted once decoded: 60 megapixels, A3 at 400 dpi.
MAX_PIXELS = 60_000_000
FORMATS = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".webp": "WEBP",
    ".gif": "GIF",
}
SVG_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.DOTALL
)


def check_picture(path: Path) -> None:
    """Raise ``ValueError`` saying what is wrong with the picture at ``path``.

    Decoded once per version of the file: an edition showing one photo a
    thousand times checks it once.
    """
    status = path.stat()
    _check_size(path.name, status.st_size)
    version = (path.resolve(), status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    _remembered(
        ("file", *version), lambda: check_picture_data(path.name, path.read_bytes())
    )


def check_picture_data(name: str, data: bytes) -> None:
    """Check a picture's bytes; ``name`` (with its suffix) says what it claims."""
    _check_size(name, len(data))
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".svg":
        _check_svg(name, data)
    else:
        _check_raster(name, data, FORMATS.get(suffix))


def is_svg(data: bytes, mime_type: str) -> bool:
    """Tell whether WeasyPrint would read ``data`` as an SVG picture."""
    return mime_type == "image/svg+xml" or bool(SVG_START.match(data))


def check_resource(name: str, data: bytes, mime_type: str) -> None:
    """Check any file a build reads as the picture it could be drawn as.

    WeasyPrint decides what a resource is by its content (a picture inside
    an SVG is "image/*" whatever its name), so the content decides here too:
    an SVG gets the SVG checks, anything Pillow recognises the checks of a
    picture (one of the formats pictures may have, decoded whole within the
    limits: a BMP or a TIFF inside an SVG is no way round them), anything
    else (CSS, fonts) passes.  Once per content, in a process.
    """
    digest = hashlib.sha256(data).digest()
    _remembered(
        ("resource", name, mime_type, digest),
        lambda: _check_resource(name, data, mime_type),
    )


def _check_resource(name: str, data: bytes, mime_type: str) -> None:
    _check_size(name, len(data))
    if is_svg(data, mime_type):
        _check_svg(name, data)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            Image.open(io.BytesIO(data)).close()
        except Image.DecompressionBombError:
            raise ValueError(f"{name} is too large once decoded") from None
        except UnidentifiedImageError:
            if mime_type.startswith("image/"):
                raise ValueError(f"{name} is not a picture Pillow can read") from None
            return
    _check_raster(name, data, FORMATS.get(PurePosixPath(name).suffix.lower()))


#: What each file or content checked in this process was found to be: the
#: reason it was refused, or ``None``.  Decoding is most of a picture's check.
_VERDICTS: dict[tuple[object, ...], str | None] = {}
VERDICTS_KEPT = 1024


def _remembered(key: tuple[object, ...], check: Callable[[], None]) -> None:
    """Run ``check`` once per ``key`` (and per limits); repeat what it said."""
    key = (*key, MAX_PICTURE_BYTES, MAX_PIXELS)
    if key not in _VERDICTS:
        if len(_VERDICTS) >= VERDICTS_KEPT:
            _VERDICTS.clear()
        try:
            check()
            _VERDICTS[key] = None
        except ValueError as error:
            _VERDICTS[key] = str(error)
    if (reason := _VERDICTS[key]) is not None:
        raise ValueError(reason)


def _check_size(name: str, size: int) -> None:
    if size > MAX_PICTURE_BYTES:
        limit = MAX_PICTURE_BYTES // (1024 * 1024)
        raise ValueError(f"{name} is {size / 1e6:.0f} MB, more than {limit} MiB")


def _check_svg(name: str, data: bytes) -> None:
    if b"<!ENTITY" in data:
        raise ValueError(f"{name} declares XML entities, which are not allowed")
    if not SVG_START.match(data):
        raise ValueError(f"{name} is not an SVG picture")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"{name} is not well-formed SVG: {error.msg}") from None


def _check_raster(name: str, data: bytes, expected: str | None) -> None:
    """Read the header, then decode the whole bitmap once it is known to fit."""
    # WeasyPrint lets Pillow decode truncated files (ImageFile.
    # LOAD_TRUNCATED_IMAGES); a picture checked here must be whole.
    with warnings.catch_warnings(), _strict_decoding():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                _check_header(name, image, expected)
                image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ValueError(f"{name} is too large once decoded") from None
        except UnidentifiedImageError:
            raise ValueError(f"{name} is not a picture Pillow can read") from None
        except (OSError, SyntaxError) as error:
            raise ValueError(f"{name} is damaged or truncated ({error})") from None


@contextmanager
def _strict_decoding() -> Iterator[None]:
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _check_header(name: str, image: Image.Image, expected: str | None) -> None:
    if image.format not in FORMATS.values():
        accepted = ", ".join(dict.fromkeys(FORMATS.values()))
        raise ValueError(
            f"{name} is a {image.format} file; a picture is one of {accepted}"
        )
    if expected not in (None, image.format):
        raise ValueError(
            f"{name} is a {image.format} file, not {expected} as its name says"
        )
    _check_pixels(name, image)


def _check_pixels(name: str, image: Image.Image) -> None:
    if image.width * image.height > MAX_PIXELS:
        megapixels = image.width * image.height / 1e6
        raise ValueError(
            f"{name} has {megapixels:.0f} megapixels, "
            f"more than {MAX_PIXELS // 1_000_000}"
        )


#: A number as SVG writes one: "12", "-.5", "1e3".
SVG_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def picture_shape(path: Path) -> float | None:
    """Return a checked picture's height over its width, ``None`` if unknown.

    Layouts bound a picture's box by it, so that no crop goes beyond the
    limits (``layouts/README.md``); an SVG's view box gives its shape, else
    its width and height when both are numbers.
    """
    if path.suffix.lower() != ".svg":
        with Image.open(path) as image:
            return image.height / image.width if image.width else None
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(path, parser).getroot()
    if view_box := root.get("viewBox"):
        sizes = _view_box(view_box)[2:4]
    else:
        sizes = [_svg_number(root.get(name)) for name in ("width", "height")]
    return sizes[1] / sizes[0] if len(sizes) == 2 and all(sizes) else None


def picture_pixels(path: Path) -> int | None:
    """Return a checked bitmap's width in pixels; ``None`` for an SVG (vector)."""
    if path.suffix.lower() == ".svg":
        return None
    with Image.open(path) as image:
        return image.width


def _svg_number(value: str | None) -> float:
    match = SVG_NUMBER.match((value or "").strip())
    return float(match.group()) if match else 0.0


def _view_box(value: str) -> list[float]:
    """Return a view box's four numbers, none if it is not four numbers."""
    numbers = [float(n) for n in SVG_NUMBER.findall(value)]
    return numbers if len(numbers) == 4 else []


#: CSS pixels per inch, by which a bitmap's pixels give its resolution.
CSS_PX_PER_INCH = 96
#: Below this, print is read with a magnifier: 6 pt, in CSS pixels.  No text
#: of a layout is smaller, nor a chart's where the page is wide enough.
MIN_PRINT_TEXT = 8.0
#: CSS's initial font size, which an SVG's text takes when nothing sets one.
SVG_DEFAULT_FONT_SIZE = 16.0
#: CSS pixels per unit of the absolute lengths a font size may be given in.
CSS_UNITS = {
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "in": 96.0,
}
FONT_SIZE = re.compile(
    r"(?<![-\w])font-size\s*:\s*([^;}]+)"
    r"|(?<![-\w])font\s*:[^;}]*?([\d.]+(?:px|pt|pc|mm|cm|in|em|%))"
)
CLASS_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")
#: The elements that draw text.
SVG_TEXT = ("text", "tspan", "textPath")
SCALING = re.compile(r"(matrix|scale)\s*\(([^)]*)\)")


def svg_text_share(path: Path) -> float | None:
    """Return the smallest text of an SVG picture over its width, ``None`` if none.

    A chart's labels print at this share of the picture's printed width: a
    label of 14 units in a view box 800 wide is 4 pt in a column 57 mm wide.
    Sizes come from ``font-size`` attributes, ``style`` attributes and the
    picture's own class rules, inherited as CSS inherits them, and scaled by
    the ``scale`` and ``matrix`` transforms around the text.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(path, parser).getroot()
    width = _view_width(root)
    classes = _class_sizes(root)
    sizes = [
        size
        for element, size in _text_sizes(root, SVG_DEFAULT_FONT_SIZE, 1.0, classes)
        if etree.QName(element).localname in SVG_TEXT and _draws_text(element)
    ]
    return min(sizes) / width if sizes and width else None


def _draws_text(element: etree._Element) -> bool:
    """Tell whether a text element draws characters of its own, not its children's."""
    return bool((element.text or "").strip()) or any(
        (child.tail or "").strip() for child in element
    )


def _view_width(root: etree._Element) -> float:
    """Return the width of the SVG's own units: its view box's, else its width."""
    if view_box := root.get("viewBox"):
        numbers = _view_box(view_box)
        return numbers[2] if numbers else 0.0
    return _svg_number(root.get("width"))


def _class_sizes(root: etree._Element) -> dict[str, str]:
    """Return the font size each class of the picture's ``<style>`` rules sets."""
    rules = " ".join(
        style.text or "" for style in root.iter("{http://www.w3.org/2000/svg}style")
    )
    return {
        name: size
        for name, body in CLASS_RULE.findall(rules)
        if (size := _declared_size(body)) is not None
    }


def _text_sizes(
    element: etree._Element, inherited: float, scale: float, classes: dict[str, str]
) -> Iterator[tuple[etree._Element, float]]:
    """Yield each element with the font size it draws at, in the root's units."""
    declared = [classes.get(name) for name in (element.get("class") or "").split()]
    declared += [element.get("font-size"), _declared_size(element.get("style") or "")]
    size = inherited
    for value in declared:
        if value is not None:
            size = _font_size(value, size)
    scale *= _transform_scale(element.get("transform") or "")
    yield element, size * scale
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_sizes(child, size, scale, classes)


def _declared_size(declarations: str) -> str | None:
    """Return the font size a CSS declaration block sets, if it sets one."""
    match = FONT_SIZE.search(declarations)
    return None if match is None else (match.group(1) or match.group(2)).strip()


def _font_size(value: str, inherited: float) -> float:
    """Return a CSS font size in user units; what is not understood inherits."""
    match = re.fullmatch(rf"({SVG_NUMBER.pattern})\s*([a-z%]*)", value.strip().lower())
    if match is None or float(match.group(1)) < 0:
        return inherited
    number, unit = float(match.group(1)), match.group(2)
    if unit in ("em", "%"):
        return number * inherited / (100 if unit == "%" else 1)
    return number * CSS_UNITS.get(unit or "px", 0.0) or inherited


def _transform_scale(transform: str) -> float:
    """Return how much a ``transform`` scales text: the root of its area's change."""
    scale = 1.0
    for kind, arguments in SCALING.findall(transform):
        numbers = [float(n) for n in SVG_NUMBER.findall(arguments)]
        if kind == "scale" and numbers:
            scale *= abs(numbers[0] * numbers[-1]) ** 0.5
        elif kind == "matrix" and len(numbers) == 6:
            scale *= abs(numbers[0] * numbers[3] - numbers[1] * numbers[2]) ** 0.5
    return scale
