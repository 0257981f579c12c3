"""Layouts as a product: themes, a second layout, layouts from outside, copyfitting, bands."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pypdfium2
import pytest
from conftest import ROOT, SAMPLE
from pdfcheck import page_count, rgb_colours
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.cli import app
from emn_pdf.edition import prepare
from emn_pdf.issue.errors import UserError
from emn_pdf.issue.model import BLOCK_KINDS, BlockBase, Text
from emn_pdf.layout import contract
from emn_pdf.layout.layouts import Copyfit, find_layout
from emn_pdf.makeup import copyfit
from emn_pdf.steps import MEASURED, Drafting, content_length

runner = CliRunner()


def pixel(pdf: Path, x_mm: float, y_mm: float) -> tuple[int, int, int]:
    """The colour at a point of page 1, in millimetres from the trim box's top left."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = 4
        image = page.render(scale=scale).to_pil().convert("RGB")
        left, _, _, top = page.get_trimbox()
        media_left, _, _, media_top = page.get_mediabox()
        x = (left - media_left + x_mm * 72 / 25.4) * scale
        y = (media_top - top + y_mm * 72 / 25.4) * scale
        return image.getpixel((round(x), round(y)))  # type: ignore[return-value]
    finally:
        document.close()


# Layouts ------------------------------------------------------------------------


def test_layouts_lists_the_built_in_ones() -> None:
    result = runner.invoke(app, ["layouts"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == ["bulletin", "emn"]
    assert "two-column" in result.stdout


def test_the_bulletin_is_two_columns_of_its_own_colours(tmp_path: Path) -> None:
    (pdf,) = emn_pdf.build(SAMPLE, lang="fr", layout="bulletin", out_dir=tmp_path)
    item = prepare(SAMPLE, "fr", "bulletin")
    assert item.layout.theme.columns == 2 and item.layout.ancestors[0][0] == "emn"
    # No coloured masthead band: the top of page 1 is paper.
    assert pixel(pdf, 105, 5) == (255, 255, 255)


def test_a_layout_from_outside_the_package(tmp_path: Path) -> None:
    mine = tmp_path / "brand"
    shutil.copytree(ROOT / "layouts" / "bulletin", mine)
    theme = (mine / "theme.yaml").read_text()
    (mine / "theme.yaml").write_text(
        theme.replace("#1f5c57", "#8a1538").replace("Sober", "Our own")
    )
    (pdf,) = emn_pdf.build(
        SAMPLE, lang="fr", layout=str(mine), out_dir=tmp_path / "out"
    )
    assert page_count(pdf) >= 3
    colours = rgb_colours(pdf)
    assert (0.541, 0.082, 0.22) in colours  # its own colour, #8a1538
    assert (0.122, 0.361, 0.341) not in colours  # not the bulletin's, #1f5c57


def test_an_outside_layout_reading_outside_files_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "brand"
    shutil.copytree(ROOT / "layouts" / "bulletin", mine)
    with (mine / "bulletin.css").open("a") as css:
        css.write("\nbody { background: url(file:///etc/passwd); }\n")
    with pytest.raises(
        UserError,
        match=r"resource refused: .*/etc/passwd: outside the issue, layout and font folders",
    ):
        emn_pdf.build(SAMPLE, lang="fr", layout=str(mine), out_dir=tmp_path / "out")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% if %}", r"issue\.html\.j2:1: template error: Expected an expression"),
        (
            "<p>{{ no_such_thing.title }}</p>",
            r"issue\.html\.j2:1: template error: 'no_such_thing' is undefined",
        ),
    ],
)
def test_template_errors_name_the_template_and_line(
    tmp_path: Path, template: str, message: str
) -> None:
    mine = tmp_path / "broken"
    shutil.copytree(ROOT / "layouts" / "bulletin", mine)
    (mine / "issue.html.j2").write_text(template)
    with pytest.raises(UserError, match=message):
        emn_pdf.check(SAMPLE, lang="fr", layout=str(mine), lay_out=False)


