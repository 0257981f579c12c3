"""The typesetting findings an editor fixes by hand: W114 to W117 (issue 31).

Preflight reads the laid-out lines; each finding names the block's YAML
line, so the rare line the setting policy leaves can be found and fixed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from emn_pdf.checks.preflight import (
    LOOSE_EM,
    WORD_SPACE_EM,
    _paragraph_findings,
    _parted,
)
from emn_pdf.cli import app

ONE_PAGE = ROOT / "tests" / "corpus" / "en-one-page"
#: A layout that justifies the cards' text without hyphenation: what the
#: setting policy (ragged right, moderate hyphenation) exists to avoid.
JUSTIFIED = ".card-body p { text-align: justify; hyphens: manual; }\n"


def test_a_loose_line_is_reported_at_its_block_s_yaml_line(tmp_path: Path) -> None:
    issue = shutil.copytree(ONE_PAGE, tmp_path / "issue")
    layout = tmp_path / "justified"
    layout.mkdir()
    (layout / "extra.css").write_text(JUSTIFIED, encoding="utf-8")
    (layout / "theme.yaml").write_text(
        "extends: bulletin\ndescription: test\nweb: {stylesheets: [web.css, extra.css]}\n",
        encoding="utf-8",
    )
    arguments = [str(issue), "--target", "web"]
    plain = CliRunner().invoke(app, ["check", *arguments])
    assert "W114" not in plain.output
    justified = CliRunner().invoke(app, ["check", *arguments, "--layout", str(layout)])
    loose = [line for line in justified.output.splitlines() if "W114" in line]
    assert loose, justified.output
    assert all(
        line.startswith("warning: ")
        and "en.yaml:" in line
        and "sections.0.blocks." in line
        for line in loose
    ), loose
    assert justified.exit_code == 0  # a warning: the edition still builds


@dataclass
class Line:
    """A laid-out line as preflight reads it: its text, widths and spacing."""

    text: str
    used: float = 100.0  # points the line's text takes
    spacing: float = 0.0  # added to each word space by justification, in em
    size: float = 10.0
    width: float = 150.0  # points the line has

    @property
    def box(self) -> Line:
        return self

    def word_space(self) -> float:
        return WORD_SPACE_EM + self.spacing

    def hyphenated(self) -> bool:
        return self.text.endswith("-")

    def word_width(self, word: str) -> float:
        return 5.0 * len(word)

    def finding(self, code: str, message: str) -> tuple[str, str]:
        return code, message


def codes(lines: list[Line], language: str = "en") -> list[str]:
    found = _paragraph_findings(lines, language)  # type: ignore[arg-type]
    return [code for code, _ in found]  # type: ignore[misc]


def test_a_line_wider_spaced_than_the_limit_is_loose() -> None:
    assert codes([Line("even", spacing=LOOSE_EM - WORD_SPACE_EM)]) == []
    assert codes([Line("loose", spacing=LOOSE_EM)]) == ["W114"]


def test_three_hyphenated_lines_in_a_row_are_a_ladder() -> None:
    two = [Line("inter-", used=148), Line("na-", used=148), Line("tional")]
    assert codes(two) == []
    three = [Line("inter-", used=148), Line("na-", used=148), Line("tio-", used=148)]
    assert codes([*three, Line("nal")]) == ["W117"]


def test_a_line_ending_before_a_word_that_fits_is_stray() -> None:
    # 100 pt used of 150: the next word, 20 pt and a space, would have fitted.
    assert codes([Line("the forecasting"), Line("in migration")]) == ["W115"]
    assert codes([Line("the forecasting", used=140), Line("in migration")]) == []


@pytest.mark.parametrize(
    ("end", "start", "language"),
    [
        ("le 10", "décembre 2024", "fr"),
        ("à 12 h", "30 au centre", "fr"),
        ("de 12", "h 30", "fr"),
        ("appelez le 03 87 12", "34 56", "fr"),
        ("au 18", "avenue Foch", "fr"),
        ("on 2", "October", "en"),
        ("at 5.30", "pm", "en"),
        ("am 3.", "März", "de"),
        ("9–", "12 Uhr", "de"),
    ],
)
def test_a_break_the_typographer_s_pass_forbids_is_a_parted_pair(
    end: str, start: str, language: str
) -> None:
    assert _parted(end, start, language)


@pytest.mark.parametrize(
    ("end", "start", "language"),
    [
        ("it was the", "house of", "en"),
        ("Ent-", "wicklung", "de"),
        ("la", "ville", "fr"),
    ],
)
def test_an_ordinary_break_is_no_parted_pair(
    end: str, start: str, language: str
) -> None:
    assert not _parted(end, start, language)
