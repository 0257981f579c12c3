"""Fuzzing: whatever an editor (or an attacker) writes, check answers cleanly.

Arbitrary text, mutated issue files and arbitrary Markdown must give either a
valid result or a :class:`UserError` (which the CLI prints as a message with
exit status 2), never another exception.  The number of examples is bounded so
that CI stays fast; raise it locally with HYPOTHESIS_PROFILE=long.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from conftest import MINIMAL_EDITION, SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emn_pdf
from emn_pdf.issue.errors import UserError

settings.register_profile(
    "ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SEED_FILES = [MINIMAL_EDITION, (SAMPLE / "fr.yaml").read_text(encoding="utf-8")]
YAML_CHARACTERS = st.sampled_from(
    [*list(":-[]{}&*!|>'\"#%@,?\t\n "), "\xa0", "é", "🎅", "\x00", "\ufeff"]
)


def check_text(text: str, lay_out: bool = False) -> None:
    """Run check on an issue whose French edition is ``text``."""
    with tempfile.TemporaryDirectory() as folder:
        issue = Path(folder) / "issues" / "2025-03"
        (issue / "images").mkdir(parents=True)
        for name in (
            "detention-workshop.svg",
            "mental-health.svg",
            "forecasting.png",
            "study-cover.svg",
        ):
            (issue / "images" / name).symlink_to(SAMPLE / "images" / name)
        (issue / "fr.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            findings = emn_pdf.check(issue, lay_out=lay_out)
            assert all(finding.code[0] in "EWI" for finding in findings)
        except UserError as error:
            assert error.problems and all(str(problem) for problem in error.problems)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A seed file with a few lines dropped, doubled, or characters changed."""
    lines = draw(st.sampled_from(SEED_FILES)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "poke", "indent"]))
        if action == "drop":
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = " " * draw(st.integers(1, 3)) + lines[index]
        else:
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(YAML_CHARACTERS) + line[at + 1 :]
    return "".join(lines)


@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    check_text(text)


@given(mutated())
def test_mutated_issue_files(text: str) -> None:
    check_text(text)


@given(st.text(min_size=1, max_size=300))
def test_arbitrary_markdown_bodies(body: str) -> None:
    check_text(
        MINIMAL_EDITION.replace("body: Un paragraphe.", f"body: {json.dumps(body)}")
    )


@settings(max_examples=8)
@given(st.text(min_size=1, max_size=300))
def test_arbitrary_markdown_laid_out(body: str) -> None:
    """A few examples go through layout and preflight too (a second each)."""
    edition = MINIMAL_EDITION.replace(
        "body: Un paragraphe.", f"body: {json.dumps(body)}"
    )
    check_text(edition, lay_out=True)
