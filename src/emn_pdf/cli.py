"""The ``emn-pdf`` command: options in, one library call, messages out.

Every command maps its options onto :func:`emn_pdf.build` or
:func:`emn_pdf.check`.  Mistakes in the input (:class:`UserError`), and faults
such as a full disk or an unreadable file, are printed to stderr with exit
status 2 and no traceback.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from .issue.errors import (
    Finding,
    Problem,
    UserError,
    display_path,
    faults_as_user_errors,
)
from .machinery.workers import (
    LAYOUT_SECONDS,
    MAX_PAGES,
    Limits,
    end_cleanly_when_interrupted,
)

if TYPE_CHECKING:
    from .machinery.jobs import BuildReport

#: Characters a terminal acts on rather than shows (C0 and C1 controls but
#: tab and newline, and the bidirectional overrides): editors' titles, file
#: names and pictures' paths reach messages, and must not move the cursor,
#: recolour the screen or reorder a line.
TERMINAL_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)

app = typer.Typer(
    help="Lay out a quarterly newsletter from YAML issue data into PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    # Plain help, as git and pip give it: typer's rich panels import
    # rich.markdown and its parser, a third of a second before any output.
    rich_markup_mode=None,
)


IssueDir = Annotated[
    Path, typer.Argument(help="Issue folder, e.g. issues/2024-12.", show_default=False)
]
Lang = Annotated[
    str | None,
    typer.Option("--lang", "-l", help="Edition language code, or 'all' (default)."),
]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Folder for the files.")]
TargetOption = Annotated[
    str,
    typer.Option(
        "--target",
        "-t",
        help="web (tagged PDF), print (PDF/X, bleed), html (web page), email or all.",
    ),
]
MaxPages = Annotated[
    int,
    typer.Option("--max-pages", min=1, help="Refuse an edition of more pages."),
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes; one per core."),
]
TimeLimit = Annotated[
    float,
    typer.Option(
        "--time-limit", min=1, help="Seconds each edition may take to lay out."
    ),
]
BaseUrl = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="Where the output folder will be online (https://...): the web page"
        " and the e-mail link to it; without it, the e-mail attaches its pictures.",
    ),
]
LayoutName = Annotated[
    str | None,
    typer.Option(
        "--layout",
        help="A built-in layout's name, or a layout folder's path (./mine);"
        " the edition's, else 'emn'.",
    ),
]


def shown(text: object) -> str:
    """Return ``text`` as a terminal may show it: control characters spelt out."""
    return TERMINAL_CONTROLS.sub(lambda match: ascii(match[0])[1:-1], str(text))


def say(text: object, *, err: bool = False) -> None:
    """Print a line of ours, which may quote the user's text, safely."""
    typer.echo(shown(text), err=err)


def _extent(report: BuildReport) -> str:
    """Return how long a PDF is, or how large a web edition's folder is."""
    if report.pages:
        return f"{report.pages} pages"
    return f"{report.size / 1024:.0f} KiB"


class BuildDisplay:
    """Progress while editions build, a line per file, a summary table after."""

    def __init__(self, name: str, total: int) -> None:
        self.console = Console(stderr=True, highlight=False)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
            disable=not self.console.is_terminal,
        )
        self.task = self.progress.add_task(f"building {name}", total=total)
        self.reports: list[BuildReport] = []

    def __enter__(self) -> BuildDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.stop()
        if len(self.reports) > 1:
            Console(highlight=False).print(self.summary())

    def add(self, report: BuildReport) -> None:
        """Show one finished edition."""
        self.reports.append(report)
        self.progress.advance(self.task)
        self.describe(report, self.console)

    @staticmethod
    def describe(report: BuildReport, console: Console) -> None:
        """Print a report: the files written, or what failed; what to look at."""
        lines = [
            f"warning: {report.language}: {warning}" for warning in report.warnings
        ]
        lines += [f"{finding.severity}: {finding}" for finding in report.findings]
        if report.path is None:
            lines.append(f"failed: {report.language} {report.target}")
        for line in lines:  # as text, never markup; one line each
            console.print(Text(shown(line)), soft_wrap=True)
        if report.path is None:
            return
        timing = "unchanged" if report.cached else f"{report.seconds:.1f} s"
        say(f"{display_path(report.path)}  {_extent(report)}  {timing}")
        for extra in report.extras:
            say(display_path(extra))

    def summary(self) -> Table:
        """Return one row per edition: pages, size and time, or the failure."""
        table = Table("edition", "target", "file", "pages", "size", "s", box=None)
        for report in self.reports:
            if report.path is None:
                table.add_row(report.language, report.target, "failed", "", "", "")
                continue
            table.add_row(
                report.language,
                report.target,
                Text(shown(display_path(report.path))),
                str(report.pages or ""),
                f"{report.size / 1024:.0f} KiB",
                "unchanged" if report.cached else f"{report.seconds:.1f}",
            )
        return table


