"""How fast emn-pdf builds the sample issue, against the engine's own floor.

Plain Python, no timing assertions: run it, read the table.

    .venv/bin/python benchmarks/bench_build.py [--runs 5] [--makeup]

(a) WeasyPrint alone: our final HTML and stylesheets straight to PDF with
    the target's options and WeasyPrint's own URL fetcher (the engine floor);
(a') the same through emn-pdf's layout stage (our fetcher, which hands the
    engine pictures already re-encoded for the target);
(b) emn_pdf.build of the same edition and target, in this process;
(c) the cold CLI process for one edition (imports included), and for --help;
(d) every edition and target, with one worker process and with the default;
(e) a second build with unchanged inputs (the cache), in process and as a CLI;
(f) the French print edition, and the same issue with a 6000×4000 camera photo
    (the print target must take at most twice as long, and stay under 5 MB);
(g) page makeup: measuring, placing and the final render against one render
    of the made-up pages (a''), both measured cold (no measure or parsed
    stylesheet kept from a previous run); copyfitting to 3 pages, cold; a
    rebuild after a one-word edit, with the measures of the previous build
    kept as ``watch`` keeps them, against the same render written to PDF
    (a'''), as the rebuild writes its PDF;
(h) bare WeasyPrint on the final HTML of a build (the made-up pages, with the
    copyfit settings chosen), its stylesheets and options, against our build
    of the same edition: in this process and as cold processes, web and print;
(i) resident memory of this process over --builds in-process builds of the
    French web edition (after five to fill the per-process caches).
Every figure is the median of --runs runs; ``--makeup`` measures (g) alone
(about a minute at 3 runs), to set a change to makeup against the code before
it, the two run in turn; with ``--cpu`` in this process's CPU time, which
other work on a shared machine moves far less than the wall clock.  The same
edition typeset by Typst: ``benchmarks/typst_edition.py`` (``make bench`` runs
both).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

import emn_pdf
from emn_pdf import steps
from emn_pdf.edition import Prepared, prepare
from emn_pdf.engine import pdf
from emn_pdf.engine.pdf import (
    TARGET_OPTIONS,
    color_profile_css,
    font_face_css,
    lay_out,
    theme_css,
)
from emn_pdf.layout.layouts import Page
from emn_pdf.machinery.workers import default_jobs

ROOT = Path(__file__).resolve().parent.parent
ISSUE = (ROOT / "issues" / "2024-12").resolve()
CLI = Path(sys.executable).parent / "emn-pdf"


def median_seconds(
    action: Callable[[], object],
    runs: int,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Run ``action`` once to warm up, then ``runs`` times; return the median.

    Timed by ``clock``: the wall clock, or this process's CPU time.
    """
    action()
    times = []
    for _ in range(runs):
        started = clock()
        action()
        times.append(clock() - started)
    return statistics.median(times)


def cold(action: Callable[[], object]) -> Callable[[], object]:
    """Return ``action`` run with nothing kept from an earlier run.

    Neither engine measures, placements nor parsed stylesheets, which a
    process keeps.
    """

    def run() -> object:
        steps.MEASURED.measures.clear()
        steps.MEASURED.grids.clear()
        steps.MEASURED.placements.clear()
        pdf._STYLES.clear()
        return action()

    return run


