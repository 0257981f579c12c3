"""The block-kind registry: what a kind of block needs, and what it does not.

A new kind is a model in ``model.py`` (listed in ``Block``), a README row and
a scaffold example (``test_editor`` checks it has one); a layout needs a template for it only to give it a look
of its own: the fallback template shows any kind made of the fields kinds
name alike.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Literal

import pytest
from conftest import ROOT, SAMPLE
from pdfcheck import body_text, link_uris, normalise
from pydantic import Field

from emn_pdf.contract import FALLBACK_FIELDS, own_fields
from emn_pdf.edition import prepare
from emn_pdf.model import (
    BLOCK_KINDS,
    BlockBase,
    Byline,
    Illustration,
    Image,
    Link,
    Markdown,
    Text,
    When,
)
from emn_pdf.steps import inspect, lay_out_target

EMN_BLOCKS = ROOT / "layouts" / "emn" / "blocks"


@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_every_kind_has_a_template_or_only_fields_the_fallback_shows(
    kind: str,
) -> None:
    if not (EMN_BLOCKS / f"{kind}.html.j2").is_file():
        assert own_fields(BLOCK_KINDS[kind]) <= FALLBACK_FIELDS, "give it a template"


@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_every_kind_has_its_readme_row_naming_each_field(kind: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (row,) = re.findall(rf"^\| `{kind}` \|.*$", readme, flags=re.MULTILINE)
    fields = own_fields(BLOCK_KINDS[kind])
    assert {field for field in fields if f"`{field}`" not in row} == set()


class Interview(BlockBase):
    """A kind the model does not have, made of the fields the fallback shows."""

    kind: Literal["interview"]
    type: Text | None = None
    title: Text
    date: When | None = None
    place: Text | None = None
    tagline: Text | None = None
    byline: Byline | None = None
    body: Markdown
    image: Illustration | None = None
    images: list[Image] = Field([])
    links: list[Link] = Field([])


def test_a_kind_without_a_template_is_shown_by_the_fallback(tmp_path: Path) -> None:
    """Every field of a kind no layout knows reaches the page, links clickable."""
    interview = Interview(
        kind="interview",
        type="Entretien",
        title="Trois questions à une chercheuse",
        date={"start": "2025-03-04", "end": "2025-03-05"},
        place="Esch-sur-Alzette",
        tagline="Sur la mobilité des étudiants",
        byline=Byline(name="Anne Weber", role="chargée de mission"),
        body="Pourquoi les étudiants partent-ils ? Une réponse en trois temps.",
        links=[
            Link(url="https://example.org/entretien", label="Lire l’entretien"),
            Link(url="https://example.org/podcast", label="Écouter"),
        ],
    )
    item = prepare(SAMPLE, "fr", "emn")
    edition = item.loaded.edition
    first = edition.sections[0]
    first = first.model_copy(update={"blocks": [interview, *first.blocks]})
    edition = edition.model_copy(update={"sections": [first, *edition.sections[1:]]})
    item = replace(item, loaded=replace(item.loaded, edition=edition))

    html = item.html()
    assert '<article class="card card-interview" data-block="s0-b0">' in html
    laid_out = lay_out_target(item, "web", allow_remote=False)
    pdf = tmp_path / "interview.pdf"
    laid_out.document.write_pdf(pdf)
    text = normalise(body_text(pdf))
    for words in (
        "Entretien",
        "Trois questions à une chercheuse",
        "4–5 mars 2025, Esch-sur-Alzette",
        "Sur la mobilité des étudiants",
        "Par Anne Weber, chargée de mission",
        "Une réponse en trois temps.",
        "Lire l’entretien",
        "Écouter",
    ):
        assert normalise(words) in text
    assert {"https://example.org/entretien", "https://example.org/podcast"} <= set(
        link_uris(pdf)
    )
    findings = inspect(item, laid_out)
    assert not [finding for finding in findings if finding.severity == "error"]