@app.command("new")
def new_command(
    issue_id: Annotated[
        str, typer.Argument(help="Name of the new issue, e.g. 2025-03.")
    ],
    previous: Annotated[
        str | None,
        typer.Option("--from", help="Previous issue to carry the masthead from."),
    ] = None,
    languages: Annotated[
        str | None,
        typer.Option("--lang", "-l", help="Languages, comma-separated: fr,en."),
    ] = None,
    issues_dir: Annotated[
        Path, typer.Option("--issues", help="Folder holding the issues.")
    ] = Path("issues"),
) -> None:
    """Create a new issue folder whose files already validate."""
    from .issue.scaffold import new_issue

    chosen = languages.split(",") if languages else None
    with user_errors():
        written = new_issue(
            issue_id, issues_dir=issues_dir, previous=previous, languages=chosen
        )
    for path in written:
        say(f"created {display_path(path)}")


@app.command("watch")
def watch_command(
    issue_dir: IssueDir,
    lang: Lang = None,
    layout: LayoutName = None,
    target: TargetOption = "web",
    out_dir: OutDir = Path("build"),
    max_pages: MaxPages = MAX_PAGES,
    time_limit: TimeLimit = LAYOUT_SECONDS,
) -> None:
    """Rebuild whenever an issue file, a picture, a layout or a font is saved."""
    from .watch import Rebuild, watch

    def show(rebuild: Rebuild) -> None:
        changed = ", ".join(display_path(path) for path in rebuild.changed[:3])
        say(f"\n{time.strftime('%H:%M:%S')} {changed or 'first build'}")
        for problem in rebuild.problems:
            say(f"error: {problem}", err=True)
        if rebuild.problems:
            say("the last good PDFs stay in place", err=True)
        for report in rebuild.reports:
            BuildDisplay.describe(report, Console(stderr=True, highlight=False))
        say(f"rebuilt in {rebuild.seconds:.2f} s; waiting for changes (Ctrl-C ends)")

    with user_errors(), suppress(KeyboardInterrupt):
        watch(
            issue_dir,
            show,
            lang=lang,
            target=target,
            layout=layout,
            out_dir=out_dir,
            limits=Limits(max_pages, time_limit),
        )


@app.command("preview")
def preview_command(
    issue_dir: IssueDir,
    lang: Lang = None,
    layout: LayoutName = None,
    target: TargetOption = "print",
    out_dir: OutDir = Path("build"),
    max_pages: MaxPages = MAX_PAGES,
    time_limit: TimeLimit = LAYOUT_SECONDS,
) -> None:
    """Write a contact sheet (all pages as spreads, one PNG) for each edition."""
    from .build import build
    from .preview import contact_sheet

    with user_errors():
        pdfs = build(
            issue_dir,
            lang=lang,
            target=target,
            layout=layout,
            out_dir=out_dir,
            limits=Limits(max_pages, time_limit),
        )
        for pdf in pdfs:
            sheet = contact_sheet(pdf, pdf.with_name(f"{pdf.stem}-sheet.png"))
            say(display_path(sheet))


