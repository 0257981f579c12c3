"""The public API: build an issue's PDFs, or check it without rendering.

Reads as the pipeline's recipe: find the editions, load and validate them all
(so that every mistake is reported before any work), then for each edition
render the HTML, lay it out and write the PDF.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, UserError
from .i18n import load_catalogue
from .layouts import (
    DEFAULT_LAYOUT,
    Layout,
    builtin_layouts,
    find_layout,
    unknown_layout,
)
from .load import LoadedEdition, load_edition
from .pdf import lay_out, write_pdf
from .render import render_html

LANGUAGE_FILE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class BuildReport:
    """What one written PDF is: where, how long, how many pages, any warning."""

    path: Path
    language: str
    pages: int
    seconds: float
    warnings: list[str]


@dataclass(frozen=True)
class Prepared:
    """An edition validated and matched with its layout, ready to render."""

    issue_id: str
    language: str
    loaded: LoadedEdition
    layout: Layout

    @property
    def source(self) -> Path:
        """Return the edition's YAML file."""
        return self.loaded.document.path

    def html(self) -> str:
        """Return the edition's HTML."""
        return render_html(
            self.loaded.edition, self.layout, load_catalogue(self.language)
        )


def build(
    issue_dir: Path | str,
    *,
    lang: str | None = None,
    layout: str | None = None,
    out_dir: Path | str = "build",
    on_built: Callable[[BuildReport], None] | None = None,
) -> list[Path]:
    """Write ``<out_dir>/<issue-id>-<lang>.pdf`` for each edition of an issue.

    ``lang`` picks one edition (all by default); ``layout`` overrides the
    layout the edition names.  ``on_built`` is called after each PDF, for
    progress output.  Raises :class:`~emn_pdf.errors.UserError` on bad input.
    """
    out = Path(out_dir)
    prepared = _prepare(Path(issue_dir), lang, layout)
    _refuse_output_inside(out, Path(issue_dir))
    written = []
    for item in prepared:
        started = time.perf_counter()
        laid_out = lay_out(item.html(), base_dir=item.source.parent, layout=item.layout)
        target = out / f"{item.issue_id}-{item.language}.pdf"
        write_pdf(laid_out, target)
        written.append(target)
        if on_built is not None:
            on_built(
                BuildReport(
                    target,
                    item.language,
                    laid_out.page_count,
                    time.perf_counter() - started,
                    laid_out.warnings,
                )
            )
    return written


def check(
    issue_dir: Path | str, *, lang: str | None = None, layout: str | None = None
) -> list[str]:
    """Validate an issue and render its HTML, without laying out any page.

    Returns the language codes checked; raises
    :class:`~emn_pdf.errors.UserError` listing every problem found.
    """
    prepared = _prepare(Path(issue_dir), lang, layout)
    for item in prepared:
        item.html()
    return [item.language for item in prepared]


def edition_files(issue_dir: Path) -> dict[str, Path]:
    """Return the issue's edition files by language code (``fr.yaml``...)."""
    if not issue_dir.is_dir():
        raise UserError(Problem("issue folder not found", file=issue_dir))
    editions = {
        path.stem: path
        for path in sorted(issue_dir.glob("*.yaml"))
        if LANGUAGE_FILE.match(path.stem)
    }
    if not editions:
        raise UserError(
            Problem("no edition found (expected files such as fr.yaml)", file=issue_dir)
        )
    return editions


def _prepare(issue_dir: Path, lang: str | None, layout: str | None) -> list[Prepared]:
    editions = edition_files(issue_dir)
    if lang is not None and lang not in editions:
        available = ", ".join(editions)
        raise UserError(
            Problem(f"no {lang}.yaml edition (available: {available})", file=issue_dir)
        )
    chosen = [lang] if lang is not None else list(editions)
    problems: list[Problem] = []
    prepared = []
    for language in chosen:
        try:
            load_catalogue(language)
            loaded = load_edition(editions[language])
            prepared.append(
                Prepared(
                    issue_dir.resolve().name,
                    language,
                    loaded,
                    _edition_layout(loaded, layout),
                )
            )
        except UserError as error:
            problems.extend(error.problems)
    if problems:
        raise UserError(problems)
    return prepared


def _edition_layout(loaded: LoadedEdition, requested: str | None) -> Layout:
    """Return the layout asked for on the command line, else the edition's.

    An unknown layout named in the edition is reported at its line there.
    """
    named = loaded.edition.layout
    if requested is None and named is not None and named not in builtin_layouts():
        raise UserError(loaded.document.problem(("layout",), unknown_layout(named)))
    return find_layout(requested or named or DEFAULT_LAYOUT)


def _refuse_output_inside(out_dir: Path, issue_dir: Path) -> None:
    """Keep build output out of the issue folder, which holds only sources."""
    if out_dir.resolve().is_relative_to(issue_dir.resolve()):
        raise UserError(
            Problem(
                "the output folder must not be inside the issue folder", file=out_dir
            )
        )
