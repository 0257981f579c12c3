"""Trust boundaries: an issue folder or a layout from someone else runs no code
and reads nothing outside the folders a build may read."""

from __future__ import annotations

import http.server
import shutil
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import pytest
from conftest import MINIMAL_EDITION, NEWS_WITH_IMAGE, ROOT, SAMPLE
from PIL import Image

import emn_pdf
from emn_pdf.issue.errors import UserError
from emn_pdf.layout import layouts
from emn_pdf.machinery import fetch
from emn_pdf.machinery.fetch import BuildFetcher, RefusedResource


def hostile_layout(tmp_path: Path, template: str = "", css: str = "") -> Path:
    """A copy of the bulletin layout with ``template`` as its issue.html.j2."""
    folder = tmp_path / "hostile"
    shutil.copytree(ROOT / "layouts" / "bulletin", folder)
    if template:
        (folder / "issue.html.j2").write_text(template)
    if css:
        (folder / "style.css").write_text(css)
    return folder


def with_first_stylesheet(folder: Path, name: str) -> None:
    """Make ``name`` the first stylesheet of the layout in ``folder``."""
    theme = folder / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    theme.write_text(text.replace("stylesheets: [", f"stylesheets: [{name}, ", 1))


def problems_of(action: Callable[[], object]) -> str:
    with pytest.raises(UserError) as raised:
        action()
    return "\n".join(str(problem) for problem in raised.value.problems)


# Templates run sandboxed ------------------------------------------------------

ESCAPES = [
    "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ edition.__class__.__init__.__globals__ }}",
    "{{ edition.masthead.__dict__ }}",
    "{% set x = labels.update({'a': 1}) %}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_template_cannot_reach_python(tmp_path: Path, template: str) -> None:
    marker = tmp_path / "marker"
    folder = hostile_layout(tmp_path, template.replace("MARKER", str(marker)))
    message = problems_of(
        lambda: emn_pdf.check(SAMPLE, lang="fr", layout=str(folder), lay_out=False)
    )
    assert "hostile/issue.html.j2:1: template error:" in message
    assert not marker.exists()


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ('{% extends "issue.html.j2" %}', "RecursionError"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("{{ range(10 ** 9) | list }}", "OverflowError"),
    ],
)
def test_a_template_runtime_error_is_located(
    tmp_path: Path, template: str, error: str
) -> None:
    folder = hostile_layout(tmp_path, template)
    message = problems_of(
        lambda: emn_pdf.check(SAMPLE, lang="fr", layout=str(folder), lay_out=False)
    )
    assert f"issue.html.j2:1: template error: {error}" in message


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../../../etc/passwd"])
def test_a_template_cannot_include_a_file_outside(tmp_path: Path, name: str) -> None:
    folder = hostile_layout(tmp_path, f'{{% include "{name}" %}}')
    message = problems_of(
        lambda: emn_pdf.check(SAMPLE, lang="fr", layout=str(folder), lay_out=False)
    )
    assert "template error" in message and "root:" not in message


def test_a_symlinked_template_leading_outside_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    folder = hostile_layout(tmp_path, '{% include "blocks/secret.html.j2" %}')
    (folder / "blocks").mkdir(exist_ok=True)
    (folder / "blocks" / "secret.html.j2").symlink_to(secret)
    message = problems_of(
        lambda: emn_pdf.check(SAMPLE, lang="fr", layout=str(folder), lay_out=False)
    )
    searched = f"{folder.resolve()}, {layouts.find_layout('emn').folder}"
    assert (
        f"no template 'blocks/secret.html.j2' inside the layout folders ({searched})"
        in message
    )


# Layout files stay inside the layout ----------------------------------------


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../../etc/passwd"])
def test_a_theme_cannot_name_a_stylesheet_outside(tmp_path: Path, name: str) -> None:
    folder = hostile_layout(tmp_path)
    with_first_stylesheet(folder, name)
    message = problems_of(lambda: layouts.find_layout(str(folder)))
    assert "not found inside the layout folders" in message


def test_a_symlinked_stylesheet_leading_outside_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body::before { content: 'TOP SECRET'; }")
    folder = hostile_layout(tmp_path)
    with_first_stylesheet(folder, "extra.css")
    (folder / "extra.css").symlink_to(secret)
    message = problems_of(lambda: layouts.find_layout(str(folder)))
    assert "'extra.css', named in theme.yaml, not found inside" in message


def test_a_css_import_of_a_symlink_leading_outside_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body::before { content: 'TOP SECRET'; }")
    folder = hostile_layout(tmp_path, css='@import "more.css";\n')
    (folder / "more.css").symlink_to(secret)
    message = problems_of(
        lambda: emn_pdf.build(
            SAMPLE, lang="fr", layout=str(folder), out_dir=tmp_path / "out"
        )
    )
    assert "outside the issue, layout and font folders" in message


