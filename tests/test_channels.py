"""Every channel, every page, any content (issue 32): contact blocks that lose no
entry, print editions that always build, pages a printer takes as they come.

The issues judged are the sample and the two corpus issues written for this
(a German association's nine channels with 80-character addresses, a French
city's dark portraits), in both layouts, read back as a reader and a printer
would: links and their boxes, QR codes decoded by zxing-cpp, type sizes read by
MuPDF, inks and bleed rendered by Ghostscript.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from conftest import ROOT, SAMPLE, corpus_reports, sample_reports
from pdfcheck import decoded_qr_codes, normalise, page_texts, type_sizes
from PIL import Image
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.checks.printcheck import bleed_shortfalls, page_coverage
from emn_pdf.cli import app
from emn_pdf.issue.load import load_edition
from emn_pdf.issue.model import Contact, PrintOptions
from emn_pdf.layout.fillers import coming_dates, filler_plan, first_day, offered_links
from emn_pdf.layout.i18n import load_catalogue
from emn_pdf.layout.layouts import find_layout
from emn_pdf.output.press import hold_ink

CORPUS = ROOT / "tests" / "corpus"
CHANNELS = CORPUS / "de-verein-kontakte"
PORTRAITS = CORPUS / "fr-ville-portraits"
ISSUES = {"sample": SAMPLE, "channels": CHANNELS, "portraits": PORTRAITS}
LAYOUTS = ("emn", "bulletin")
EDITIONS = [(name, layout) for name in ISSUES for layout in LAYOUTS]
Reports = dict[tuple[str, str], emn_pdf.BuildReport]


def built(factory: pytest.TempPathFactory, name: str, layout: str) -> Reports:
    """Return every edition and target of an issue, built once in the test run."""
    if name == "sample":
        return sample_reports(factory, layout)
    reports = corpus_reports(factory, ISSUES[name].name, layout)
    return {(report.language, report.target): report for report in reports}


def contacts(issue: Path, language: str) -> list[Contact]:
    """Return the contact blocks of an edition, as the model reads them."""
    edition = load_edition(issue / f"{language}.yaml").edition
    return [
        block
        for section in edition.sections
        for block in section.blocks
        if isinstance(block, Contact)
    ]


def links_inside_their_page(path: Path) -> set[str]:
    """Return the URIs of the links whose rectangle lies inside its page."""
    inside = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            left, bottom, right, top = (float(value) for value in page.obj.MediaBox)
            for annotation in page.obj.get("/Annots", []):
                action = annotation.get("/A")
                if action is None or "/URI" not in action:
                    continue
                x0, y0, x1, y1 = (float(value) for value in annotation.Rect)
                if left <= x0 and x1 <= right and bottom <= y0 and y1 <= top:
                    inside.add(str(action.URI))
    return inside


def content_pages(report: emn_pdf.BuildReport) -> int:
    """Return the pages page makeup filled with content (I110's figure)."""
    (figures,) = [finding.figures for finding in report.findings if finding.figures]
    return int(figures["pages"])


@pytest.mark.parametrize(("name", "layout"), EDITIONS, ids="-".join)
def test_every_channel_is_a_visible_link_inside_its_page_on_the_web(
    tmp_path_factory: pytest.TempPathFactory, name: str, layout: str
) -> None:
    reports = built(tmp_path_factory, name, layout)
    for (language, target), report in reports.items():
        if target != "web":
            continue
        assert report.path is not None
        inside = links_inside_their_page(report.path)
        text = " ".join(" ".join(page.split()) for page in page_texts(report.path))
        for contact in contacts(ISSUES[name], language):
            for channel in contact.channels():
                if channel.href is not None:
                    assert channel.href in inside, (language, channel.field)
                else:  # the postal address and the opening hours: their words
                    words = (channel.text or "").split()
                    assert all(word in text for word in words), channel.field
        errors = [f for f in report.findings if f.severity == "error"]
        assert not errors, errors


@pytest.mark.parametrize(("name", "layout"), EDITIONS, ids="-".join)
def test_every_channel_is_a_qr_code_that_decodes_to_it_on_paper(
    tmp_path_factory: pytest.TempPathFactory, name: str, layout: str
) -> None:
    reports = built(tmp_path_factory, name, layout)
    for (language, target), report in reports.items():
        if target != "print":
            continue
        assert report.path is not None
        decoded = set(decoded_qr_codes(report.path))
        for contact in contacts(ISSUES[name], language):
            for channel in contact.channels():
                if channel.href is not None:
                    assert channel.href in decoded, (language, channel.field)


@pytest.mark.parametrize(("name", "layout"), EDITIONS, ids="-".join)
def test_a_print_edition_is_planned_in_whole_sheets(
    tmp_path_factory: pytest.TempPathFactory, name: str, layout: str
) -> None:
    """Whole sheets, at most one filler page (the issue's links) before the
    back page, every text at least 6 pt, every background into the bleed, no
    error of the preflight."""
    for (language, target), report in built(tmp_path_factory, name, layout).items():
        if target != "print":
            continue
        assert report.path is not None
        assert report.pages <= 2 or report.pages % 4 == 0
        fillers = report.pages - content_pages(report) - 1
        assert fillers <= 1
        if fillers == 1:
            offers = load_catalogue(language).labels.offers
            assert normalise(offers) in normalise(page_texts(report.path)[-2])
        assert min(type_sizes(report.path)) >= 5.99
        errors = [f for f in report.findings if f.severity == "error"]
        assert not errors, errors
        assert not [f for f in report.findings if f.code in ("W132", "E130")]


def test_the_sample_condenses_to_one_sheet_with_its_contact_printed_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Five pages of content were padded to eight with two notes pages.

    Since long articles turn between lines (issue 30) the content fills one
    folded sheet of four pages, the contact on its last page, printed once."""
    report = sample_reports(tmp_path_factory, "emn")["en", "print"]
    assert report.path is not None
    assert (report.pages, content_pages(report)) == (4, 4)
    pages = page_texts(report.path)
    assert "Notes" not in " ".join(pages)
    holding = [number for number, text in enumerate(pages) if "emn@uni.lu" in text]
    assert holding == [3]  # the last page, and no other


def a5_print(issue: Path, out: Path, lang: str = "de") -> emn_pdf.BuildReport:
    """Build an issue's print edition in the held-out A5 layout."""
    a5 = ROOT / "tests" / "heldout" / "a5-layout"
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue, lang=lang, target="print", layout=str(a5), out_dir=out, jobs=1,
        on_built=reports.append,
    )  # fmt: skip
    (report,) = reports
    assert report.path is not None
    return report


