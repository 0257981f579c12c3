"""Layout folders: finding them, their validated theme, their Jinja2 environment.

A layout is a folder a designer can copy: ``theme.yaml`` (validated like issue
data), Jinja2 templates and CSS.  Built-in layouts live in the top-level
``layouts/`` folder of the repository, which the wheel carries inside the
package; fonts likewise live in ``fonts/``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from types import BuiltinMethodType, MethodType
from typing import Any, Literal

from fontTools.ttLib import TTFont
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    Undefined,
    select_autoescape,
)
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.filters import do_format
from jinja2.loaders import split_template_path
from jinja2.runtime import (
    BlockReference,
    Context,
    LoopContext,
    Macro,
    TemplateReference,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from PIL import ImageCms
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..issue.errors import Problem, UserError
from ..issue.load import merged, read_yaml, validated
from ..issue.model import CROP_LIMITS, LENGTH, Colour, Length, ThemeOverride
from ..machinery.files import contained, read_bounded
from ..machinery.jobs import PDF_TARGETS, Target
from .contract import check_layout
from .plain import SCALARS, Record

DEFAULT_LAYOUT = "emn"
#: What makes a ``--layout`` a path rather than a built-in layout's name.
PATH_SEPARATORS = {"/", os.sep}
#: What a built-in layout's name looks like (never a path).
LAYOUT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: Jinja's own filters and globals a layout may use; the sandbox refuses the
#: rest, and attributes such as ``__globals__``, with a template error.
TEMPLATE_FILTERS = (
    "default", "e", "escape", "first", "format", "join", "last", "length",
    "list", "lower", "map", "reject", "rejectattr", "replace", "select",
    "selectattr", "sort", "string", "title", "trim", "truncate", "upper",
)  # fmt: skip
TEMPLATE_GLOBALS = ("range",)
#: What a template may read attributes of: plain data, and Jinja's own loops,
#: macros and imported templates.
READABLE = (
    *SCALARS,
    list,
    tuple,
    dict,
    range,
    Record,
    LoopContext,
    Macro,
    TemplateModule,
    TemplateReference,
)
#: Whose built-in methods a template may call (Jinja's immutable sandbox
#: refuses those that change a list or a dictionary).
CALLABLE_OWNERS = (str, int, float, list, tuple, dict, dt.date, LoopContext)
#: Longest string or list, most bits of a number, a template may make at once.
MAX_TEMPLATE_VALUE = 10_000_000
#: Widest field a template may format (``{:>N}``, ``%Ns``).
MAX_FORMAT_WIDTH = 1000
#: Largest template accepted: a layout's templates are a few kilobytes.
MAX_TEMPLATE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Page:
    """What the HTML is for: its target, and the pages designed for binding.

    ``fill_pages`` designed pages end a print edition (the last one its back
    page); with ``contact_at_back`` the contact block is printed there, once,
    and not among the content.
    """

    target: Target = "web"
    fill_pages: int = 0
    contact_at_back: bool = False


DEFAULT_PAGE = Page()


def package_data(name: str) -> Path:
    """Return a data folder shipped with emn-pdf (``layouts`` or ``fonts``).

    An installed wheel carries it inside the package; an editable install
    reads it from the repository root, where it is maintained.
    """
    installed = Path(str(files("emn_pdf") / name))
    if installed.is_dir():
        return installed
    return installed.resolve().parents[2] / name


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

    def text_height(self) -> float:
        """Return the height between the top and bottom margins, in mm."""
        height = paper_size(self.size)[1]
        return height - millimetres(self.top) - millimetres(self.bottom)

    @model_validator(mode="after")
    def _room_for_text(self) -> PageSetup:
        width = paper_size(self.size)[0]
        if (
            width - 2 * millimetres(self.side) < MIN_TEXT_MM
            or self.text_height() < MIN_TEXT_MM
        ):
            raise ValueError(
                f"page {self.size!r} leaves less than {MIN_TEXT_MM} mm"
                " between its margins"
            )
        return self


#: Paper sizes CSS names (in mm, portrait), and the unit lengths in mm.
PAPER_SIZES = {
    "a5": (148, 210), "a4": (210, 297), "a3": (297, 420), "b5": (176, 250),
    "b4": (250, 353), "letter": (215.9, 279.4), "legal": (215.9, 355.6),
    "ledger": (279.4, 431.8),
}  # fmt: skip
UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
#: The smallest text area a page may leave, and the page size it may have.
MIN_TEXT_MM = 20
MAX_PAGE_MM = 2000


def millimetres(length: str) -> float:
    """Return a CSS length of the theme (``4.5mm``, ``9pt``) in millimetres."""
    unit = length_unit(length)
    return float(length.removesuffix(unit)) * UNIT_MM[unit]


def paper_size(size: str) -> tuple[float, float]:
    """Return the width and height in mm of a CSS ``size`` (``A4 landscape``).

    Raises ``ValueError`` for what WeasyPrint would misread or choke on.
    """
    words = size.lower().split()
    orientation = (
        words.pop() if words and words[-1] in ("portrait", "landscape") else ""
    )
    if len(words) == 1 and words[0] in PAPER_SIZES:
        width, height = PAPER_SIZES[words[0]]
    elif 1 <= len(words) <= 2 and all(LENGTH.fullmatch(word) for word in words):
        width, height = (millimetres(words[0]), millimetres(words[-1]))
    else:
        raise ValueError(f"page size {size!r} is not a paper name or two lengths")
    if max(width, height) > MAX_PAGE_MM:
        raise ValueError(f"page size {size!r} is larger than {MAX_PAGE_MM} mm")
    if orientation:
        width, height = sorted((width, height), reverse=orientation == "landscape")
    return width, height


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

    @model_validator(mode="after")
    def _visible(self) -> Typography:
        for name in ("body_size", "small_size", "band_height"):
            if millimetres(getattr(self, name)) <= 0:
                raise ValueError(f"{name} must be larger than zero")
        return self


class Hyphenation(BaseModel):
    """How one language hyphenates: its patterns and its least lengths."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    patterns: str | None = Field(
        None,
        description="Pyphen's dictionary for the language, e.g. en_US (whose"
        " patterns split 'ad-min-is-tra-tive', where en_GB's give"
        " 'administrat-ive'); by default the language's own.",
    )
    limit_chars: tuple[int, int, int] = Field(
        (7, 3, 3),
        description="The shortest word hyphenated, and the fewest letters"
        " before and after the hyphen.",
    )


