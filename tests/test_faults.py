"""Faults: whatever the system or the input does, a located message, exit 2,
no traceback, no stray process and no temporary file left behind."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import hostile
import pdfcheck
import pytest
from conftest import MINIMAL_EDITION, NEWS_WITH_IMAGE, ROOT, SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from typer.testing import CliRunner

import emn_pdf
from emn_pdf import edition, steps
from emn_pdf.cli import app
from emn_pdf.engine import pdf
from emn_pdf.engine.pdf import lay_out
from emn_pdf.issue import pictures
from emn_pdf.issue.errors import Finding, UserError
from emn_pdf.layout import layouts, render
from emn_pdf.layout.text import typeset
from emn_pdf.machinery import cache, files, workers
from emn_pdf.machinery.fetch import web_raster
from emn_pdf.machinery.jobs import Job
from emn_pdf.machinery.workers import Limits
from emn_pdf.output import finish
from emn_pdf.steps import MEASURED

runner = CliRunner()
EMN_PDF = str(Path(sys.executable).parent / "emn-pdf")


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stderr


# Edition files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: os.symlink("/dev/zero", path), "fr.yaml: not a regular file"),
        (lambda path: os.mkfifo(path), "fr.yaml: not a regular file"),
        (
            lambda path: path.write_text("a: 1\n" * 300_000),
            "fr.yaml: larger than 1024 KiB",
        ),
    ],
    ids=["dev-zero", "fifo", "large"],
)
def test_an_edition_must_be_a_small_regular_file(
    make_issue: Callable[..., Path], make: Callable[[Path], None], message: str
) -> None:
    issue = make_issue()
    (issue / "fr.yaml").unlink()
    make(issue / "fr.yaml")
    code, stderr = cli("check", str(issue), "--quick")
    assert code == 2 and message in stderr


def test_an_edition_linked_outside_the_issue_is_not_read(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    outside = tmp_path / "secret.yaml"
    outside.write_text(MINIMAL_EDITION)
    (issue / "fr.yaml").unlink()
    (issue / "fr.yaml").symlink_to(outside)
    code, stderr = cli("check", str(issue), "--quick")
    assert code == 2 and "fr.yaml: a link to a file outside the issue folder" in stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_edition_is_named(make_issue: Callable[..., Path]) -> None:
    issue = make_issue()
    (issue / "fr.yaml").chmod(0)
    code, stderr = cli("check", str(issue), "--quick")
    assert code == 2 and "fr.yaml: cannot be read: Permission denied" in stderr


def test_an_integer_of_thousands_of_digits_is_located(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue(MINIMAL_EDITION.replace("number: 7", "number: " + "9" * 5000))
    code, stderr = cli("check", str(issue), "--quick")
    assert code == 2 and "fr.yaml:4: invalid number" in stderr


@pytest.mark.parametrize(
    "case", [hostile.CONTROL_CHARACTER, hostile.FOREIGN_DIGITS], ids=str
)
def test_characters_yaml_or_css_refuse_are_located(
    case: hostile.Case, tmp_path: Path
) -> None:
    """A control character (after two-byte letters), and digits of another script."""
    assert hostile.run(case, tmp_path).violations == []


# Outputs ---------------------------------------------------------------------


def test_build_exits_with_an_error_when_preflight_finds_one(tmp_path: Path) -> None:
    """An E101 overflow: the PDF is written, to look at, and the build fails."""
    outcome = hostile.run(hostile.PREFLIGHT_ERROR, tmp_path)
    assert outcome.violations == []
    assert "out of its column" in outcome.stderr
    assert (tmp_path / "out" / "2025-03-fr-web.pdf").is_file()


def test_an_output_folder_that_is_a_file_is_named(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder")
    code, stderr = cli("build", str(make_issue()), "-o", str(out))
    assert code == 2 and "out" in stderr and "Traceback" not in stderr


def test_an_output_that_is_a_folder_is_named(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "out" / "2025-03-fr-web.pdf").mkdir(parents=True)
    code, stderr = cli("build", str(make_issue()), "-o", str(tmp_path / "out"))
    assert code == 2 and "Is a directory" in stderr
    assert not list((tmp_path / "out").glob(".*.part"))


def test_a_full_disk_is_a_message_and_leaves_no_temporary_file(
    make_issue: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "out"))

    monkeypatch.setattr(finish, "_save", full)
    code, stderr = cli("build", str(make_issue()), "-o", str(tmp_path / "out"))
    assert code == 2 and "No space left on device" in stderr
    assert not list((tmp_path / "out").glob(".*.part"))


@pytest.mark.parametrize(
    "case",
    [hostile.FULL_DISK_COVER, hostile.FULL_DISK_CACHE, hostile.FULL_DISK_PREVIEW],
    ids=str,
)
def test_a_full_disk_fails_a_job_only_before_its_files_are_published(
    case: hostile.Case, tmp_path: Path
) -> None:
    """The cover: nothing replaced; the cache, the files published: a warning."""
    assert hostile.run(case, tmp_path).violations == []


def test_an_interrupted_build_publishes_an_editions_files_together_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted while the cover is written, the new PDF written already."""
    issue = hostile.built_then_edited(tmp_path)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(finish, "write_cover", interrupted)
    with pytest.raises(KeyboardInterrupt):
        emn_pdf.build(issue, out_dir=tmp_path / "out", jobs=1)
    assert hostile.outputs_as_before(tmp_path) == []


