"""emn-pdf: quarterly newsletters from YAML issue data to PDF.

The public API is small: :func:`build` writes the PDFs of an issue,
:func:`check` validates it, and :class:`UserError` is what both raise for input
a person can fix.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .issue.errors import Problem, UserError

if TYPE_CHECKING:
    from .build import build
    from .checking import check
    from .machinery.jobs import BuildReport

__all__ = ["BuildReport", "Problem", "UserError", "build", "check"]
#: What the build stage gives the package, imported when first asked for:
#: the command line imports the package for ``--help`` too, which needs
#: neither the models, nor the templates, nor the engine.
_STAGE = {"BuildReport", "build", "check"}


def __getattr__(name: str) -> Any:
    if name in _STAGE:
        import_module(".build", __name__)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(ModuleType):
    """The package, whose ``build`` stays the function when its module loads.

    Importing ``emn_pdf.build`` (the module) sets the package's ``build`` to
    that module; the public ``emn_pdf.build`` is the function it defines.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "build" and isinstance(value, ModuleType):
            for each in _STAGE:
                super().__setattr__(each, getattr(value, each))
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