def test_a_folder_without_theme_is_not_a_layout(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a layout folder"):
        emn_pdf.check(SAMPLE, layout=str(tmp_path), lay_out=False)


# Themes --------------------------------------------------------------------------


def test_a_theme_below_wcag_contrast_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "pale"
    shutil.copytree(ROOT / "layouts" / "bulletin", mine)
    theme = (mine / "theme.yaml").read_text()
    (mine / "theme.yaml").write_text(
        theme.replace('muted: {rgb: "#555555"', 'muted: {rgb: "#aaaaaa"')
    )
    with pytest.raises(
        UserError,
        match=r"theme\.yaml:\d+: muted on paper has a contrast of 2\.32:1, below WCAG's 4\.5:1",
    ):
        find_layout(str(mine))


SPECIAL = """\
theme:
  colours:
    accent_dark: {rgb: "#6b1030", cmyk: [0.2, 1, 0.6, 0.4]}
"""


def test_an_issue_may_override_the_theme(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    from conftest import MINIMAL_EDITION

    (pdf,) = emn_pdf.build(make_issue(SPECIAL + MINIMAL_EDITION), out_dir=tmp_path)
    # The masthead band is the special edition's colour.
    assert pixel(pdf, 105, 5) == (0x6B, 0x10, 0x30)


def test_an_illegible_override_is_refused_at_its_line(
    make_issue: Callable[..., Path],
) -> None:
    from conftest import MINIMAL_EDITION

    pale = SPECIAL.replace("#6b1030", "#f0e0e4")
    with pytest.raises(
        UserError,
        match=r"fr\.yaml:2 theme: accent_dark on paper has a contrast of 1\.27:1, below WCAG.s 4\.5:1",
    ):
        emn_pdf.check(make_issue(pale + MINIMAL_EDITION), lay_out=False)


# Copyfitting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "pages", "renders"),
    [
        ("emn", 3, " renders"),  # tighter: the natural last page is nearly empty
        ("emn", 4, " renders"),  # one more
        ("bulletin", 4, " render"),  # its natural count
    ],
)
def test_copyfitting_to_a_page_count(
    tmp_path: Path, layout: str, pages: int, renders: str
) -> None:
    reports: list[emn_pdf.BuildReport] = []
    (pdf,) = emn_pdf.build(
        SAMPLE,
        lang="fr",
        layout=layout,
        pages=pages,
        out_dir=tmp_path,
        on_built=reports.append,
    )
    assert page_count(pdf) == pages
    assert reports[0].copyfit is not None and renders in reports[0].copyfit
    assert int(reports[0].copyfit.split(" render")[0].split()[-1]) <= 6  # a bisection
    settings = _settings_named(reports[0].copyfit.split(":")[0])
    item = prepare(SAMPLE, "fr", layout)
    draft = Drafting(item, "web", False, MEASURED).draft(settings)
    count, last_fill = content_length(draft.finish())
    assert count == pages and last_fill >= 0.7


def _settings_named(described: str) -> dict[str, str]:
    """Return the layout settings a copyfit message names ("body 8.2pt, leading 1.32")."""
    keys = {
        "body": "--body-size",
        "leading": "--body-leading",
        "space": "--block-space",
    }
    named = (part.partition(" ") for part in described.split(", "))
    return {keys[name]: value for name, _, value in named if name in keys}


@pytest.mark.parametrize(
    ("pages", "natural", "closest"),
    [(3, 0.5, 0.3125), (4, 0.2, 0.75)],  # too long: shrink; too short: grow
)
def test_copyfitting_interpolates_on_the_length(
    pages: int, natural: float, closest: float
) -> None:
    """Content nearly linear in the density is fitted in four renders."""
    ranges = Copyfit(
        body_size=("8pt", "11pt"), body_leading=(1.3, 1.6), block_space=("3mm", "9mm")
    )

    def render(settings: dict[str, str]) -> tuple[float, int, float]:
        size = float(settings["--body-size"].removesuffix("pt"))
        length = 2.5 + 1.6 * (size - 8) / 3  # 2.5 pages at 8pt, 4.1 at 11pt
        return length, int(length) + 1, length - int(length)

    length = 2.5 + 1.6 * natural
    start = copyfit.Trial(natural, {}, int(length) + 1, length % 1, 0.0, length)
    chosen, search = copyfit.fit(ranges, pages, render, start)
    assert len(search.trials) <= 4
    assert chosen.fits(pages)
    assert abs(chosen.density - closest) < copyfit.RESOLUTION


def test_copyfitting_passes_over_a_setting_that_splits_a_short_article() -> None:
    """Of the settings tried that fit, one that splits no short article is taken."""
    ranges = Copyfit(
        body_size=("8pt", "11pt"), body_leading=(1.3, 1.6), block_space=("3mm", "9mm")
    )

    def render(settings: dict[str, str]) -> tuple[float, int, float]:
        size = float(settings["--body-size"].removesuffix("pt"))
        length = 2.5 + 1.6 * (size - 8) / 3
        return length, int(length) + 1, length - int(length)

    def clean(length: float) -> bool:
        return length < 2.9  # longer, makeup splits a short article

    length = 2.5 + 1.6 * 0.5
    start = copyfit.Trial(0.5, {}, int(length) + 1, length % 1, 0.0, length)
    closest, _ = copyfit.fit(ranges, 3, render, start, last_fill=0.5)
    assert closest.fits(3, 0.5) and not clean(closest.result)
    chosen, search = copyfit.fit(ranges, 3, render, start, 0.5, clean)
    assert chosen.fits(3, 0.5) and clean(chosen.result)
    assert chosen.density < closest.density and len(search.trials) <= 4
    # When none tried is clean, the closest setting that fits is taken.
    chosen, _ = copyfit.fit(ranges, 3, render, start, 0.5, lambda length: False)
    assert chosen.density == closest.density


def test_copyfitting_says_by_how_much_it_cannot(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["build", str(SAMPLE), "--lang", "fr", "--pages", "2", "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    said = re.search(
        r"error: --pages 2: cannot copyfit: too long for 2 pages: at the tightest setting "
        r"\((body [\d.]+pt, leading [\d.]+, space \d+mm)\) it takes ([\d.]+) pages, "
        r"([\d.]+) pages too many",
        result.stderr,
    )
    assert said, result.stderr
    assert not list(tmp_path.glob("*.pdf"))
    # The figure is the length of the content laid out at the setting it names.
    drafting = Drafting(prepare(SAMPLE, "fr", "emn"), "web", False, MEASURED)
    laid_out = drafting.draft(_settings_named(said[1])).finish()
    count, last_fill = content_length(laid_out)
    assert float(said[2]) == pytest.approx(count - 1 + last_fill, abs=0.005)
    assert float(said[3]) == pytest.approx(float(said[2]) - 2, abs=0.005)


def test_copyfitting_from_the_edition_reports_at_its_line(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    from conftest import MINIMAL_EDITION

    with pytest.raises(
        UserError, match=r"fr\.yaml:1 pages: cannot copyfit: too short for 3 pages"
    ):
        emn_pdf.build(make_issue("pages: 3\n" + MINIMAL_EDITION), out_dir=tmp_path)


# Pictures that fit -----------------------------------------------------------------

BANDS = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
sections:
  - heading: Actualités
    blocks:
      - kind: news
        title: Une bande
        body: Texte.
        image: {src: images/forecasting.png, alt: Des courbes., fit: page-width, focus: [0.5, 0.2]}
      - kind: news
        title: À fond perdu
        body: Texte.
        image: {src: images/forecasting.png, alt: Des courbes., fit: full-bleed}
"""


def all_boxes(box: Any) -> Iterator[Any]:
    """Yield ``box`` and every box under it, absolutely placed ones included."""
    yield box
    for child in getattr(box, "children", ()):
        yield from all_boxes(child)


@pytest.mark.parametrize(("target", "bleed"), [("web", 0), ("print", 3)])
def test_bands_span_the_page_and_bleed_to_its_edges(
    make_issue: Callable[..., Path], target: str, bleed: float
) -> None:
    from weasyprint.formatting_structure import boxes

    issue = make_issue(BANDS, images=("forecasting.png",))
    item = prepare(issue, "fr", None)
    document = Drafting(item, target, False, MEASURED).draft().finish().document
    pictures = [
        box
        for page in document.pages
        for box in all_boxes(page._page_box)
        if isinstance(box, boxes.ReplacedBox)
    ]
    band, bleeding = (box.width * 25.4 / 96 for box in pictures)
    assert band == pytest.approx(210 - 2 * 15, abs=0.5)
    assert bleeding == pytest.approx(210 + 2 * bleed, abs=0.5)
    assert [
        finding.code
        for finding in emn_pdf.check(issue, target=target)
        if finding.code.startswith("E")
    ] == []


@pytest.mark.parametrize("layout", ["emn", "bulletin"])
def test_a_long_running_footer_wraps_inside_the_page(
    layout: str, tmp_path: Path
) -> None:
    """A publisher's long name wraps beside the page number, never under it or off the page."""
    issue = ROOT / "tests" / "corpus" / "en-long-titles"
    (pdf,) = emn_pdf.build(issue, layout=layout, out_dir=tmp_path)
    page = pypdfium2.PdfDocument(pdf)[0]
    width, _ = page.get_size()
    text = page.get_textpage()
    boxes = [text.get_charbox(index) for index in range(text.count_chars())]
    footer = [box for box in boxes if box[3] < 25 * 72 / 25.4 and box[2] > box[0]]
    assert len(footer) > 150  # the whole name, in the bottom margin
    assert max(right for _, _, right, _ in footer) < width - 10 * 72 / 25.4

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
        across = min(a[2], b[2]) - max(a[0], b[0])
        down = min(a[3], b[3]) - max(a[1], b[1])
        return max(across, 0) * max(down, 0)

    assert not [
        (a, b)
        for index, a in enumerate(footer)
        for b in footer[index + 1 :]
        if overlap(a, b)
        > 0.3 * min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    ]


def test_a_mistake_in_the_layout_is_said_once_for_all_editions(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text(
        "extends: emn\ndescription: Ours\ntype: {body_size: 0pt}\n"
    )
    with pytest.raises(UserError) as raised:  # the sample has two editions
        emn_pdf.check(SAMPLE, layout=str(folder), lay_out=False)
    assert [problem.message for problem in raised.value.problems] == [
        "body_size must be larger than zero"
    ]


def test_a_layout_rewords_the_catalogue(tmp_path: Path) -> None:
    """A layout's ``catalogues/<lang>.yaml`` says only what it rewords.

    Other languages keep the package's wording; a mistake is said at its line.
    """
    folder = tmp_path / "brand"
    (folder / "catalogues").mkdir(parents=True)
    (folder / "theme.yaml").write_text("extends: emn\ndescription: Our brand\n")
    wording = folder / "catalogues" / "fr.yaml"
    wording.write_text(
        "labels:\n  link: En savoir plus\nnetworks: {linkedin: Linked In}\n"
    )
    html = prepare(SAMPLE, "fr", str(folder)).html()
    assert ">En savoir plus</a>" in html and ">Lien</a>" not in html
    assert "Linked In" in html
    assert "Cliquez ici pour lire" in html  # what it does not reword stays
    assert prepare(SAMPLE, "en", str(folder)).html().count(">Link</a>") > 1
    wording.write_text("labels:\n  link: En savoir plus\n  lien: Lien\n")
    with pytest.raises(UserError) as raised:
        prepare(SAMPLE, "fr", str(folder)).html()
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.field) == (wording, 3, "labels.lien")
    assert problem.message.startswith("unknown field 'lien'")


def test_a_theme_that_extends_another_says_only_what_differs(tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    theme = folder / "theme.yaml"
    theme.write_text(
        "extends: emn\n"
        "description: Our brand\n"
        "colours:\n"
        '  accent: {rgb: "#7a1f3d", cmyk: [0.1, 0.9, 0.4, 0.3]}\n'
        "page: {size: A5 portrait}\n",
        encoding="utf-8",
    )
    layout, emn = find_layout(str(folder)), find_layout("emn")
    assert layout.theme.colours["accent"].rgb == "#7a1f3d"
    assert layout.theme.colours["ink"] == emn.theme.colours["ink"]
    assert layout.theme.page.size == "A5 portrait"
    assert layout.theme.page.top == emn.theme.page.top  # the margins stay
    assert (layout.theme.fonts, layout.theme.type) == (emn.theme.fonts, emn.theme.type)
    assert layout.color_profile("print") == emn.color_profile("print")
    # A mistake in what it changes is said at its line.
    theme.write_text(
        "extends: emn\ndescription: Our brand\ntype:\n  body_size: 0pt\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as raised:
        find_layout(str(folder))
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.field) == (theme, 4, "type")
    assert problem.message == "body_size must be larger than zero"


# The layout contract ---------------------------------------------------------------


def emn_copy(tmp_path: Path) -> Path:
    """A layout of one's own, copied whole from emn (it extends nothing)."""
    mine = tmp_path / "mine"
    shutil.copytree(ROOT / "layouts" / "emn", mine)
    return mine


def contract_problems(layout: Path) -> list[str]:
    """Return what ``check`` says of the sample in ``layout``, without laying out."""
    with pytest.raises(UserError) as caught:
        emn_pdf.check(SAMPLE, lang="fr", layout=str(layout), lay_out=False)
    return [str(problem) for problem in caught.value.problems]


def test_a_layout_without_the_probe_rule_is_told_where(tmp_path: Path) -> None:
    """Without it, makeup measured a gap as wide as the page: three E113
    "a defect of emn-pdf" in every edition.  Now the layout's file is named."""
    mine = emn_copy(tmp_path)
    base = mine / "base.css"
    css = base.read_text()
    base.write_text(re.sub(r"\.mk-probe \{[^}]*\}", "", css))
    (problem,) = contract_problems(mine)
    assert problem.startswith(f"{base.resolve()}: page makeup needs the rule .mk-probe")
    assert "width: …; height: …" in problem and "E113" not in problem
    result = runner.invoke(app, ["check", str(SAMPLE), "--layout", str(mine)])
    assert result.exit_code == 2 and "base.css: page makeup needs" in result.stderr


def test_a_makeup_rule_set_otherwise_is_located_at_its_line(tmp_path: Path) -> None:
    mine = emn_copy(tmp_path)
    base = mine / "base.css"
    css = base.read_text()
    base.write_text(
        css.replace(
            ".mk-page > .mk-item {\n  position: absolute;",
            ".mk-page > .mk-item {\n  position: relative;",
        )
    )
    line = base.read_text().splitlines().index(".mk-page > .mk-item {") + 1
    (problem,) = contract_problems(mine)
    assert problem.startswith(f"{base.resolve()}:{line}: page makeup needs the rule")
    assert ".mk-page > .mk-item { position: absolute }" in problem


def test_a_picture_outside_a_figure_is_the_layouts_error(tmp_path: Path) -> None:
    """Makeup finds the picture it may resize as an img in a figure: a layout
    that makes the figure a div lost a fifth of page 1's fill, unsaid."""
    mine = emn_copy(tmp_path)
    parts = mine / "parts.html.j2"
    parts.write_text(
        parts.read_text()
        .replace('<figure class="{{ class }}', '<div class="{{ class }}')
        .replace("</figure>", "</div>")
    )
    problems = contract_problems(mine)
    assert problems
    for problem in problems:
        assert re.match(
            rf"{re.escape(str(mine.resolve()))}/blocks/\w+\.html\.j2: block s\d-b\d"
            r" \(\w+\) shows its picture outside an <img> in a <figure>",
            problem,
        ), problem


def test_a_block_without_its_attribute_is_the_layouts_error(tmp_path: Path) -> None:
    mine = emn_copy(tmp_path)
    event = mine / "blocks" / "event.html.j2"
    event.write_text(event.read_text().replace(' data-block="{{ block_id }}"', ""))
    problems = contract_problems(mine)
    assert problems and all(
        problem.startswith(f"{event.resolve()}: no element of block")
        and 'has data-block="s0-b' in problem
        for problem in problems
    ), problems


class Mystery(BlockBase):
    """A kind the model does not have, with fields the fallback does not show."""

    kind: Literal["mystery"]
    text: Text
    attribution: Text | None = None


def test_a_kind_without_a_template_fails_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It printed as an empty card: the editor's words were gone, unsaid."""
    monkeypatch.setitem(BLOCK_KINDS, "mystery", Mystery)
    for name in ("emn", "bulletin"):
        with pytest.raises(UserError) as caught:
            find_layout(name)
        (problem,) = caught.value.problems
        # The bulletin extends emn, whose folder lacks it: the bulletin has it from there.
        assert problem.file == ROOT / "layouts" / "emn" / "blocks" / "mystery.html.j2"
        assert problem.message == (
            "no template for the kind 'mystery' (the fallback blocks/block.html.j2"
            " does not show attribution, text): its blocks would print without"
            " their text (layouts/README.md, Templates)"
        )


def test_the_layouts_readme_states_the_contract_python_checks() -> None:
    """Each rule, attribute and section an error names is in layouts/README.md."""
    readme = (ROOT / "layouts" / "README.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (.+)$", readme, flags=re.MULTILINE))
    assert set(contract.README_SECTIONS) <= headings
    for selector, properties in contract.MAKEUP_RULES.items():
        assert f"`{selector} {{ {next(iter(properties))}" in readme, selector
    for attribute in (
        contract.RUNNING, contract.SECTION, contract.COLUMNS, contract.BLOCK,
        contract.BAND, contract.FLOW, contract.FILLER, contract.BLEED,
    ):  # fmt: skip
        assert f"`{attribute}" in readme, attribute
    assert contract.PICTURE_SELECTOR in readme
    assert all(f"`{field}`" in readme for field in contract.FALLBACK_FIELDS)
