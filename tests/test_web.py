"""The web page, the e-mail and the archive, read as a browser and a mail client do.

The sample and every corpus issue are built for ``html`` and ``email`` in both
layouts, once per test run; the pages are opened in the system's Chromium
(``tests/browser.py``, one browser per test process) at 375 and 1280 pixels
wide, checked by axe-core against WCAG 2.2 AA and by html-validate, and the
e-mails are read back with Python's ``email`` package.
"""

from __future__ import annotations

import email
import json
import re
import shutil
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from functools import cache
from pathlib import Path

import pdfcheck
import pytest
from browser import Browser, validate_html
from conftest import SAMPLE, corpus_reports, exclusive, in_turn, shared_path
from lxml import etree, isoschematron
from lxml import html as lxml_html
from PIL import Image
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.cli import app
from emn_pdf.issue.load import load_edition
from emn_pdf.issue.model import titled_addresses
from emn_pdf.machinery import workers
from emn_pdf.machinery.cache import CACHE_DIR
from emn_pdf.machinery.jobs import edition_files
from emn_pdf.web import assets
from emn_pdf.web.email import MAX_HTML_BYTES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "corpus").iterdir())
ISSUES = [SAMPLE, *CORPUS]
#: The corpus issues whose pages are looked at, besides the sample.
LOOKED_AT = ["de-city-integration", "en-extreme-pictures"]
WIDTHS = (375, 1280)

pytestmark = pytest.mark.xdist_group("browser")


