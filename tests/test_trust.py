"""Trust boundaries: an issue folder or a layout from someone else runs no code
and reads nothing outside the folders a build may read."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import hostile
import pytest
import webserver
from conftest import MINIMAL_EDITION, NEWS_WITH_IMAGE, ROOT, SAMPLE
from PIL import Image
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.cli import app
from emn_pdf.edition import prepare
from emn_pdf.issue.errors import UserError
from emn_pdf.layout import layouts
from emn_pdf.layout.i18n import edition_catalogue
from emn_pdf.layout.layouts import Page
from emn_pdf.layout.plain import SCALARS, Record
from emn_pdf.layout.render import template_context
from emn_pdf.machinery.fetch import BuildFetcher, RefusedResource
from emn_pdf.machinery.remote import Remote
from emn_pdf.machinery.workers import Limits


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


@pytest.mark.parametrize(
    "template", hostile.ESCAPES.values(), ids=hostile.ESCAPES.keys()
)
def test_a_template_cannot_reach_python(tmp_path: Path, template: str) -> None:
    marker = tmp_path / "marker"
    folder = hostile_layout(tmp_path, template.replace("MARKER", str(marker)))
    message = problems_of(
        lambda: emn_pdf.check(
            SAMPLE,
            lang="fr",
            layout=str(folder),
            lay_out=False,
            limits=Limits(seconds=5),
        )
    )
    located = "hostile/issue.html.j2:1: template error:" in message
    timed_out = "fr.yaml: laying out took longer than 5 s" in message
    bomb = template in (hostile.ESCAPES[name] for name in hostile.TIME_BOMBS)
    assert located or (bomb and timed_out), message
    assert "Traceback" not in message
    assert not marker.exists()


@pytest.mark.parametrize("layout", ["emn", "bulletin"])
def test_templates_are_handed_plain_data(layout: str) -> None:
    """Everything a template can name is a record, a list, a dict or a scalar."""
    item = prepare(SAMPLE, "fr", layout)
    catalogue = edition_catalogue(item.loaded, item.layout.catalogue_files("fr"))
    context = template_context(
        item.loaded.edition,
        catalogue,
        "fr",
        Page("print", 2),
        item.layout.theme.filler_cells,
    )
    seen = 0

    def check(value: object) -> None:
        nonlocal seen
        seen += 1
        if isinstance(value, Record):
            value = vars(value)
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list | tuple):
            for item in value:
                check(item)
        else:
            assert isinstance(value, SCALARS), type(value)

    for name, value in context.items():
        if name.isidentifier():
            check(value)
    assert seen > 300


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


def test_a_folder_of_the_working_directory_never_stands_for_a_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contributor's zip unpacked beside the issue holds a folder named emn."""
    marker = tmp_path / "marker"
    shutil.copytree(ROOT / "layouts" / "bulletin", tmp_path / "mine")
    hostile_layout(tmp_path).rename(tmp_path / "emn")
    (tmp_path / "emn" / "issue.html.j2").write_text(
        f"{{{{ edition.parse_raw('{hostile.PICKLE.replace('MARKER', str(marker))}',"
        " proto='pickle', allow_pickle=True) }}"
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for layout in ([], ["--layout", "emn"]):
        result = runner.invoke(app, ["check", str(SAMPLE), "--quick", *layout])
        assert result.exit_code == 0, result.output
    assert not marker.exists()
    result = runner.invoke(app, ["check", str(SAMPLE), "--quick", "--layout", "mine"])
    assert result.exit_code == 2
    assert "unknown layout 'mine'" in result.output
    assert "the folder mine is a layout only given by its path: ./mine" in result.output
    result = runner.invoke(app, ["check", str(SAMPLE), "--quick", "--layout", "./mine"])
    assert result.exit_code == 0, result.output


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


def test_a_fetcher_error_is_a_refusal_naming_the_file(tmp_path: Path) -> None:
    """A ``data:`` address the URL library cannot parse, inside an SVG."""
    assert hostile.run(hostile.SVG_BAD_DATA, tmp_path).violations == []


@pytest.mark.parametrize("case", [hostile.SVG_BMP, hostile.SVG_TIFF], ids=str)
def test_a_bitmap_inside_an_svg_is_checked_as_a_picture(
    case: hostile.Case, tmp_path: Path
) -> None:
    """Of a format pictures may have, decoded whole within the limits."""
    assert hostile.run(case, tmp_path).violations == []


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


# Remote pictures: https to public addresses, one deadline per build ------------


def test_a_remote_picture_is_https_only(tmp_path: Path) -> None:
    """Refused at validation, at its field and line."""
    assert hostile.run(hostile.PLAIN_HTTP_PICTURE, tmp_path).violations == []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1", "localhost", "[::1]", "10.1.2.3", "192.168.1.1", "172.16.0.1",
        "169.254.169.254", "[fe80::1]", "100.64.0.1", "0.0.0.0", "[::ffff:10.0.0.1]",
    ],
)  # fmt: skip
def test_a_download_reaches_no_private_or_local_address(
    tmp_path: Path, host: str
) -> None:
    """Refused before any connection is made."""
    with pytest.raises(RefusedResource, match="is a private or local address"):
        BuildFetcher([tmp_path], remote=Remote()).fetch(f"https://{host}/x.png")