def test_a_signal_while_outputs_are_renamed_waits_for_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C between the renames of a PDF and its cover acts after both."""
    targets = [tmp_path / "web.pdf", tmp_path / "cover.png"]
    replace = Path.replace

    def interrupted_once(path: Path, target: Path) -> Path:
        if not interrupted:
            interrupted.append(path)
            os.kill(os.getpid(), signal.SIGINT)
        return replace(path, target)

    interrupted: list[Path] = []
    previous = signal.signal(signal.SIGINT, workers._interrupt)
    monkeypatch.setattr(files, "_INTERRUPTED", threading.Event())
    monkeypatch.setattr(Path, "replace", interrupted_once)
    try:
        with (
            pytest.raises(KeyboardInterrupt),
            files.atomic_outputs(*targets) as partials,
        ):
            for partial in partials:
                partial.write_text("new")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert interrupted and [target.read_text() for target in targets] == ["new"] * 2


def test_a_fault_in_one_edition_does_not_stop_the_others(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    (issue / "en.yaml").write_text(
        MINIMAL_EDITION.replace("language: fr", "language: en"), encoding="utf-8"
    )
    (tmp_path / "out" / "2025-03-fr-web.pdf").mkdir(parents=True)
    reports: list[emn_pdf.BuildReport] = []
    with pytest.raises(UserError, match="Is a directory"):
        emn_pdf.build(issue, out_dir=tmp_path / "out", jobs=2, on_built=reports.append)
    assert [report.language for report in reports if report.path] == ["en"]


def test_stale_temporary_files_are_swept(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = out / f".2025-03-fr-web.pdf.{dead}.abc123.part"
    live = out / f".2025-03-fr-web.pdf.{os.getpid()}.def456.part"
    stale.write_text("half a PDF")
    live.write_text("another build's")
    emn_pdf.build(make_issue(), out_dir=out)
    assert not stale.exists() and live.exists()


@pytest.mark.lays_out
def test_killing_a_parallel_build_leaves_no_worker_and_no_temporary_file(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Killed while a worker writes the print PDF (a second or two of a small issue)."""
    out = tmp_path / "out"
    build = subprocess.Popen(
        [EMN_PDF, "build", str(make_issue()), "--target", "all",
         "--jobs", "2", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (parts := list(out.glob(".*.part"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert parts, "the build wrote no temporary file"
    children = _descendants(build.pid)
    assert children, "the build started no worker"
    build.kill()
    build.wait()
    # A worker notices its parent gone within two checks, then removes its
    # file; on a loaded machine that takes longer than on an idle one.
    deadline = time.monotonic() + 2 * workers.PARENT_CHECK + 15
    while time.monotonic() < deadline and (
        any(_alive(pid) for pid in children) or list(out.glob(".*.part"))
    ):
        time.sleep(0.1)
    assert [pid for pid in children if _alive(pid)] == []
    assert not list(out.glob(".*.part"))


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found += [int(entry.name), *_descendants(int(entry.name))]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.lays_out
def test_sigterm_removes_the_temporary_files(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Stopped while it writes the print PDF, in its own process (one job)."""
    out = tmp_path / "out"
    build = subprocess.Popen(
        [EMN_PDF, "build", str(make_issue()), "--target", "print",
         "--jobs", "1", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (parts := list(out.glob(".*.part"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert parts, "the build wrote no temporary file"
    build.send_signal(signal.SIGTERM)
    assert build.wait(timeout=30) != 0  # stopped, not finished
    assert list(out.iterdir()) == []  # no temporary file, no PDF a picture short


def test_an_edition_has_a_deadline(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Located at the edition, wherever the alarm rings: in a built-in
    layout's template too (a foreign template's line is named, see
    test_trust)."""
    with pytest.raises(
        UserError, match=r"fr\.yaml: laying out took longer than 0\.01 s"
    ):
        emn_pdf.build(
            make_issue(), out_dir=tmp_path / "out", jobs=1, limits=Limits(seconds=0.01)
        )


def test_time_spent_in_a_built_in_template_is_the_editions(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The alarm ringing while emn's own template sets text names the edition,
    not the template's line: only a foreign template is to blame for time."""

    def slow_typeset(*args: object, **kwargs: object) -> object:
        time.sleep(3)
        return typeset(*args, **kwargs)

    monkeypatch.setattr(render, "typeset", slow_typeset)
    render._environment_of.cache_clear()  # its filters are taken when made
    try:
        with pytest.raises(
            UserError, match=r"fr\.yaml: laying out took longer than 1 s"
        ):
            emn_pdf.check(make_issue(), lay_out=False, limits=Limits(seconds=1))
    finally:
        monkeypatch.undo()
        render._environment_of.cache_clear()


def test_a_picture_is_decoded_once_however_often_it_is_shown(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = "".join(
        f"          - {{src: images/one.png, alt: Image {n}.}}\n" for n in range(50)
    )
    issue = make_issue(MINIMAL_EDITION + "        images:\n" + shown)
    Image.new("RGB", (40, 30)).save(issue / "images" / "one.png")
    decoded: list[str] = []
    check_raster = pictures._check_raster
    monkeypatch.setattr(
        pictures,
        "_check_raster",
        lambda name, *rest: decoded.append(name) or check_raster(name, *rest),
    )
    emn_pdf.check(issue, lay_out=False)
    assert decoded == ["one.png"]


def test_a_photo_is_converted_once_however_many_renders_a_build_makes(
    make_issue: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Page makeup lays the edition out several times (the page grid, the
    galley, the pages): the photo is read and encoded for the web once."""
    issue = make_issue(NEWS_WITH_IMAGE.replace("SRC", "images/photo.jpg"))
    Image.new("RGB", (600, 400), "teal").save(issue / "images" / "photo.jpg")
    converted: list[int] = []
    renders: list[str] = []
    monkeypatch.setattr(
        pdf, "web_raster", lambda data: converted.append(len(data)) or web_raster(data)
    )
    monkeypatch.setattr(
        steps,
        "lay_out",
        lambda html, **options: renders.append(html) or lay_out(html, **options),
    )
    monkeypatch.setattr(MEASURED, "measures", {})  # measured afresh
    monkeypatch.setattr(MEASURED, "grids", {})
    emn_pdf.build(issue, out_dir=tmp_path / "out", jobs=1)
    assert len(renders) >= 3
    assert len(converted) == 1
    shown = pdfcheck.raster_images(tmp_path / "out" / "2025-03-fr-web.pdf")
    assert [image["width"] / image["height"] for image in shown] == [1.5]


@pytest.mark.parametrize("command", ["build", "check"])
def test_picture_checks_run_within_the_time_limit(
    make_issue: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """A check slower than the limit is stopped by it, the first time it runs."""
    issue = make_issue(NEWS_WITH_IMAGE.replace("SRC", "images/slow.png"))
    Image.new("RGB", (40, 30)).save(issue / "images" / "slow.png")
    finished: list[str] = []

    def slow(name: str, *rest: object) -> None:
        time.sleep(3)
        finished.append(name)

    monkeypatch.setattr(pictures, "_check_raster", slow)
    limits = Limits(seconds=1)
    with pytest.raises(UserError, match=r"fr\.yaml: laying out took longer than 1 s"):
        if command == "build":
            emn_pdf.build(issue, out_dir=tmp_path / "out", jobs=1, limits=limits)
        else:
            emn_pdf.check(issue, lay_out=False, limits=limits)
    assert finished == []


@pytest.mark.engine_warnings
def test_a_huge_picture_shown_many_times_stops_at_the_time_limit(
    tmp_path: Path,
) -> None:
    """60 megapixels shown 2,000 times: decoded once, the build stopped at 5 s.

    On a loaded machine the time limit may ring while the engine loads the
    picture: it logs that it failed to load it, and the limit stops the build
    when it rings again (the run's violations are what counts here)."""
    assert hostile.run(hostile.HUGE_PICTURE_MANY_TIMES, tmp_path).violations == []


def test_the_limits_are_said_and_may_be_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page limit names the edition file; both limits are options."""
    out = tmp_path / "out"
    refused = runner.invoke(
        app, ["build", str(SAMPLE), "-l", "fr", "--max-pages", "2", "-o", str(out)]
    )
    assert refused.exit_code == 2
    assert "fr.yaml: the edition has 4 pages, more than the limit of 2" in (
        refused.stderr
    )
    assert "--max-pages allows more" in refused.stderr
    assert not list(out.glob("*.pdf"))
    monkeypatch.setattr(MEASURED, "measures", {})  # measured afresh: seconds
    monkeypatch.setattr(MEASURED, "grids", {})
    timed = runner.invoke(
        app, ["check", str(SAMPLE), "-l", "fr", "--time-limit", "1", "--max-pages", "4"]
    )
    assert timed.exit_code == 2
    assert "fr.yaml: laying out took longer than 1 s" in timed.stderr
    assert "--time-limit allows more" in timed.stderr


# Themes ----------------------------------------------------------------------


def theme_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "theme"
    shutil.copytree(ROOT / "layouts" / "emn", folder)
    theme = (folder / "theme.yaml").read_text()
    assert old in theme
    (folder / "theme.yaml").write_text(theme.replace(old, new, 1))
    return folder


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("size: A4 portrait", "size: 1mm 1mm", "leaves less than 20 mm"),
        ("size: A4 portrait", "size: huge", "not a paper name or two lengths"),
        ("body_size: 8.8pt", "body_size: 0pt", "body_size must be larger than zero"),
        (
            "color_profile: icc/ISOcoated_v2_300_bas.icc",
            "color_profile: base.css",
            "base.css: not an ICC profile",
        ),
    ],
)
def test_theme_mistakes_are_named(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        layouts.find_layout(str(theme_with(tmp_path, old, new)))


def test_a_font_that_is_not_a_font_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "theme"
    shutil.copytree(ROOT / "layouts" / "emn", folder)
    (folder / "fonts" / "inter").mkdir(parents=True)
    (folder / "fonts" / "inter" / "Inter-Regular.otf").write_text("not a font")
    with pytest.raises(UserError, match=r"Inter-Regular\.otf: not a font file"):
        layouts.find_layout(str(folder))


THEME_LINES = (ROOT / "layouts" / "emn" / "theme.yaml").read_text().splitlines()


@settings(deadline=None, max_examples=60)
@given(
    index=st.integers(0, len(THEME_LINES) - 1),
    replacement=st.sampled_from(
        ["", "0mm", "1mm 1mm", "-3", "x: [", "/etc/passwd", "../..", "9" * 5000, "é"]
    ),
)
def test_any_theme_mistake_is_a_user_error(index: int, replacement: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        theme = Path(folder) / "mine"
        shutil.copytree(ROOT / "layouts" / "emn", theme)
        lines = list(THEME_LINES)
        key, _, _ = lines[index].partition(":")
        lines[index] = f"{key}: {replacement}" if key.strip() else replacement
        (theme / "theme.yaml").write_text("\n".join(lines))
        try:
            layouts.find_layout(str(theme))
        except UserError as error:
            assert error.problems


@settings(deadline=None, max_examples=5)
@given(
    error=st.sampled_from(
        [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.ENAMETOOLONG, errno.EISDIR]
    )
)
def test_any_os_error_while_writing_is_a_message(error: int) -> None:
    import tempfile

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(error, os.strerror(error), "somewhere")

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as m:
        issue = Path(folder) / "issues" / "2025-03"
        issue.mkdir(parents=True)
        (issue / "fr.yaml").write_text(MINIMAL_EDITION, encoding="utf-8")
        m.setattr(finish, "finish_web", failing)
        with pytest.raises(UserError) as raised:
            emn_pdf.build(issue, out_dir=folder, force=True)
        assert os.strerror(error) in str(raised.value)
        assert not list(Path(folder).glob(".*.part"))


# The cache -------------------------------------------------------------------


def test_a_same_size_edit_with_its_time_set_back_is_rebuilt(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    edition = issue / "fr.yaml"
    emn_pdf.build(issue, out_dir=tmp_path / "out")
    status = edition.stat()
    edition.write_text(edition.read_text().replace("Une nouvelle", "Une nouvelli"))
    os.utime(edition, ns=(status.st_atime_ns, status.st_mtime_ns))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, out_dir=tmp_path / "out", on_built=reports.append)
    assert not reports[0].cached


def test_a_picture_inside_an_svg_is_part_of_the_cache_key(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """The cache keys on what the engine read, not only on what the edition names."""
    issue = make_issue(NEWS_WITH_IMAGE.replace("SRC", "images/framed.svg"))
    (issue / "images" / "framed.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30">'
        '<image xlink:href="inner.png" width="40" height="30"/></svg>'
    )
    inner = issue / "images" / "inner.png"
    Image.new("RGB", (40, 30), "red").save(inner)
    out = tmp_path / "out"
    emn_pdf.build(issue, out_dir=out)
    entry = json.loads((out / cache.CACHE_DIR / "2025-03-fr-web.json").read_text())
    assert entry["read"] == ["images/framed.svg", "images/inner.png"]

    def cached() -> bool:
        reports: list[emn_pdf.BuildReport] = []
        emn_pdf.build(issue, out_dir=out, on_built=reports.append)
        return reports[0].cached

    assert cached()
    Image.new("RGB", (40, 30), "blue").save(inner)
    assert not cached()
    assert cached()
    inner.unlink()
    with pytest.raises(UserError, match=r"inner\.png"):
        cached()


def test_a_crafted_cache_entry_is_not_believed(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    issue = make_issue()
    out = tmp_path / "out"
    emn_pdf.build(issue, out_dir=out)
    entry = out / cache.CACHE_DIR / "2025-03-fr-web.json"
    (tmp_path / "other.pdf").write_bytes(b"%PDF-1.7 not ours")
    text = entry.read_text().replace('"2025-03-fr-web.pdf"', '"../other.pdf"')
    entry.write_text(text)
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, out_dir=out, on_built=reports.append)
    assert not reports[0].cached and reports[0].path == out / "2025-03-fr-web.pdf"


def test_a_damaged_cache_entry_is_discarded_with_a_warning(tmp_path: Path) -> None:
    """Built again, once: the next build finds the new entry."""
    outcome = hostile.run(hostile.DAMAGED_CACHE_ENTRY, tmp_path)
    assert outcome.violations == []
    reports: list[emn_pdf.BuildReport] = []
    issue = tmp_path / "issues" / "2025-03"
    emn_pdf.build(issue, out_dir=tmp_path / "out", on_built=reports.append)
    assert reports[0].cached and reports[0].warnings == []


ENTRY_FIELDS = [field.name for field in dataclasses.fields(cache.Entry)]
FINDING_FIELDS = ["code", "message", "file", "line", "field", "edition", "page"]
MISSING = "(missing)"
ODD_VALUES = [None, True, 7, 1.5, "x", "", [], {}, [1], ["x"], {"x": 1}, [{}], MISSING]


@settings(deadline=None, max_examples=300)
@given(
    field=st.sampled_from(
        ENTRY_FIELDS + [f"finding.{name}" for name in FINDING_FIELDS]
    ),
    value=st.sampled_from(ODD_VALUES),
)
def test_a_cache_entry_is_believed_only_if_it_can_be_reported(
    field: str, value: object
) -> None:
    """Any value in any field: the entry is refused, or its report prints."""
    import tempfile

    entry = {
        "key": "k", "outputs": {"2025-03-fr-web.pdf": "d"}, "pages": 1,
        "warnings": [], "findings": [Finding("W102", "alone").as_json()],
    }  # fmt: skip
    holder, _, name = field.rpartition(".")
    fields = entry["findings"][0] if holder else entry  # type: ignore[index]
    fields[name] = value
    if value == MISSING:
        del fields[name]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        (out / "2025-03-fr-web.pdf").write_bytes(b"%PDF")
        (out / cache.CACHE_DIR).mkdir()
        (out / cache.CACHE_DIR / "2025-03-fr-web.json").write_text(json.dumps(entry))
        job = Job(out, "fr", "web", None, out, False, False, None, Limits())
        believed = cache._entry(out, "2025-03-fr-web")
        if believed is None:
            assert cache.discard_damaged(out, "2025-03-fr-web") is not None
            return
        report = cache.report(job, believed, 0.0)
        printed = [f"{finding.severity}: {finding}" for finding in report.findings]
        assert len(printed) == len(believed.findings)
        assert all(isinstance(warning, str) for warning in report.warnings)
        assert cache.discard_damaged(out, "2025-03-fr-web") is None


@pytest.mark.parametrize("files, folders", [(["/dev/zero"], []), ([], ["/proc"])])
def test_a_crafted_quick_key_reads_no_device_and_walks_no_folder(
    make_issue: Callable[..., Path],
    tmp_path: Path,
    files: list[str],
    folders: list[str],
) -> None:
    """An entry naming a device to read or a folder to walk is not followed."""
    issue, out = make_issue(), tmp_path / "out"
    emn_pdf.build(issue, out_dir=out)
    entry = out / cache.CACHE_DIR / "2025-03-fr-web.json"
    crafted = json.loads(entry.read_text()) | {"files": files, "folders": folders}
    entry.write_text(json.dumps(crafted))
    reports: list[emn_pdf.BuildReport] = []
    emn_pdf.build(issue, out_dir=out, on_built=reports.append)
    assert reports[0].cached  # the full check, on the files the edition names


def test_a_file_touched_is_checked_in_full_then_quickly_again(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    """Touched without a change, the outputs stand, and the quick key is renewed."""
    issue, out = make_issue(), tmp_path / "out"
    entry_path = out / cache.CACHE_DIR / "2025-03-fr-web.json"

    def cached() -> bool:
        reports: list[emn_pdf.BuildReport] = []
        emn_pdf.build(issue, out_dir=out, on_built=reports.append)
        return reports[0].cached

    assert not cached()
    quick = json.loads(entry_path.read_text())["quick"]
    (issue / "fr.yaml").touch()
    assert cached()
    assert json.loads(entry_path.read_text())["quick"] not in {"", quick}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(edition, "cache_key", None)  # the full check would fail
        assert cached()


def test_the_quick_key_sees_a_file_added_to_a_layout_folder(tmp_path: Path) -> None:
    (tmp_path / "theme.yaml").write_text("name: x\n")
    before = cache.quick_key([tmp_path / "theme.yaml"], [tmp_path], ["web"])
    assert cache.quick_key([tmp_path / "theme.yaml"], [tmp_path], ["web"]) == before
    (tmp_path / "extra.css").write_text("")
    assert cache.quick_key([tmp_path / "theme.yaml"], [tmp_path], ["web"]) != before
    assert cache.quick_key([tmp_path / "theme.yaml"], [tmp_path], ["print"]) != before
