"""Hostile or broken input, lost work, reproducibility and the build cache."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import hostile
import pytest
import webserver
from conftest import MINIMAL_EDITION, NEWS_WITH_IMAGE, SAMPLE
from pdfcheck import body_text, metadata, normalise
from PIL import Image

import emn_pdf
from emn_pdf.build import _expected_seconds
from emn_pdf.engine import pdf
from emn_pdf.issue import pictures
from emn_pdf.issue.errors import UserError
from emn_pdf.machinery import remote
from emn_pdf.machinery.fetch import BuildFetcher, RefusedResource
from emn_pdf.machinery.jobs import Job
from emn_pdf.machinery.workers import DEFAULT_LIMITS
from emn_pdf.output import finish


def issue_with_image(make_issue: Callable[..., Path], src: str) -> Path:
    return make_issue(NEWS_WITH_IMAGE.replace("SRC", src))


def image_problem(issue: Path) -> str:
    with pytest.raises(UserError) as raised:
        emn_pdf.check(issue)
    (problem,) = raised.value.problems
    assert problem.line == 7 and problem.field == "sections.0.blocks.0.image.src"
    return problem.message


# Reading only what a build may read ------------------------------------------


def test_a_symlink_leaving_the_issue_is_refused(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = issue_with_image(make_issue, "images/outside.png")
    secret = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(secret)
    (issue / "images" / "outside.png").symlink_to(secret)
    assert (
        image_problem(issue)
        == "'images/outside.png' is a link to a file outside the issue folder"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "outside the issue, layout and font folders"),
        ("file://{root}/../outside.css", "outside the issue, layout and font folders"),
        ("https://example.org/style.css", "remote resources need --allow-remote"),
        ("http://example.org/x.png", "remote resources are downloaded over https only"),
        ("ftp://example.org/x.png", "ftp address not allowed"),
        ("data:text/css," + "a" * 70_000, "inline data larger than 65536 characters"),
    ],
)
def test_the_fetcher_refuses_what_lies_outside(
    tmp_path: Path, url: str, reason: str
) -> None:
    fetcher = BuildFetcher([tmp_path])
    with pytest.raises(RefusedResource) as raised:
        fetcher.fetch(url.format(root=tmp_path))
    assert raised.value.reason == reason


def test_the_fetcher_serves_files_inside_and_small_data(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("p {}")
    fetcher = BuildFetcher([tmp_path])
    assert fetcher.fetch((tmp_path / "a.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_a_remote_picture_needs_permission_and_names_its_block(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = issue_with_image(make_issue, "https://example.org/photo.png")
    with pytest.raises(UserError) as raised:
        emn_pdf.build(issue, out_dir=tmp_path / "out")
    (problem,) = raised.value.problems
    assert str(problem).endswith(
        "fr.yaml:7 sections.0.blocks.0.image.src: https://example.org/photo.png: remote resources need --allow-remote"
    )


@pytest.fixture
def picture_server() -> Iterator[webserver.Server]:
    """A picture server of the tests' own: a PNG, an SVG drawing two, a huge file.

    The SVG names one of its pictures with accents (été.png).
    """
    routes = {
        "/photo.png": webserver.answer(webserver.png((400, 200))),
        "/%C3%A9t%C3%A9.png": webserver.answer(webserver.png()),  # été.png
        "/framed.svg": webserver.answer(
            hostile.svg_embedding("a.png")
            .replace("</svg>", '<image href="été.png" width="9" height="9"/></svg>')
            .encode(),
            "image/svg+xml",
        ),
        "/a.png": webserver.answer(webserver.png()),
        "/huge.png": webserver.answer(b"x" * (remote.MAX_REMOTE_BYTES + 10)),
    }
    with webserver.serving(routes) as server:
        yield server


def test_remote_pictures_are_downloaded_once_per_build(
    make_issue: Callable[..., Path], tmp_path: Path, picture_server: webserver.Server
) -> None:
    """Whatever the renders of page makeup, a picture and an SVG's parts included."""
    issue = issue_with_image(make_issue, f"{picture_server.url}/framed.svg")
    text = (issue / "fr.yaml").read_text()
    photo = f'        images: [{{src: "{picture_server.url}/photo.png", alt: x}}]\n'
    (issue / "fr.yaml").write_text(text + photo)
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(
        issue, out_dir=tmp_path / "out", allow_remote=True, on_built=reports.append
    )
    assert reports[0].path is not None and reports[0].path.is_file()
    assert picture_server.requests == {
        "/framed.svg": 1, "/a.png": 1, "/%C3%A9t%C3%A9.png": 1, "/photo.png": 1,
    }  # fmt: skip


