"""Write what is derived from the models: issue.schema.json, the README's kinds.

    make docs

Run after a change to the models (a new kind of block, a field); the tests
check both are current.
"""

from __future__ import annotations

from pathlib import Path

from emn_pdf.issue.kinds import TABLE_END, TABLE_START, kinds_table
from emn_pdf.issue.model import issue_schema_text

ROOT = Path(__file__).resolve().parent.parent


def with_kinds_table(readme: str) -> str:
    """Return the README with the table of kinds made from the models."""
    before, rest = readme.split(TABLE_START, 1)
    _, after = rest.split(TABLE_END, 1)
    return f"{before}{TABLE_START}\n{kinds_table()}\n{TABLE_END}{after}"


def main() -> None:
    (ROOT / "issue.schema.json").write_text(issue_schema_text(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(with_kinds_table(readme.read_text(encoding="utf-8")), "utf-8")


if __name__ == "__main__":
    main()
