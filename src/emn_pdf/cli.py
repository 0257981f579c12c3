"""The ``emn-pdf`` command: options in, one library call, messages out.

Every command maps its options onto :func:`emn_pdf.build` or
:func:`emn_pdf.check`.  Mistakes in the input (:class:`UserError`) are printed
to stderr with exit status 2 and no traceback; anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from .errors import UserError, display_path

app = typer.Typer(
    help="Lay out a quarterly newsletter from YAML issue data into PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


IssueDir = Annotated[
    Path, typer.Argument(help="Issue folder, e.g. issues/2024-12.", show_default=False)
]
Lang = Annotated[
    str | None,
    typer.Option("--lang", "-l", help="Edition language code; all by default."),
]
LayoutName = Annotated[
    str | None,
    typer.Option("--layout", help="Layout name; the edition's, else 'emn'."),
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Print input problems without a traceback and exit with status 2."""
    try:
        yield
    except UserError as error:
        for problem in error.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2) from None


@app.command("build")
def build_command(
    issue_dir: IssueDir,
    lang: Lang = None,
    layout: LayoutName = None,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the PDF files.")
    ] = Path("build"),
) -> None:
    """Build the PDF of each edition into the output folder."""
    from .build import BuildReport, build

    def report(result: BuildReport) -> None:
        for warning in result.warnings:
            typer.echo(f"warning: {result.language}: {warning}", err=True)
        typer.echo(
            f"{display_path(result.path)}  {result.pages} pages  {result.seconds:.1f} s"
        )

    typer.echo(f"building {display_path(issue_dir)} ...", err=True)
    with user_errors():
        build(issue_dir, lang=lang, layout=layout, out_dir=out_dir, on_built=report)


@app.command("check")
def check_command(
    issue_dir: IssueDir, lang: Lang = None, layout: LayoutName = None
) -> None:
    """Validate the issue files and the layout without rendering pages."""
    from .build import check

    with user_errors():
        languages = check(issue_dir, lang=lang, layout=layout)
    typer.echo(f"{display_path(issue_dir)}: {', '.join(languages)} valid")
