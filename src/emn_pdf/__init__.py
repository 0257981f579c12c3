"""emn-pdf: quarterly newsletters from YAML issue data to PDF.

The public API is small: :func:`build` writes the PDFs of an issue,
:func:`check` validates it, and :class:`UserError` is what both raise for input
a person can fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import Problem, UserError

if TYPE_CHECKING:
    from .build import BuildReport, build, check

__all__ = ["BuildReport", "Problem", "UserError", "build", "check"]


def __getattr__(name: str) -> Any:
    """Import the build stage when it is first asked for, not with the package.

    The command line imports the package for ``--help`` too; the models, the
    templates and the engine are needed only to build or check.
    """
    if name in {"BuildReport", "build", "check"}:
        from . import build as stage

        return getattr(stage, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
