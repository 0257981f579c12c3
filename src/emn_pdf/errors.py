"""The one error type for everything a user can fix.

Anything that goes wrong because of what a person wrote (an issue file, a layout,
a command-line option) is raised as :class:`UserError`, carrying one
:class:`Problem` per mistake so that all of them are reported at once.  The CLI
prints them and exits with status 2; any other exception is a bug in emn-pdf and
keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


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
