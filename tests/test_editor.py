"""The editor's workflow: scaffold, JSON Schema, live preview, contact sheet."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from conftest import SAMPLE
from PIL import Image
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.cli import app
from emn_pdf.issue.errors import UserError
from emn_pdf.issue.load import read_yaml
from emn_pdf.issue.model import BLOCK_KINDS, Edition, issue_schema
from emn_pdf.issue.scaffold import new_issue

ROOT = SAMPLE.parent.parent
runner = CliRunner()


@pytest.fixture
def issues(tmp_path: Path) -> Path:
    """An issues folder holding a copy of the sample."""
    folder = tmp_path / "issues"
    folder.mkdir()
    (folder / "2024-12").symlink_to(SAMPLE, target_is_directory=True)
    return folder


# Scaffold --------------------------------------------------------------------


def test_new_then_check_then_build(issues: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["new", "2025-03", "--from", "2024-12", "--issues", str(issues)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (issues / "2025-03").iterdir()) == [
        "en.yaml",
        "fr.yaml",
        "images",
    ]
    assert emn_pdf.check(issues / "2025-03", lay_out=False) == []
    paths = emn_pdf.build(issues / "2025-03", out_dir=tmp_path / "out")
    assert [path.name for path in paths] == ["2025-03-en-web.pdf", "2025-03-fr-web.pdf"]


def test_new_carries_the_masthead_contact_and_layout(issues: Path) -> None:
    (fr,) = new_issue(
        "2025-03", issues_dir=issues, previous="2024-12", languages=["fr"]
    )
    data = read_yaml(fr).data
    assert data["masthead"] == {
        "organisation": "EMN Luxembourg",
        "title": "Newsletter",
        "season": "TODO: the season",
        "date": "2025-03-01",
        "language": "fr",
    }
    (section,) = data["sections"]
    assert [block["kind"] for block in section["blocks"]] == ["contact"]
    assert fr.read_text().startswith(
        "# yaml-language-server: $schema=../../issue.schema.json\n"
    )


def test_the_commented_examples_are_valid_once_uncommented(issues: Path) -> None:
    (fr,) = new_issue("2025-03", issues_dir=issues, languages=["fr"])
    uncommented = re.sub(
        r"^(\s*)# (?=[- ]|\w+:)", r"\1", fr.read_text(), flags=re.MULTILINE
    )
    fr.write_text(uncommented)
    edition = Edition.model_validate(
        read_yaml(fr).data
    )  # no folder: pictures not checked
    kinds = {block.kind for section in edition.sections for block in section.blocks}
    assert kinds == set(BLOCK_KINDS)
    # Every optional field the issue format has is shown once.
    assert edition.masthead.publisher and edition.masthead.logo
    assert edition.editorial is not None and edition.editorial.greeting
    event = next(b for s in edition.sections for b in s.blocks if b.kind == "event")
    assert event.byline and event.images and len(event.links) == 2
    assert event.image and event.image.credit


def test_new_writes_the_schema_its_files_point_to(tmp_path: Path) -> None:
    elsewhere = tmp_path / "newsletters" / "issues"
    (fr,) = new_issue("2025-03", issues_dir=elsewhere, languages=["fr"])
    first_line = fr.read_text().splitlines()[0]
    relative = first_line.removeprefix("# yaml-language-server: $schema=")
    schema = (fr.parent / relative).resolve()
    assert schema == (tmp_path / "newsletters" / "issue.schema.json").resolve()
    assert json.loads(schema.read_text()) == issue_schema()
    jsonschema.validate(read_yaml(fr).data, issue_schema())


def test_new_refuses_to_overwrite(issues: Path) -> None:
    result = runner.invoke(app, ["new", "2024-12", "--issues", str(issues)])
    assert result.exit_code == 2
    assert "already exists; emn-pdf never overwrites it" in result.stderr


def test_new_refuses_an_unsupported_language(issues: Path) -> None:
    with pytest.raises(UserError, match="no catalogue for language 'xx'"):
        new_issue("2025-03", issues_dir=issues, languages=["xx"])
    assert not (issues / "2025-03").exists()


# JSON Schema -----------------------------------------------------------------


def test_the_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "issue.schema.json").read_text())
    assert committed == issue_schema(), "run: make docs"


def test_every_field_has_a_description() -> None:
    def properties(node: object) -> list[tuple[str, dict[str, object]]]:
        if isinstance(node, dict):
            found = list((node.get("properties") or {}).items())
            return found + [
                item for value in node.values() for item in properties(value)
            ]
        if isinstance(node, list):
            return [item for value in node for item in properties(value)]
        return []

    missing = [
        name for name, prop in properties(issue_schema()) if "description" not in prop
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_schema_accepts_the_sample(language: str) -> None:
    data = read_yaml(SAMPLE / f"{language}.yaml").data
    jsonschema.validate(data, issue_schema())


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda data: data["masthead"].update(subtitle="x"), "Additional properties"),
        (
            lambda data: data["sections"][0]["blocks"][0].update(kind="evnt"),
            "is not valid under any",
        ),
        (lambda data: data["masthead"].pop("date"), "'date' is a required property"),
    ],
)
def test_the_schema_rejects_a_broken_edition(
    change: Callable[[dict[str, object]], object], error: str
) -> None:
    data = read_yaml(SAMPLE / "fr.yaml").data
    change(data)
    with pytest.raises(jsonschema.ValidationError, match=error):
        jsonschema.validate(data, issue_schema())


# Live preview ----------------------------------------------------------------


@pytest.mark.lays_out
def test_watch_rebuilds_on_save_and_keeps_the_last_good_pdf(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    from emn_pdf.watch import Rebuild, watch

    issue, out = make_issue(), tmp_path / "out"
    rebuilds: list[Rebuild] = []
    arrived = threading.Condition()

    def record(rebuild: Rebuild) -> None:
        with arrived:
            rebuilds.append(rebuild)
            arrived.notify_all()

    def wait_for(count: int) -> Rebuild:
        with arrived:
            assert arrived.wait_for(lambda: len(rebuilds) >= count, timeout=60), (
                rebuilds
            )
            return rebuilds[count - 1]

    stop = threading.Event()
    watcher = threading.Thread(
        target=watch, args=(issue, record), kwargs={"out_dir": out, "stop": stop}
    )
    watcher.start()
    try:
        first = wait_for(1)
        pdf = out / "2025-03-fr-web.pdf"
        assert [report.path for report in first.reports] == [pdf]
        before = pdf.read_bytes()
        time.sleep(0.5)  # let the watcher settle before the first save
        source = issue / "fr.yaml"
        source.write_text(
            source.read_text().replace("Un paragraphe", "Un autre paragraphe")
        )
        edited = wait_for(2)
        assert source in edited.changed and not edited.problems
        assert not edited.reports[0].cached and pdf.read_bytes() != before
        good = pdf.read_bytes()
        source.write_text("masthead: [\n")
        broken = wait_for(3)
        assert broken.problems and "invalid YAML" in str(broken.problems[0])
        assert pdf.read_bytes() == good
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive()


# Contact sheet ---------------------------------------------------------------


def test_preview_writes_one_sheet_of_spreads(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    result = runner.invoke(app, ["preview", str(make_issue()), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    sheet = tmp_path / "2025-03-fr-print-sheet.png"
    assert result.stdout.strip().endswith(str(sheet))
    with Image.open(sheet) as image:
        # A one-page print edition, one flat sheet: page 1 alone.
        page_width = round(360 * 210 / 297)
        assert abs(image.width - (28 + (2 * page_width + 28))) <= 6
        assert image.height == 28 + 360 + 28
        assert image.getpixel((28 + 10, 28 + 10)) == (
            0x5B,
            0x66,
            0x75,
        )  # no page left of page 1
