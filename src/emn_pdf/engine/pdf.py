"""HTML to a paginated WeasyPrint document to a PDF file, per target.

The web edition is PDF/UA-1 (tagged, with pictures downsampled for the
screen); the print edition is PDF/X-4 with the layout's CMYK output intent.
The layout's fonts and colour profile are declared here as ``@font-face`` and
``@color-profile`` rules built from its theme, so that CSS files never hold a
file path.  WeasyPrint reports CSS and resource problems through its logger
instead of raising; they are collected and returned as warnings.  The PDF is
written to a temporary file beside the target, which the build renames with
the edition's other files (``files.py``), so a failed build never leaves a
partial file and never destroys the previous one.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.css import ColorProfile
from weasyprint.document import Document
from weasyprint.images import SVGImage
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from ..issue.errors import Problem, UserError
from ..layout.layouts import Layout, package_data
from ..machinery.fetch import (
    FONTS_URL,
    ISSUE_URL,
    BuildFetcher,
    RefusedResource,
    layout_url,
    web_raster,
)
from ..machinery.jobs import PdfTarget
from ..machinery.remote import Remote
from .tagging import source_keys

ENGINE_LOGGER = "weasyprint"

#: WeasyPrint options of each target, given both to layout and to writing.
TARGET_OPTIONS: dict[PdfTarget, dict[str, Any]] = {
    "web": {"pdf_variant": "pdf/ua-1", "dpi": 150, "optimize_images": True},
    "print": {"pdf_variant": "pdf/x-4"},
}


@dataclass
class LaidOut:
    """A paginated document, its target, and what the engine complained about."""

    document: Document
    target: PdfTarget
    warnings: list[str] = field(default_factory=list)
    fetcher: BuildFetcher | None = None  # still reads SVG pictures' parts
    locate: Locate | None = None
    copyfit: str | None = None  # what copyfitting chose, if it ran
    copyfit_problem: Problem | None = None  # why it could not, if it failed
    makeup: Any = None  # where page makeup placed each module
    sheets: Any = None  # how a print edition was planned in sheets of four

    @property
    def page_count(self) -> int:
        """Return the number of pages."""
        return len(self.document.pages)


#: Names, for a message, the issue field behind a refused URL (and the reason).
Locate = Callable[[str, str], Problem | None]


class Pictures(dict[str, Any]):
    """The raster pictures the engine loaded, kept across the renders of a target.

    Page makeup lays an edition out several times (the probe, the galley,
    copyfit trials, the final pages), and each render would read, convert
    for the target (:func:`web_raster`) and encode every photo again.
    WeasyPrint keeps what a render loads by URL in the ``cache`` it is
    given (:meth:`for_render`); this keeps the raster pictures of those
    renders, and their data.  An SVG picture keeps the fetcher of the
    render that read it, which reads and checks its parts when it is drawn
    (:func:`refused_resources`): it is read again by each render, as a
    picture that failed to load is, so that each render says so.
    """

    def for_render(self) -> dict[str, Any]:
        """Return the cache of one render: what it loads, the kept pictures first."""
        return _RenderPictures(self)


class _RenderPictures(dict[str, Any]):
    """What one render loaded, its raster pictures also kept in :class:`Pictures`."""

    def __init__(self, kept: Pictures) -> None:
        super().__init__(kept)
        self.kept = kept

    def __setitem__(self, url: str, loaded: Any) -> None:
        super().__setitem__(url, loaded)
        if loaded is not None and not isinstance(loaded, SVGImage):
            self.kept[url] = loaded


def lay_out(
    html: str,
    *,
    base_dir: Path,
    layout: Layout,
    target: PdfTarget,
    remote: Remote | None = None,
    locate: Locate | None = None,
    settings: Mapping[str, str] | None = None,
    pictures: Pictures | None = None,
) -> LaidOut:
    """Paginate ``html`` for ``target``; relative paths resolve in ``base_dir``.

    A resource the fetcher refuses stops the layout with a user error, located
    by ``locate`` at the field that asked for it when it comes from the issue.
    Remote pictures are downloaded through ``remote``, if it is given.
    ``settings`` replace some of the theme's custom properties (copyfitting).
    ``pictures`` are those loaded by the target's earlier renders, if kept.
    """
    fetcher = _fetcher(base_dir, layout, target, remote)
    with engine_warnings() as warnings, refused_resources(fetcher, locate):
        styles = _styles(layout, target, settings, fetcher, warnings)
        document = HTML(string=html, base_url=ISSUE_URL, url_fetcher=fetcher).render(
            stylesheets=styles.stylesheets,
            font_config=styles.font_config,
            color_profiles=styles.fresh_profiles(),
            cache=None if pictures is None else pictures.for_render(),
            **TARGET_OPTIONS[target],
        )
    return LaidOut(document, target, warnings, fetcher=fetcher, locate=locate)


@dataclass(frozen=True)
class _Styles:
    """A layout's stylesheets parsed for a target, with their fonts and profile."""

    stylesheets: list[CSS]
    font_config: FontConfiguration
    color_profiles: dict[str, ColorProfile]
    warnings: tuple[str, ...]  # what the engine said parsing them
    profile_bytes: dict[str, bytes]  # each profile as read, before any use

    def fresh_profiles(self) -> dict[str, ColorProfile]:
        """Return the colour profiles anew, for one render.

        LittleCMS writes out a profile whose tags were read (as the output
        intent's name is) differently from the file: one kept across renders
        would make a second print PDF of the same input differ from the first.
        """
        return {
            name: ColorProfile(
                io.BytesIO(self.profile_bytes[name]),
                profile.src,
                profile.rendering_intent,
                profile.components,
            )
            for name, profile in self.color_profiles.items()
        }


