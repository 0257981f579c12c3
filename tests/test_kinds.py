"""The block-kind registry: a kind of block is its model, its template, its style.

A new kind is a model in ``model.py`` (listed in ``Block``), a template in
``layouts/emn/blocks/`` (unless the fallback shows all its fields) and its
style in ``layouts/emn/style.css``, which the bulletin inherits; the README's
table of kinds and the JSON Schema are made from the models (``make docs``),
and ``emn-pdf new`` makes an example for a kind that has no written one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Literal

import pytest
import yaml
from conftest import ROOT, SAMPLE
from lxml import html as lxml_html
from pdfcheck import body_text, link_uris, normalise
from pydantic import Field

from emn_pdf.edition import prepare
from emn_pdf.issue.kinds import (
    TABLE_END,
    TABLE_START,
    example_block,
    kinds_table,
    own_fields,
)
from emn_pdf.issue.model import (
    BLOCK_KINDS,
    BlockBase,
    Byline,
    Edition,
    Illustration,
    Image,
    Link,
    Markdown,
    Text,
    WebUrl,
    When,
)
from emn_pdf.issue.scaffold import new_issue
from emn_pdf.layout.contract import APART_FIELDS, FALLBACK_FIELDS
from emn_pdf.layout.i18n import load_catalogue
from emn_pdf.layout.layouts import find_layout
from emn_pdf.layout.render import render_html
from emn_pdf.steps import inspect, lay_out_target

EMN_BLOCKS = ROOT / "layouts" / "emn" / "blocks"


@pytest.mark.parametrize("kind", BLOCK_KINDS)
def test_every_kind_has_a_template_or_only_fields_the_fallback_shows(
    kind: str,
) -> None:
    if not (EMN_BLOCKS / f"{kind}.html.j2").is_file():
        shown = FALLBACK_FIELDS | APART_FIELDS
        assert set(own_fields(BLOCK_KINDS[kind])) <= shown, "a template"


def test_the_readme_table_of_kinds_is_made_from_the_models() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    assert table.strip() == kinds_table(), "run: make docs"


def every_kind(tmp_path: Path, language: str = "fr") -> Edition:
    """Return the edition ``emn-pdf new`` writes, its examples uncommented."""
    (path,) = new_issue("2025-03", issues_dir=tmp_path / "issues", languages=[language])
    text = re.sub(r"^(\s*)# (?=[- ]|\w+:)", r"\1", path.read_text(), flags=re.M)
    return Edition.model_validate(yaml.safe_load(text))


@pytest.mark.parametrize("layout", ["emn", "bulletin"])
def test_every_kind_is_styled_in_every_layout(layout: str, tmp_path: Path) -> None:
    """Each block's element has a class the layout's stylesheets style: a kind
    styled in emn is styled in the layouts that extend it."""
    edition = every_kind(tmp_path)
    found = find_layout(layout)
    html = render_html(edition, found, load_catalogue("fr"), "fr")
    css = " ".join(path.read_text() for path in found.stylesheet_paths("web"))
    styled = set(re.findall(r"\.([\w-]+)", css))
    document = lxml_html.document_fromstring(html)
    blocks = {
        element.get("data-block"): element
        for element in document.iterfind(".//*[@data-block]")
    }
    kinds = {block.kind for section in edition.sections for block in section.blocks}
    assert kinds == set(BLOCK_KINDS)
    for number, section in enumerate(edition.sections):
        for index, block in enumerate(section.blocks):
            element = blocks[f"s{number}-b{index}"]
            classes = set((element.get("class") or "").split())
            assert classes & styled, f"{block.kind}: no rule for {classes} in {layout}"


class Mystery(BlockBase):
    """A kind with fields no example was written for."""

    kind: Literal["mystery"]
    text: Text
    attribution: Text | None = None
    source: WebUrl | None = None


def test_a_kind_without_a_written_example_gets_one_from_its_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BLOCK_KINDS, "mystery", Mystery)
    (path,) = new_issue("2025-03", issues_dir=tmp_path, languages=["fr"])
    text = re.sub(r"^(\s*)# (?=[- ]|\w+:)", r"\1", path.read_text(), flags=re.M)
    (made,) = [
        block
        for section in yaml.safe_load(text)["sections"]
        for block in section["blocks"]
        if block["kind"] == "mystery"
    ]
    assert made == {
        "kind": "mystery",
        "text": "TODO: text",
        "attribution": "TODO: attribution",
        "source": "https://example.org/",
    }
    Mystery.model_validate(made)
    for kind, model in BLOCK_KINDS.items():
        model.model_validate(example_block(kind, dt.date(2025, 3, 1)))


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
