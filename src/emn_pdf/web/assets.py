"""The files a web edition carries: its pictures made for screens, and fonts.

Pictures are made from the originals the edition names, read as a build
reads them (inside the issue folder, or downloaded with ``--allow-remote``)
and checked as pictures are: a raster picture is resampled to a few widths
(``srcset``), an SVG is copied cleaned of anything that could run or load
(it is served from the organisation's site: opened alone, a script in it
would run there), and the e-mail, which no mail client shows SVG in, gets
each picture as PNG or JPEG, SVGs drawn by resvg with the layout's fonts.
Every name is made from the content, so the same inputs give the same files.

Pictures made are kept in the process, and, while a build writes a web
target (:func:`kept_in`), in the output folder's cache, by the digest of
what makes them: a later process (the next build after an edit of the text)
draws and encodes none of them again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree
from PIL import Image, ImageOps

from ..issue.model import is_remote
from ..issue.pictures import (
    MAX_PICTURE_BYTES,
    check_picture,
    check_picture_data,
    check_resource,
)
from ..layout.layouts import UNIT_MM, Layout
from ..machinery import cache
from ..machinery.files import contained, read_bounded
from ..machinery.remote import Remote

#: The widths a raster picture is offered at (``srcset``), in pixels; a
#: picture is never enlarged beyond its own.
WIDTHS = (480, 960, 1440, 1920)
JPEG_QUALITY = 82
#: What an SVG may refer to and keep: its own parts, and pictures it holds.
SAFE_REFERENCE = re.compile(r"#|data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)
#: Elements of an SVG that run, load or animate addresses: dropped.
UNSAFE_ELEMENTS = {
    "script", "foreignObject", "iframe", "object", "embed", "handler",
    "listener", "set", "animate", "animateMotion", "animateTransform",
}  # fmt: skip
CSS_URL = re.compile(r"url\(\s*['\"]?(?!#)[^)]*\)|@import[^;]*;?", re.IGNORECASE)
#: CSS pixels per unit of an SVG's width and height.
PX_PER_UNIT = {unit: mm * 96 / 25.4 for unit, mm in UNIT_MM.items()} | {"": 1.0}
SVG_LENGTH = re.compile(r"\s*([0-9.]+)\s*(px|pt|mm|cm|in)?\s*")


@dataclass(frozen=True)
class Asset:
    """A file of a web edition: its path inside the edition's folder, its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Picture:
    """A picture of the edition made for screens: its copies, narrowest first."""

    copies: tuple[Asset, ...]
    widths: tuple[int, ...]
    width: int  # of the widest copy, in CSS pixels
    height: int

    @property
    def widest(self) -> Asset:
        """Return the copy with the most pixels."""
        return self.copies[-1]

    def srcset(self, prefix: str = "") -> str:
        """Return the ``srcset`` of a raster picture; nothing for one SVG."""
        if len(self.copies) == 1 and self.widest.name.endswith(".svg"):
            return ""
        return ", ".join(
            f"{prefix}{copy.name} {width}w"
            for copy, width in zip(self.copies, self.widths, strict=True)
        )


def original(issue_dir: Path, src: str, remote: Remote | None) -> bytes:
    """Return the bytes of the picture ``src`` names, checked as a picture.

    ``ValueError`` says why not: outside the issue folder, not a picture,
    or a web address without ``--allow-remote``.
    """
    name = PurePosixPath(src).name
    if is_remote(src):
        if remote is None:
            raise ValueError("a picture given by web address needs --allow-remote")
        data, mime_type = remote.fetch(src)
        check_resource(name, data, mime_type)
        return data
    path = contained(issue_dir, src)
    if path is None:
        raise ValueError("not found inside the issue folder")
    data = read_bounded(path, MAX_PICTURE_BYTES)
    check_picture(path)  # once per version of the file, as validation did
    return data