def built(factory: pytest.TempPathFactory, layout: str) -> Path:
    """Build the web page and the e-mail of the sample and the corpus, once a run."""
    out = shared_path(factory, f"web-{layout}")
    with exclusive(out):
        for issue in ISSUES:
            emn_pdf.build(issue, target="html", layout=layout, out_dir=out, jobs=1)
            emn_pdf.build(issue, target="email", layout=layout, out_dir=out, jobs=1)
    return out


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory, layout: str) -> Path:
    """The folder holding every web page and e-mail, in ``layout``."""
    return built(tmp_path_factory, layout)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium, shared by the tests of this process."""
    started = Browser()
    yield started
    started.close()


def editions() -> list[tuple[Path, str]]:
    """Every edition of the sample and the corpus: its issue and language."""
    return [(issue, language) for issue in ISSUES for language in edition_files(issue)]


def page_of(web: Path, issue: Path, language: str) -> Path:
    return web / f"{issue.name}-{language}-html" / "index.html"


def email_of(web: Path, issue: Path, language: str) -> EmailMessage:
    folder = web / f"{issue.name}-{language}-email"
    message = email.message_from_bytes(
        (folder / f"{issue.name}-{language}.eml").read_bytes(), policy=policy.default
    )
    assert isinstance(message, EmailMessage)
    return message


def addresses(issue: Path, language: str) -> set[str]:
    """Every address the edition links to (link fields, e-mails, Markdown links)."""
    edition = load_edition(edition_files(issue)[language]).edition
    return {
        address
        for section in edition.sections
        for block in section.blocks
        for _, address in titled_addresses(block)
    }


def hrefs(html: str) -> set[str]:
    return {
        anchor.get("href")
        for anchor in lxml_html.document_fromstring(html).iter("a")
        if anchor.get("href")
    }


def text_of(html: str) -> str:
    root = lxml_html.document_fromstring(html)
    for hidden in root.xpath("//style|//script|//head"):
        hidden.getparent().remove(hidden)
    return root.text_content()


# Every edition builds -----------------------------------------------------------


@pytest.mark.lays_out  # no page, but every corpus issue built: make test runs it
@pytest.mark.parametrize("edition", editions(), ids=lambda e: f"{e[0].name}-{e[1]}")
def test_every_edition_has_a_web_page_and_an_email(
    web: Path, edition: tuple[Path, str]
) -> None:
    issue, language = edition
    page = page_of(web, issue, language).read_text(encoding="utf-8")
    root = lxml_html.document_fromstring(page)
    assert root.get("lang") == language
    for element in ("header", "nav", "main", "article", "section", "footer"):
        assert root.find(f".//{element}") is not None, element
    for image in root.iter("img"):
        assert image.get("alt") is not None
        assert image.get("width") and image.get("height")
    assert addresses(issue, language) <= hrefs(page)
    message = email_of(web, issue, language)
    assert message.get_content_type() == "multipart/alternative"
    html_part = message.get_body(("html",))
    text_part = message.get_body(("plain",))
    assert html_part is not None and text_part is not None
    mail_html = html_part.get_content()
    assert len(mail_html.encode()) < MAX_HTML_BYTES
    assert addresses(issue, language) <= hrefs(mail_html)
    text = text_part.get_content()
    for address in hrefs(mail_html):
        assert f"<{address}>" in text, address
    for attached in message.walk():
        if attached.get_content_maintype() == "image":
            assert f"cid:{attached['Content-ID'].strip('<>')}" in mail_html


def test_the_web_page_holds_every_word_and_link_of_the_web_pdf(
    sample: dict[tuple[str, str], emn_pdf.BuildReport], web: Path
) -> None:
    for language in ("fr", "en"):
        pdf = sample[language, "web"].path
        assert pdf is not None
        page = page_of(web, SAMPLE, language).read_text(encoding="utf-8")
        page_text = text_of(page)
        # A hyphen at a line end is joined in the PDF's words, an address's or
        # a compound's own too ("…-network- / luxembourg"): any two parts.
        unbroken = page_text.replace("\u200b", "")  # an address's break points
        joined = " ".join(a + b for a, b in re.findall(r"(\w+)-(?=(\w+))", unbroken))
        page_words = pdfcheck.words(page_text) | pdfcheck.words(joined)
        line_end = r"\x02\s*|[-\ufffe]\s*\n\s*"
        missing = (
            pdfcheck.words(re.sub(line_end, "", pdfcheck.body_text(pdf))) - page_words
        )
        # The running footer's "page" is the PDF's alone.
        assert missing <= {"page", "seite"}, missing
        assert set(pdfcheck.link_uris(pdf)) <= hrefs(page)


def test_the_web_page_is_semantic_and_says_where_the_rest_is(tmp_path: Path) -> None:
    out = tmp_path / "out"
    emn_pdf.build(
        SAMPLE, target="html", out_dir=out, jobs=1, base_url="https://example.org/nl"
    )
    root = lxml_html.document_fromstring(
        (out / "2024-12-fr-html" / "index.html").read_text(encoding="utf-8")
    )
    meta = {
        element.get("property") or element.get("name"): element.get("content")
        for element in root.iter("meta")
    }
    assert meta["og:image"] == "https://example.org/nl/2024-12-fr-cover.png"
    assert meta["og:url"] == "https://example.org/nl/2024-12-fr-html/"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:locale"] == "fr_FR"
    links = hrefs(lxml_html.tostring(root, encoding="unicode"))
    assert "https://example.org/nl/2024-12-en-html/" in links
    assert "https://example.org/nl/2024-12-fr-web.pdf" in links
    assert root.xpath("//span[@lang='en']"), "the marked English phrase"
    pictures = root.xpath("//img[@srcset]")
    assert pictures and all(" 480w" in image.get("srcset") for image in pictures)
    stylesheet = (out / "2024-12-fr-html" / "assets" / "page.css").read_text()
    assert "@media print" in stylesheet and "--accent: #1d4f91" in stylesheet
    assert "url(" not in re.sub(r'url\("(fonts/|logo)', "", stylesheet)


def test_the_email_names_its_pictures_online_with_a_base_url(tmp_path: Path) -> None:
    out = tmp_path / "out"
    emn_pdf.build(
        SAMPLE, target="email", out_dir=out, jobs=1, base_url="https://example.org/nl/"
    )
    message = email_of(out, SAMPLE, "fr")
    assert not [
        part for part in message.walk() if part.get_content_maintype() == "image"
    ]
    html = message.get_body(("html",)).get_content()
    folder = "https://example.org/nl/2024-12-fr-email/"
    sources = lxml_html.document_fromstring(html).xpath("//img/@src")
    assert sources and all(source.startswith(folder) for source in sources)
    for source in sources:
        assert (out / "2024-12-fr-email" / source.removeprefix(folder)).is_file()
    assert "https://example.org/nl/2024-12-fr-html/" in hrefs(html)
    assert "prefers-color-scheme: dark" in html


def test_web_editions_give_the_same_bytes_and_come_from_the_cache(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        emn_pdf.build(SAMPLE, lang="fr", target="email", out_dir=out, jobs=1)
        emn_pdf.build(SAMPLE, lang="fr", target="html", out_dir=out, jobs=1)
    for path in sorted(first.rglob("*")):
        if path.is_file() and ".emn-pdf-cache" not in path.parts:
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        SAMPLE, lang="fr", target="html", out_dir=first, on_built=reports.append
    )
    assert [report.cached for report in reports] == [True]
    (first / "2024-12-fr-html" / "index.html").write_text("changed")
    emn_pdf.build(
        SAMPLE, lang="fr", target="html", out_dir=first, on_built=reports.append
    )
    assert not reports[-1].cached


def outputs(out: Path) -> dict[str, bytes]:
    """Return the files of an output folder by their path, its cache left out."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and CACHE_DIR not in path.parts
    }


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the pictures drawn (resvg) and encoded (Pillow), in a fresh process."""
    calls: list[str] = []
    drawn, resized = assets._drawn_svg, assets._resized

    def counted_drawn(*args: object) -> bytes:
        calls.append("drawn")
        return drawn(*args)  # type: ignore[arg-type]

    def counted_resized(*args: object) -> assets.Asset:
        calls.append("encoded")
        return resized(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(assets, "_drawn_svg", counted_drawn)
    monkeypatch.setattr(assets, "_resized", counted_resized)
    monkeypatch.setattr(assets, "_MADE", {})
    return calls


def build_web(out: Path) -> dict[str, bytes]:
    """Build the sample's French web page and e-mail as a new process would."""
    assets._MADE.clear()  # what a process keeps: a new one has none
    for target in ("email", "html"):
        emn_pdf.build(SAMPLE, lang="fr", target=target, out_dir=out, jobs=1, force=True)
    return outputs(out)


