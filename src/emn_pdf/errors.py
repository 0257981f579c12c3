"""The one error type for everything a user can fix, and preflight findings.

Anything that goes wrong because of what a person wrote (an issue file, a layout,
a command-line option) is raised as :class:`UserError`, carrying one
:class:`Problem` per mistake so that all of them are reported at once.  The CLI
prints them and exits with status 2; any other exception is a bug in emn-pdf and
keeps its traceback.  A :class:`Finding` is what preflight says of an edition
that could be built: an error (the page is wrong) or a warning, both located.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One mistake, located as precisely as the input allows."""

    message: str
    file: Path | None = None
    line: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = display_path(self.file)
            if self.line is not None:
                where += f":{self.line}"
        parts = [part for part in (where, self.field) if part]
        prefix = " ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass(frozen=True)
class Finding:
    """One defect, where it is in the PDF and, once located, in the YAML."""

    code: str
    message: str
    page: int | None = None
    block: str | None = None  # "s<section>-b<block>", from data-block
    file: Path | None = None
    line: int | None = None
    field: str = ""
    edition: str = ""  # language and target, "fr web"

    @property
    def severity(self) -> Severity:
        """Return ``error`` for ``E`` codes, ``warning`` for ``W`` codes."""
        return "error" if self.code.startswith("E") else "warning"

    def __str__(self) -> str:
        page = f"page {self.page}" if self.page else ""
        where = " ".join(part for part in (self.field, self.edition, page) if part)
        return str(Problem(f"{self.code} {self.message}", self.file, self.line, where))

    def as_json(self) -> dict[str, object]:
        """Return the finding as plain data, for ``--format json``."""
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "file": str(self.file) if self.file else None,
            "line": self.line,
            "field": self.field or None,
            "edition": self.edition or None,
            "page": self.page,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """Return the finding :meth:`as_json` gave."""
        file = data["file"]
        return cls(
            data["code"],
            data["message"],
            page=data["page"],
            file=Path(file) if file else None,
            line=data["line"],
            field=data["field"] or "",
            edition=data["edition"] or "",
        )


class UserError(Exception):
    """Input that emn-pdf cannot use, with every problem found in it."""

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it.

    Messages then read like what the user typed (``issues/2024-12/fr.yaml``)
    instead of a long absolute path.
    """
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