def cli(*arguments: str) -> Callable[[], object]:
    command = [str(CLI), "build", str(ISSUE), *arguments]
    return lambda: subprocess.run(command, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--builds", type=int, default=100)
    parser.add_argument("--makeup", action="store_true", help="measure (g) alone")
    parser.add_argument(
        "--cpu", action="store_true", help="with --makeup: CPU time, not wall time"
    )
    arguments = parser.parse_args()
    runs = arguments.runs
    out = Path(tempfile.mkdtemp(prefix="emn-pdf-bench-"))

    item = prepare(ISSUE, "fr", None)
    if arguments.makeup:
        clock = time.process_time if arguments.cpu else time.perf_counter
        page_makeup(item, out, runs, clock).print(runs)
        return
    html = item.html(Page("web"))

    def engine_alone() -> None:
        fonts = FontConfiguration()
        css = [CSS(string=font_face_css(item.layout), font_config=fonts)] + [
            CSS(filename=path, font_config=fonts)
            for path in item.layout.stylesheet_paths("web")
        ]
        HTML(string=html, base_url=ISSUE.as_uri() + "/").write_pdf(
            out / "alone.pdf",
            stylesheets=css,
            font_config=fonts,
            **TARGET_OPTIONS["web"],
        )

    def engine_floor() -> None:
        laid_out = lay_out(html, base_dir=ISSUE, layout=item.layout, target="web")
        laid_out.document.write_pdf(out / "floor.pdf", **TARGET_OPTIONS["web"])

    def library_build() -> None:
        emn_pdf.build(ISSUE, lang="fr", out_dir=out / "lib", force=True, jobs=1)

    rows: list[tuple[str, float]] = []
    a = median_seconds(engine_alone, runs)
    a_ours = median_seconds(engine_floor, runs)
    b = median_seconds(cold(library_build), runs)
    rows += [
        ("(a) WeasyPrint alone, fr web", a),
        ("(a') WeasyPrint through emn_pdf.engine.pdf.lay_out, fr web", a_ours),
        ("(b) emn_pdf.build, fr web", b),
    ]
    c = median_seconds(cli("--lang", "fr", "--force", "-o", str(out / "cli")), runs)
    rows.append(("(c) cold CLI process, fr web", c))
    help_command = [str(CLI), "--help"]
    rows.append(
        (
            "(c) emn-pdf --help, cold process",
            median_seconds(
                lambda: subprocess.run(help_command, check=True, capture_output=True),
                runs,
            ),
        )
    )
    everything = ("--lang", "all", "--target", "all", "--force", "-o", str(out / "all"))
    one = median_seconds(cli(*everything, "--jobs", "1"), runs)
    default = median_seconds(cli(*everything), runs)
    rows += [
        ("(d) all editions and targets, 1 job", one),
        (f"(d) all editions and targets, {default_jobs()} jobs (default)", default),
    ]
    emn_pdf.build(ISSUE, lang="all", target="all", out_dir=out / "cached")

    def cached_build() -> None:
        emn_pdf.build(ISSUE, lang="all", target="all", out_dir=out / "cached")

    rows += [
        (
            "(e) unchanged inputs, all, emn_pdf.build",
            median_seconds(cached_build, runs),
        ),
        (
            "(e) unchanged inputs, all, cold CLI",
            median_seconds(
                cli("--lang", "all", "--target", "all", "-o", str(out / "cached")), runs
            ),
        ),
    ]
    makeup = page_makeup(item, out, runs)
    rows += makeup.rows()
    sample_print, photo_print, size = print_with_photo(out, runs)
    rows += [
        ("(f) emn_pdf.build, fr print", sample_print),
        ("(f) emn_pdf.build, fr print with a 6000×4000 photo", photo_print),
    ]
    bare = bare_engine(item, out, runs)
    print_cli = median_seconds(
        cli("--lang", "fr", "--target", "print", "--force", "-o", str(out / "cp")), runs
    )
    rows += [
        (f"(h) bare WeasyPrint, final HTML, {target}, {how}", seconds)
        for (target, how), seconds in bare.items()
    ]
    rows.append(("(h) cold CLI process, fr print", print_cli))
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  median (s), {runs} runs")
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:6.3f}")
    print(f"{'ratio b/a (target <= 1.10)':<{width}}  {b / a:6.3f}")
    print(f"{'ratio b/a (our own stages only)':<{width}}  {b / a_ours:6.3f}")
    print(
        f"{'speed-up of the default jobs over 1 job':<{width}}  {one / default:6.2f}x"
    )
    print(
        f"{'ratio photo/sample print (target <= 2)':<{width}}  {photo_print / sample_print:6.3f}"
    )
    print(
        f"{'print PDF with the photo (target < 5 MB)':<{width}}  {size / 1e6:6.2f} MB"
    )
    makeup.print_ratios(width)
    ours = {("web", "in process"): b, ("print", "in process"): sample_print}
    ours |= {("web", "cold"): c, ("print", "cold"): print_cli}
    for (target, how), seconds in ours.items():
        label = f"ratio ours/bare WeasyPrint, {target}, {how}"
        print(f"{label:<{width}}  {seconds / bare[target, how]:6.3f}")
    before, after = memory_growth(out, arguments.builds)
    print(
        f"{f'(i) RSS after 5 builds, after {arguments.builds} more (MiB)':<{width}}"
        f"  {before:.1f} -> {after:.1f} ({after - before:+.1f}; target < 5)"
    )
    print(f"outputs in {out}")