def test_an_oversized_remote_picture_is_refused(
    make_issue: Callable[..., Path], tmp_path: Path, picture_server: webserver.Server
) -> None:
    issue = issue_with_image(make_issue, f"{picture_server.url}/huge.png")
    with pytest.raises(UserError, match=r"huge\.png: larger than 10 MiB"):
        emn_pdf.build(issue, out_dir=tmp_path / "out", allow_remote=True)


# Text cannot become markup ---------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "<style>body { display: none }</style>",
    "<iframe src=https://example.org></iframe>",
    "<img src=file:///etc/passwd>",
    "x { background: url(file:///etc/passwd) }",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_printed_as_text(
    make_issue: Callable[..., Path], tmp_path: Path, payload: str
) -> None:
    quoted = payload.replace('"', '\\"')
    issue = make_issue(
        f"""\
        masthead: {{organisation: "{quoted}", title: "{quoted}", number: 1, date: 2025-03-20, language: fr}}
        sections:
          - heading: "{quoted}"
            blocks:
              - kind: news
                title: "{quoted}"
                body: "{quoted}"
        """
    )
    (pdf,) = emn_pdf.build(issue, out_dir=tmp_path / "out")
    # Printed, in capitals or across lines, in every one of the five fields.
    assert normalise(body_text(pdf)).count(normalise(payload)) == 5


# Bounded input ---------------------------------------------------------------


def test_an_oversized_yaml_file_is_refused(make_issue: Callable[..., Path]) -> None:
    issue = make_issue("# " + "x" * (1024 * 1024) + "\n")
    with pytest.raises(UserError, match=r"fr\.yaml: larger than 1024 KiB"):
        emn_pdf.check(issue)


@pytest.mark.parametrize(
    "case", [hostile.LONG_LINK, hostile.LONG_LINK_IN_TEXT], ids=str
)
def test_a_link_too_long_for_a_qr_code_is_located(
    case: hostile.Case, tmp_path: Path
) -> None:
    """An error at validation, at its field, not a print build blaming the layout."""
    assert hostile.run(case, tmp_path).violations == []


def test_an_oversized_picture_is_refused(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pictures, "MAX_PICTURE_BYTES", 1000)
    issue = issue_with_image(make_issue, "images/forecasting.png")
    (issue / "images" / "forecasting.png").write_bytes(
        (SAMPLE / "images" / "forecasting.png").read_bytes()
    )
    assert image_problem(issue) == "forecasting.png is 0 MB, more than 0 MiB"


def test_a_decompression_bomb_is_refused(make_issue: Callable[..., Path]) -> None:
    issue = issue_with_image(make_issue, "images/bomb.png")
    Image.new("1", (10_000, 10_000)).save(issue / "images" / "bomb.png")
    assert image_problem(issue) == "bomb.png is too large once decoded"


def test_a_picture_of_too_many_pixels_is_refused(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pictures, "MAX_PIXELS", 1000)
    issue = issue_with_image(make_issue, "images/big.png")
    Image.new("RGB", (100, 100)).save(issue / "images" / "big.png")
    assert image_problem(issue) == "big.png has 0 megapixels, more than 0"


def test_a_truncated_picture_is_refused(make_issue: Callable[..., Path]) -> None:
    issue = issue_with_image(make_issue, "images/cut.png")
    data = (SAMPLE / "images" / "forecasting.png").read_bytes()
    (issue / "images" / "cut.png").write_bytes(data[: len(data) // 2])
    assert image_problem(issue).startswith("cut.png is damaged or truncated")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.png",
            b"these are not pixels",
            "notes.png is not a picture Pillow can read",
        ),
        ("photo.png", "JPEG", "photo.png is a JPEG file, not PNG as its name says"),
        ("drawing.svg", b"<html>not svg</html>", "drawing.svg is not an SVG picture"),
        (
            "laughs.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>',
            "laughs.svg declares XML entities, which are not allowed",
        ),
        (
            "cut.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>half',
            "cut.svg is not well-formed SVG: Premature end of data in tag text"
            " line 1, line 1, column 51",
        ),
    ],
)
def test_a_picture_that_is_not_what_it_says_is_refused(
    make_issue: Callable[..., Path], name: str, content: bytes | str, message: str
) -> None:
    issue = issue_with_image(make_issue, f"images/{name}")
    if content == "JPEG":
        Image.new("RGB", (8, 8)).save(issue / "images" / name, "JPEG")
    else:
        (issue / "images" / name).write_bytes(content)  # type: ignore[arg-type]
    assert image_problem(issue) == message


# No lost work ----------------------------------------------------------------


