"""Layout folders: finding them, their validated theme, their Jinja2 environment.

A layout is a folder a designer can copy: ``theme.yaml`` (validated like issue
data), Jinja2 templates and CSS.  Built-in layouts live in the top-level
``layouts/`` folder of the repository, which the wheel carries inside the
package; fonts likewise live in ``fonts/``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import Literal

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import Problem, UserError
from .load import problem_from_error, read_yaml
from .model import Colour, Length, ThemeOverride

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
        " the PDF's output intent, and the space every colour is converted to.",
    )
    output_condition: str | None = Field(
        None,
        description="The printing condition's name in the ICC registry"
        " (print target), e.g. FOGRA39: what a printer's preflight matches.",
    )
    ink_limit: int = Field(
        300,
        ge=200,
        le=400,
        description="Total area coverage the profile allows, in percent (print"
        " target): no theme colour and no area of a page may exceed it.",
    )
    picture_ppi: int = Field(
        300,
        ge=150,
        le=450,
        description="Resolution raster pictures are resampled to for the size"
        " they are printed at (print target): no more pixels than print.",
    )


class PageSetup(BaseModel):
    """Paper size and margins."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    size: str = Field("A4 portrait", description="CSS page size, e.g. A4, A5 portrait.")
    top: Length = Field(description="Top margin.")
    side: Length = Field(description="Left and right margins.")
    bottom: Length = Field(description="Bottom margin, which holds the footer.")


class Typography(BaseModel):
    """Sizes the stylesheets read as custom properties (``--body-size``...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    body_font: str = Field(description="Font family of body text.")
    heading_font: str = Field(description="Font family of headings and labels.")
    body_size: Length = Field(description="Body text size.")
    body_leading: float = Field(ge=1, le=2, description="Line height of body text.")
    small_size: Length = Field(description="Size of dates, labels and buttons.")
    block_space: Length = Field(description="Space between blocks.")
    gap: Length = Field(description="Space between columns.")
    band_height: Length = Field(description="Height of pictures set as bands.")


class ContrastPair(BaseModel):
    """A text colour the layout sets on a background colour."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(description="Colour role of the text.")
    background: str = Field(description="Colour role of what is behind it.")
    large: bool = Field(
        False, description="Large text only (headings): 3:1 is enough, not 4.5:1."
    )


class Copyfit(BaseModel):
    """Ranges copyfitting may move sizes in, from tightest to loosest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    body_size: tuple[Length, Length] = Field(description="Body size range.")
    body_leading: tuple[float, float] = Field(description="Line height range.")
    block_space: tuple[Length, Length] = Field(description="Block space range.")

    @model_validator(mode="after")
    def _ranges_in_one_unit(self) -> Copyfit:
        for name in ("body_size", "block_space"):
            low, high = getattr(self, name)
            if length_unit(low) != length_unit(high):
                raise ValueError(f"{name}: both ends must be in the same unit")
        return self


class Theme(BaseModel):
    """The validated ``theme.yaml`` of a layout: its brand and its measures."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(description="One line shown by 'emn-pdf layouts'.")
    extends: str | None = Field(
        None,
        description="A built-in layout whose templates this one falls back on.",
    )
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
    page: PageSetup = Field(description="Paper and margins.")
    columns: int = Field(ge=1, le=4, description="Columns of a section by default.")
    colours: dict[str, Colour] = Field(description="Colours by role: accent...")
    contrast: list[ContrastPair] = Field(
        description="Every text/background pair the stylesheets use, checked"
        " against WCAG 2.1: 4.5:1, or 3:1 for large headings.",
    )
    type: Typography = Field(description="Text sizes and spaces.")
    copyfit: Copyfit | None = Field(
        None, description="What copyfitting may change to reach a page count."
    )
    makeup: bool = Field(
        False,
        description="Place each block whole on the page grid (page makeup)"
        " instead of letting sections flow through balanced columns; in"
        " progress, for trial layouts.",
    )
    logo: str | None = Field(None, description="Logo file of the layout folder.")
    fonts: list[FontFace] = Field(description="Every font file the CSS may use.")

    @model_validator(mode="after")
    def _legible(self) -> Theme:
        for pair in self.contrast:
            for role in (pair.text, pair.background):
                if role not in self.colours:
                    raise ValueError(f"contrast names an unknown colour {role!r}")
            ratio = contrast_ratio(
                self.colours[pair.text].rgb, self.colours[pair.background].rgb
            )
            needed = 3.0 if pair.large else 4.5
            if ratio < needed:
                raise ValueError(
                    f"{pair.text} on {pair.background} has a contrast of"
                    f" {ratio:.2f}:1, below WCAG's {needed}:1"
                )
        return self

    @model_validator(mode="after")
    def _within_ink_limit(self) -> Theme:
        limit = self.print.ink_limit
        for role, colour in self.colours.items():
            coverage = round(sum(colour.cmyk) * 100)
            if coverage > limit:
                raise ValueError(
                    f"colour {role} takes {coverage} % ink, above the"
                    f" print profile's limit of {limit} %"
                )
        return self

    def variables(self, target: Target) -> dict[str, str]:
        """Return the CSS custom properties the stylesheets read, by name."""
        colours = {
            f"--{role.replace('_', '-')}": (
                colour.rgb if target == "web" else device_cmyk(colour.cmyk)
            )
            for role, colour in self.colours.items()
        }
        measures = {
            f"--{name.replace('_', '-')}": _css_value(name, value)
            for name, value in self.type.model_dump().items()
        }
        return {
            **colours,
            **measures,
            "--columns": str(self.columns),
            "--page-top": self.page.top,
            "--page-side": self.page.side,
            "--page-bottom": self.page.bottom,
        }

    def overridden(self, changes: ThemeOverride) -> Theme:
        """Return this theme with an issue's changes, validated again."""
        unknown = sorted(set(changes.colours) - set(self.colours))
        if unknown:
            raise ValueError(f"no colour {unknown[0]!r} in the layout's theme")
        data = self.model_dump()
        data["colours"].update(changes.model_dump()["colours"])
        data["type"].update(changes.type.model_dump(exclude_none=True))
        return Theme.model_validate(data)