@dataclass(frozen=True)
class Makeup:
    """The figures of (g), in seconds (medians), and the copyfit it chose."""

    one_render: float
    one_render_pdf: float
    made_up: float
    copyfit: float
    edited: float
    copyfitted: str

    def rows(self) -> list[tuple[str, float]]:
        """Return the rows (g) adds to the table."""
        return [
            ("(a'') one render of the made-up pages, fr web", self.one_render),
            ("(a''') the same render, written to PDF", self.one_render_pdf),
            ("(g) page makeup and final render, fr web (in process)", self.made_up),
            ("(g) copyfit to 3 pages, fr web (emn_pdf.build)", self.copyfit),
            ("(g) rebuild after a one-word edit, fr web (emn_pdf.build)", self.edited),
        ]

    def print(self, runs: int) -> None:
        """Print (g) alone: its rows and its ratios."""
        width = 56
        print(f"{'measure':<{width}}  median (s), {runs} runs")
        for label, seconds in self.rows():
            print(f"{label:<{width}}  {seconds:6.3f}")
        self.print_ratios(width)

    def print_ratios(self, width: int) -> None:
        """Print the ratios (g) is judged by: against one render of its pages."""
        ratios = [
            ("ratio makeup/one render (target <= 3)", self.made_up / self.one_render),
            (
                "ratio one-word edit/one render to PDF (target <= 1.5)",
                self.edited / self.one_render_pdf,
            ),
            (
                "ratio one-word edit/one render, not written",
                self.edited / self.one_render,
            ),
            ("ratio copyfit/one render (target <= 6)", self.copyfit / self.one_render),
        ]
        for label, ratio in ratios:
            print(f"{label:<{width}}  {ratio:6.3f}")
        print(f"{'copyfit to 3 pages':<{width}}  {self.copyfitted}")


def page_makeup(
    item: Prepared,
    out: Path,
    runs: int,
    clock: Callable[[], float] = time.perf_counter,
) -> Makeup:
    """Time (g): makeup and one render of its pages, copyfit, a one-word rebuild.

    All in this process: timed by ``clock``, CPU time is what the code costs
    on a machine shared with other work, which the wall clock is not.
    """

    def drafting() -> steps.Drafting:
        """Return the drafting a build starts from: no picture loaded yet."""
        return steps.Drafting(item, "web", False, steps.MEASURED)

    made_up = median_seconds(cold(lambda: drafting().draft().finish()), runs, clock)
    pages_html = drafting().draft().finish().makeup.html

    def render_pages(write: bool) -> None:
        laid_out = lay_out(pages_html, base_dir=ISSUE, layout=item.layout, target="web")
        if write:
            laid_out.document.write_pdf(out / "pages.pdf", **TARGET_OPTIONS["web"])

    one_render = median_seconds(cold(lambda: render_pages(False)), runs, clock)
    one_render_pdf = median_seconds(cold(lambda: render_pages(True)), runs, clock)
    copyfitted: list[emn_pdf.BuildReport] = []

    def copyfit_build() -> None:
        copyfitted.clear()
        emn_pdf.build(
            ISSUE,
            lang="fr",
            out_dir=out / "copyfit",
            force=True,
            jobs=1,
            pages=3,
            on_built=copyfitted.append,
        )

    copyfit = median_seconds(cold(copyfit_build), runs, clock)
    edited = median_seconds(one_word_edit(out), runs, clock)
    return Makeup(
        one_render,
        one_render_pdf,
        made_up,
        copyfit,
        edited,
        str(copyfitted[0].copyfit),
    )


#: WeasyPrint alone, in a process of its own: HTML, stylesheets, options.
BARE = """
import json, sys
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
html, base, out, options, *sheets = sys.argv[1:]
fonts, profiles = FontConfiguration(), {}
common = {"font_config": fonts, "color_profiles": profiles}
HTML(filename=html, base_url=base).write_pdf(
    out, stylesheets=[CSS(filename=sheet, **common) for sheet in sheets],
    **common, **json.loads(options),
)
"""


