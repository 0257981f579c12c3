"""Shared fixtures: the sample issue built once, and small issues built on demand."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import emn_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2024-12"
SEED = Path(__file__).parent / "data" / "seed-2024-12-fr.txt"

MINIMAL_EDITION = """\
masthead:
  organisation: EMN Test
  title: Newsletter
  number: 7
  date: 2025-03-20
  language: fr
sections:
  - heading: Évènements
    blocks:
      - kind: news
        title: Une nouvelle
        body: Un paragraphe.
"""

#: One news block with a picture; ``SRC`` is replaced with its address.
NEWS_WITH_IMAGE = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
sections:
  - blocks:
      - kind: news
        title: Une image
        body: Texte.
        image: {src: "SRC", alt: Une image.}
"""


#: Every test of the sample runs with each built-in layout.
LAYOUTS = ["emn", "bulletin"]


@pytest.fixture(scope="session", params=LAYOUTS)
def layout(request: pytest.FixtureRequest) -> str:
    """The name of a built-in layout."""
    return str(request.param)


@pytest.fixture(scope="session")
def sample(
    tmp_path_factory: pytest.TempPathFactory, layout: str
) -> dict[tuple[str, str], emn_pdf.BuildReport]:
    """Every edition and target of the sample issue, built once per layout."""
    out_dir = tmp_path_factory.mktemp(f"build-{layout}")
    reports = build_all(SAMPLE, layout, out_dir)
    return {(report.language, report.target): report for report in reports}


def build_all(issue: Path, layout: str, out_dir: Path) -> list[emn_pdf.BuildReport]:
    """Build every edition of ``issue`` for both targets; return the reports."""
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue, target="all", layout=layout, out_dir=out_dir, on_built=reports.append
    )
    return reports


@pytest.fixture(scope="session")
def sample_build(
    sample: dict[tuple[str, str], emn_pdf.BuildReport],
) -> emn_pdf.BuildReport:
    """The French web edition of the sample."""
    return sample["fr", "web"]


@pytest.fixture
def make_issue(tmp_path: Path) -> Callable[..., Path]:
    """Write an issue folder from YAML text; return the folder.

    ``images`` names files to create in ``images/`` (copied from the sample).
    """

    def make(
        text: str = MINIMAL_EDITION, *, lang: str = "fr", images: tuple[str, ...] = ()
    ) -> Path:
        folder = tmp_path / "issues" / "2025-03"
        (folder / "images").mkdir(parents=True, exist_ok=True)
        (folder / f"{lang}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        for name in images:
            shutil.copy(SAMPLE / "images" / name, folder / "images" / name)
        return folder

    return make


@pytest.fixture(scope="session")
def flowing_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The emn layout with page makeup turned off, as a layout may have it.

    Its pictures may be as tall as a page, as they could before page makeup.
    """
    folder = tmp_path_factory.mktemp("layouts") / "flowing"
    folder.mkdir()
    (folder / "theme.yaml").write_text(
        "extends: emn\n"
        "description: emn without page makeup\n"
        "makeup: false\n"
        "type: {band_height: 250mm}\n",
        encoding="utf-8",
    )
    return folder