def _css_value(name: str, value: object) -> str:
    """Return a theme value as CSS: font family names are quoted."""
    return f'"{value}"' if name.endswith("_font") else str(value)


def length_unit(length: str) -> str:
    """Return the unit of a CSS length: "mm" of "4.5mm"."""
    return length.lstrip("0123456789.")


def device_cmyk(inks: tuple[float, float, float, float]) -> str:
    """Return inks as a CSS ``device-cmyk()`` colour."""
    return "device-cmyk({})".format(" ".join(f"{ink:g}" for ink in inks))


def contrast_ratio(first: str, second: str) -> float:
    """Return the WCAG 2.1 contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@dataclass(frozen=True)
class Layout:
    """A layout folder with its theme, and the folders its templates come from."""

    name: str
    folder: Path
    theme: Theme
    ancestors: tuple[tuple[str, Path], ...] = ()  # the layouts it extends

    @property
    def folders(self) -> tuple[Path, ...]:
        """Return where the layout's files are looked up: its own folder first."""
        return (self.folder, *(folder for _, folder in self.ancestors))

    def file(self, name: str) -> Path:
        """Return the file ``name`` of the layout, or of a layout it extends."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        raise UserError(
            Problem(f"{name!r}, named in theme.yaml, not found", file=self.folder)
        )

    def target(self, target: Target) -> TargetTheme:
        """Return the theme's additions for ``target``."""
        return self.theme.web if target == "web" else self.theme.print

    def stylesheet_paths(self, target: Target) -> list[Path]:
        """Return the layout's CSS files for ``target``, in cascade order."""
        names = self.theme.stylesheets + self.target(target).stylesheets
        return [self.file(name) for name in names]

    def color_profile(self, target: Target) -> Path | None:
        """Return the ICC profile file ``target`` prints with, if any."""
        name = self.target(target).color_profile
        return None if name is None else self.file(name)

    def logo(self) -> Path | None:
        """Return the logo file, if the theme names one."""
        return None if self.theme.logo is None else self.file(self.theme.logo)

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

    def with_theme(self, theme: Theme) -> Layout:
        """Return the same layout dressed in another theme (an issue's changes)."""
        return replace(self, theme=theme)


def builtin_layouts() -> dict[str, str]:
    """Return the layouts emn-pdf ships with, and their descriptions."""
    folder = package_data("layouts")
    return {
        path.parent.name: read_yaml(path).data.get("description", "")
        for path in sorted(folder.glob("*/theme.yaml"))
    }


def unknown_layout(name: str) -> str:
    """Return the message for a layout name that is neither built in nor a folder."""
    return (
        f"unknown layout {name!r} (built in: {', '.join(builtin_layouts())};"
        " or give the path of a layout folder)"
    )


def find_layout(name: str) -> Layout:
    """Return a layout, validated: a built-in one by name, or any folder by path.

    A name with a slash, or naming an existing folder, is a path; a folder
    from outside gets the same validation and the same fetching rules.
    """
    is_path = "/" in name or Path(name).is_dir()
    folder = Path(name) if is_path else package_data("layouts") / name
    if not (folder / "theme.yaml").is_file():
        if is_path:
            raise UserError(Problem("not a layout folder (no theme.yaml)", file=folder))
        raise UserError(Problem(unknown_layout(name)))
    theme = _read_theme(folder / "theme.yaml")
    ancestors: tuple[tuple[str, Path], ...] = ()
    if theme.extends is not None:
        parent = find_layout(theme.extends)
        ancestors = ((parent.name, parent.folder), *parent.ancestors)
    layout = Layout(folder.name, folder.resolve(), theme, ancestors)
    _check_files(layout)
    return layout


def _read_theme(path: Path) -> Theme:
    document = read_yaml(path)
    try:
        return Theme.model_validate(document.data)
    except ValidationError as error:
        raise UserError(
            problem_from_error(document, details) for details in error.errors()
        ) from None


def _check_files(layout: Layout) -> None:
    """Fail now, naming the file, if the theme names a file that is missing."""
    layout.logo()
    for target in TARGETS:
        layout.stylesheet_paths(target)
        layout.color_profile(target)


def template_environment(
    folder: Path, ancestors: tuple[tuple[str, Path], ...]
) -> Environment:
    """Return the Jinja2 environment of a layout: autoescaped, strict.

    Templates are looked up in the layout's folder, then in the layouts it
    extends, so that a layout overrides only the templates it changes; and a
    template can extend the one it replaces by naming it ``<parent>/name``.
    """
    folders = [folder, *(parent for _, parent in ancestors)]
    parents = {name: FileSystemLoader(parent) for name, parent in ancestors}
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(folders), PrefixLoader(parents)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
