"""HTML to a paginated WeasyPrint document to a PDF file.

The layout's fonts are declared here as ``@font-face`` rules built from its
theme, so that CSS files never hold a font path.  WeasyPrint reports CSS and
resource problems through its logger instead of raising; they are collected and
returned as warnings, never lost on stderr.  The PDF is written to a temporary
file beside the target and renamed, so a failed build never leaves a partial
file and never destroys the previous one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .layouts import Layout

ENGINE_LOGGER = "weasyprint"


@dataclass
class LaidOut:
    """A paginated document and what the engine complained about."""

    document: Document
    warnings: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        """Return the number of pages."""
        return len(self.document.pages)


def lay_out(html: str, *, base_dir: Path, layout: Layout) -> LaidOut:
    """Paginate ``html``; relative image paths resolve against ``base_dir``."""
    font_config = FontConfiguration()
    stylesheets = [CSS(string=font_face_css(layout), font_config=font_config)] + [
        CSS(filename=path, font_config=font_config) for path in layout.stylesheet_paths
    ]
    with engine_warnings() as warnings:
        document = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/").render(
            stylesheets=stylesheets, font_config=font_config
        )
    return LaidOut(document, warnings)


def font_face_css(layout: Layout) -> str:
    """Return one ``@font-face`` rule per font file the layout's theme lists."""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; '
        f"src: url({layout.font_path(face).resolve().as_uri()}); "
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in layout.theme.fonts
    )


def write_pdf(laid_out: LaidOut, target: Path) -> None:
    """Write the document to ``target`` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with engine_warnings() as warnings, atomic_output(target) as partial:
        laid_out.document.write_pdf(partial)
    laid_out.warnings.extend(warnings)


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path that replaces ``target`` only on success."""
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        partial.chmod(0o644)
        partial.replace(target)
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()


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
