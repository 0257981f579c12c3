"""Every file WeasyPrint reads goes through here, and only from allowed folders.

A build may read the issue folder, its layout folder and the fonts; nothing
else (a ``..`` or a symbolic link that leads out is refused, as the resolved
path decides), and nothing from the network unless the user allows remote
pictures, which are then downloaded within a time and size limit.  Raster
pictures for the web edition are also re-encoded as JPEG on the way in (small
files); print pictures are converted and resampled later, in the written PDF
(``press.py``), once their printed size is known.
"""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname, urlopen

from PIL import Image
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .pictures import check_picture_data

#: Picture formats that are re-encoded (SVG stays vector).
RASTER_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
WEB_JPEG_QUALITY = 82

#: Inline data a layout may embed in its CSS (a small icon, not a photo).
MAX_DATA_URL = 64 * 1024
#: Remote pictures, when allowed: how long to wait, how much to accept.
REMOTE_TIMEOUT = 10
MAX_REMOTE_BYTES = 10 * 1024 * 1024

#: Prefix of the URL of a converted picture, so that it is not read again.
CONVERTED = "emn-pdf-converted:"

Converter = Callable[[bytes], tuple[bytes, str]]


class RefusedResource(FatalURLFetchingError):
    """A resource a build may not read; it stops the build with this message."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{_shown(url)}: {reason}")
        self.url = url
        self.reason = reason


class BuildFetcher(URLFetcher):
    """Serve files below ``roots``; the network only when ``allow_remote``.

    ``data:`` URLs (a layout may inline a small picture in its CSS) are
    served up to :data:`MAX_DATA_URL` characters; any other scheme is refused.
    """

    def __init__(
        self,
        roots: Sequence[Path],
        convert: Converter | None = None,
        allow_remote: bool = False,
    ) -> None:
        super().__init__(fail_on_errors=True, timeout=REMOTE_TIMEOUT)
        self.roots = [root.resolve() for root in roots]
        self.convert = convert
        self.allow_remote = allow_remote

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Return the resource behind ``url``, prepared for the target."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = self.allowed_path(url)
            body = path.read_bytes()
            mime_type = mimetypes.guess_type(path.name)[0]
        elif scheme == "data" and len(url) <= MAX_DATA_URL:
            with urlopen(url) as response:
                body, mime_type = response.read(), response.headers.get_content_type()
        elif scheme in {"http", "https"} and self.allow_remote:
            body, mime_type = self.remote(url)
        else:
            raise RefusedResource(url, _refusal(scheme, self.allow_remote))
        return self.prepared(url, body, mime_type or "application/octet-stream")

    def prepared(self, url: str, body: bytes, mime_type: str) -> URLFetcherResponse:
        """Convert raster pictures for the target on their way to WeasyPrint."""
        if self.convert is not None and mime_type in RASTER_TYPES:
            body, mime_type = self.convert(body)
            # WeasyPrint re-reads a file: URL from disk (upstream images.py,
            # LazyLocalImage), which would drop the conversion.
            url = f"{CONVERTED}{url}"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    def allowed_path(self, url: str) -> Path:
        """Return the local file of ``url`` if a build may read it."""
        path = Path(url2pathname(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedResource(url, "outside the issue, layout and font folders")
        if not path.is_file():
            raise RefusedResource(url, "file not found")
        return path

    def remote(self, url: str) -> tuple[bytes, str]:
        """Download a picture, within the time and size limits."""
        try:
            with urlopen(url, timeout=REMOTE_TIMEOUT) as response:
                body = response.read(MAX_REMOTE_BYTES + 1)
                mime_type = response.headers.get_content_type()
        except (OSError, ValueError) as error:
            raise RefusedResource(url, f"download failed ({error})") from None
        if len(body) > MAX_REMOTE_BYTES:
            limit = MAX_REMOTE_BYTES // (1024 * 1024)
            raise RefusedResource(url, f"larger than {limit} MiB")
        if mime_type not in RASTER_TYPES | {"image/svg+xml"}:
            raise RefusedResource(url, f"not a picture ({mime_type})")
        name = "remote" + (mimetypes.guess_extension(mime_type) or "")
        try:
            check_picture_data(name, body)
        except ValueError as error:
            raise RefusedResource(url, str(error)) from None
        return body, mime_type


def _refusal(scheme: str, allow_remote: bool) -> str:
    if scheme == "data":
        return f"inline data larger than {MAX_DATA_URL} characters"
    if scheme in {"http", "https"}:
        return "remote resources need --allow-remote"
    return f"{scheme or 'this kind of'} address not allowed"


def _shown(url: str) -> str:
    """Return ``url`` short enough for a message (data: URLs can be huge)."""
    return url if len(url) <= 120 else url[:100] + "…"


def web_raster(data: bytes) -> tuple[bytes, str]:
    """Re-encode an opaque raster picture as JPEG; keep transparent ones."""
    image = Image.open(io.BytesIO(data))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        return data, Image.MIME.get(image.format or "", "image/png")
    output = io.BytesIO()
    image.convert("RGB").save(output, "JPEG", quality=WEB_JPEG_QUALITY, optimize=True)
    return output.getvalue(), "image/jpeg"
