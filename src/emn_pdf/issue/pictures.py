"""Checking a picture file before anything decodes it for real.

Pictures come from editors' cameras, e-mails and web sites.  A file that is too
big, is not the picture its name says, is truncated, or decompresses into a
gigantic bitmap (a "decompression bomb") is refused here, at validation, with a
message naming it, instead of stalling or crashing the layout engine later.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

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
    """Raise ``ValueError`` saying what is wrong with the picture at ``path``."""
    _check_size(path.name, path.stat().st_size)
    check_picture_data(path.name, path.read_bytes())


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
    an SVG gets the SVG checks, anything Pillow recognises the size checks
    (reading the header only), anything else (CSS, fonts) passes.
    """
    _check_size(name, len(data))
    if is_svg(data, mime_type):
        _check_svg(name, data)
        return
    expected = FORMATS.get(PurePosixPath(name).suffix.lower())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if expected is not None:
                    _check_header(name, image, expected)
                _check_pixels(name, image)
        except Image.DecompressionBombError:
            raise ValueError(f"{name} is too large once decoded") from None
        except UnidentifiedImageError:
            if mime_type.startswith("image/"):
                raise ValueError(f"{name} is not a picture Pillow can read") from None


def _check_size(name: str, size: int) -> None:
    if size > MAX_PICTURE_BYTES:
        limit = MAX_PICTURE_BYTES // (1024 * 1024)
        raise ValueError(f"{name} is {size / 1e6:.0f} MB, more than {limit} MiB")


def _check_svg(name: str, data: bytes) -> None:
    if b"<!ENTITY" in data:
        raise ValueError(f"{name} declares XML entities, which are not allowed")
    if not SVG_START.match(data):
        raise ValueError(f"{name} is not an SVG picture")


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
    if image.format not in FORMATS.values() or expected not in (None, image.format):
        raise ValueError(
            f"{name} is a {image.format} file, not {expected or 'a picture'}"
            " as its name says"
        )
    _check_pixels(name, image)


def _check_pixels(name: str, image: Image.Image) -> None:
    if image.width * image.height > MAX_PIXELS:
        megapixels = image.width * image.height / 1e6
        raise ValueError(
            f"{name} has {megapixels:.0f} megapixels, "
            f"more than {MAX_PIXELS // 1_000_000}"
        )