#: The pictures made in this process, by what they were made from: a rebuild
#: (``watch``, the next edition, the e-mail after the page) resamples nothing.
_MADE: dict[tuple[object, ...], Picture] = {}
MADE_KEPT = 256
#: The output folder whose cache keeps the pictures made, while a build
#: writes a web target there; ``None``: kept in the process only.
_KEPT_IN: ContextVar[Path | None] = ContextVar("pictures_kept_in", default=None)
#: The cache's folder for pictures (``<out>/.emn-pdf-cache/pictures/``).
KEPT_KIND = "pictures"
KEPT_NAME = re.compile(r"pictures/[A-Za-z0-9_-]+\.(jpg|png|svg)")


@contextmanager
def kept_in(out_dir: Path) -> Iterator[None]:
    """Keep the pictures made meanwhile in ``out_dir``'s cache, and reuse them."""
    token = _KEPT_IN.set(out_dir)
    try:
        yield
    finally:
        _KEPT_IN.reset(token)


def _made_once(
    key: tuple[object, ...],
    make: Callable[[], Picture],
    inputs: Callable[[], list[str]],
) -> Picture:
    """Return ``make()``, made once per ``key`` in the process.

    ``inputs`` says, by content, all that makes the picture: the key of its
    entry in the output folder's cache, when there is one (:func:`kept_in`).
    """
    if key not in _MADE:
        if len(_MADE) >= MADE_KEPT:
            _MADE.clear()
        out_dir = _KEPT_IN.get()
        _MADE[key] = make() if out_dir is None else _cached(out_dir, inputs(), make)
    return _MADE[key]


def _cached(out_dir: Path, inputs: list[str], make: Callable[[], Picture]) -> Picture:
    """Return the picture the cache keeps for ``inputs``, or make and keep it.

    A damaged entry (cut short, edited, crafted) is discarded and made again.
    """
    digest = hashlib.sha256()
    for value in [*inputs, *_versions(), cache.own_code_digest()]:
        digest.update(value.encode() + b"\0")
    key = digest.hexdigest()
    data = cache.kept(out_dir, KEPT_KIND, key)
    if data is not None:
        picture = _from_json(data, key)
        if picture is not None:
            return picture
        cache.discard_kept(out_dir, KEPT_KIND, key)
    picture = make()
    cache.keep(out_dir, KEPT_KIND, key, _as_json(picture, key))
    return picture


def _versions() -> list[str]:
    """Return the versions of what draws, resamples and encodes the pictures."""
    import resvg_py
    from lxml import etree
    from PIL import __version__ as pillow

    resvg = getattr(resvg_py, "__version__", "")
    return [f"resvg-py={resvg}", f"pillow={pillow}", f"lxml={etree.__version__}"]


def _as_json(picture: Picture, key: str) -> bytes:
    """Return a picture as its cache entry holds it, its files' digests with them."""
    entry = {
        "key": key,
        "copies": [
            {
                "name": copy.name,
                "sha256": hashlib.sha256(copy.data).hexdigest(),
                "data": base64.b64encode(copy.data).decode("ascii"),
            }
            for copy in picture.copies
        ],
        "widths": list(picture.widths),
        "width": picture.width,
        "height": picture.height,
    }
    return json.dumps(entry).encode("utf-8")


