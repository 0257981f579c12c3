"""Every file WeasyPrint reads goes through here, and only from allowed folders.

A build may read the issue folder, its layout folder and the fonts; nothing
else, and nothing from the network.  Raster pictures are also prepared for
their destination on the way in: re-encoded as JPEG for the web edition (small
files), converted to the printer's CMYK profile for the print edition.
"""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from PIL import Image, ImageCms
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

#: Picture formats that are re-encoded (SVG stays vector).
RASTER_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
WEB_JPEG_QUALITY = 82
PRINT_JPEG_QUALITY = 92

#: Prefix of the URL of a converted picture, so that it is not read again.
CONVERTED = "emn-pdf-converted:"

Converter = Callable[[bytes], tuple[bytes, str]]


class RefusedResource(FatalURLFetchingError):
    """A resource outside the folders a build may read (stops the build)."""


class BuildFetcher(URLFetcher):
    """Serve ``file:`` URLs below ``roots``; refuse everything else."""

    def __init__(self, roots: Sequence[Path], convert: Converter | None = None) -> None:
        super().__init__(fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.convert = convert

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Return the file behind ``url``, prepared for the target."""
        path = self.allowed_path(url)
        body = path.read_bytes()
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if self.convert is not None and mime_type in RASTER_TYPES:
            body, mime_type = self.convert(body)
            # WeasyPrint re-reads a file: URL from disk (upstream images.py,
            # LazyLocalImage), which would drop the conversion.
            url = f"{CONVERTED}{url}"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    def allowed_path(self, url: str) -> Path:
        """Return the local file of ``url`` if a build may read it."""
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise RefusedResource(f"{url}: only local files are allowed")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedResource(f"{path}: outside the issue, layout and font folders")
        if not path.is_file():
            raise RefusedResource(f"{path}: file not found")
        return path


def web_raster(data: bytes) -> tuple[bytes, str]:
    """Re-encode an opaque raster picture as JPEG; keep transparent ones."""
    image = Image.open(io.BytesIO(data))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        return data, Image.MIME.get(image.format or "", "image/png")
    output = io.BytesIO()
    image.convert("RGB").save(output, "JPEG", quality=WEB_JPEG_QUALITY, optimize=True)
    return output.getvalue(), "image/jpeg"


def print_raster(profile: Path) -> Converter:
    """Return a converter of raster pictures to the printer's CMYK profile."""
    transform = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.getOpenProfile(str(profile)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    )

    def convert(data: bytes) -> tuple[bytes, str]:
        image = Image.open(io.BytesIO(data)).convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        cmyk = ImageCms.applyTransform(flat, transform)
        assert cmyk is not None
        output = io.BytesIO()
        cmyk.save(output, "JPEG", quality=PRINT_JPEG_QUALITY)
        return output.getvalue(), "image/jpeg"

    return convert
