"""The print edition in the printer's inks: no RGB, black as K, press resolution.

Every stream, form, pattern, glyph and image of the print PDFs is scanned
(``pdfcheck.device_rgb``, independent of emn-pdf's own walker), and the print
preflight (``printcheck``) is run on them as ``check --target print`` runs it.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from pdfcheck import decoded_qr_codes, device_rgb, output_intent, text_fill_colours
from PIL import Image, ImageDraw
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.checks import printcheck
from emn_pdf.checks.printcheck import check_print
from emn_pdf.cli import app
from emn_pdf.machinery.jobs import whole_sheets

Reports = dict[tuple[str, str], emn_pdf.BuildReport]
K_ONLY = (0.0, 0.0, 0.0, 1.0)
MIB = 1024 * 1024

RGB_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">
  <rect width="200" height="100" fill="#ff6600"/>
  <circle cx="50" cy="50" r="40" fill="rgb(20, 160, 90)" stroke="#000" stroke-width="4"/>
  <text x="110" y="60" fill="#000000" font-size="20">QR</text>
</svg>
"""

PICTURES_EDITION = """\
masthead: {organisation: EMN Test, title: Newsletter, number: 7, date: 2025-03-20, language: fr}
sections:
  - heading: Images
    blocks:
      - kind: news
        title: Un dessin en RGB
        body: Un paragraphe.
        image: {src: images/drawing.svg, alt: Un dessin.}
      - kind: news
        title: Un PNG transparent
        body: Un paragraphe.
        image: {src: images/logo.png, alt: Un logo.}
      - kind: news
        title: Une photo d’appareil
        body: Un paragraphe.
        image: {src: images/photo.jpg, alt: Une grande photo.}
      - kind: greeting
        text: Bonne année 🎉🌍
"""


def printed_paths(sample: Reports) -> list[Path]:
    paths = [sample[language, "print"].path for language in ("fr", "en")]
    assert all(path is not None for path in paths)
    return [path for path in paths if path is not None]


def write_camera_photo(path: Path) -> None:
    """A 6000×4000 JPEG with the detail of a photo (noise over a gradient)."""
    small = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((600, 400)),
            Image.effect_noise((600, 400), 60),
            Image.radial_gradient("L").resize((600, 400)),
        ],
    )
    photo = small.resize((6000, 4000), Image.Resampling.BICUBIC)
    photo.paste(
        Image.effect_noise((6000, 4000), 20).convert("RGB"),
        mask=Image.new("L", (6000, 4000), 40),
    )
    photo.save(path, quality=90)


@pytest.fixture(scope="session")
def pictures_print(tmp_path_factory: pytest.TempPathFactory) -> emn_pdf.BuildReport:
    """The print edition of an issue with every kind of RGB picture."""
    folder = tmp_path_factory.mktemp("pictures") / "issues" / "2025-03"
    (folder / "images").mkdir(parents=True)
    (folder / "fr.yaml").write_text(PICTURES_EDITION, encoding="utf-8")
    (folder / "images" / "drawing.svg").write_text(RGB_SVG, encoding="utf-8")
    logo = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((20, 20, 380, 180), fill=(230, 60, 40, 200))
    logo.save(folder / "images" / "logo.png")
    write_camera_photo(folder / "images" / "photo.jpg")
    reports: list[emn_pdf.BuildReport] = []
    out = tmp_path_factory.mktemp("pictures-build")
    emn_pdf.build(folder, target="print", out_dir=out, on_built=reports.append)
    (report,) = reports
    return report


def test_sample_print_has_no_device_rgb(sample: Reports) -> None:
    for path in printed_paths(sample):
        assert device_rgb(path) == []


def test_sample_print_passes_the_print_preflight(sample: Reports) -> None:
    for path in printed_paths(sample):
        assert check_print(path) == []


def test_body_text_is_black_ink_only(sample: Reports) -> None:
    for path in printed_paths(sample):
        colours = text_fill_colours(path)
        assert max(colours, key=colours.__getitem__) == K_ONLY
        tints = [c for c in colours if c[:3] == (0, 0, 0) and 0 < c[3] < 1]
        assert tints == []


def test_qr_codes_are_black_ink_only_and_still_decode(sample: Reports) -> None:
    path = printed_paths(sample)[0]
    assert decoded_qr_codes(path)
    with_colour = [
        colour
        for colour in text_fill_colours(path)
        if colour[3] >= 0.5 and max(colour[:3]) > 0 and colour != K_ONLY
    ]
    assert [
        colour for colour in with_colour if max(colour[:3]) >= colour[3]
    ] == with_colour


def test_output_intent_names_the_registered_condition(sample: Reports) -> None:
    intent = output_intent(printed_paths(sample)[0])
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    assert intent["/RegistryName"] == "http://www.color.org"


def test_rgb_pictures_and_emoji_are_converted(
    pictures_print: emn_pdf.BuildReport,
) -> None:
    assert pictures_print.path is not None
    assert device_rgb(pictures_print.path) == []
    codes = {finding.code for finding in pictures_print.findings}
    assert not codes & {"E121", "E122", "W123", "E124", "E125", "E126", "W127"}


def test_a_camera_photo_is_resampled_for_press(
    pictures_print: emn_pdf.BuildReport,
) -> None:
    assert pictures_print.path is not None
    assert pictures_print.path.stat().st_size < 5 * MIB
    assert whole_sheets(pictures_print.pages)


def test_preflight_finds_rgb_and_many_pixels_in_an_unpressed_pdf(
    pictures_print: emn_pdf.BuildReport, tmp_path: Path
) -> None:
    """WeasyPrint's own output (before press.py) is what the issue reported."""
    import pikepdf

    assert pictures_print.path is not None
    broken = tmp_path / "rgb.pdf"
    shutil.copy(pictures_print.path, broken)
    with pikepdf.open(broken, allow_overwriting_input=True) as pdf:
        pdf.pages[0].contents_add(pdf.make_stream(b"q 0 0 0 rg 0 0 10 10 re f Q"))
        del pdf.pages[-1].obj["/TrimBox"]
        pdf.save(broken)
    codes = {finding.code for finding in check_print(broken)}
    assert {"E121", "E125"} <= codes


def test_check_pages_only_leaves_the_print_file_unwritten(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Ghostscript the print file's preflight says so; the pages' does not."""
    monkeypatch.setattr(printcheck, "shutil", SimpleNamespace(which=lambda name: None))
    issue = make_issue()

    def codes(*options: str) -> list[str]:
        command = ["check", str(issue), "-t", "print", "-j", "1", "--format", "json"]
        result = CliRunner().invoke(app, command + list(options))
        assert result.exit_code == 0, result.output
        return sorted(finding["code"] for finding in json.loads(result.stdout))

    assert codes() == ["I110", "W128"]
    assert codes("--pages-only") == ["I110"]


def test_a_theme_colour_above_the_ink_limit_is_refused(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue(
        textwrap.dedent(
            """\
            masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
            theme:
              colours:
                accent_dark: {rgb: "#12305f", cmyk: [1, 1, 1, 1]}
            sections:
              - blocks:
                  - {kind: news, title: Un titre, body: Texte.}
            """
        )
    )
    with pytest.raises(
        emn_pdf.UserError,
        match=r"accent_dark takes 400 % ink, above the print profile's limit of 300 %",
    ):
        emn_pdf.check(issue, lay_out=False)
