"""The one error type for everything a user can fix, and preflight findings.

Anything that goes wrong because of what a person wrote (an issue file, a layout,
a command-line option) is raised as :class:`UserError`, carrying one
:class:`Problem` per mistake so that all of them are reported at once.  The CLI
prints them and exits with status 2; a fault of the system or of the engine
becomes one too (:func:`fault_problem`), so no run ends in a traceback.  A
:class:`Finding` is what preflight says of an edition that could be built: an
error (the page is wrong) or a warning, both located.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


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
    figures: dict[str, Any] | None = None  # measured figures, for machines

    @property
    def severity(self) -> Severity:
        """Return ``error`` for ``E`` codes, ``info`` for ``I``, else ``warning``."""
        return {"E": "error", "I": "info"}.get(self.code[0], "warning")  # type: ignore[return-value]

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
            **({"figures": self.figures} if self.figures else {}),
        }

    @classmethod
    def at(cls, code: str, problem: Problem, **more: Any) -> Finding:
        """Return a finding with the message and place of ``problem``."""
        return cls(
            code,
            problem.message,
            file=problem.file,
            line=problem.line,
            field=problem.field,
            **more,
        )

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
            figures=data.get("figures"),
        )


class UserError(Exception):
    """Input that emn-pdf cannot use, with every problem found in it."""

    def __init__(self, problems: Problem | Iterable[Problem]) -> None:
        # Once each: editions sharing a layout meet the same mistake in it.
        self.problems = (
            [problems]
            if isinstance(problems, Problem)
            else list(dict.fromkeys(problems))
        )
        super().__init__("\n".join(str(problem) for problem in self.problems))


class DeadlineExceeded(UserError):
    """The work took longer than its limits allow (``--time-limit``)."""


def fault_problem(error: Exception) -> Problem:
    """Return what a fault of the system or the engine means to the user.

    The one place where a library's error becomes a :class:`Problem`: a file
    that cannot be read or written (with its name), input nested too deeply,
    or an engine that gave up on the input.
    """
    if isinstance(error, OSError):
        file = Path(os.fsdecode(error.filename)) if error.filename else None
        return Problem(error.strerror or str(error), file=file)
    if isinstance(error, RecursionError):
        return Problem("the input is nested too deeply to lay out")
    return Problem(f"the layout engine failed: {type(error).__name__}: {error}")


@contextmanager
def faults_as_user_errors() -> Iterator[None]:
    """Turn any fault into a :class:`UserError`, so that no traceback ends a run.

    Used around each edition (the others are still built) and around every
    command, after the input's own problems have been reported.
    """
    try:
        yield
    except UserError:
        raise
    except Exception as error:
        raise UserError(fault_problem(error)) from None


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it.

    Messages then read like what the user typed (``issues/2024-12/fr.yaml``)
    instead of a long absolute path.
    """
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
