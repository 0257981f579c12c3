"""Every file WeasyPrint reads goes through here, and only from allowed folders.

A build may read the issue folder, its layout folder and the fonts; nothing
else (a ``..`` or a symbolic link that leads out is refused, as the resolved
path decides), and nothing from the network unless the user allows remote
pictures, which are then downloaded as :mod:`emn_pdf.machinery.remote` allows.  Raster
pictures for the web edition are also re-encoded as JPEG on the way in (small
files); print pictures are converted and resampled later, in the written PDF
(``press.py``), once their printed size is known.
"""

from __future__ import annotations

import io
import mimetypes
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urljoin, urlsplit
from urllib.request import url2pathname, urlopen

from PIL import Image
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..issue.errors import UserError
from ..issue.pictures import MAX_PICTURE_BYTES, check_resource, is_svg
from .files import read_bounded
from .remote import Remote

#: Picture formats that are re-encoded (SVG stays vector).
RASTER_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
WEB_JPEG_QUALITY = 82

#: Inline data a layout may embed in its CSS (a small icon, not a photo).
MAX_DATA_URL = 64 * 1024
#: Largest file a build reads (a font, a profile, a picture).
MAX_RESOURCE_BYTES = MAX_PICTURE_BYTES
#: What an SVG may refer to: an ``href`` (pictures, other SVGs) or a CSS ``url()``.
SVG_REFERENCE = re.compile(
    rb"""href\s*=\s*["']([^"']*)["']|url\(\s*["']?([^"')]*)""", re.IGNORECASE
)

#: Prefix of the URL of a converted picture, so that it is not read again.
CONVERTED = "emn-pdf-converted:"
#: The folders a build reads as the engine sees them: one address wherever a
#: folder is, so that a copy of an issue or a layout elsewhere gives the same
#: bytes (the engine names each picture in the PDF after its address).
ISSUE_URL = "file:///emn-pdf-issue/"
FONTS_URL = "file:///emn-pdf-fonts/"


def layout_url(index: int) -> str:
    """Return the address of a layout's folder: 0 its own, then those it extends."""
    return f"file:///emn-pdf-layout-{index}/"


def issue_path(url: str, issue_dir: Path) -> Path | None:
    """Return the file of ``issue_dir`` that ``url`` names, if it names one."""
    if not url.startswith(ISSUE_URL):
        return None
    path = urlsplit(url).path.removeprefix(urlsplit(ISSUE_URL).path)
    return issue_dir / url2pathname(path)


Converter = Callable[[bytes], tuple[bytes, str]]


