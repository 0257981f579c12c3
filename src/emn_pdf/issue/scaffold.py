"""A new issue folder, ready to fill in, carried over from the previous issue.

What changes little from one quarter to the next (the masthead, the contact
block, the layout and reworded labels) is copied from the previous issue; the
content is left as commented examples of every kind of block.  The files it
writes validate as they are, and it never overwrites an existing issue.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..layout.i18n import load_catalogue
from .errors import Problem, UserError
from .kinds import example_block
from .load import load_edition
from .model import BLOCK_KINDS, issue_schema_text

ISSUE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SCHEMA_FILE = "issue.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema=../../{SCHEMA_FILE}\n"


def new_issue(
    issue_id: str,
    *,
    issues_dir: Path | str = "issues",
    previous: str | None = None,
    languages: list[str] | None = None,
) -> list[Path]:
    """Create ``<issues_dir>/<issue_id>/`` with one edition file per language.

    Returns the files written.  The languages default to those of the
    previous issue, else French.
    """
    issues_dir = Path(issues_dir)
    folder = issues_dir / issue_id
    if not ISSUE_ID.match(issue_id):
        raise UserError(Problem(f"{issue_id!r} is not a usable folder name"))
    if folder.exists():
        raise UserError(
            Problem("already exists; emn-pdf never overwrites it", file=folder)
        )
    sources = _previous_editions(issues_dir, previous)
    languages = languages or sorted(sources) or ["fr"]
    for language in languages:
        load_catalogue(language)  # an unsupported language stops here
    (folder / "images").mkdir(parents=True)
    _write_schema(issues_dir.parent / SCHEMA_FILE)
    written = []
    for language in languages:
        path = folder / f"{language}.yaml"
        data = _carried_over(sources.get(language), language, issue_date(issue_id))
        path.write_text(_edition_text(data, issue_id, language), encoding="utf-8")
        load_edition(path)  # what new writes must validate
        written.append(path)
    return written


def _write_schema(path: Path) -> None:
    """Write the JSON Schema beside ``issues/``, where the files point.

    Editors' completion then works wherever the issues live, not only in
    this repository.
    """
    text = issue_schema_text()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def issue_date(issue_id: str) -> dt.date:
    """Return the date an issue ID names (2025-03: 1 March 2025), else today."""
    match = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", issue_id)
    if match is None:
        return dt.date.today()
    year, month, day = match.groups()
    try:
        return dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return dt.date.today()


def _previous_editions(issues_dir: Path, previous: str | None) -> dict[str, Any]:
    """Return the raw data of each edition of the previous issue."""
    if previous is None:
        return {}
    folder = issues_dir / previous
    if not folder.is_dir():
        raise UserError(Problem("previous issue not found", file=folder))
    return {
        path.stem: load_edition(path).document.data
        for path in sorted(folder.glob("*.yaml"))
        if re.fullmatch(r"[a-z]{2,3}", path.stem)
    }


def _carried_over(
    source: dict[str, Any] | None, language: str, date: dt.date
) -> dict[str, Any]:
    """Return the new edition's data: what carries over, and a fresh masthead."""
    source = source or {}
    previous = source.get("masthead", {})
    masthead = {
        "organisation": previous.get("organisation", "Organisation"),
        "title": previous.get("title", "Newsletter"),
        **_next_issue_name(previous),
        "date": date.isoformat(),
        "language": language,
    }
    data: dict[str, Any] = {
        key: source[key] for key in ("layout", "labels") if key in source
    }
    data["masthead"] = masthead
    carried = [
        block
        for section in source.get("sections", [])
        for block in section.get("blocks", [])
        if (kind := BLOCK_KINDS.get(block.get("kind", ""))) and kind.carried_over
    ]
    data["sections"] = [{"blocks": carried or [_placeholder()]}]
    return data


def _next_issue_name(previous: dict[str, Any]) -> dict[str, Any]:
    """Return the next issue number, or a season for the editor to write."""
    if "number" in previous or not previous:
        return {"number": previous.get("number", 0) + 1}
    return {"season": "TODO: the season"}


def _placeholder() -> dict[str, Any]:
    return {"kind": "news", "title": "TODO: a headline", "body": "TODO: the text."}


def _edition_text(data: dict[str, Any], issue_id: str, language: str) -> str:
    """Return the edition file: its data, with every optional field commented.

    The masthead's and editorial's examples go before ``sections:``, the
    blocks' after the carried-over ones, so that each is uncommented in place.
    """
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)
    head, _, sections = dumped.partition("\nsections:\n")
    return (
        f"{SCHEMA_LINE}# Issue {issue_id}, {language} edition, made by 'emn-pdf new'.\n"
        f"# Check it with:  emn-pdf check issues/{issue_id}\n\n"
        f"{head}\n{_resource('head.yaml')}sections:\n{sections}"
        f"{_examples(issue_date(issue_id))}"
    )


def _examples(date: dt.date) -> str:
    """Return the commented examples of every kind of block.

    Those written by hand (``scaffold/examples.yaml``), then, for a kind that
    has none yet, one made from its model (:func:`emn_pdf.issue.kinds.example_block`).
    """
    written = _resource("examples.yaml")
    shown = set(re.findall(r"- kind: (\w+)", written))
    missing = [kind for kind in BLOCK_KINDS if kind not in shown]
    if not missing:
        return written
    section = [{"blocks": [example_block(kind, date) for kind in missing]}]
    dumped = yaml.safe_dump(section, allow_unicode=True, sort_keys=False, width=88)
    lines = ["", "More kinds (made from their models):", *dumped.splitlines()]
    return written + "".join(f"# {line}\n".replace("# \n", "#\n") for line in lines)


def _resource(name: str) -> str:
    return files("emn_pdf").joinpath(f"scaffold/{name}").read_text(encoding="utf-8")