class Setting(BaseModel):
    """How body text is set: even word spaces first (issue 31)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    align: Literal["left", "justify"] = Field(
        "left",
        description="Body text ragged right ('left': word spaces stay even in"
        " narrow columns) or justified (even only in wide measures).",
    )
    hyphenate_zone: str = Field(
        "0%",
        description="A word is hyphenated only if the line would otherwise end"
        " further than this from the column's edge (CSS hyphenate-limit-zone).",
    )
    languages: dict[str, Hyphenation] = Field(
        {}, description="Hyphenation by language code (fr, en, de...)."
    )

    def css(self) -> str:
        """Return the rules that set each language's hyphenation."""
        rules = []
        for language, hyphenation in self.languages.items():
            declarations = "hyphenate-limit-chars: {} {} {};".format(
                *hyphenation.limit_chars
            )
            if hyphenation.patterns:
                declarations += f' -weasy-lang: "{hyphenation.patterns}";'
            rules.append(f":lang({language}) {{ {declarations} }}")
        return "\n".join(rules)


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
        if millimetres(self.body_size[0]) <= 0:
            raise ValueError("body_size must be larger than zero")
        return self


#: The room a filler cell needs, width and height in mm: its block's title,
#: the link's label, a QR code phones read (20 mm) and its caption.
FILLER_CELL_MM = (55.0, 55.0)
#: The filler page's title and its space, in mm.
FILLER_TITLE_MM = 30.0


