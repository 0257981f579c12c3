"""The emn-pdf command as a user runs it: messages, exit codes, files."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pdfcheck import page_count
from PIL import Image
from typer.testing import CliRunner

from emn_pdf.cli import app

runner = CliRunner()


def test_build_writes_the_pdf_and_says_where(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(make_issue()), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out / "2025-03-fr-web.pdf"
    assert page_count(pdf) == 1
    assert re.search(rf"{re.escape(str(pdf))}  1 pages  \d+\.\d s", result.stdout)
    # Nothing temporary is left behind; the cache keeps to its own folder.
    assert sorted(out.iterdir()) == [
        out / ".emn-pdf-cache",
        out / "2025-03-fr-cover.png",
        pdf,
    ]


def test_bad_input_exits_2_with_one_line_and_no_output(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    (issue / "fr.yaml").write_text(
        "masthead: {title: x}\nsections: []\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (
        "masthead.organisation: missing required field 'organisation'" in result.stderr
    )
    assert all(
        line.startswith(("error: ", "failed: ")) for line in result.stderr.splitlines()
    )
    assert not out.exists() or not any(out.iterdir())


def test_a_failed_build_keeps_the_previous_pdf(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue, out = make_issue(), tmp_path / "out"
    assert runner.invoke(app, ["build", str(issue), "-o", str(out)]).exit_code == 0
    before = (out / "2025-03-fr-web.pdf").read_bytes()
    (issue / "fr.yaml").write_text("masthead: [", encoding="utf-8")
    assert runner.invoke(app, ["build", str(issue), "-o", str(out)]).exit_code == 2
    assert (out / "2025-03-fr-web.pdf").read_bytes() == before


def test_unknown_layout_is_an_error(make_issue: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["check", str(make_issue()), "--layout", "fancy"])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "error: unknown layout 'fancy' (built in: bulletin, emn; or give the path of a layout folder)"
    )


def test_unknown_edition_lists_the_available_ones(
    make_issue: Callable[..., Path],
) -> None:
    result = runner.invoke(app, ["check", str(make_issue()), "--lang", "de"])
    assert result.exit_code == 2
    assert "no de.yaml edition (available: fr)" in result.stderr


def test_check_says_what_it_validated(make_issue: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["check", str(make_issue())])
    assert result.exit_code == 0
    assert result.stdout.strip().endswith(": 0 errors, 0 warnings")


UNUSED_PICTURE = "detention-workshop.svg"


def test_check_strict_fails_on_warnings(make_issue: Callable[..., Path]) -> None:
    issue = make_issue(images=(UNUSED_PICTURE,))
    result = runner.invoke(app, ["check", str(issue), "--quick"])
    assert result.exit_code == 0 and "W105" in result.stderr
    assert result.stdout.strip().endswith(": 0 errors, 1 warnings")
    result = runner.invoke(app, ["check", str(issue), "--quick", "--strict"])
    assert result.exit_code == 2 and "W105" in result.stderr


def test_output_inside_the_issue_folder_is_refused(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue()
    result = runner.invoke(app, ["build", str(issue), "-o", str(issue / "build")])
    assert result.exit_code == 2
    assert "the output folder must not be inside" in result.stderr
    assert not (issue / "build").exists()


COMMANDS = [command.name for command in app.registered_commands]


@pytest.mark.parametrize(
    ("arguments", "status", "expected"),
    [
        ([], 2, ["Usage:", *COMMANDS]),  # no command: the help, as a usage error
        (["--help"], 0, ["Usage:", *COMMANDS]),
        (["build", "--help"], 0, ["issue_dir", "--target", "--jobs", "--pages"]),
        (
            ["check", "--help"],
            0,
            ["issue_dir", "--strict", "--quick", "--pages-only", "--format"],
        ),
    ],
)
def test_help_is_available(
    arguments: list[str], status: int, expected: list[str]
) -> None:
    result = runner.invoke(app, arguments)
    assert result.exit_code == status
    assert [word for word in expected if word not in result.output] == []
    assert "``" not in result.output  # help is plain text, not reStructuredText


def test_a_colon_in_french_text_says_to_quote_it(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    text = (issue / "fr.yaml").read_text(encoding="utf-8")
    (issue / "fr.yaml").write_text(
        text.replace("title: Une nouvelle", "title: Atelier : les migrations"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    failed, line = result.stderr.splitlines()
    assert failed == "failed: fr web"
    assert line.startswith("error: ")
    assert line.endswith(
        "fr.yaml:11: invalid YAML: mapping values are not allowed in this context; a "
        "value containing ': ' must be put in quotes (\"...\") or written as a block "
        "after '|' on the lines below"
    )
    assert not out.exists() or not any(out.iterdir())


def fresh_python(program: str) -> str:
    """Return what ``program`` prints in a new interpreter: nothing imported yet."""
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout


def test_help_imports_neither_the_engine_nor_the_models() -> None:
    """``--help`` answers at once: the build stage is imported when a command runs."""
    printed = fresh_python(
        "import sys\n"
        "from emn_pdf.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'weasyprint', 'emn_pdf.build', 'emn_pdf.issue.model', 'rich.markdown'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    assert "Commands:" in printed and "build" in printed
    assert printed.strip().splitlines()[-1] == "[]"


def test_the_library_api_survives_the_lazy_import() -> None:
    """``emn_pdf.build`` is the function, whether or not its module was imported first."""
    printed = fresh_python(
        "import emn_pdf.build as first\n"
        "import emn_pdf\n"
        "from emn_pdf import build, check\n"
        "print(callable(first), emn_pdf.build is build, emn_pdf.check is check,"
        " type(build).__name__)\n"
    )
    assert printed.split() == ["True", "True", "True", "function"]


def test_an_unchanged_rebuild_loads_neither_the_models_nor_the_engine(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Up to date is known from the files' status: nothing is loaded or laid out."""
    issue, out = make_issue(), tmp_path / "out"
    CliRunner().invoke(
        app, ["build", str(issue), "-o", str(out)], catch_exceptions=False
    )
    printed = fresh_python(
        "import sys\n"
        "from emn_pdf.cli import app\n"
        "try:\n"
        f"    app(['build', {str(issue)!r}, '-o', {str(out)!r}])\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code)\n"
        "heavy = {'weasyprint', 'emn_pdf.edition', 'emn_pdf.issue.model', 'yaml', 'jinja2'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    assert "unchanged" in printed
    assert printed.strip().splitlines()[-2:] == ["exit 0", "[]"]


#: A news block whose title hides terminal escapes in a word too long for its
#: column (so E101 quotes it) and whose picture's path reads as Rich markup.
ESCAPING_NEWS = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
sections:
  - blocks:
      - kind: news
        title: "Super\\x1b[2J\\x07califragilisticexpialidocious{q}"
        body: Texte.
        image: {src: "images/[/bold]x.png", alt: Une image.}
""".replace("{q}", "q" * 60)


@pytest.mark.engine_warnings  # the control characters have no glyph
def test_messages_show_the_editor_s_text_as_text(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Nothing an editor typed is taken for Rich markup or a terminal's command."""
    issue = make_issue(ESCAPING_NEWS)
    (issue / "images" / "[").mkdir()
    Image.new("RGB", (90, 100), "#1d4f91").save(issue / "images" / "[" / "bold]x.png")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(issue), "-t", "print", "-o", str(out)])
    assert "MarkupError" not in result.output
    assert "images/[/bold]x.png is printed at 41 dpi" in result.output
    assert "E101 “Super\\x1b[2J\\x07cali" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert (out / "2025-03-fr-print.pdf").exists()