def test_a_build_failing_while_writing_keeps_the_previous_pdf(
    make_issue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue, out = make_issue(), tmp_path / "out"
    (pdf,) = emn_pdf.build(issue, out_dir=out)
    before = pdf.read_bytes()

    def crash(path: Path, descriptions: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(finish, "finish_web", crash)
    with pytest.raises(UserError, match="RuntimeError: disk full"):
        emn_pdf.build(issue, out_dir=out, force=True, jobs=1)
    assert pdf.read_bytes() == before
    assert not [path for path in out.iterdir() if path.suffix == ".part"]


def test_build_never_writes_into_the_issues_folder(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue()
    with pytest.raises(UserError, match="the output folder must not be inside"):
        emn_pdf.build(issue, out_dir=issue.parent / "other")


# Reproducible output and the cache -------------------------------------------


def digests(paths: list[Path]) -> dict[str, str]:
    """Return each output's digest by name (a web edition's folder as a whole)."""
    return {path.name: hostile._digest(path) for path in paths}


def test_two_builds_give_identical_bytes(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Twice, and from a copy of the issue folder elsewhere: the same bytes."""
    issue = make_issue(
        NEWS_WITH_IMAGE.replace("SRC", "images/forecasting.png"),
        images=("forecasting.png",),
    )
    copy = tmp_path / "elsewhere" / "deeper" / issue.name
    shutil.copytree(issue, copy)
    # The first build parses the colour profile, the others reuse the parse
    # (LittleCMS wrote a profile out differently once its tags were read).
    pdf._STYLES.clear()
    files = []
    for run, folder in (("one", issue), ("two", issue), ("copy", copy)):
        emn_pdf.build(folder, target="all", out_dir=tmp_path / run, jobs=1)
        files.append(digests(sorted((tmp_path / run).glob("2025-*"))))
    assert files[0] == files[1] == files[2]
    assert set(files[0]) == {
        "2025-03-fr-web.pdf",
        "2025-03-fr-print.pdf",
        "2025-03-fr-cover.png",
        "2025-03-fr-html",
        "2025-03-fr-email",
    }


def test_a_layouts_pictures_give_the_same_bytes_wherever_it_is(
    tmp_path: Path,
) -> None:
    """A raster picture of a layout, the layout copied to another folder."""
    pdf._STYLES.clear()
    assert hostile.run(hostile.LAYOUT_ELSEWHERE, tmp_path).violations == []
    assert len(list((tmp_path / "out").glob("2025-*"))) == 5  # 3 PDF files, 2 folders


def test_unchanged_inputs_are_not_rebuilt(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    reports: list[emn_pdf.BuildReport] = []
    for _ in range(2):
        emn_pdf.build(issue, out_dir=tmp_path, on_built=reports.append)
    assert [report.cached for report in reports] == [False, True]
    assert reports[1].pages == reports[0].pages
    emn_pdf.build(issue, out_dir=tmp_path, force=True, on_built=reports.append)
    (issue / "fr.yaml").write_text(
        (issue / "fr.yaml").read_text().replace("Un paragraphe", "Un texte")
    )
    emn_pdf.build(issue, out_dir=tmp_path, on_built=reports.append)
    assert [report.cached for report in reports[2:]] == [False, False]


def test_workers_take_the_longest_jobs_first(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """The order is by what each job took last time; a print job never built first."""
    issue = make_issue()
    jobs = [
        Job(issue, "fr", target, None, tmp_path, False, False, None, DEFAULT_LIMITS)
        for target in ("web", "print")
    ]
    assert [_expected_seconds(job) for job in jobs] == [1.0, 1.3]
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, target="web", out_dir=tmp_path, on_built=reports.append)
    assert _expected_seconds(jobs[0]) == reports[0].seconds > 0


def test_a_changed_output_is_rebuilt(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    (pdf,) = emn_pdf.build(issue, out_dir=tmp_path)
    pdf.write_bytes(b"tampered")
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, out_dir=tmp_path, on_built=reports.append)
    assert not reports[0].cached
    assert pdf.read_bytes().startswith(b"%PDF")


def test_source_date_epoch_sets_the_modification_date(
    make_issue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    (pdf,) = emn_pdf.build(make_issue(), out_dir=tmp_path, jobs=1)
    info = metadata(pdf)
    assert info["ModDate"].startswith("D:20250101000000")
    assert info["CreationDate"].startswith("D:20250320")  # the issue date


@pytest.mark.parametrize("body", ["-", ">", "1.", "Un paragraphe.\n\n-\n\nUn autre."])
def test_empty_markdown_constructs_build(
    make_issue: Callable[..., Path], tmp_path: Path, body: str
) -> None:
    """An empty list item, quotation or numbered item is set, not a crash."""
    issue = make_issue(
        MINIMAL_EDITION.replace("body: Un paragraphe.", f"body: {body!r}")
    )
    (pdf_path,) = emn_pdf.build(issue, out_dir=tmp_path / "out")
    assert "Une nouvelle" in body_text(pdf_path)
