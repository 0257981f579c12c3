"""What a build is asked for: editions times targets, and what became of each.

Kept apart from the stages that do the work, and light to import: a build
whose outputs are up to date answers from here and the cache alone, without
loading the models, the layouts or the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from ..issue.errors import Finding, Problem, UserError
from .workers import Limits

LANGUAGE_FILE = re.compile(r"^[a-z]{2,3}$")
ALL = "all"
#: Where a PDF goes: the web site (tagged, small) or the printer (PDF/X, bleed).
PdfTarget = Literal["web", "print"]
#: What a build makes of an edition: a PDF for the web site or the printer,
#: the web page (``html``) or the e-mail (``email``).
Target = Literal["web", "print", "html", "email"]
#: A saddle-stitched print edition is folded sheets: its pages come in fours.
PAGES_PER_SHEET = 4
#: Up to this many pages, an edition prints on one flat sheet (recto, verso).
FLAT_SHEET = 2


def whole_sheets(pages: int) -> bool:
    """Tell whether ``pages`` pages print on whole sheets, as a printer binds them.

    One flat sheet (one or two pages, a flyer), or folded sheets of four.
    """
    return pages <= FLAT_SHEET or pages % PAGES_PER_SHEET == 0


PDF_TARGETS: tuple[PdfTarget, ...] = ("web", "print")
TARGETS: tuple[Target, ...] = (*PDF_TARGETS, "html", "email")


@dataclass(frozen=True)
class BuildReport:
    """What became of one edition and target: its PDF, or what stopped it."""

    language: str
    target: Target
    path: Path | None = None
    extras: list[Path] = field(default_factory=list)
    pages: int = 0
    size: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    copyfit: str | None = None
    cached: bool = False


@dataclass(frozen=True)
class Inspection:
    """One edition to lay out for one target and preflight, for ``check``."""

    issue_dir: Path
    language: str
    layout: str | None
    target: Target
    limits: Limits
    print_file: bool = True  # write the print PDF aside and preflight it too


@dataclass(frozen=True)
class Job:
    """One edition and target to build; small and picklable, for workers."""

    issue_dir: Path
    language: str
    target: Target
    layout: str | None
    out_dir: Path
    force: bool
    allow_remote: bool
    pages: int | None
    limits: Limits
    base_url: str | None = None  # where the web editions will be (html, email)

    @property
    def issue_id(self) -> str:
        """Return the issue's identifier: its folder's name (``2024-12``)."""
        return self.issue_dir.resolve().name

    @property
    def name(self) -> str:
        """Return ``<issue-id>-<lang>-<target>``, the name of this job's outputs."""
        return f"{self.issue_id}-{self.language}-{self.target}"

    def output(self, suffix: str) -> Path:
        """Return ``<out>/<issue-id>-<lang>-<suffix>``."""
        return self.out_dir / f"{self.issue_id}-{self.language}-{suffix}"

    def options(self) -> list[str]:
        """Return the options the outputs depend on, as given (not resolved).

        A layout option names a folder if one of that name exists: whether
        one does is part of the answer.
        """
        layout = self.layout and f"{self.layout} (folder: {Path(self.layout).is_dir()})"
        return [
            str(self.issue_dir.resolve()),
            self.language,
            self.target,
            str(layout),
            str(self.pages),
            str(self.limits.pages),
            str(self.base_url),
        ]


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


def chosen_languages(issue_dir: Path, lang: str | None) -> list[str]:
    """Return the language codes ``lang`` selects: one, or all editions."""
    editions = edition_files(issue_dir)
    if lang is None or lang == ALL:
        return list(editions)
    if lang not in editions:
        available = ", ".join(editions)
        raise UserError(
            Problem(f"no {lang}.yaml edition (available: {available})", file=issue_dir)
        )
    return [lang]


def chosen_targets(target: str) -> tuple[Target, ...]:
    """Return the targets ``target`` selects: one of :data:`TARGETS`, or ``all``."""
    if target == ALL:
        return TARGETS
    for each in TARGETS:
        if target == each:
            return (each,)
    names = ", ".join(TARGETS)
    raise UserError(Problem(f"unknown target {target!r} ({names} or all)"))


def pdf_target(target: Target) -> PdfTarget | None:
    """Return ``target`` if it is a PDF's (laid out by the engine), else ``None``."""
    if target == "web" or target == "print":
        return target
    return None


def checked_base_url(base_url: str | None) -> str | None:
    """Return ``--base-url`` ending with a slash; refuse one that is no web address."""
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise UserError(
            Problem(f"--base-url {base_url!r} is not a web address (https://...)")
        )
    if parts.query or parts.fragment or re.search(r"[\s<>\"']", base_url):
        raise UserError(
            Problem(f"--base-url {base_url!r}: give a folder's address, no query")
        )
    return base_url if base_url.endswith("/") else base_url + "/"