#: Stylesheets parsed in this process, by a digest of their text and
#: options: parsing them and loading their fonts is most of a small render
#: (page makeup's probe, the galley of one edited block, a copyfit trial).
_STYLES: dict[str, _Styles] = {}
STYLES_KEPT = 8


def _styles(
    layout: Layout,
    target: PdfTarget,
    settings: Mapping[str, str] | None,
    fetcher: BuildFetcher,
    warnings: list[str],
) -> _Styles:
    """Return the layout's stylesheets for ``target``, parsed once per process.

    What the engine said parsing them is added to ``warnings`` each time.
    """
    resources = "\n".join(
        [
            font_face_css(layout, fetcher.url_of),
            color_profile_css(layout, target, fetcher.url_of),
            theme_css(layout, target, settings, fetcher.url_of),
        ]
    )
    paths = layout.stylesheet_paths(target)
    key = hashlib.sha256(
        "\0".join(
            [target, str(fetcher.remote is not None), resources]
            + [f"{path}\0{path.read_text(encoding='utf-8')}" for path in paths]
        ).encode()
    ).hexdigest()
    if key in _STYLES:
        warnings.extend(_STYLES[key].warnings)
        return _STYLES[key]
    if len(_STYLES) >= STYLES_KEPT:
        _STYLES.clear()
    font_config = FontConfiguration()
    profiles: dict[str, ColorProfile] = {}
    common = {"font_config": font_config, "color_profiles": profiles}
    parsed = len(warnings)
    stylesheets = [CSS(string=resources, url_fetcher=fetcher, **common)] + [
        CSS(url=fetcher.url_of(path), url_fetcher=fetcher, **common) for path in paths
    ]
    read = {name: profile.content for name, profile in profiles.items()}
    styles = _STYLES[key] = _Styles(
        stylesheets, font_config, profiles, tuple(warnings[parsed:]), read
    )
    return styles


def _fetcher(
    base_dir: Path, layout: Layout, target: PdfTarget, remote: Remote | None
) -> BuildFetcher:
    # Print pictures reach the press stage (press.py) as they are: it converts
    # and resamples them once, for the size they are printed at.
    convert = web_raster if target == "web" else None
    mounts = {
        ISSUE_URL: base_dir,
        **{layout_url(index): folder for index, folder in enumerate(layout.folders)},
        FONTS_URL: package_data("fonts"),
    }
    return BuildFetcher([], convert, remote, mounts)