def test_a_contact_too_large_for_a_small_back_page_stays_among_the_content(
    tmp_path: Path,
) -> None:
    """On an A5 page, a city's contact of five channels ran past the back page.

    The engine made a ninth page of the eight planned (E112, and E124: the
    print edition could not be built); the contact now stays on a content
    page, printed once, and a back cover ends the edition."""
    issue = CORPUS / "de-city-integration"
    report = a5_print(issue, tmp_path)
    assert report.pages % 4 == 0
    assert not [f for f in report.findings if f.severity == "error"]
    pages = page_texts(report.path)
    title = normalise("So erreichen Sie uns")
    holding = [n for n, text in enumerate(pages) if title in normalise(text)]
    assert len(holding) == 1 and holding[0] < content_pages(report)
    assert "Eine Veröffentlichung von" in pages[-1]


def test_a_contact_taller_than_an_a5_page_goes_on_overleaf_between_its_rows(
    tmp_path: Path,
) -> None:
    """Nine channels with long addresses make a contact taller than an A5
    page: its last row (YouTube, the address, the opening hours) was cut off
    at the page's foot (E119, no print edition).  It now goes on overleaf
    between two rows of channels, every QR code whole and decoding."""
    report = a5_print(CHANNELS, tmp_path)
    assert not [f for f in report.findings if f.severity == "error"]
    pages = [normalise(text) for text in page_texts(report.path)]
    holding = [
        n
        for n, text in enumerate(pages)
        if normalise("Schulferien nach Vereinbarung") in text
    ]
    title = [
        n for n, text in enumerate(pages) if normalise("So erreichen Sie uns") in text
    ]
    assert len(title) == 1 and holding == [title[0] + 1]
    decoded = set(decoded_qr_codes(report.path))
    for contact in contacts(CHANNELS, "de"):
        for channel in contact.channels():
            if channel.href is not None:
                assert channel.href in decoded, channel.field