def test_the_cloud_metadata_service_is_out_of_reach(tmp_path: Path) -> None:
    assert hostile.run(hostile.CLOUD_METADATA_PICTURE, tmp_path).violations == []


def test_the_product_refuses_a_server_on_loopback(tmp_path: Path) -> None:
    """The tests' server is reached only through the tests' network."""
    routes = {"/photo.png": webserver.answer(webserver.png())}
    with (
        webserver.serving(routes, reachable=False) as server,
        pytest.raises(RefusedResource, match=r"127\.0\.0\.1 is a private or local"),
    ):
        BuildFetcher([tmp_path], remote=Remote()).fetch(f"{server.url}/photo.png")
    assert server.requests == {}


@pytest.mark.parametrize("case", hostile.REDIRECTS, ids=str)
def test_a_redirect_is_held_to_the_same_rules(
    case: hostile.Case, tmp_path: Path
) -> None:
    """Not to a link-local, private or loopback address, nor away from https."""
    assert hostile.run(case, tmp_path).violations == []


def test_a_download_has_one_deadline_headers_included(tmp_path: Path) -> None:
    """A server sending its headers a byte at a time is cut short at the deadline."""
    assert hostile.run(hostile.TRICKLED_HEADERS, tmp_path).violations == []


def test_a_download_has_a_deadline_for_the_whole(tmp_path: Path) -> None:
    """A body a byte at a time: the socket's timeout alone would never end it."""
    with (
        webserver.serving({"/slow.png": webserver.TRICKLED_BODY}) as server,
        pytest.raises(RefusedResource, match="not downloaded within 1 s"),
    ):
        BuildFetcher([tmp_path], remote=Remote(seconds=1)).fetch(
            f"{server.url}/slow.png"
        )


def test_slow_pictures_inside_an_svg_share_one_deadline(tmp_path: Path) -> None:
    """Fifteen pictures of 1.5 s each, 4 s for all: two come, and no more is asked."""
    assert hostile.run(hostile.SLOW_SUB_PICTURES, tmp_path).violations == []


@pytest.mark.lays_out
@pytest.mark.engine_warnings  # a title's control characters have no glyph
def test_the_hostile_input_run(tmp_path: Path) -> None:
    """Every hostile case, as a stranger would try them: no traceback, no effect.

    The summary line is what ``.venv/bin/python tests/hostile.py`` prints.
    """
    summary = hostile.run_all(tmp_path)
    print(summary.line())
    assert summary.failures() == {}
    assert summary.line().startswith(f"hostile-input run: {len(hostile.CASES)} cases,")
    assert summary.line().endswith(" 0 tracebacks, 0 side effects, 0 violations")