#: Names a file by the address the engine reads it at.
UrlOf = Callable[[Path], str]


def _file_url(path: Path) -> str:
    return path.resolve().as_uri()


def font_face_css(layout: Layout, url_of: UrlOf = _file_url) -> str:
    """Return one ``@font-face`` rule per font file the layout's theme lists."""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; '
        f"src: url({url_of(layout.font_path(face))}); "
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in layout.theme.fonts
    )


def theme_css(
    layout: Layout,
    target: PdfTarget,
    settings: Mapping[str, str] | None = None,
    url_of: UrlOf = _file_url,
) -> str:
    """Return the theme as CSS: custom properties by role, and the paper size.

    Stylesheets read every colour and measure from here (``var(--accent)``),
    so that the theme is the one place they are written; print gets the CMYK
    values.  ``settings`` replace some of them.
    """
    variables = layout.theme.variables(target) | dict(settings or {})
    if (logo := layout.logo()) is not None:
        variables["--logo"] = f"url({url_of(logo)})"
    declarations = "".join(f"\n  {name}: {value};" for name, value in variables.items())
    return (
        f":root {{{declarations}\n}}\n@page {{ size: {layout.theme.page.size}; }}\n"
        + layout.theme.setting.css()
    )


def color_profile_css(
    layout: Layout, target: PdfTarget, url_of: UrlOf = _file_url
) -> str:
    """Return the ``@color-profile`` rule of the target's CMYK profile, if any.

    WeasyPrint makes the PDF/X output intent of it and maps ``device-cmyk()``
    colours to it; ``components`` must be given or it fails (WeasyPrint 70).
    """
    profile = layout.color_profile(target)
    if profile is None:
        return ""
    return (
        f"\n@color-profile device-cmyk {{ src: url({url_of(profile)}); "
        "components: cyan, magenta, yellow, black; }"
    )


def write_pdf(
    laid_out: LaidOut,
    target: Path,
    identity: str,
    finish: Callable[[Path], None] | None = None,
) -> None:
    """Write the document to ``target``, then let ``finish`` edit it.

    ``target`` is a temporary file the caller publishes (``files.py``).
    ``identity`` names the document for good (issue, edition, target): the
    PDF's file identifier derives from it, not from chance or the clock.
    Tagged targets get their structure elements marked with their source, for
    ``finish`` to merge (``tagging.py``).
    """
    identifier = hashlib.md5(identity.encode(), usedforsecurity=False).hexdigest()
    with (
        engine_warnings() as warnings,
        refused_resources(laid_out.fetcher, laid_out.locate),
        source_keys(),
    ):
        laid_out.document.write_pdf(
            target,
            pdf_identifier=identifier.encode(),
            **TARGET_OPTIONS[laid_out.target],
        )
        if finish is not None:
            finish(target)
    laid_out.warnings.extend(warnings)


@contextmanager
def refused_resources(
    fetcher: BuildFetcher | None, locate: Locate | None
) -> Iterator[None]:
    """Turn a resource the fetcher refused into a located user error.

    WeasyPrint stops at a refusal, except while it draws an SVG picture,
    where it logs it and leaves the picture out: the fetcher's record of
    refusals catches those.
    """
    try:
        yield
    except RefusedResource as error:
        raise UserError(_refusal_problem(error, locate)) from None
    except FatalURLFetchingError as error:
        # WeasyPrint's wrapping of an exception our fetcher let through: the
        # deadline passing while a resource was read.
        if isinstance(error.__cause__, UserError):
            raise error.__cause__ from None
        raise UserError(Problem(f"resource refused: {error}")) from None
    if fetcher is not None and fetcher.refused:
        raise UserError(_refusal_problem(fetcher.refused[0], locate))


def _refusal_problem(error: RefusedResource, locate: Locate | None) -> Problem:
    problem = locate(error.url, error.reason) if locate is not None else None
    return problem or Problem(f"resource refused: {error}")


@contextmanager
def engine_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs at warning level or above."""
    messages: list[str] = []
    logger = logging.getLogger(ENGINE_LOGGER)
    handler = _ListHandler(messages)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
