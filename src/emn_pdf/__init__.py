"""emn-pdf: quarterly newsletters from YAML issue data to PDF.

The public API is small: :func:`build` writes the PDFs of an issue,
:func:`check` validates it, and :class:`UserError` is what both raise for input
a person can fix.
"""

from .build import BuildReport, build, check
from .errors import Problem, UserError

__all__ = ["BuildReport", "Problem", "UserError", "build", "check"]