class RefusedResource(FatalURLFetchingError):
    """A resource a build may not read; it stops the build with this message."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{_shown(url)}: {reason}")
        self.url = url
        self.reason = reason


class BuildFetcher(URLFetcher):
    """Serve files below ``roots`` and ``mounts``; the network only through ``remote``.

    ``mounts`` gives folders an address of their own (:data:`ISSUE_URL`...),
    which :meth:`url_of` names their files by.

    ``data:`` URLs (a layout may inline a small picture in its CSS) are
    served up to :data:`MAX_DATA_URL` characters; any other scheme is refused.
    Every resource gets the picture checks, whatever its name or type says,
    and an SVG's own references are fetched and checked with it, so that a
    picture inside a clean SVG cannot bypass them.  What is refused is also
    kept in ``refused``: WeasyPrint swallows errors while drawing an SVG.
    """

    def __init__(
        self,
        roots: Sequence[Path],
        convert: Converter | None = None,
        remote: Remote | None = None,
        mounts: Mapping[str, Path] | None = None,
    ) -> None:
        super().__init__(fail_on_errors=True)
        self.mounts = {url: folder.resolve() for url, folder in (mounts or {}).items()}
        self.roots = [root.resolve() for root in roots] + list(self.mounts.values())
        self.convert = convert
        self.remote = remote
        self.refused: list[RefusedResource] = []
        self.checked: set[str] = set()

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Return the resource behind ``url``, checked and prepared for the target."""
        try:
            return self.served(url)
        except RefusedResource as error:
            self.refused.append(error)
            raise

    def served(self, url: str) -> URLFetcherResponse:
        """Return the resource behind ``url``; whatever goes wrong is a refusal.

        WeasyPrint would turn any other exception into one that stops the
        build with a traceback (``FatalURLFetchingError``).  A deadline
        passes through.
        """
        try:
            body, mime_type = self.checked_resource(url)
            return self.prepared(url, body, mime_type)
        except (RefusedResource, UserError):
            raise
        except Exception as error:
            raise RefusedResource(url, f"cannot be read ({error})") from None

    def checked_resource(self, url: str) -> tuple[bytes, str]:
        """Return the bytes and type of ``url`` once they pass every check."""
        body, mime_type = self.read(url)
        if url not in self.checked:
            self.checked.add(url)
            try:
                check_resource(PurePosixPath(urlsplit(url).path).name, body, mime_type)
            except ValueError as error:
                raise RefusedResource(url, str(error)) from None
            if is_svg(body, mime_type):
                self.check_references(url, body)
        return body, mime_type

    def read(self, url: str) -> tuple[bytes, str]:
        """Return the bytes of ``url`` and their type, if a build may read it."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = self.allowed_path(url)
            try:
                body = read_bounded(path, MAX_RESOURCE_BYTES)
            except (ValueError, OSError) as error:
                raise RefusedResource(url, f"cannot be read ({error})") from None
            mime_type = mimetypes.guess_type(path.name)[0]
        elif scheme == "data" and len(url) <= MAX_DATA_URL:
            body, mime_type = _inline_data(url)
        elif scheme == "https" and self.remote is not None:
            try:
                body, mime_type = self.remote.fetch(url)
            except ValueError as error:
                raise RefusedResource(url, str(error)) from None
        else:
            raise RefusedResource(url, _refusal(scheme))
        return body, mime_type or "application/octet-stream"

    def check_references(self, url: str, svg: bytes) -> None:
        """Check what an SVG refers to; a refusal names the SVG, then the reference."""
        for match in SVG_REFERENCE.finditer(svg):
            reference = (match[1] or match[2]).decode("utf-8", "replace").strip()
            if reference.startswith("#"):
                continue
            try:
                self.checked_resource(urljoin(url, reference))
            except RefusedResource as error:
                raise RefusedResource(url, f"{reference}: {error.reason}") from None

    def prepared(self, url: str, body: bytes, mime_type: str) -> URLFetcherResponse:
        """Convert raster pictures for the target on their way to WeasyPrint."""
        if self.convert is not None and mime_type in RASTER_TYPES:
            body, mime_type = self.convert(body)
            # WeasyPrint re-reads a file: URL from disk (upstream images.py,
            # LazyLocalImage), which would drop the conversion.
            url = f"{CONVERTED}{url}"
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    def url_of(self, path: Path) -> str:
        """Return the address the engine reads ``path`` at, its folder's if mounted."""
        path = path.resolve()
        for url, folder in self.mounts.items():
            if path.is_relative_to(folder):
                return url + quote(path.relative_to(folder).as_posix())
        return path.as_uri()

    def local_path(self, url: str) -> Path:
        """Return the file ``url`` names, in its mounted folder if it has one."""
        path = urlsplit(url).path
        for prefix, folder in self.mounts.items():
            if url.startswith(prefix):
                return folder / url2pathname(path.removeprefix(urlsplit(prefix).path))
        return Path(url2pathname(path))

    def allowed_path(self, url: str) -> Path:
        """Return the local file of ``url`` if a build may read it."""
        path = self.local_path(url).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedResource(url, "outside the issue, layout and font folders")
        if not path.is_file():
            raise RefusedResource(url, "file not found")
        return path


def _inline_data(url: str) -> tuple[bytes, str]:
    """Return the bytes and type a ``data:`` URL holds."""
    try:
        with urlopen(url) as response:
            return response.read(), response.headers.get_content_type()
    except ValueError:
        raise RefusedResource(url, "not a valid data: address") from None


def _refusal(scheme: str) -> str:
    if scheme == "data":
        return f"inline data larger than {MAX_DATA_URL} characters"
    if scheme == "http":
        return "remote resources are downloaded over https only"
    if scheme == "https":
        return "remote resources need --allow-remote"
    return f"{scheme or 'this kind of'} address not allowed"


def _shown(url: str) -> str:
    """Return ``url`` as a person reads it.

    A file of the issue by its path in the issue folder, one of a layout or
    of the fonts as such; a ``data:`` URL, which can be huge, cut short.
    """
    if (in_issue := issue_path(url, Path())) is not None:
        return in_issue.as_posix()
    if match := re.match(r"file:///emn-pdf-(layout|fonts)(-\d+)?/", url):
        return f"{match[1]} file {unquote(url.removeprefix(match[0]))}"
    return url if len(url) <= 120 else url[:100] + "…"


def web_raster(data: bytes) -> tuple[bytes, str]:
    """Re-encode an opaque raster picture as JPEG; keep transparent ones."""
    image = Image.open(io.BytesIO(data))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        return data, Image.MIME.get(image.format or "", "image/png")
    output = io.BytesIO()
    image.convert("RGB").save(output, "JPEG", quality=WEB_JPEG_QUALITY, optimize=True)
    return output.getvalue(), "image/jpeg"
