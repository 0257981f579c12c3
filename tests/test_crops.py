"""Crops on the rendered pages: never beyond the documented limits, focus kept.

Measured on the PDF as a reader sees it (``tests/holes.py`` reads each
picture's placement against its clip): a column picture shows at least 0.7
of its height and 1/1.4 of its width, a band 0.5 and 1/1.3, a chart, a
cover or a ``crop: never`` picture all of it; whatever the layout and page
makeup did to its box.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import holes
import pytest
import yaml
from conftest import CORPUS_DIR, corpus_reports

from emn_pdf.issue.errors import UserError
from emn_pdf.issue.load import load_edition

#: The corpus issues of extreme pictures: portraits, panoramas, bands.
PICTURE_ISSUES = ["en-extreme-pictures", "de-city-integration"]
LAYOUTS = ["emn", "bulletin"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("issue", PICTURE_ISSUES)
def test_no_crop_goes_beyond_the_limits(
    tmp_path_factory: pytest.TempPathFactory, issue: str, layout: str
) -> None:
    """Every edition, web and print: each picture shows what its role allows."""
    reports = corpus_reports(tmp_path_factory, issue, layout)
    measured = [holes.measure_report(CORPUS_DIR / issue, layout, r) for r in reports]
    assert all(m.crops for m in measured)
    beyond = [
        f"{m.target} page {crop.page}: {crop.picture.src} ({crop.picture.role})"
        f" shows {crop.width:.0%} of its width, {crop.height:.0%} of its height"
        for m in measured
        for crop in m.beyond_limits
    ]
    assert not beyond


def _portrait_issue(tmp_path: Path, focus: str) -> Path:
    """Return a copy of the extreme pictures' issue, its lighthouse so focused."""
    issue = tmp_path / "portrait"
    shutil.copytree(CORPUS_DIR / "en-extreme-pictures", issue)
    edition = issue / "en.yaml"
    data = yaml.safe_load(edition.read_text(encoding="utf-8"))
    for block in data["sections"][0]["blocks"]:
        if block.get("image", {}).get("src") == "images/lighthouse.png":
            block["image"]["focus"] = focus
    edition.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return issue


@pytest.mark.parametrize("focus", ["top", "bottom"])
def test_a_cropped_portrait_keeps_its_focus_in_view(tmp_path: Path, focus: str) -> None:
    """``focus: top`` keeps a portrait's top (a head), ``bottom`` its foot."""
    issue = _portrait_issue(tmp_path, focus)
    holes.measure(issue, "emn", "web", tmp_path / "out")
    [pdf] = (tmp_path / "out").glob("*.pdf")
    # Matched by its shape: the web edition resamples pictures.
    lighthouse = next(
        drawn
        for drawn in holes.drawn_pictures(pdf, 3)
        if drawn.pixels
        and abs(drawn.pixels[1] / drawn.pixels[0] / (1400 / 300) - 1) < 0.02
    )
    _, bottom, _, top = holes.box_under(lighthouse.ctm, 0, 0, 1, 1)
    clip = lighthouse.clip
    assert clip[3] - clip[1] < 0.9 * (top - bottom)  # cropped, within the limits
    # PDF coordinates go up: a picture's top is its largest y.
    kept = top - clip[3] if focus == "top" else clip[1] - bottom
    assert abs(kept) < 0.5, (lighthouse, clip)


@pytest.mark.parametrize(
    ("focus", "point"),
    [("top", (0.5, 0.0)), ("bottom right", (1.0, 1.0)), (" Left ", (0.0, 0.5))],
)
def test_focus_words_are_points(
    tmp_path: Path, focus: str, point: tuple[float, float]
) -> None:
    """Words an editor writes for a focus stand for points of the picture."""
    issue = _portrait_issue(tmp_path, focus)
    edition = load_edition(issue / "en.yaml").edition
    image = edition.sections[0].blocks[1].image
    assert image is not None and image.focus == point
    assert image.shape() == pytest.approx(1400 / 300, abs=1e-4)


def test_an_unknown_focus_word_is_named(tmp_path: Path) -> None:
    """A focus that is neither a point nor the known words says what is."""
    issue = _portrait_issue(tmp_path, "up")
    with pytest.raises(UserError, match=r"focus 'up' is neither .* top, bottom"):
        load_edition(issue / "en.yaml")