def _from_json(data: bytes, key: str) -> Picture | None:
    """Return the picture of a cache entry; ``None``: not one this code wrote."""
    try:
        entry = json.loads(data)
        copies = tuple(_copy_from_json(copy) for copy in entry["copies"])
        widths = tuple(entry["widths"])
        picture = Picture(copies, widths, entry["width"], entry["height"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    sizes = [*widths, picture.width, picture.height]
    sound = (
        entry.get("key") == key
        and copies
        and len(copies) == len(widths)
        and all(type(size) is int and size > 0 for size in sizes)
    )
    return picture if sound else None


def _copy_from_json(copy: dict[str, Any]) -> Asset:
    """Return a copy of a cache entry, its name and bytes checked."""
    name, data = copy["name"], base64.b64decode(copy["data"], validate=True)
    if not (isinstance(name, str) and KEPT_NAME.fullmatch(name)):
        raise ValueError("not a picture's name")
    if hashlib.sha256(data).hexdigest() != copy["sha256"]:
        raise ValueError("not the bytes kept")
    return Asset(name, data)


def _inputs(kind: str, src: str, data: bytes, *settings: str) -> list[str]:
    """Return what makes a picture, by content: the key of its cache entry."""
    digest = hashlib.sha256(data).hexdigest()
    return [kind, _stem(src, data), digest, str(JPEG_QUALITY), *settings]


def screen_picture(src: str, data: bytes) -> Picture:
    """Return the picture for the web page: raster copies by width, or a clean SVG."""
    key = ("screen", _stem(src, data), WIDTHS)
    return _made_once(
        key,
        lambda: _screen_picture(src, data),
        lambda: _inputs("screen", src, data, repr(WIDTHS)),
    )


def _screen_picture(src: str, data: bytes) -> Picture:
    stem = _stem(src, data)
    if _is_svg(data):
        clean = clean_svg(data)
        width, height = svg_size(clean)
        return Picture((Asset(f"pictures/{stem}.svg", clean),), (width,), width, height)
    with _opened(data) as image:
        widths = [width for width in WIDTHS if width < image.width]
        widths.append(min(image.width, WIDTHS[-1]))
        copies = tuple(_resized(image, stem, width) for width in widths)
        height = round(image.height * widths[-1] / image.width)
    return Picture(copies, tuple(widths), widths[-1], height)


def mail_picture(src: str, data: bytes, width: int, layout: Layout) -> Picture:
    """Return the picture for the e-mail: one PNG or JPEG at most ``width`` wide.

    An SVG is drawn by resvg with the layout's fonts only (no system font:
    the same bytes on any machine).
    """
    fonts = tuple(str(layout.font_path(face)) for face in layout.theme.fonts)
    family = layout.theme.type.body_font
    key = ("mail", _stem(src, data), width, fonts, family)
    return _made_once(
        key,
        lambda: _mail_picture(src, data, width, fonts, family),
        lambda: _inputs("mail", src, data, str(width), family, *_digests(fonts)),
    )


def _digests(paths: tuple[str, ...]) -> list[str]:
    """Return the digests of files' contents, in their order."""
    return [cache.content_digest(Path(path)) for path in paths]


def _mail_picture(
    src: str, data: bytes, width: int, fonts: tuple[str, ...], family: str
) -> Picture:
    stem = _stem(src, data)
    if _is_svg(data):
        clean = clean_svg(data).decode("utf-8")
        natural = svg_size(clean.encode())
        pixels = min(width, max(natural[0], 1) * 2)
        data = _drawn_svg(clean, pixels, list(fonts), family)
    with _opened(data) as image:
        pixels = min(image.width, width)
        copy = _resized(image, stem, pixels)
        height = round(image.height * pixels / image.width)
    return Picture((copy,), (pixels,), pixels, height)


def _drawn_svg(svg: str, width: int, fonts: list[str], family: str) -> bytes:
    """Return ``svg`` drawn as PNG, ``width`` pixels wide (resvg)."""
    import resvg_py

    try:
        return resvg_py.svg_to_bytes(
            svg_string=svg,
            width=width,
            skip_system_fonts=True,
            font_files=fonts,
            font_family=family,
        )
    except ValueError as error:
        raise ValueError(f"cannot be drawn ({error})") from None


def _stem(src: str, data: bytes) -> str:
    """Return a file name stem for ``src`` that its content makes unique."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", PurePosixPath(src).stem).strip("-")
    return f"{name[:40] or 'picture'}-{hashlib.sha256(data).hexdigest()[:10]}"


def _is_svg(data: bytes) -> bool:
    return data.lstrip()[:1] == b"<"


class _opened:
    """Open a checked raster picture upright (as its camera held it), decoded."""

    def __init__(self, data: bytes) -> None:
        self.image = Image.open(io.BytesIO(data))

    def __enter__(self) -> Image.Image:
        upright = ImageOps.exif_transpose(self.image)
        alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        return upright.convert("RGBA" if alpha else "RGB")

    def __exit__(self, *exc_info: object) -> None:
        self.image.close()


def _resized(image: Image.Image, stem: str, width: int) -> Asset:
    """Return ``image`` at ``width`` pixels: JPEG, or PNG if it is transparent."""
    if width != image.width:
        height = max(round(image.height * width / image.width), 1)
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if image.mode == "RGBA":
        image.save(output, "PNG", optimize=False)
        suffix = "png"
    else:
        image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True)
        suffix = "jpg"
    return Asset(f"pictures/{stem}-{width}.{suffix}", output.getvalue())


def clean_svg(data: bytes) -> bytes:
    """Return an SVG without what could run or load anything when opened alone.

    Scripts, foreign HTML, animations (which can set an address), event
    attributes, references to anything but its own parts and the pictures
    it holds, and CSS ``url()`` or ``@import`` to anything else are dropped.
    A picture an SVG holds gets the picture checks; one that fails is dropped.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )
    root = etree.fromstring(data, parser)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname in UNSAFE_ELEMENTS:
            _drop(element)
            continue
        _clean_attributes(element)
        if etree.QName(element).localname == "style" and element.text:
            element.text = CSS_URL.sub("none", element.text)
    cleaned: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return cleaned


def _drop(element: etree._Element) -> None:
    """Remove ``element`` from its tree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    element.tail = None  # text between SVG elements draws nothing
    parent.remove(element)


def _clean_attributes(element: etree._Element) -> None:
    """Drop an element's event attributes, and references it may not keep."""
    for attribute, value in list(element.attrib.items()):
        name = etree.QName(attribute).localname.lower()
        if name.startswith("on") or (name == "href" and not _kept(value)):
            del element.attrib[attribute]
        elif "url(" in value.lower() or "@import" in value.lower():
            element.set(attribute, CSS_URL.sub("none", value))


def _kept(reference: str) -> bool:
    """Tell whether an SVG may keep a reference: its own part, or a sound picture."""
    reference = reference.strip()
    match = SAFE_REFERENCE.match(reference)
    if match is None:
        return False
    if reference.startswith("#"):
        return True
    try:
        data = base64.b64decode(reference[match.end() :], validate=False)
        check_picture_data(f"inner.{match[1].lower()}", data)
    except ValueError:
        return False
    return True


def svg_size(svg: bytes) -> tuple[int, int]:
    """Return an SVG's size in CSS pixels: its width and height, else its viewBox."""
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False))
    sizes = [_length(root.get(name)) for name in ("width", "height")]
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if None in sizes and len(box) == 4:
        width, height = float(box[2]), float(box[3])
        if sizes[0] is not None and width:
            return round(sizes[0]), round(sizes[0] * height / width)
        return round(width) or 300, round(height) or 150
    return round(sizes[0] or 300), round(sizes[1] or 150)


def _length(value: str | None) -> float | None:
    """Return an SVG length in CSS pixels, or ``None`` (absent, or a percentage)."""
    match = SVG_LENGTH.fullmatch(value or "")
    if match is None:
        return None
    return float(match[1]) * PX_PER_UNIT[match[2] or ""]


def font_files(layout: Layout) -> dict[str, Path]:
    """Return the layout's font files for screens, by their name in ``fonts/``.

    A WOFF2 file beside a font file (``Inter-Regular.woff2``, made by
    ``scripts/make_web_fonts.py``) is the font for screens, a fraction of
    its size; without one, the font file itself.  Each folder's licence
    goes with its fonts.
    """
    found: dict[str, Path] = {}
    for face in layout.theme.fonts:
        path = layout.font_path(face)
        chosen = contained(path.parent, f"{path.stem}.woff2") or path
        found[chosen.name] = chosen
        if (licence := contained(path.parent, "LICENSE")) is not None:
            found[f"{path.parent.name}-LICENSE.txt"] = licence
    return found