@app.command("layouts")
def layouts_command() -> None:
    """List the built-in layouts; any layout folder can be given by its path."""
    from .layout.layouts import builtin_layouts

    for name, description in builtin_layouts().items():
        say(f"{name:<12} {description}")


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of edition files (for VS Code's YAML extension)."""
    from .issue.model import issue_schema_text

    typer.echo(issue_schema_text(), nl=False)


def invalid_input(problem: Problem) -> Finding:
    """Return an input problem as a finding, for machine-readable output."""
    return Finding.at("E000", problem)


@contextmanager
def user_errors() -> Iterator[None]:
    """Print input problems, and faults, without a traceback; exit with status 2."""
    end_cleanly_when_interrupted()
    try:
        with faults_as_user_errors():
            yield
    except UserError as error:
        for problem in error.problems:
            say(f"error: {problem}", err=True)
        raise typer.Exit(2) from None


@app.command("build")
def build_command(
    issue_dir: IssueDir,
    lang: Lang = None,
    layout: LayoutName = None,
    out_dir: OutDir = Path("build"),
    target: TargetOption = "web",
    jobs: Jobs = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even when nothing changed.")
    ] = False,
    pages: Annotated[
        int | None,
        typer.Option(
            "--pages", min=1, help="Copyfit to this many pages (else the edition's)."
        ),
    ] = None,
    allow_remote: Annotated[
        bool,
        typer.Option("--allow-remote", help="Download pictures given by web address."),
    ] = False,
    base_url: BaseUrl = None,
    max_pages: MaxPages = MAX_PAGES,
    time_limit: TimeLimit = LAYOUT_SECONDS,
) -> None:
    """Build the PDFs, web pages or e-mails of each edition (all by default).

    Exits with status 2 when an edition fails, or when preflight finds an
    error in what was built (the files are written all the same).
    """
    from .build import build
    from .machinery.jobs import chosen_languages, chosen_targets

    with user_errors():
        total = len(chosen_languages(issue_dir, lang)) * len(chosen_targets(target))
        with BuildDisplay(f"{display_path(issue_dir)}", total) as display:
            build(
                issue_dir,
                lang=lang,
                target=target,
                layout=layout,
                out_dir=out_dir,
                jobs=jobs,
                force=force,
                allow_remote=allow_remote,
                pages=pages,
                limits=Limits(max_pages, time_limit),
                base_url=base_url,
                on_built=display.add,
            )
    if any(
        finding.severity == "error"
        for report in display.reports
        for finding in report.findings
    ):
        raise typer.Exit(2)  # written, to look at, but not fit to publish


@app.command("archive")
def archive_command(
    issues_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of issue folders, e.g. issues/.", show_default=False
        ),
    ],
    out_dir: OutDir = Path("site"),
    layout: LayoutName = None,
    base_url: BaseUrl = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", "-l", help="The page's language; the newest issue's."),
    ] = None,
    jobs: Jobs = None,
    max_pages: MaxPages = MAX_PAGES,
    time_limit: TimeLimit = LAYOUT_SECONDS,
) -> None:
    """Build every issue for every target; write the page listing them and a feed."""
    from .machinery.jobs import TARGETS, edition_files
    from .web.archive import archive, issue_folders

    with user_errors():
        issues = issue_folders(issues_dir)
        total = sum(len(edition_files(issue)) for issue in issues) * len(TARGETS)
        with BuildDisplay(display_path(issues_dir), total) as display:
            written = archive(
                issues_dir,
                out_dir,
                layout=layout,
                base_url=base_url,
                language=lang,
                jobs=jobs,
                limits=Limits(max_pages, time_limit),
                on_built=display.add,
            )
    for path in written:
        say(display_path(path))


@app.command("check")
def check_command(
    issue_dir: IssueDir,
    lang: Lang = None,
    layout: LayoutName = None,
    target: TargetOption = "web",
    output_format: Annotated[
        str, typer.Option("--format", help="text, or json for machines.")
    ] = "text",
    quick: Annotated[
        bool, typer.Option("--quick", help="Validate only; do not lay pages out.")
    ] = False,
    pages_only: Annotated[
        bool,
        typer.Option(
            "--pages-only",
            help="Preflight the pages, not the print file: no inks, colours or boxes"
            " (twice as fast for print).",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail on warnings too (exit 2), as CI would."),
    ] = False,
    jobs: Jobs = None,
    max_pages: MaxPages = MAX_PAGES,
    time_limit: TimeLimit = LAYOUT_SECONDS,
) -> None:
    """Validate the issue, compare its editions and preflight the pages.

    Exits with status 2 when there is an error (invalid input, or a defect
    such as text overflowing its column); warnings alone exit with 0, or
    with 2 under --strict.
    """
    from .checking import check

    if output_format not in {"text", "json"}:
        raise typer.BadParameter("use text or json", param_hint="--format")
    with user_errors():
        try:
            findings = check(
                issue_dir,
                lang=lang,
                layout=layout,
                target=target,
                lay_out=not quick,
                print_file=not pages_only,
                limits=Limits(max_pages, time_limit),
                jobs=jobs,
            )
        except UserError as error:
            if output_format == "text":
                raise
            findings = [invalid_input(problem) for problem in error.problems]
    if output_format == "json":
        typer.echo(json.dumps([finding.as_json() for finding in findings], indent=1))
    else:
        for finding in findings:
            say(f"{finding.severity}: {finding}", err=True)
        errors = sum(finding.severity == "error" for finding in findings)
        warnings = sum(finding.severity == "warning" for finding in findings)
        say(f"{display_path(issue_dir)}: {errors} errors, {warnings} warnings")
    failing = {"error", "warning"} if strict else {"error"}
    if any(finding.severity in failing for finding in findings):
        raise typer.Exit(2)