def test_a_long_publishers_name_keeps_the_footer_off_the_trim(tmp_path: Path) -> None:
    """An observatory's 170-character name made the A5 footer three lines deep,
    inked to the trim on every page (E129: the guillotine would cut it).  The
    footer is two lines at most, the newsletter and its date first."""
    report = a5_print(CORPUS / "en-long-titles", tmp_path, lang="en")
    assert not [f for f in report.findings if f.severity == "error"]
    for text in page_texts(report.path)[: content_pages(report)]:
        assert "Observatory Letter · May 2025 · Interregional Observatory" in text
        assert "Nationals in…" in text


def test_the_sample_bulletin_prints_at_most_one_page_of_its_links(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Five pages of content were padded to eight with two pages of links.

    The English content condenses to one sheet; the French spreads to six
    pages (no more pages with holes than at the layout's sizes, one), a page
    of the issue's links (I139) and a back cover: one sheet of four pages
    and one of eight, no W132, the contact printed once."""
    reports = sample_reports(tmp_path_factory, "bulletin")
    english, french = reports["en", "print"], reports["fr", "print"]
    assert (english.pages, content_pages(english)) == (4, 4)
    assert (french.pages, content_pages(french)) == (8, 6)
    for language, report in (("en", english), ("fr", french)):
        assert report.path is not None
        codes = [f.code for f in report.findings]
        assert "W132" not in codes and codes.count("W111") <= 1
        pages = page_texts(report.path)
        offers = normalise(load_catalogue(language).labels.offers)
        designed = pages[content_pages(report) : -1]  # none ruled for notes
        assert all(offers in normalise(page) for page in designed)
        holding = [n for n, text in enumerate(pages) if "emn@uni.lu" in text]
        assert len(holding) == 1  # the contact, printed once
    assert "I139" in [f.code for f in french.findings]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_press_conversion_holds_the_ink_limit_of_dark_photos(
    tmp_path_factory: pytest.TempPathFactory, layout: str
) -> None:
    """Night skies and dark hair went to 302 % in the bulletin's print; then
    JPEG's rounding lifted one pixel of a held photo to 307 %: every decoded
    pixel of every picture is under the limit now."""
    for name, language in (("channels", "de"), ("portraits", "fr")):
        report = built(tmp_path_factory, name, layout)[language, "print"]
        assert not [f for f in report.findings if f.code == "E122"]
        assert report.path is not None
        assert highest_picture_ink(report.path) <= 300


def highest_picture_ink(path: Path) -> float:
    """Return the highest total ink of any pixel of the PDF's CMYK pictures, in %."""
    highest = 0.0
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for image in page.images.values():
                picture = pikepdf.PdfImage(image).as_pil_image()
                if picture.mode == "CMYK":
                    total = sum(np.asarray(picture, dtype=np.int32).transpose(2, 0, 1))
                    highest = max(highest, float(total.max()) * 100 / 255)
    return highest


def test_hold_ink_moves_grey_to_black_then_lightens_the_colours() -> None:
    over = Image.new("CMYK", (2, 1), (230, 210, 200, 250))
    over.putpixel((1, 0), (40, 30, 20, 10))  # light: left as it is
    held = hold_ink(over, 296)
    assert held is not None
    dark, light = held.getpixel((0, 0)), held.getpixel((1, 0))
    assert isinstance(dark, tuple) and sum(dark) * 100 / 255 <= 296.5
    assert dark[3] == 255  # black took what it could of the grey
    assert light == (40, 30, 20, 10)
    assert hold_ink(Image.new("CMYK", (1, 1), (200, 200, 200, 150)), 296) is None


def test_a_background_short_of_the_bleed_is_found_on_the_rendered_page(
    tmp_path: Path,
) -> None:
    """A band of ink stopping at the top trim edge, another running beyond it."""
    ppi, bleed = 100, round(3 / 25.4 * 100)
    page = Image.new("CMYK", (400, 400), (0, 0, 0, 0))
    page.paste((255, 200, 0, 50), (0, bleed, 400, bleed + 40))  # stops at the trim
    page.paste((255, 200, 0, 50), (0, 0, bleed + 40, 400))  # left: into the bleed
    page.save(tmp_path / "page.tif")
    assert bleed_shortfalls(tmp_path / "page.tif", ppi) == ["top"]
    assert page_coverage(tmp_path / "page.tif") > 100


#: A layout from outside whose contact has no room for its rows: one line,
#: no wrapping, and its last channel hidden.
CRAMPED = """\
.contact-list { white-space: nowrap; }
.contact .contact-list * { display: inline; }
.contact-list [data-channel="hours"] { display: none; }
"""


def test_a_channel_without_room_is_an_error_naming_it(tmp_path: Path) -> None:
    layout = tmp_path / "cramped"
    layout.mkdir()
    (layout / "cramped.css").write_text(CRAMPED, encoding="utf-8")
    (layout / "theme.yaml").write_text(
        "extends: emn\ndescription: cramped\n"
        "stylesheets: [base.css, parts.css, style.css, cramped.css]\n",
        encoding="utf-8",
    )
    findings = emn_pdf.check(CHANNELS, layout=str(layout), target="web")
    errors = [(f.code, f.message) for f in findings if f.severity == "error"]
    assert ("E119", "the contact's hours (hours) is not printed on any page") in errors
    runs_out = [message for code, message in errors if code == "E101"]
    assert any(message.startswith("the contact's ") for message in runs_out)
    # The same issue in the layout itself: nothing lost.
    assert not [f for f in emn_pdf.check(CHANNELS) if f.code in ("E119", "E101")]


#: A layout from outside whose back page is taller than the page: the engine
#: makes a page more than makeup planned, and the count is not whole sheets.
TALL_BACK_PAGE = ".back-page { padding-top: 300mm; }\n"


def outside_layout(folder: Path, css: str) -> Path:
    """Return a layout extending emn with ``css`` after its print stylesheet."""
    folder.mkdir()
    (folder / "extra.css").write_text(css, encoding="utf-8")
    (folder / "theme.yaml").write_text(
        "extends: emn\ndescription: test\nprint: {stylesheets: [print.css, extra.css]}\n",
        encoding="utf-8",
    )
    return folder


def test_check_reports_each_print_finding_with_its_own_code(tmp_path: Path) -> None:
    """E124 is a summary, after what made the page too many; JSON says the same
    codes as the text, and the build refuses the file listing them all."""
    layout = outside_layout(tmp_path / "tall", TALL_BACK_PAGE)
    runner = CliRunner()
    arguments = ["--target", "print", "--layout", str(layout)]
    issue = CORPUS / "fr-research-institute"  # three pages of content, a back page
    checking = ["check", str(issue), *arguments]
    as_json = runner.invoke(app, [*checking, "--format", "json"])
    assert as_json.exit_code == 2
    found = json.loads(as_json.stdout)
    codes = [finding["code"] for finding in found]
    assert "E112" in codes and "E124" in codes and "E000" not in codes
    assert {finding["edition"] for finding in found} == {"fr print"}
    as_text = runner.invoke(app, checking)
    assert as_text.exit_code == 2
    said = re.findall(r"^error: .*? ([EW]\d{3}) ", as_text.output, re.MULTILINE)
    assert sorted(said) == sorted(c for c in codes if c.startswith("E"))
    out = tmp_path / "out"
    build = runner.invoke(app, ["build", str(issue), *arguments, "-o", str(out)])
    assert build.exit_code == 2
    assert build.output.index("E112") < build.output.index("E124")
    assert not list(out.glob("*.pdf"))


#: Text the reader cannot read on the contact's dark panel.
DARK_ON_DARK = ".contact-title { color: var(--accent); }\n"


def test_build_and_check_agree_on_a_contrast_error(tmp_path: Path) -> None:
    layout = outside_layout(tmp_path / "dark", DARK_ON_DARK)
    runner = CliRunner()
    common = [str(CHANNELS), "--target", "print", "--layout", str(layout)]
    checked = runner.invoke(app, ["check", *common, "--pages-only"])
    assert checked.exit_code == 2
    assert "E130 text “SO ERREICHEN SIE UNS” has a contrast of" in checked.output
    built_ = runner.invoke(app, ["build", *common, "-o", str(tmp_path / "out")])
    assert built_.exit_code == 2 and "E130" in built_.output
    assert list((tmp_path / "out").glob("*.pdf"))  # written, for a look


def test_the_generic_layout_shows_no_emblem_and_the_branded_one_warns(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The EU stars are the emn layout's (the EMN's) alone."""
    assert find_layout("bulletin").logo() is None
    assert find_layout("emn").logo() is not None
    bulletin = built(tmp_path_factory, "channels", "bulletin")["de", "web"]
    assert not [f for f in bulletin.findings if f.code == "W118"]
    emn = built(tmp_path_factory, "channels", "emn")["de", "web"]
    (warning,) = [f for f in emn.findings if f.code == "W118"]
    assert warning.field == "masthead.organisation"
    assert warning.message.startswith("the layout 'emn' carries the brand of EMN")
    sample = sample_reports(tmp_path_factory, "emn")["fr", "web"]
    assert not [f for f in sample.findings if f.code == "W118"]  # EMN Luxembourg


def test_text_off_the_page_is_an_error_whatever_its_column_says() -> None:
    """The bulletin's old contact row: flex items as wide as their addresses,
    the last ones past the paper's edge, each inside its own box."""
    from weasyprint import HTML

    from emn_pdf.checks.preflight import inspect

    html = """
        <style>@page { size: A6; margin: 10mm }
        ul { display: flex; gap: 8mm; padding: 0; list-style: none }</style>
        <ul><li>social.pfalz.example.de/@begegnungszentrum</li>
        <li>facebook.com/groups/foerderverein.begegnungszentrum</li></ul>
    """
    fonts = sorted((ROOT / "fonts").rglob("*.[ot]tf"))
    findings = inspect(HTML(string=html).render(), fonts)
    (finding,) = [finding for finding in findings if finding.code == "E101"]
    assert finding.message.endswith("off the page")
    assert finding.message.startswith("“facebook.com/groups")


def test_the_old_bulletin_back_page_is_found_illegible(tmp_path: Path) -> None:
    """The bulletin with emn's dark back page, as it was: its publisher line
    at 1.9:1 and its contact labels at 1.3:1 on dark green."""
    layout = tmp_path / "old-bulletin"
    layout.mkdir()
    (layout / "theme.yaml").write_text(
        "extends: bulletin\ndescription: as before\nprint: {stylesheets: [print.css]}\n",
        encoding="utf-8",
    )
    findings = emn_pdf.check(
        SAMPLE, lang="fr", layout=str(layout), target="print", print_file=False
    )
    low = [f for f in findings if f.code == "E130"]
    assert low and {f.page for f in low} == {8}  # the back page alone
    assert any("Une publication d’EMN" in f.message for f in low)


def filler_build(out: Path, issue: Path, layout: str) -> emn_pdf.BuildReport:
    """Build an issue's English print edition at five pages of content, fixed.

    Fixed, copyfitting cannot reach whole sheets: two designed pages come
    before the back page (W132).
    """
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue, lang="en", target="print", layout=layout, out_dir=out,
        jobs=1, pages=5, on_built=reports.append,
    )  # fmt: skip
    (report,) = reports
    assert report.path is not None and report.pages == 8
    return report


def filler_pages_alone(report: emn_pdf.BuildReport, out: Path) -> Path:
    """Return the PDF of the designed pages before the back page (6 and 7)."""
    assert report.path is not None
    with pikepdf.open(report.path) as pdf, pikepdf.new() as alone:
        alone.pages.extend(pdf.pages[5:7])
        alone.save(out)
    return out


def offered(issue: Path) -> tuple[list[str], list[str]]:
    """Return an issue's English links (contact aside) and coming dates' titles."""
    edition = load_edition(issue / "en.yaml").edition
    links = [link.address for link in offered_links(edition)]
    return links, [event.title for event in coming_dates(edition)]


#: An issue, its layout: two designed pages before the back page at five
#: pages fixed. The sample has 20 links; the corpus issue 22 and 3 coming
#: dates, one more than two pages' 24 cells.
FILLED = [(SAMPLE, "bulletin"), (CORPUS / "en-many-blocks", "emn")]


@pytest.mark.parametrize(("issue", "layout"), FILLED, ids=["sample", "many-blocks"])
def test_a_filler_page_lists_the_issues_links_with_codes_that_decode(
    tmp_path: Path, issue: Path, layout: str
) -> None:
    """Two pages ruled for notes completed the sheet; now the issue's links,
    each a QR code that decodes to it, then its coming dates."""
    report = filler_build(tmp_path / "out", issue, layout)
    (said,) = [f.message for f in report.findings if f.code == "W132"]
    assert said.startswith("3 designed pages complete the last sheet (2 listing")
    assert report.path is not None
    pages = page_texts(report.path)
    assert all("ONLINE AND COMING UP" in page for page in pages[5:7])
    assert "Notes" not in " ".join(pages)
    links, dates = offered(issue)
    fillers = filler_pages_alone(report, tmp_path / "fillers.pdf")
    assert sorted(decoded_qr_codes(fillers)) == sorted(links)
    listed = normalise(pages[6])
    shown = dates[: 24 - len(links)]  # what two pages' cells hold
    assert all(normalise(title) in listed for title in shown)
    assert ("left out for want of room" in said) == (len(shown) < len(dates))
    assert min(type_sizes(fillers)) >= 5.99
    errors = [f for f in report.findings if f.severity == "error"]
    assert not errors, errors


def test_the_editor_asks_for_notes_pages(tmp_path: Path) -> None:
    """With notes pages asked, the list takes as few pages as it needs (one, on a
    grid of 24 cells), and the next page is ruled."""
    issue = tmp_path / "issue"
    shutil.copytree(SAMPLE, issue)
    with (issue / "en.yaml").open("a", encoding="utf-8") as edition:
        edition.write("\nprint: {notes_pages: true}\n")
    layout = tmp_path / "wide"
    layout.mkdir()
    (layout / "theme.yaml").write_text(
        "extends: bulletin\ndescription: test\nfiller: {columns: 4, rows: 6}\n",
        encoding="utf-8",
    )
    report = filler_build(tmp_path / "out", issue, str(layout))
    (said,) = [f.message for f in report.findings if f.code == "W132"]
    assert "(1 listing the issue's links and coming dates, 1 ruled for notes" in said
    assert report.path is not None
    pages = page_texts(report.path)
    assert "ONLINE AND COMING UP" in pages[5] and "Notes" not in pages[5]
    assert "NOTES" in pages[6].upper() and "ONLINE" not in pages[6]
    fillers = filler_pages_alone(report, tmp_path / "fillers.pdf")
    assert sorted(decoded_qr_codes(fillers)) == sorted(offered(SAMPLE)[0])


def test_filler_pages_spread_the_list_then_rule_what_is_left() -> None:
    """Links first, then the coming dates; spread evenly unless notes are asked."""
    edition = load_edition(CORPUS / "en-many-blocks" / "en.yaml").edition
    links, dates = offered_links(edition), coming_dates(edition)
    assert dates and all(
        first_day(event.date) > edition.masthead.date
        for event in dates
        if event.date is not None
    )
    entries = len(links) + len(dates)
    spread = filler_plan(edition, 3, 12)
    sizes = [len(page.links) + len(page.dates) for page in spread.pages]
    assert sum(sizes) == entries and max(sizes) - min(sizes) <= 1
    assert not any(page.notes for page in spread.pages)
    assert (
        spread.pages[0].links[0] == links[0] and spread.pages[-1].dates[-1] == dates[-1]
    )
    asked = edition.model_copy(update={"print": PrintOptions(notes_pages=True)})
    planned = filler_plan(asked, 4, 12)
    assert [page.notes for page in planned.pages] == [False, False, False, True]
    assert planned.said().endswith("1 ruled for notes, as the editor asked")
    more = filler_plan(edition, entries + 1, 12)  # a page with nothing to list
    assert [page.notes for page in more.pages] == [False] * entries + [True]
    assert more.said().endswith("1 ruled for notes, nothing left to list")
    short = filler_plan(edition, 2, 12)  # more than 24 entries: said, not lost
    assert (
        short.unlisted == entries - 24 and "left out for want of room" in short.said()
    )