def test_a_fresh_process_reuses_the_pictures_the_cache_keeps(
    made: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build_web(out)
    assert "drawn" in made and "encoded" in made
    kept = sorted((out / CACHE_DIR / assets.KEPT_KIND).glob("*.json"))
    assert kept
    made.clear()
    assert build_web(out) == first  # the same bytes, nothing drawn nor encoded
    assert made == []
    elsewhere = tmp_path / "elsewhere"  # a cache is the output folder's own
    assert build_web(elsewhere) == first
    assert "drawn" in made


def test_a_damaged_picture_in_the_cache_is_made_again(
    made: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build_web(out)
    entries = sorted((out / CACHE_DIR / assets.KEPT_KIND).glob("*.json"))
    sound = {path: path.read_bytes() for path in entries}
    assert len(entries) >= 3
    cut, edited, crafted, *_ = entries
    cut.write_bytes(sound[cut][: len(sound[cut]) // 2])  # a process killed writing it
    edited.write_bytes(sound[edited].replace(b'"data": "', b'"data": "AAAA'))
    entry = json.loads(sound[crafted])
    entry["copies"][0]["name"] = "../../index.html"  # a crafted one
    crafted.write_text(json.dumps(entry))
    made.clear()
    assert build_web(out) == first
    assert made  # the damaged ones are made again, and kept sound
    assert {path: path.read_bytes() for path in entries} == sound


# In a browser -------------------------------------------------------------------


@pytest.mark.lays_out
def test_every_web_page_reads_at_375_and_1280_pixels_without_an_accessibility_fault(
    web: Path, browser: Browser, layout: str
) -> None:
    faults = {}
    for issue, language in editions():
        page = page_of(web, issue, language)
        for width in WIDTHS:
            looked = issue == SAMPLE or issue.name in LOOKED_AT
            shot = web / f"shot-{issue.name}-{language}-{width}.png" if looked else None
            seen = browser.look(page, width, shot, axe=width == WIDTHS[-1] or looked)
            problems = [
                *(
                    [f"scrolls sideways: {seen.scroll_width}"]
                    if seen.scroll_width > seen.client_width
                    else []
                ),
                *(f"overlap: {pair}" for pair in seen.overlaps),
                *(f"out of the window: {name}" for name in seen.outside),
                *(f"axe: {violation}" for violation in seen.violations),
            ]
            if problems:
                faults[f"{issue.name}-{language}-{width}"] = problems
    assert faults == {}


@pytest.mark.lays_out
def test_every_web_page_validates(web: Path) -> None:
    pages = [page_of(web, issue, language) for issue, language in editions()]
    assert validate_html(pages) == {}


# Hostile input ------------------------------------------------------------------


def test_hostile_text_stays_text_in_the_web_page_and_the_email(
    make_issue: object, tmp_path: Path
) -> None:
    issue = make_issue(  # type: ignore[operator]
        """\
        masthead: {organisation: "<script>alert(1)</script>", title: "x\\" onload=\\"alert(2)", number: 1, date: 2025-03-20, language: fr}
        sections:
          - heading: "<img src=x onerror=alert(3)>"
            blocks:
              - kind: news
                title: "</title><script>alert(4)</script>"
                body: "<iframe src=javascript:alert(5)></iframe> [lien](javascript:alert(6)) <a href='javascript:alert(7)'>a</a>"
                links: [{url: "https://example.org/?q=<script>", label: "\\"><script>alert(8)</script>"}]
        """
    )
    out = tmp_path / "out"
    emn_pdf.build(issue, target="html", out_dir=out, jobs=1)
    emn_pdf.build(issue, target="email", out_dir=out, jobs=1)
    page = (out / "2025-03-fr-html" / "index.html").read_text(encoding="utf-8")
    message = email_of(out, Path("2025-03"), "fr")
    for html in (page, message.get_body(("html",)).get_content()):
        root = lxml_html.document_fromstring(html)
        assert root.xpath("//script|//iframe") == []
        assert not [
            name for element in root.iter() if isinstance(element.tag, str)
            for name in element.attrib if name.startswith("on")
        ]  # fmt: skip
        assert not [href for href in hrefs(html) if "javascript" in href]
        assert "<script>alert(1)</script>" in root.text_content()


HOSTILE_TEMPLATES = {
    "a script": "<script>alert(1)</script>",
    "an event attribute": '<p onclick="alert(1)">x</p>',
    "a javascript: link": '<a href="javascript:alert(1)">x</a>',
    "a frame": '<iframe src="https://example.org"></iframe>',
    "a refresh": '<meta http-equiv="refresh" content="0;url=https://example.org">',
}


@pytest.mark.parametrize("target", ["html", "email"])
@pytest.mark.parametrize(
    "payload", HOSTILE_TEMPLATES.values(), ids=list(HOSTILE_TEMPLATES)
)
def test_a_layout_template_writing_code_is_refused(
    tmp_path: Path, target: str, payload: str
) -> None:
    layout = tmp_path / "hostile"
    layout.mkdir()
    (layout / "theme.yaml").write_text("extends: emn\ndescription: hostile\n")
    name = "page.html.j2" if target == "html" else "email.mjml.j2"
    original = (ROOT / "layouts" / "emn" / name).read_text(encoding="utf-8")
    anchor = "<body>" if target == "html" else "<mj-text>"
    (layout / name).write_text(original.replace(anchor, anchor + payload, 1))
    result = CliRunner().invoke(
        app,
        ["build", str(SAMPLE), "--lang", "fr", "--target", target, "--layout",
         str(layout), "-o", str(tmp_path / "out"), "--jobs", "1"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"hostile/{name}: template error:" in result.stderr
    assert "a layout writes markup, never code" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / f"2024-12-fr-{target}").exists()


def test_a_hostile_svg_is_served_clean(make_issue: object, tmp_path: Path) -> None:
    issue = make_issue(  # type: ignore[operator]
        """\
        masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
        sections:
          - blocks:
              - kind: news
                title: Une image
                body: Texte.
                image: {src: images/evil.svg, alt: Une image.}
        """
    )
    (issue / "images" / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="40" height="30" onload="alert(1)"><script>alert(2)</script>'
        "<style>@import url(https://example.org/x.css); rect {fill: url(https://example.org/t)}</style>"
        '<a href="javascript:alert(3)"><rect width="40" height="30"/></a>'
        '<image xlink:href="https://example.org/track.png" width="1" height="1"/>'
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
        '<set attributeName="href" to="javascript:alert(4)"/></svg>'
    )
    out = tmp_path / "out"
    emn_pdf.build(issue, target="html", out_dir=out, jobs=1)
    (served,) = (out / "2025-03-fr-html" / "assets" / "pictures").glob("*.svg")
    svg = served.read_text()
    for word in (
        "script",
        "onload",
        "javascript",
        "example.org",
        "foreignObject",
        "<set",
    ):
        assert word not in svg, word
    assert "<rect" in svg
    etree.fromstring(svg.encode())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--base-url", "ftp://example.org/"], "is not a web address"),
        (["--base-url", "https://example.org/?a=<b>"], "give a folder's address"),
        (["--target", "pdf"], "unknown target 'pdf' (web, print, html, email or all)"),
    ],
)
def test_wrong_options_are_named(
    tmp_path: Path, options: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        app, ["build", str(SAMPLE), "-o", str(tmp_path), *options]
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_link_the_template_leaves_out_is_an_error(tmp_path: Path) -> None:
    layout = tmp_path / "forgetful"
    (layout / "blocks").mkdir(parents=True)
    (layout / "theme.yaml").write_text("extends: emn\ndescription: forgetful\n")
    (layout / "blocks" / "contact.html.j2").write_text(
        '<aside data-block="{{ block_id }}"><h2>{{ block.title|typo }}</h2></aside>'
    )
    found = emn_pdf.check(SAMPLE, lang="fr", target="html", layout=str(layout))
    missing = [finding for finding in found if finding.code == "E133"]
    assert missing and all(finding.line for finding in missing)
    assert any(
        "the web page lacks the link https://emnluxembourg.uni.lu/:" in finding.message
        for finding in missing
    )


def test_the_web_page_and_the_email_start_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They lay nothing out: a worker, forked from a server that imported the
    engine, would cost more than they do (issue 33's benchmark row)."""

    def no_server() -> None:
        raise AssertionError("a worker server started")

    monkeypatch.setattr(workers, "server_context", no_server)
    reports: list[emn_pdf.BuildReport] = []
    for target in ("html", "email"):
        emn_pdf.build(
            SAMPLE, target=target, out_dir=tmp_path, jobs=2, on_built=reports.append
        )
        assert emn_pdf.check(SAMPLE, target=target, jobs=2) == []
    assert [(r.language, r.target, r.cached) for r in reports] == [
        ("en", "html", False), ("fr", "html", False),
        ("en", "email", False), ("fr", "email", False),
    ]  # fmt: skip


def test_check_covers_the_web_page_and_the_email() -> None:
    found = emn_pdf.check(SAMPLE, target="html") + emn_pdf.check(SAMPLE, target="email")
    assert [finding for finding in found if finding.severity == "error"] == []


# The archive ----------------------------------------------------------------------


@pytest.mark.lays_out
def test_the_archive_lists_every_edition_with_its_cover_and_a_valid_feed(
    tmp_path: Path, browser: Browser
) -> None:
    issues = tmp_path / "issues"
    issues.mkdir()
    for issue in [SAMPLE, ROOT / "tests" / "corpus" / "en-one-page"]:
        (issues / issue.name).symlink_to(issue)
    site = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["archive", str(issues), "-o", str(site), "--lang", "fr"]
    )
    assert result.exit_code == 0, result.output
    root = lxml_html.document_fromstring(
        (site / "index.html").read_text(encoding="utf-8")
    )
    entries = root.xpath("//ol[@class='archive-list']/li")
    assert [entry.get("lang") for entry in entries] == [
        "en",
        "en",
        "fr",
    ]  # newest first
    for entry in entries:
        (cover,) = entry.xpath(".//img/@src")
        assert (site / cover).is_file()
        for href in entry.xpath(".//a/@href"):
            assert (site / href).exists(), href
    assert validate_html([site / "index.html"]) == {}
    assert browser.look(site / "index.html", 375).violations == []
    feed = etree.parse(site / "feed.xml")
    assert atom_schema_errors(feed) == []
    assert atom_problems(feed.getroot(), site) == []
    again = CliRunner().invoke(app, ["archive", str(issues), "-o", str(site)])
    unchanged = re.findall(
        rf"^{re.escape(str(site))}\S*  .*  unchanged$", again.output, re.M
    )
    assert len(unchanged) == 12  # 3 editions, 4 targets each


def kept_outputs(folder: str, names: list[str]) -> set[str]:
    """What a site takes of a build's folder: neither screenshots nor kept pictures."""
    if Path(folder).name == CACHE_DIR:
        return {assets.KEPT_KIND} & set(names)
    return {name for name in names if name.startswith("shot-")}


@pytest.fixture(scope="session")
def corpus_site(
    tmp_path_factory: pytest.TempPathFactory,
    layout: str,
    web: Path,
    sample: dict[tuple[str, str], emn_pdf.BuildReport],
) -> Path:
    """The archive of the sample and every corpus issue in ``layout``, by the CLI.

    Made once a run, by the first process that asks (``make test`` has two).
    Its output folder starts as a copy of what the run built anyway, the
    PDFs and covers of the sample's and the corpus's tests and the web pages
    and e-mails of ``web``, with their cache: every output is then up to date
    and the archive writes its page and feed only (building them all again
    would take minutes).
    """
    site = shared_path(tmp_path_factory, f"site-{layout}")
    reports = [
        *sample.values(),
        *(r for issue in in_turn(CORPUS) for r in corpus_reports(tmp_path_factory, issue.name, layout)),
    ]  # fmt: skip
    with exclusive(site):
        if not (site / "feed.xml").is_file():
            folders = {report.path.parent for report in reports if report.path}
            archived(site, [web, *folders], layout)
    return site


def archived(site: Path, folders: list[Path], layout: str) -> None:
    """Archive the sample and the corpus into ``site``, from the builds in ``folders``."""
    issues = site.with_name(f"{site.name}-issues")
    issues.mkdir()
    for issue in ISSUES:
        (issues / issue.name).symlink_to(issue)
    for folder in folders:
        shutil.copytree(folder, site, ignore=kept_outputs, dirs_exist_ok=True)
    result = CliRunner().invoke(
        app, ["archive", str(issues), "-o", str(site), "--layout", layout]
    )
    assert result.exit_code == 0, result.output
    unchanged = re.findall(r"  unchanged$", result.output, re.M)
    assert len(unchanged) == 4 * len(editions()), "not from the run's builds"


@pytest.mark.lays_out
def test_the_archive_of_the_sample_and_the_corpus_lists_every_edition_newest_first(
    corpus_site: Path, browser: Browser
) -> None:
    index = corpus_site / "index.html"
    assert validate_html([index]) == {}
    root = lxml_html.document_fromstring(index.read_text(encoding="utf-8"))
    entries = root.xpath("//ol[@class='archive-list']/li")
    covers = [entry.xpath(".//img/@src")[0] for entry in entries]
    assert sorted(covers) == sorted(
        f"{issue.name}-{language}-cover.png" for issue, language in editions()
    )
    for entry, cover in zip(entries, covers, strict=True):
        assert cover.endswith(f"-{entry.get('lang')}-cover.png")
        (image,) = entry.xpath(".//img")
        with Image.open(corpus_site / cover) as picture:
            assert picture.size == (int(image.get("width")), int(image.get("height")))
        for href in entry.xpath(".//a/@href"):
            assert (corpus_site / href).exists(), href
    dates = root.xpath("//ol[@class='archive-list']/li//time/@datetime")
    assert len(dates) == len(entries) and dates == sorted(dates, reverse=True)
    seen = browser.look(index, 375)
    assert seen.scroll_width <= seen.client_width
    assert seen.violations == []


@pytest.mark.lays_out
def test_the_archive_feed_of_the_sample_and_the_corpus_is_valid_atom(
    corpus_site: Path,
) -> None:
    feed = etree.parse(corpus_site / "feed.xml")
    assert atom_schema_errors(feed) == []
    assert atom_problems(feed.getroot(), corpus_site) == []
    assert feed.getroot().tag == f"{ATOM}feed"  # the schema allows an entry alone
    assert len(feed.getroot().findall(f"{ATOM}entry")) == len(editions())


def without(name: str, of: str = "entry") -> Callable[[etree._Element], None]:
    """Return a breakage of a feed: its first ``of`` element loses its ``name``."""

    def broken(feed: etree._Element) -> None:
        owner = feed if of == "feed" else feed.find(f"{ATOM}{of}")
        owner.remove(owner.find(f"{ATOM}{name}"))

    return broken


def set_text(name: str, text: str) -> Callable[[etree._Element], None]:
    """Return a breakage of a feed: its first ``name`` element says ``text``."""

    def broken(feed: etree._Element) -> None:
        feed.find(f".//{ATOM}{name}").text = text

    return broken


def added(name: str) -> Callable[[etree._Element], None]:
    """Return a breakage of a feed: its first entry gains an ``name`` element."""

    def broken(feed: etree._Element) -> None:
        etree.SubElement(feed.find(f"{ATOM}entry"), f"{ATOM}{name}").text = "x"

    return broken


BROKEN_FEEDS = {
    "an entry without id": without("id"),
    "an entry without title": without("title"),
    "an entry without updated": without("updated"),
    "a feed without id": without("id", "feed"),
    "a date without its time": set_text("updated", "2024-12-01"),
    "a link without href": lambda feed: feed.find(f".//{ATOM}link").attrib.pop("href"),
    "an entry with two ids": added("id"),
    "an element Atom does not define": added("cover"),
    "no author (a Schematron rule)": without("author", "feed"),
    "an entry without a link to read (a Schematron rule)": lambda feed: [
        link.getparent().remove(link)
        for link in feed.find(f"{ATOM}entry").findall(f"{ATOM}link")
    ],
}


@pytest.mark.lays_out
@pytest.mark.parametrize("breakage", BROKEN_FEEDS.values(), ids=list(BROKEN_FEEDS))
def test_the_atom_schema_refuses_a_broken_feed(
    corpus_site: Path, breakage: Callable[[etree._Element], None]
) -> None:
    feed = etree.parse(corpus_site / "feed.xml")
    breakage(feed.getroot())
    assert atom_schema_errors(feed) != []


#: RFC 4287's own schema (its Appendix B), in the XML syntax lxml reads:
#: ``make atom-schema`` made it (tests/data/README.md).
ATOM_SCHEMA = ROOT / "tests" / "data" / "atom.rng"
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMATRON = "{http://www.ascc.net/xml/schematron}"  # the RFC's, Schematron 1.5
ISO_SCHEMATRON = "{http://purl.oclc.org/dsdl/schematron}"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}  # what Schematron reports in
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@cache
def atom_schema() -> tuple[etree.RelaxNG, isoschematron.Schematron]:
    """Return RFC 4287's grammar and the Schematron rules it carries.

    RELAX NG leaves the rules (an author for every entry, an alternate link
    or a content) as annotations: they are checked as ISO Schematron, which
    lxml keeps, one pattern each (a pattern checks a node by its first rule).
    """
    grammar = etree.parse(ATOM_SCHEMA)
    rules = etree.Element(f"{ISO_SCHEMATRON}schema")
    etree.SubElement(rules, f"{ISO_SCHEMATRON}ns", prefix="atom", uri=ATOM[1:-1])
    for rule in grammar.iter(f"{SCHEMATRON}rule"):
        pattern = etree.SubElement(rules, f"{ISO_SCHEMATRON}pattern")
        checked = etree.SubElement(
            pattern, f"{ISO_SCHEMATRON}rule", context=rule.get("context")
        )
        for said in rule.iter(f"{SCHEMATRON}assert"):
            test = etree.SubElement(
                checked, f"{ISO_SCHEMATRON}assert", test=said.get("test")
            )
            test.text = said.text
    assert len(rules) == 4, "RFC 4287's three rules"
    return etree.RelaxNG(grammar), isoschematron.Schematron(rules, store_report=True)


def atom_schema_errors(feed: etree._ElementTree) -> list[str]:
    """Return where a feed breaks RFC 4287's schema and its rules: nothing, if valid."""
    grammar, rules = atom_schema()
    errors = [] if grammar.validate(feed) else [e.message for e in grammar.error_log]
    if not rules.validate(feed):
        report = rules.validation_report
        errors += report.xpath("//svrl:failed-assert/svrl:text/text()", namespaces=SVRL)
    return errors


def atom_problems(feed: etree._Element, site: Path) -> list[str]:
    """Return where an Atom feed breaks what its schema cannot say.

    Dates as RFC 3339 has them (with their offset: 3.3), lasting identifiers
    and one alternate link per entry; and every link leads to a file of the
    site.
    """
    problems = []
    for owner in [feed, *feed.iter(f"{ATOM}entry")]:
        for date in [
            *owner.findall(f"{ATOM}updated"),
            *owner.findall(f"{ATOM}published"),
        ]:
            if not RFC3339.fullmatch(date.text or ""):
                problems.append(f"date {date.text!r}")
        for link in owner.findall(f"{ATOM}link"):
            if not (site / link.get("href", "")).exists():
                problems.append(f"link {link.get('href')} leads nowhere")
    entries = feed.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    if len(set(ids)) != len(ids) or not all(i.startswith("urn:uuid:") for i in ids):
        problems.append(f"identifiers {ids}")
    for entry in entries:
        alternates = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel") == "alternate"
        ]
        if len(alternates) != 1:
            problems.append("an entry without one alternate link")
    return problems