# An issue names a layout only by a built-in name -------------------------------


@pytest.mark.parametrize("name", ["./hostile", "../hostile", "/ABSOLUTE", "hostile"])
def test_an_issue_cannot_name_a_layout_folder(
    make_issue: Callable[..., Path], tmp_path: Path, name: str
) -> None:
    marker = tmp_path / "marker"
    issue = make_issue(f"layout: {name}\n" + MINIMAL_EDITION)
    for folder in (issue / "hostile", issue.parent / "hostile", tmp_path / "hostile"):
        if not folder.exists():
            shutil.copytree(ROOT / "layouts" / "bulletin", folder)
            (folder / "issue.html.j2").write_text(
                f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
            )
    name = name.replace("/ABSOLUTE", str(tmp_path / "hostile"))
    (issue / "fr.yaml").write_text(f"layout: {name}\n" + MINIMAL_EDITION)
    message = problems_of(lambda: emn_pdf.check(issue, lay_out=False))
    assert f"fr.yaml:1 layout: unknown layout {name!r}" in message
    assert not marker.exists()


def test_a_layout_extending_itself_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", shipped)
    theme = shipped / "bulletin" / "theme.yaml"
    theme.write_text(theme.read_text().replace("extends: emn", "extends: bulletin"))
    real = layouts.package_data
    monkeypatch.setattr(
        layouts,
        "package_data",
        lambda name: shipped if name == "layouts" else real(name),
    )
    message = problems_of(lambda: layouts.find_layout("bulletin"))
    assert "bulletin/theme.yaml extends: a layout cannot extend itself" in message


# Every byte through the fetcher's checks ------------------------------------------


def bomb_png(path: Path) -> None:
    """A small PNG file of 144 megapixels."""
    Image.new("1", (12_000, 12_000)).save(path, optimize=True)


def svg_embedding(href: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30">'
        f'<image xlink:href="{href}" width="40" height="30"/></svg>'
    )


@pytest.mark.parametrize("href", ["bomb.png", "bomb.css", "../../outside.png"])
def test_a_picture_inside_an_svg_gets_the_picture_checks(
    make_issue: Callable[..., Path], tmp_path: Path, href: str
) -> None:
    issue = make_issue(NEWS_WITH_IMAGE.replace("SRC", "images/clean.svg"))
    bomb_png(issue / "images" / "bomb.png")
    shutil.copy(issue / "images" / "bomb.png", issue / "images" / "bomb.css")
    Image.new("RGB", (4, 4)).save(issue.parent / "outside.png")
    (issue / "images" / "clean.svg").write_text(svg_embedding(href))
    message = problems_of(lambda: emn_pdf.build(issue, out_dir=tmp_path / "out"))
    assert f"fr.yaml:7 sections.0.blocks.0.image.src: images/clean.svg: {href}:" in (
        message
    )
    assert not (tmp_path / "out" / "2025-03-fr-web.pdf").exists()


def test_a_refusal_while_drawing_an_svg_stops_the_build(tmp_path: Path) -> None:
    fetcher = BuildFetcher([tmp_path])
    (tmp_path / "a.svg").write_text(svg_embedding("file:///etc/hostname"))
    with pytest.raises(RefusedResource, match="outside the issue"):
        fetcher.fetch((tmp_path / "a.svg").as_uri())
    assert fetcher.refused


@pytest.mark.parametrize(
    "src",
    [
        "data:image/png;base64,iVBORw0KGgo=",
        "file:images/planted.png",
        "file:///etc/passwd.png",
        "images/planted.png?x=.png",
        "images/planted.png#.png",
        "images/%2e%2e/planted.png",
    ],
)
def test_an_src_is_a_relative_path_or_a_web_address(
    make_issue: Callable[..., Path], src: str
) -> None:
    issue = make_issue(NEWS_WITH_IMAGE.replace("SRC", src))
    (issue / "images" / "file:images").mkdir()
    Image.new("RGB", (4, 4)).save(issue / "images" / "planted.png")
    message = problems_of(lambda: emn_pdf.check(issue, lay_out=False))
    assert f"{src!r} must be a path inside the issue folder" in message


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Answers with a picture one byte at a time, slowly."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        with suppress(OSError):  # the client hangs up
            for _ in range(40):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


def test_a_download_has_a_deadline_for_the_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(fetch, "REMOTE_TIMEOUT", 1)
    started = time.monotonic()
    try:
        with pytest.raises(RefusedResource, match="not downloaded within 1 s"):
            BuildFetcher([tmp_path], allow_remote=True).fetch(
                f"http://127.0.0.1:{server.server_port}/slow.png"
            )
    finally:
        server.shutdown()
    assert time.monotonic() - started < 3