def bare_engine(item: Prepared, out: Path, runs: int) -> dict[tuple[str, str], float]:
    """Time WeasyPrint alone on the final HTML of each target, in process and cold.

    The final HTML is what a build hands the engine last: the made-up pages
    with copyfitting's settings, and for print the designed filler pages.
    """
    times = {}
    for target in ("web", "print"):
        drafting = steps.Drafting(item, target, False, steps.MEASURED)
        _, settings, _, _ = steps._copyfitted(drafting, None)
        folder = out / f"bare-{target}"
        folder.mkdir()
        html = folder / "final.html"
        html.write_text(steps.lay_out_target(item, target, False).makeup.html, "utf-8")
        resources = folder / "resources.css"
        resources.write_text(
            "\n".join(
                [
                    font_face_css(item.layout),
                    color_profile_css(item.layout, target),
                    theme_css(item.layout, target, settings),
                ]
            ),
            "utf-8",
        )
        sheets = [resources, *item.layout.stylesheet_paths(target)]
        arguments = [str(html), ISSUE.as_uri() + "/", str(folder / "bare.pdf")]
        arguments += [json.dumps(TARGET_OPTIONS[target]), *map(str, sheets)]
        command = [sys.executable, "-c", BARE, *arguments]
        times[target, "in process"] = median_seconds(
            lambda arguments=arguments: bare_in_process(arguments), runs
        )
        times[target, "cold"] = median_seconds(
            lambda command=command: subprocess.run(command, check=True), runs
        )
    return times


def bare_in_process(arguments: list[str]) -> None:
    """Run :data:`BARE` in this process, as its own process would."""
    saved = sys.argv
    sys.argv = ["bare", *arguments]
    try:
        exec(BARE, {})
    finally:
        sys.argv = saved


def memory_growth(out: Path, builds: int) -> tuple[float, float]:
    """Return this process's resident memory after 5 builds and after ``builds`` more."""

    def build() -> None:
        emn_pdf.build(ISSUE, lang="fr", out_dir=out / "memory", force=True, jobs=1)

    for _ in range(5):
        build()
    before = resident_mib()
    for _ in range(builds):
        build()
    return before, resident_mib()


def resident_mib() -> float:
    """Return the resident set size of this process, in MiB (Linux)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def one_word_edit(out: Path) -> Callable[[], object]:
    """Return a build of a copy of the sample whose French edition changes a word.

    Each run changes the word again, so that no cache holds the result.
    """
    issue = out / "edited" / ISSUE.name
    shutil.copytree(ISSUE, issue)
    edition = issue / "fr.yaml"
    original = edition.read_text(encoding="utf-8")
    runs = iter(range(1_000_000))

    def build() -> None:
        edition.write_text(
            original.replace("Chères lectrices", f"Chères {next(runs)} lectrices", 1),
            encoding="utf-8",
        )
        emn_pdf.build(issue, lang="fr", out_dir=out / "edited-out", jobs=1)

    return build


def print_with_photo(out: Path, runs: int) -> tuple[float, float, int]:
    """Time the fr print edition with and without a camera photo in its first block."""
    issue = out / "photo-issue" / "2024-12"
    shutil.copytree(ISSUE, issue)
    photo = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((600, 400)),
            Image.effect_noise((600, 400), 60),
            Image.radial_gradient("L").resize((600, 400)),
        ],
    ).resize((6000, 4000), Image.Resampling.BICUBIC)
    photo.save(issue / "images" / "photo.jpg", quality=90)
    edition = issue / "fr.yaml"
    first_image = re.search(r"src: (images/\S+)", edition.read_text()).group(1)
    edition.write_text(edition.read_text().replace(first_image, "images/photo.jpg", 1))

    def build(folder: Path, name: str) -> Callable[[], object]:
        return lambda: emn_pdf.build(
            folder, lang="fr", target="print", out_dir=out / name, force=True, jobs=1
        )

    sample = median_seconds(build(ISSUE, "print"), runs)
    with_photo = median_seconds(build(issue, "photo"), runs)
    return sample, with_photo, (out / "photo" / "2024-12-fr-print.pdf").stat().st_size


if __name__ == "__main__":
    main()