class FillerGrid(BaseModel):
    """The grid of a print filler page: a cell for each link or coming date.

    Unset, the page's size says it: as many cells of :data:`FILLER_CELL_MM`
    as it holds (3 by 4 on A4, 2 by 2 on A5), so a child layout on smaller
    paper needs no setting of its own.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: int | None = Field(
        None, ge=1, le=6, description="Cells across the page (unset: as fit)."
    )
    rows: int | None = Field(
        None, ge=1, le=10, description="Rows of cells down the page (unset: as fit)."
    )

    def on(self, page: PageSetup) -> tuple[int, int]:
        """Return the columns and rows of cells on ``page``."""
        width = paper_size(page.size)[0] - 2 * millimetres(page.side)
        height = page.text_height() - FILLER_TITLE_MM
        return (
            self.columns or max(1, int(width // FILLER_CELL_MM[0])),
            self.rows or max(1, int(height // FILLER_CELL_MM[1])),
        )


class Theme(BaseModel):
    """The validated ``theme.yaml`` of a layout: its brand and its measures."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(description="One line shown by 'emn-pdf layouts'.")
    extends: str | None = Field(
        None,
        description="A built-in layout whose templates and files this one falls"
        " back on, and whose values it changes: tables merge key by key, so"
        " this file says only what differs.",
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
    html: TargetTheme = Field(
        default_factory=lambda: TargetTheme(),
        description="The web page's stylesheets (html target): the common ones"
        " are the PDF's, so the page names all of its own.",
    )
    email: TargetTheme = Field(
        default_factory=lambda: TargetTheme(),
        description="The e-mail's stylesheets (email target), inlined into it.",
    )
    page: PageSetup = Field(description="Paper and margins.")
    columns: int = Field(ge=1, le=4, description="Columns of a section by default.")
    colours: dict[str, Colour] = Field(description="Colours by role: accent...")
    contrast: list[ContrastPair] = Field(
        description="Every text/background pair the stylesheets use, checked"
        " against WCAG 2.1: 4.5:1, or 3:1 for large headings.",
    )
    type: Typography = Field(description="Text sizes and spaces.")
    setting: Setting = Field(
        default_factory=lambda: Setting(),
        description="How body text is set: aligned, hyphenated per language.",
    )
    copyfit: Copyfit | None = Field(
        None, description="What copyfitting may change to reach a page count."
    )
    makeup: bool = Field(
        False,
        description="Place each block whole on the page grid (page makeup)"
        " instead of letting sections flow through balanced columns; in"
        " progress, for trial layouts.",
    )
    filler: FillerGrid = Field(
        default_factory=lambda: FillerGrid(),
        description="The grid of the print pages that list the issue's links"
        " and coming dates when makeup cannot plan whole sheets.",
    )
    logo: str | None = Field(None, description="Logo file of the layout folder.")
    brand: str | None = Field(
        None,
        description="The organisation whose brand the layout carries (its logo,"
        " its colours), as the masthead's organisation starts: an issue another"
        " organisation publishes gets a warning. A generic layout names none and"
        " shows no logo the issue did not give.",
    )
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

    @property
    def filler_cells(self) -> int:
        """Return how many entries one filler page holds."""
        columns, rows = self.filler.on(self.page)
        return columns * rows

    def variables(self, target: Target) -> dict[str, str]:
        """Return the CSS custom properties the stylesheets read, by name."""
        colours = {
            f"--{role.replace('_', '-')}": (
                device_cmyk(colour.cmyk) if target == "print" else colour.rgb
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
            "--body-align": self.setting.align,
            "--hyphenate-zone": self.setting.hyphenate_zone,
            "--columns": str(self.columns),
            "--filler-columns": str(self.filler.on(self.page)[0]),
            "--filler-rows": str(self.filler.on(self.page)[1]),
            "--page-top": self.page.top,
            "--page-side": self.page.side,
            "--page-bottom": self.page.bottom,
            "--page-height": f"{self.page.text_height():.2f}mm",
            **CROP_LIMITS.variables(),
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

    def catalogue_files(self, language: str) -> list[Path]:
        """Return the layout's wording for ``language``, its ancestors' first.

        A layout may ship ``catalogues/<lang>.yaml``: the catalogue keys it
        rewords (a label, a network's name), merged over the package's.
        """
        name = f"catalogues/{language}.yaml"
        return [
            path
            for folder in reversed(self.folders)
            if (path := contained(folder, name)) is not None
        ]

    def file(self, name: str) -> Path:
        """Return the file ``name`` of the layout, or of a layout it extends.

        Only files inside those folders count: an absolute path, a ``..`` or
        a symbolic link leading elsewhere is not found.
        """
        for folder in self.folders:
            if (path := contained(folder, name)) is not None:
                return path
        raise UserError(
            Problem(
                f"{name!r}, named in theme.yaml, not found inside the layout"
                f" folders ({', '.join(str(folder) for folder in self.folders)})",
                file=self.folder / "theme.yaml",
            )
        )

    def target(self, target: Target) -> TargetTheme:
        """Return the theme's additions for ``target``."""
        additions: TargetTheme = getattr(self.theme, target)
        return additions

    def stylesheet_paths(self, target: Target) -> list[Path]:
        """Return the layout's CSS files for ``target``, in cascade order.

        The common stylesheets are the PDF's (pages, columns): the web page
        and the e-mail have their own only.
        """
        common = self.theme.stylesheets if target in PDF_TARGETS else []
        names = common + self.target(target).stylesheets
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
        for folder, name in (
            (self.folder, f"fonts/{face.file}"),
            (package_data("fonts"), face.file),
        ):
            if (path := contained(folder, name)) is not None:
                return path
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
    """Return the message for a layout name that is not built in."""
    return (
        f"unknown layout {name!r} (built in: {', '.join(builtin_layouts())};"
        " or give the path of a layout folder)"
    )


def is_layout_path(name: str) -> bool:
    """Tell whether a ``--layout`` is a folder's path (it has a slash), not a name."""
    return any(separator in name for separator in PATH_SEPARATORS)


def find_layout(name: str) -> Layout:
    """Return a layout, validated: a built-in one by name, or any folder by path.

    A path has a slash (``./mine``, ``~/brand``); a bare name is always a
    built-in layout, so that a folder of the working directory (unpacked
    from someone's zip) never stands in for one by accident.  A folder from
    outside gets the same validation and the same fetching rules.  Only the
    user gives a path (``--layout``): an issue names a built-in layout.
    """
    if not is_layout_path(name):
        if Path(name).is_dir() and name not in builtin_layouts():
            hint = f"; the folder {name} is a layout only given by its path: ./{name}"
            raise UserError(Problem(unknown_layout(name) + hint))
        return builtin_layout(name)
    folder = Path(name)
    if not (folder / "theme.yaml").is_file():
        raise UserError(Problem("not a layout folder (no theme.yaml)", file=folder))
    return _layout_at(folder, ())


def builtin_layout(name: str, extending: tuple[Path, ...] = ()) -> Layout:
    """Return a layout emn-pdf ships with, by name; never a path.

    This is how an issue file and a theme's ``extends`` name a layout: what
    came with an issue folder cannot point at a folder of its choosing.
    """
    folder = package_data("layouts") / name
    if not LAYOUT_NAME.fullmatch(name) or not (folder / "theme.yaml").is_file():
        raise UserError(Problem(unknown_layout(name)))
    return _layout_at(folder, extending)


def _layout_at(folder: Path, extending: tuple[Path, ...]) -> Layout:
    """Return the layout in ``folder``; ``extending`` are the layouts below it."""
    folder = folder.resolve()
    theme_file = folder / "theme.yaml"
    if folder in extending:
        raise UserError(Problem("a layout cannot extend itself", file=theme_file))
    document = read_yaml(theme_file)
    extends = document.data.get("extends") if isinstance(document.data, dict) else None
    ancestors: tuple[tuple[str, Path], ...] = ()
    if isinstance(extends, str):
        parent = _located_in(
            theme_file, lambda: builtin_layout(extends, (*extending, folder))
        )
        ancestors = ((parent.name, parent.folder), *parent.ancestors)
        document = replace(
            document, data=merged(parent.theme.model_dump(), document.data)
        )
    layout = Layout(folder.name, folder, validated(document, Theme), ancestors)
    _check_files(layout)
    return layout


def _located_in(theme_file: Path, action: Callable[[], Layout]) -> Layout:
    """Run ``action``; a problem without a file is located in ``theme_file``."""
    try:
        return action()
    except UserError as error:
        raise UserError(
            replace(
                problem,
                file=problem.file or theme_file,
                field=problem.field or "extends",
            )
            for problem in error.problems
        ) from None


def _check_files(layout: Layout) -> None:
    """Fail now, naming the file, if a file the theme names is missing or wrong.

    Fonts and colour profiles are parsed here: the engine would abort on them
    later, far from the line that named them; and the layout contract is
    checked (:mod:`emn_pdf.layout.contract`): a template for every kind, makeup's CSS.
    """
    layout.logo()
    for target in PDF_TARGETS:
        check_layout(
            layout.folders, layout.stylesheet_paths(target), layout.theme.makeup
        )
        if (profile := layout.color_profile(target)) is not None:
            _check_profile(layout, profile)
    for face in layout.theme.fonts:
        _check_font(layout, layout.font_path(face))


def _check_profile(layout: Layout, path: Path) -> None:
    try:
        space = ImageCms.getOpenProfile(str(path)).profile.xcolor_space.strip()
    except (ImageCms.PyCMSError, OSError) as error:
        raise _theme_file_problem(
            layout, path, f"not an ICC profile ({error})"
        ) from None
    if space != "CMYK":
        raise _theme_file_problem(layout, path, f"a {space} profile, not CMYK")


def _check_font(layout: Layout, path: Path) -> None:
    try:
        with TTFont(path, lazy=True) as font:
            font["head"]
    except Exception as error:  # fontTools raises many kinds for a bad file
        raise _theme_file_problem(layout, path, f"not a font file ({error})") from None


def _theme_file_problem(layout: Layout, path: Path, message: str) -> UserError:
    return UserError(
        Problem(f"{path.name}: {message}", file=layout.folder / "theme.yaml")
    )


def template_environment(
    folder: Path, ancestors: tuple[tuple[str, Path], ...]
) -> Environment:
    """Return the Jinja2 environment of a layout: sandboxed, autoescaped, strict.

    Templates are looked up in the layout's folder, then in the layouts it
    extends, so that a layout overrides only the templates it changes; and a
    template can extend the one it replaces by naming it ``<parent>/name``.
    A layout may come from anyone: its templates run in Jinja's immutable
    sandbox with only :data:`TEMPLATE_FILTERS` and :data:`TEMPLATE_GLOBALS`,
    and may read only files inside those folders.
    """
    folders = [folder, *(parent for _, parent in ancestors)]
    parents = {name: ContainedLoader([parent]) for name, parent in ancestors}
    environment = PlainDataSandbox(
        loader=ChoiceLoader([ContainedLoader(folders), PrefixLoader(parents)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters = {name: environment.filters[name] for name in TEMPLATE_FILTERS}
    environment.filters["format"] = _bounded_format
    environment.globals = {name: environment.globals[name] for name in TEMPLATE_GLOBALS}
    return environment


class PlainDataSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, reading and calling plain data only.

    Jinja's own sandbox lets a template read any public attribute and call
    any method of whatever it is handed; this one reads attributes only of
    the plain values :mod:`emn_pdf.layout.plain` makes (and of Jinja's loops and
    macros), calls only their built-in methods (not ``str.format``: the
    ``format`` filter does it), macros and ``range``, and refuses arithmetic
    whose result would be huge: an object handed over by mistake is inert,
    and a bomb is an error before it takes the memory.
    """

    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Tell whether a template may read ``obj.attr``: plain data only."""
        return isinstance(obj, READABLE) and super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        """Tell whether a template may call ``obj``."""
        owner = getattr(obj, "__self__", None)
        method = isinstance(obj, BuiltinMethodType | MethodType) and isinstance(
            owner, CALLABLE_OWNERS
        )
        # Calling an undefined value raises its own, clearer, error.
        callable_types = Macro | BlockReference | Undefined
        allowed = method or isinstance(obj, callable_types) or obj is safe_range
        return allowed and super().is_safe_callable(obj)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Refuse ``*`` and ``**`` making more than :data:`MAX_TEMPLATE_VALUE`."""
        if operator == "**" and _power_bits(left, right) > MAX_TEMPLATE_VALUE:
            raise SecurityError("a power too large for a template")
        if operator == "*" and _product_size(left, right) > MAX_TEMPLATE_VALUE:
            raise SecurityError("a repetition too large for a template")
        return super().call_binop(context, operator, left, right)


def _power_bits(base: Any, exponent: Any) -> float:
    if not isinstance(base, int | float) or not isinstance(exponent, int | float):
        return 0
    return abs(exponent) * math.log2(abs(base) or 1) if exponent > 0 else 0


def _product_size(left: Any, right: Any) -> float:
    sized, times = (left, right) if isinstance(right, int) else (right, left)
    if isinstance(sized, str | list | tuple) and isinstance(times, int):
        return len(sized) * times
    return 0


def _check_width(spec: str) -> None:
    if any(int(width) > MAX_FORMAT_WIDTH for width in re.findall(r"\d+", spec)):
        raise SecurityError(f"a format width over {MAX_FORMAT_WIDTH}")


def _bounded_format(value: str, *args: Any, **kwargs: Any) -> str:
    """Jinja's ``format`` filter (``%`` formatting), its widths bounded."""
    for flags in re.findall(r"%[-#0 +]*(\d*)(?:\.(\d+))?", value):
        _check_width(" ".join(flags))
    return do_format(value, *args, **kwargs)


class ContainedLoader(BaseLoader):
    """Load templates from folders, refusing any that resolves outside them."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """Return a template's text, its file, and how to tell it changed."""
        name = "/".join(split_template_path(template))
        for folder in self.folders:
            if (path := contained(folder, name)) is not None:
                return _template_source(path)
        raise TemplateNotFound(template)


def _template_source(path: Path) -> tuple[str, str, Callable[[], bool]]:
    modified = path.stat().st_mtime_ns

    def unchanged() -> bool:
        try:
            return path.stat().st_mtime_ns == modified
        except OSError:
            return False

    try:
        text = read_bounded(path, MAX_TEMPLATE_BYTES).decode("utf-8")
    except (ValueError, OSError) as error:
        raise UserError(Problem(f"cannot read template: {error}", file=path)) from None
    return text, str(path), unchanged
