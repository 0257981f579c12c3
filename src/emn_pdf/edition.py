"""One edition: validated and matched with its layout, ready to lay out.

What a build knows of an edition before the engine starts: its model and its
file's lines, its layout (with the edition's theme changes), its HTML, and
the keys the cache keeps its outputs by.  Laying it out and writing its
files is :mod:`emn_pdf.steps`, which loads the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .issue.errors import Finding, UserError
from .issue.load import FieldPath, LoadedEdition, load_edition
from .issue.model import Contact, is_remote
from .layout.contract import check_html, quoted_block
from .layout.i18n import (
    Catalogue,
    catalogue_path,
    edition_catalogue,
    load_catalogue,
)
from .layout.layouts import (
    DEFAULT_LAYOUT,
    DEFAULT_PAGE,
    Layout,
    Page,
    builtin_layout,
    find_layout,
)
from .layout.render import (
    ENTRY_TEMPLATE,
    block_id,
    block_position,
    filler_position,
    render_html,
)
from .machinery import cache
from .machinery.files import contained
from .machinery.jobs import Job, Target, edition_files

T = TypeVar("T")


@dataclass(frozen=True)
class Prepared:
    """An edition validated and matched with its layout, ready to render."""

    issue_id: str
    loaded: LoadedEdition
    layout: Layout

    @property
    def language(self) -> str:
        """Return the edition's language code."""
        return self.loaded.language

    @property
    def issue_dir(self) -> Path:
        """Return the folder of the edition's file, which its paths are relative to."""
        return self.loaded.document.path.parent.resolve()

    def brand_findings(self) -> list[Finding]:
        """Warn when the layout carries the brand of another organisation.

        Its logo and colours would tell readers the issue is that
        organisation's: a generic layout, or the issue's own logo, is meant.
        """
        brand = self.layout.theme.brand
        organisation = self.loaded.edition.masthead.organisation
        if brand is None or organisation.casefold().startswith(brand.casefold()):
            return []
        logo = "" if self.layout.theme.logo is None else " (its logo, its colours)"
        message = (
            f"the layout {self.layout.name!r} carries the brand of {brand}{logo},"
            f" not {organisation}'s: choose a generic layout (bulletin) or give"
            " the issue's own masthead.logo"
        )
        problem = self.loaded.document.problem(("masthead", "organisation"), message)
        return [Finding.at("W118", problem)]

    def channels(self) -> dict[tuple[str, str], str]:
        """Return each contact channel of the edition, by its block and field."""
        return {
            (block_id(number, index), channel.field): channel.kind
            for number, section in enumerate(self.loaded.edition.sections)
            for index, block in enumerate(section.blocks)
            if isinstance(block, Contact)
            for channel in block.channels()
        }

    def locate(self, finding: Finding, target: Target) -> Finding:
        """Return ``finding`` with the YAML file, line and field of its block."""
        location: tuple[str | int, ...] = ()
        if finding.block and (position := block_position(finding.block)):
            location = ("sections", position[0], "blocks", position[1])
        elif finding.block and (filler := filler_position(finding.block)) is not None:
            location = ("fillers", filler)
        elif finding.block and (quoted := quoted_block(finding.block)):
            section, block = block_position(quoted) or (0, 0)
            location = ("sections", section, "blocks", block, "pull_quote")
        problem = self.loaded.document.problem(location, finding.message)
        return replace(
            finding,
            file=problem.file,
            line=problem.line if location else None,
            field=problem.field,
            edition=f"{self.language} {target}",
        )

    def html(self, page: Page = DEFAULT_PAGE) -> str:
        """Return the edition's HTML for ``page.target``, the layout contract kept."""
        html = self.render(page)
        check_html(html, self.loaded.edition, self.layout.folders)
        return html

    def catalogue(self) -> Catalogue:
        """Return the edition's wording: the package's, the layout's, its own."""
        return edition_catalogue(
            self.loaded, self.layout.catalogue_files(self.language)
        )

    def render(
        self,
        page: Page = DEFAULT_PAGE,
        entry: str = ENTRY_TEMPLATE,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Return the layout's template ``entry`` rendered for the edition."""
        return render_html(
            self.loaded.edition,
            self.layout,
            self.catalogue(),
            self.language,
            page,
            entry,
            extra,
        )


def prepare(issue_dir: Path, language: str, layout: str | None) -> Prepared:
    """Load, validate and match one edition with its layout."""
    load_catalogue(language)
    loaded = load_edition(edition_files(issue_dir)[language])
    return Prepared(issue_dir.resolve().name, loaded, _edition_layout(loaded, layout))


def _edition_layout(loaded: LoadedEdition, requested: str | None) -> Layout:
    """Return the layout asked for on the command line, else the edition's.

    An edition names a built-in layout, never a folder (a folder that came
    with the issue could run anything); a mistake there, or in the edition's
    theme changes, is reported at its line.
    """
    named = loaded.edition.layout
    if requested is not None or named is None:
        layout = find_layout(requested or DEFAULT_LAYOUT)
    else:
        layout = _located(loaded, ("layout",), lambda: builtin_layout(named))
    changes = loaded.edition.theme
    if changes is not None:
        theme = _located(loaded, ("theme",), lambda: layout.theme.overridden(changes))
        layout = layout.with_theme(theme)
    if loaded.edition.masthead.logo is not None:  # the issue's logo replaces it
        layout = layout.with_theme(layout.theme.model_copy(update={"logo": None}))
    return layout


def _located(loaded: LoadedEdition, location: FieldPath, action: Callable[[], T]) -> T:
    """Run ``action``; report what goes wrong at ``location`` in the edition."""
    try:
        return action()
    except UserError as error:
        message = "; ".join(problem.message for problem in error.problems)
        raise UserError(loaded.document.problem(location, message)) from None
    except ValidationError as error:
        message = "; ".join(
            details["msg"].removeprefix("Value error, ") for details in error.errors()
        )
        raise UserError(loaded.document.problem(location, message)) from None
    except ValueError as error:
        raise UserError(loaded.document.problem(location, str(error))) from None


def has_remote_pictures(item: Prepared) -> bool:
    """Tell whether the edition names pictures by web address."""
    return any(is_remote(src) for src in item.loaded.edition.images())


def cache_key(job: Job, item: Prepared, read: list[str]) -> str:
    """Return the digest of the job's inputs and of the issue's files it read."""
    return cache.fingerprint(*_key_inputs(job, item, read))


def cache_keys(job: Job, item: Prepared, read: list[str]) -> dict[str, Any]:
    """Return the keys the cache keeps of a job's outputs, as entry fields.

    An edition with remote pictures gets no quick key: they may have changed
    with nothing here to tell.
    """
    files, settings = _key_inputs(job, item, read)
    named = [path.resolve() for path in files]  # as they are named when looked up
    folders = [folder.resolve() for folder in item.layout.folders]
    quick = ""
    if not has_remote_pictures(item):
        quick = cache.quick_key(named, folders, job.options())
    return {
        "key": cache.fingerprint(files, settings),
        "read": read,
        "files": [str(path) for path in named],
        "folders": [str(folder) for folder in folders],
        "quick": quick,
    }


def _key_inputs(
    job: Job, item: Prepared, read: list[str]
) -> tuple[list[Path], list[str]]:
    """Return the files and settings a job's outputs depend on.

    ``read`` names files of the issue folder the engine read besides those
    the edition names (a picture inside an SVG); one that is gone, or that a
    crafted entry names outside the folder, is not read: the key differs.
    """
    issue_dir = item.issue_dir
    settings = [job.target, item.layout.name, str(job.pages), str(job.limits.pages)]
    found = []
    for name in read:
        path = (issue_dir / name).resolve()
        if path.is_relative_to(issue_dir) and path.is_file():
            found.append(path)
        else:
            settings.append(f"not read: {name}")
    return [*input_files(item), *found], [*settings, *read]


def input_files(item: Prepared) -> list[Path]:
    """Return every file the outputs of ``item`` depend on."""
    issue_dir = item.loaded.document.path.parent
    layout_files = [
        path
        for folder in item.layout.folders
        for path in folder.rglob("*")
        if path.is_file()
    ]
    return [
        item.loaded.document.path,
        catalogue_path(item.language),
        *(
            issue_dir / src
            for src in item.loaded.edition.images()
            if not is_remote(src)
        ),
        *layout_files,
        *_font_files(item.layout),
    ]


def _font_files(layout: Layout) -> list[Path]:
    """Return the layout's font files, with the WOFF2 the web page uses beside one."""
    found = []
    for face in layout.theme.fonts:
        path = layout.font_path(face)
        found.append(path)
        if (web := contained(path.parent, f"{path.stem}.woff2")) is not None:
            found.append(web)
    return found
