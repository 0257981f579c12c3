"""Layout folders: finding them, their validated theme, their Jinja2 environment.

A layout is a folder a designer can copy: ``theme.yaml`` (validated like issue
data), Jinja2 templates and CSS.  Built-in layouts live in the top-level
``layouts/`` folder of the repository, which the wheel carries inside the
package; fonts likewise live in ``fonts/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import Problem, UserError
from .load import problem_from_error, read_yaml

DEFAULT_LAYOUT = "emn"
#: Where a PDF goes: the web site (tagged, small) or the printer (PDF/X, bleed).
Target = Literal["web", "print"]
TARGETS: tuple[Target, ...] = ("web", "print")


@dataclass(frozen=True)
class Page:
    """What the HTML is for: its target, and blank pages to design for binding."""

    target: Target = "web"
    fill_pages: int = 0


DEFAULT_PAGE = Page()


def package_data(name: str) -> Path:
    """Return a data folder shipped with emn-pdf (``layouts`` or ``fonts``).

    An installed wheel carries it inside the package; an editable install
    reads it from the repository root, where it is maintained.
    """
    installed = Path(str(files("emn_pdf") / name))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / name


class FontFace(BaseModel):
    """One font file of a family, as an ``@font-face`` rule declares it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    family: str = Field(description="Family name the CSS uses.")
    file: str = Field(description="File under the layout's or emn-pdf's fonts/.")
    weight: int = Field(400, ge=100, le=900, description="CSS font-weight.")
    style: Literal["normal", "italic"] = Field("normal", description="CSS style.")


class TargetTheme(BaseModel):
    """What a layout adds for one destination of the PDF."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stylesheets: list[str] = Field(
        [], description="CSS files applied after the common ones for this target."
    )
    color_profile: str | None = Field(
        None,
        description="CMYK ICC profile of the printing condition (print target):"
        " the PDF's output intent, and the space raster pictures are converted to.",
    )


class Theme(BaseModel):
    """The validated ``theme.yaml`` of a layout."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(description="One line shown by 'emn-pdf layouts'.")
    stylesheets: list[str] = Field(
        ["style.css"], description="CSS files of the layout folder, in order."
    )
    web: TargetTheme = Field(
        default_factory=lambda: TargetTheme(),
        description="The web edition's additions.",
    )
    print: TargetTheme = Field(
        default_factory=lambda: TargetTheme(),
        description="The print edition's additions.",
    )
    fonts: list[FontFace] = Field(description="Every font file the CSS may use.")


@dataclass(frozen=True)
class Layout:
    """A layout folder with its theme and the font files it resolved."""

    name: str
    folder: Path
    theme: Theme

    def target(self, target: Target) -> TargetTheme:
        """Return the theme's additions for ``target``."""
        return self.theme.web if target == "web" else self.theme.print

    def stylesheet_paths(self, target: Target) -> list[Path]:
        """Return the layout's CSS files for ``target``, in cascade order."""
        names = self.theme.stylesheets + self.target(target).stylesheets
        return [self.folder / name for name in names]

    def color_profile(self, target: Target) -> Path | None:
        """Return the ICC profile file ``target`` prints with, if any."""
        name = self.target(target).color_profile
        return None if name is None else self.folder / name

    def font_path(self, face: FontFace) -> Path:
        """Return the file of ``face``: the layout's own fonts/ first."""
        for folder in (self.folder / "fonts", package_data("fonts")):
            if (folder / face.file).is_file():
                return folder / face.file
        raise UserError(
            Problem(
                f"font file {face.file!r} not found in {self.folder / 'fonts'} "
                f"nor in {package_data('fonts')}",
                file=self.folder / "theme.yaml",
            )
        )


def builtin_layouts() -> list[str]:
    """Return the names of the layouts emn-pdf ships with."""
    folder = package_data("layouts")
    return sorted(path.parent.name for path in folder.glob("*/theme.yaml"))


def unknown_layout(name: str) -> str:
    """Return the message for a layout name that is not built in."""
    return f"unknown layout {name!r} (available: {', '.join(builtin_layouts())})"


def find_layout(name: str) -> Layout:
    """Return the built-in layout called ``name``, validated."""
    folder = package_data("layouts") / name
    if name not in builtin_layouts():
        raise UserError(Problem(unknown_layout(name)))
    document = read_yaml(folder / "theme.yaml")
    try:
        theme = Theme.model_validate(document.data)
    except ValidationError as error:
        raise UserError(
            problem_from_error(document, details) for details in error.errors()
        ) from None
    layout = Layout(name, folder, theme)
    for target in TARGETS:
        for path in [*layout.stylesheet_paths(target), layout.color_profile(target)]:
            if path is not None and not path.is_file():
                raise UserError(Problem("named in theme.yaml, not found", file=path))
    return layout


def template_environment(folder: Path) -> Environment:
    """Return the Jinja2 environment of a layout folder: autoescaped, strict."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
