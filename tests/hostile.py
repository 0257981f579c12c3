"""Hostile inputs as payload folders, for the hostile-input run and the tests.

Each :class:`Case` writes its payload under a folder it is given (an issue, a
layout, a cache entry, a server to download from) and returns the command-line
arguments that run it; with it is said what must hold afterwards: the exit
code, a fragment of the message, no traceback, and no side effect (what
:attr:`Case.side_effects` finds in the folder afterwards).  A case that needs
something of the process (a server, a full disk) enters it on the
``ExitStack`` it is given, which is closed after the run.

:func:`run` runs one case through the command line and returns what went
wrong with it; :data:`CASES` lists them all.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import textwrap
from collections.abc import Callable
from contextlib import ExitStack, chdir
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import webserver
from lxml import html as lxml_html
from PIL import Image
from typer.testing import CliRunner

import emn_pdf
from emn_pdf.cli import app
from emn_pdf.machinery import remote

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2024-12"
ISSUE_ID = "2025-03"

#: A one-block edition; ``BLOCK`` is replaced by the block's fields.
EDITION = """\
masthead: {organisation: EMN, title: Newsletter, number: 1, date: 2025-03-20, language: fr}
sections:
  - blocks:
      - kind: news
        title: Une nouvelle
        body: Texte.
BLOCK"""

Make = Callable[[Path, ExitStack], list[str]]
SideEffects = Callable[[Path], list[str]]


def no_output(folder: Path) -> list[str]:
    """Return the files a refused build left in its output folder."""
    out = folder / "out"
    written = sorted(out.rglob("*")) if out.is_dir() else []
    return [f"{path.relative_to(folder)} written" for path in written if path.is_file()]


def nothing(folder: Path) -> list[str]:
    """Nothing to look for: the run was meant to write what it wrote."""
    return []


@dataclass(frozen=True)
class Case:
    """One hostile input, and what must be true after running it."""

    name: str
    make: Make
    exit_code: int
    message: str  # a fragment of what the command prints on stderr
    side_effects: SideEffects = no_output
    #: Another fragment that will do: a template that takes all the time
    #: allowed may be stopped by the output's limit or the deadline's alarm,
    #: whichever comes first on a loaded machine.
    or_message: str | None = None

    def __str__(self) -> str:
        return self.name


@dataclass
class Outcome:
    """What a run of a case did, and what it should not have."""

    exit_code: int
    stderr: str
    violations: list[str] = field(default_factory=list)


def run(case: Case, folder: Path) -> Outcome:
    """Run ``case`` with its payload under ``folder``; say what went wrong."""
    with ExitStack() as stack:
        arguments = case.make(folder, stack)
        result = CliRunner().invoke(app, arguments)
    outcome = Outcome(result.exit_code, result.stderr)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        outcome.violations.append(f"raised {result.exception!r}")
    if "Traceback" in result.output:
        outcome.violations.append("printed a traceback")
    if "\x1b" in result.output:
        outcome.violations.append("printed a terminal escape")
    if result.exit_code != case.exit_code:
        outcome.violations.append(f"exit {result.exit_code}, not {case.exit_code}")
    said = " ".join(result.stderr.split())
    if not any(
        " ".join(message.split()) in said
        for message in (case.message, case.or_message)
        if message is not None
    ):
        outcome.violations.append(f"no {case.message!r} in: {result.stderr}")
    outcome.violations += case.side_effects(folder)
    return outcome


def write_issue(folder: Path, block: str = "", edition: str = EDITION) -> Path:
    """Write a one-edition issue under ``folder``; ``block`` adds fields to its block."""
    issue = folder / "issues" / ISSUE_ID
    (issue / "images").mkdir(parents=True, exist_ok=True)
    fields = textwrap.indent(textwrap.dedent(block), " " * 8) if block else ""
    (issue / "fr.yaml").write_text(edition.replace("BLOCK", fields), encoding="utf-8")
    return issue


def build(issue: Path, folder: Path, *options: str) -> list[str]:
    """Return the arguments of a build of ``issue`` into ``folder/out``."""
    return ["build", str(issue), "-o", str(folder / "out"), "--jobs", "1", *options]


def check(issue: Path, *options: str) -> list[str]:
    """Return the arguments of a check of ``issue``."""
    return ["check", str(issue), *options]


# Input ------------------------------------------------------------------------


def control_character(folder: Path, stack: ExitStack) -> list[str]:
    """A control character pasted into a title, after text of two-byte letters."""
    issue = write_issue(folder, edition=EDITION.replace("EMN,", "EMN Tést,"))
    text = (issue / "fr.yaml").read_text(encoding="utf-8")
    (issue / "fr.yaml").write_text(text.replace("Une nouvelle", "Une\x01nouvelle"))
    return check(issue, "--quick")


def foreign_digits(folder: Path, stack: ExitStack) -> list[str]:
    """A body size in Arabic-Indic digits, which CSS does not read."""
    issue = write_issue(
        folder, edition='theme: {type: {body_size: "\u0669pt"}}\n' + EDITION
    )
    return check(issue, "--quick")


def overflowing_number(folder: Path, stack: ExitStack) -> list[str]:
    """A number too long for its column: preflight's E101, and the build fails."""
    digits = "1234567890" * 8
    issue = write_issue(folder, edition=EDITION.replace("Texte.", f"Code {digits}."))
    return build(issue, folder)


LONG_ADDRESS = "https://example.org/" + "a" * 5000


def long_link(folder: Path, stack: ExitStack) -> list[str]:
    """A link of 5,000 characters: no QR code holds it."""
    return check(write_issue(folder, f'links: [{{url: "{LONG_ADDRESS}"}}]'), "--quick")


def long_link_in_text(folder: Path, stack: ExitStack) -> list[str]:
    """The same address written in a Markdown body."""
    body = f"Texte, [lien]({LONG_ADDRESS})."
    return check(
        write_issue(folder, edition=EDITION.replace("Texte.", f'"{body}"')), "--quick"
    )


def damaged_cache_entry(folder: Path, stack: ExitStack) -> list[str]:
    """A cache entry whose findings are not findings, left by an earlier build."""
    issue = write_issue(folder)
    emn_pdf.build(issue, out_dir=folder / "out", jobs=1)
    entry = folder / "out" / ".emn-pdf-cache" / f"{ISSUE_ID}-fr-web.json"
    entry.write_text(json.dumps(json.loads(entry.read_text()) | {"findings": [1]}))
    return build(issue, folder)


def svg_embedding(href: str) -> str:
    """Return an SVG picture drawing the picture at ``href``."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30">'
        f'<image xlink:href="{href}" width="40" height="30"/></svg>'
    )


def issue_with_svg(folder: Path, svg: str) -> Path:
    """Write an issue whose block shows ``images/framed.svg``, holding ``svg``."""
    issue = write_issue(folder, "image: {src: images/framed.svg, alt: Une image.}")
    (issue / "images" / "framed.svg").write_text(svg, encoding="utf-8")
    return issue


def svg_with_bad_data(folder: Path, stack: ExitStack) -> list[str]:
    """An SVG drawing ``data:nocomma``, which the URL library cannot read."""
    return build(issue_with_svg(folder, svg_embedding("data:nocomma")), folder)


def svg_with_large_bitmap(image_format: str) -> Make:
    """Return a case: an SVG drawing a 56-megapixel bitmap (7 MB as a file)."""

    def make(folder: Path, stack: ExitStack) -> list[str]:
        name = f"inner.{image_format.lower()}"
        issue = issue_with_svg(folder, svg_embedding(name))
        Image.new("1", (7000, 8000)).save(issue / "images" / name, image_format)
        return build(issue, folder)

    return make


def huge_picture_many_times(folder: Path, stack: ExitStack) -> list[str]:
    """A 60-megapixel PNG shown 2,000 times, with five seconds to build."""
    pictures = "".join(
        f"\n  - {{src: images/huge.png, alt: Image {number}.}}"
        for number in range(2000)
    )
    issue = write_issue(folder, f"images:{pictures}")
    Image.new("RGB", (7745, 7745), "#1d4f91").save(issue / "images" / "huge.png")
    return build(issue, folder, "--time-limit", "5")


# Templates and layouts ----------------------------------------------------------

#: A pickle that runs ``touch MARKER`` when loaded (protocol 0: plain text).
PICKLE = r"cposix\nsystem\np0\n(Vtouch MARKER\np1\ntp2\nRp3\n."
#: Ways out of a template, each of which must be a located template error and
#: leave no side effect: methods of what templates are handed, Python's
#: introspection, filters and format tricks, Jinja's own globals, mutation,
#: and bombs of memory or time.
ESCAPES = {
    "pickle through a model": f"{{{{ edition.parse_raw('{PICKLE}',"
    " proto='pickle', allow_pickle=True) }}",
    "pickle through the labels": f"{{{{ labels.parse_raw('{PICKLE}',"
    " proto='pickle', allow_pickle=True) }}",
    "a file read by a model": "{{ edition.parse_file('/etc/passwd') }}",
    "a file read by the catalogue": "{{ catalogue.parse_file('/etc/passwd') }}",
    "a model's copy": "{{ masthead.model_copy() }}",
    "a model's JSON": "{{ edition.model_validate_json('{}') }}",
    "a block's former method": "{{ edition.sections[0].blocks[0].addresses() }}",
    "a block's schema": "{{ edition.sections[0].blocks[0].schema_json() }}",
    "subclasses of object": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "a model's globals": "{{ edition.__class__.__init__.__globals__ }}",
    "a record's dictionary": "{{ edition.masthead.__dict__ }}",
    "a record's class": "{{ edition.__class__ }}",
    "the attr filter": "{{ edition|attr('__class__') }}",
    "a date's class method": "{{ masthead.date.today() }}",
    "a date's constructor": "{{ masthead.date.fromtimestamp(0) }}",
    "the template's globals": "{{ self.__init__.__globals__ }}",
    "a loop's insides": "{% for x in [1] %}{{ loop._iterator }}{% endfor %}",
    "range's globals": "{{ range.__globals__ }}",
    "lipsum's globals": "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "a format field's class": "{{ '{0.__class__}'.format(edition) }}",
    "a format field's method": "{{ '{0.parse_file}'.format(edition) }}",
    "format_map": "{{ '{x}'.format_map({'x': 1}) }}",
    "joiner's globals": "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "cycler's globals": "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "a namespace": "{% set ns = namespace() %}{% set ns.x = 1 %}{{ ns.x }}",
    "a dictionary made": "{{ dict(a=1) }}",
    "the labels updated": "{% set x = labels.update({'a': 1}) %}",
    "a list appended to": "{% set x = edition.sections.append(1) %}",
    "a dictionary cleared": "{% set x = catalogue.networks.clear() %}",
    "a long range": "{{ range(10 ** 9)|list }}",
    "a huge string": "{{ 'x' * 10 ** 10 }}",
    "a huge list": "{{ [1] * 10 ** 9 }}",
    "a huge power": "{{ 9 ** (10 ** 9) }}",
    "a huge format width": "{{ '%099999999d'|format(1) }}",
    "a string doubled by a macro": "{% macro d(s) %}{{ s }}{{ s }}{% endmacro %}"
    "{% macro f(s, n) %}{% if n %}{{ f(d(s), n - 1) }}{% else %}{{ s|length }}"
    "{% endif %}{% endmacro %}{{ f('x' * 1000, 60) }}",
    "a string doubled by concatenation": "{% macro f(s) %}{{ f(s ~ s) }}"
    "{% endmacro %}{{ f('x' * 1000) }}",
    "loops without end": "{% for a in range(100000) %}{% for b in range(100000) %}"
    "{% endfor %}{% endfor %}",
    "an endless output": "{% for a in range(100000) %}{% for b in range(100000) %}"
    "x{% endfor %}{% endfor %}",
}

#: The escapes that take all the time they are allowed.
TIME_BOMBS = ("loops without end", "an endless output")


def hostile_layout(folder: Path, template: str) -> Path:
    """Copy the bulletin layout to ``folder/hostile`` with ``template`` as its page."""
    layout = folder / "hostile"
    shutil.copytree(ROOT / "layouts" / "bulletin", layout)
    (layout / "issue.html.j2").write_text(template, encoding="utf-8")
    return layout


def template_escape(template: str) -> Make:
    """Return a case: ``template`` as a layout's page, checked within 5 s."""

    def make(folder: Path, stack: ExitStack) -> list[str]:
        layout = hostile_layout(folder, template.replace("MARKER", str(marker(folder))))
        options = ("--lang", "fr", "--quick", "--time-limit", "5")
        return [*check(SAMPLE, *options), "--layout", str(layout)]

    return make


def marker(folder: Path) -> Path:
    """Return the file a payload that escaped would create (its ``MARKER``)."""
    return folder / "marker"


def no_marker(folder: Path) -> list[str]:
    """Return the marker file a payload that ran code would have left."""
    return ["code ran: the marker exists"] if marker(folder).exists() else []


def layout_folder_named_emn(folder: Path, stack: ExitStack) -> list[str]:
    """A contributor's zip unpacked in the working directory holds a folder emn."""
    pickle = PICKLE.replace("MARKER", str(marker(folder)))
    hostile_layout(
        folder, f"{{{{ edition.parse_raw('{pickle}', proto='pickle') }}}}"
    ).rename(folder / "emn")
    stack.enter_context(chdir(folder))
    return check(SAMPLE, "--lang", "fr", "--quick")


def empty_markdown(body: str) -> Make:
    """Return a case: a news block whose body is an empty Markdown construct."""

    def make(folder: Path, stack: ExitStack) -> list[str]:
        issue = write_issue(folder, edition=EDITION.replace("Texte.", f"{body!r}"))
        return build(issue, folder)

    return make


def escapes_in_messages(folder: Path, stack: ExitStack) -> list[str]:
    """A title hiding terminal escapes, a picture whose path reads as Rich markup."""
    title = "Super\\x1b[2J\\x07califragilisticexpialidocious" + "q" * 60
    issue = write_issue(
        folder,
        'image: {src: "images/[/bold]x.png", alt: Une image.}',
        EDITION.replace("Une nouvelle", f'"{title}"'),
    )
    (issue / "images" / "[").mkdir()
    Image.new("RGB", (90, 100)).save(issue / "images" / "[" / "bold]x.png")
    return build(issue, folder, "--target", "print")


# The web page and the e-mail ----------------------------------------------------


def web_template_escape(template: str, target: str) -> Make:
    """Return a case: ``template`` as a layout's web page or e-mail, built."""

    def make(folder: Path, stack: ExitStack) -> list[str]:
        layout = folder / "hostile"
        shutil.copytree(ROOT / "layouts" / "bulletin", layout)
        name = "page.html.j2" if target == "html" else "email.mjml.j2"
        (layout / name).write_text(
            template.replace("MARKER", str(marker(folder))), encoding="utf-8"
        )
        options = ("--lang", "fr", "--target", target, "--layout", str(layout))
        return build(SAMPLE, folder, *options, "--time-limit", "5")

    return make


#: Markup a layout's template may not write into a page or a message readers
#: open, besides the sandbox's escapes: code, and what loads another page.
CODE_IN_TEMPLATES = {
    "a script": "<html><body><script>alert(1)</script></body></html>",
    "an event attribute": '<html><body><p onclick="alert(1)">x</p></body></html>',
    "a javascript: address": '<html><body><a href="javascript:alert(1)">x</a></body></html>',
    "a frame": '<html><body><iframe src="https://example.org/"></iframe></body></html>',
    "a refresh": '<html><head><meta http-equiv="refresh" content="0"></head></html>',
}


def hostile_text_on_the_web(folder: Path, stack: ExitStack) -> list[str]:
    """Markup and script typed in every kind of text field, built for the web."""
    issue = write_issue(
        folder,
        'links: [{url: "https://example.org/?q=<script>", label: "<script>x</script>"}]',
        EDITION.replace("Une nouvelle", '"</title><script>alert(1)</script>"').replace(
            "Texte.", '"<img src=x onerror=alert(2)> [a](javascript:alert(3))"'
        ),
    )
    return build(issue, folder, "--target", "html")


def no_script_written(folder: Path) -> list[str]:
    """Return the scripts, handlers and javascript: addresses the web page holds."""
    page = folder / "out" / f"{ISSUE_ID}-fr-html" / "index.html"
    if not page.is_file():
        return ["no web page"]
    root = lxml_html.document_fromstring(page.read_text(encoding="utf-8"))
    found = [f"the web page holds <{e.tag}>" for e in root.iter("script", "img")]
    found += [
        f"the web page holds {name}"
        for element in root.iter()
        for name, value in element.items()
        if name.startswith("on") or value.startswith("javascript")
    ]
    return found


def svg_with_script(folder: Path, stack: ExitStack) -> list[str]:
    """An SVG picture with a script, an event and a tracking picture, on the web."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"'
        ' onload="alert(1)"><script>alert(2)</script>'
        '<image href="https://example.org/t.png" width="1" height="1"/></svg>'
    )
    return build(issue_with_svg(folder, svg), folder, "--target", "html")


def svg_served_clean(folder: Path) -> list[str]:
    """Return what of the SVG's code the web page's copy of it kept."""
    pictures = folder / "out" / f"{ISSUE_ID}-fr-html" / "assets" / "pictures"
    served = "".join(path.read_text() for path in pictures.glob("*.svg"))
    if not served:
        return ["no SVG served"]
    return [
        f"the SVG kept {word}"
        for word in ("script", "onload", "example.org")
        if word in served
    ]


# Outputs ------------------------------------------------------------------------


def full_disk(stack: ExitStack, owner: object, name: str, written: str) -> None:
    """Make ``owner.name`` fail as a full disk does when it writes ``written``."""
    patch = stack.enter_context(pytest.MonkeyPatch.context())
    real = getattr(owner, name)

    def full(*args: object, **kwargs: object) -> object:
        for arg in args:
            if written in str(arg):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(arg))
        return real(*args, **kwargs)

    patch.setattr(owner, name, full)


def built_then_edited(folder: Path) -> Path:
    """Build an issue into ``folder/out``, keep its files' digests, then edit it."""
    issue = write_issue(folder)
    emn_pdf.build(issue, out_dir=folder / "out", jobs=1)
    digests = {path.name: _digest(path) for path in (folder / "out").glob("2025-*")}
    (folder / "before.json").write_text(json.dumps(digests))
    edition = issue / "fr.yaml"
    edition.write_text(edition.read_text().replace("Texte.", "Un autre texte."))
    return issue


def _digest(path: Path) -> str:
    """Return the digest of a file, or of a folder's files and their names."""
    if not path.is_dir():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for file in sorted(item for item in path.rglob("*") if item.is_file()):
        digest.update(f"{file.relative_to(path)}\0{_digest(file)}\0".encode())
    return digest.hexdigest()


def outputs_as_before(folder: Path) -> list[str]:
    """Return the outputs that changed since :func:`built_then_edited`, and leftovers."""
    before = json.loads((folder / "before.json").read_text())
    out = folder / "out"
    found = [
        f"{name} replaced"
        for name, digest in before.items()
        if _digest(out / name) != digest
    ]
    return found + [f"{path.name} left" for path in out.glob(".*.part")]


def full_disk_writing_the_cover(folder: Path, stack: ExitStack) -> list[str]:
    """The disk fills up while the cover is written, the new PDF written already."""
    issue = built_then_edited(folder)
    full_disk(stack, Image.Image, "save", "cover.png")
    return build(issue, folder)


def full_disk_writing_the_cache(folder: Path, stack: ExitStack) -> list[str]:
    """The disk fills up once the files are published, as the cache is written."""
    issue = built_then_edited(folder)
    full_disk(stack, Path, "write_text", ".emn-pdf-cache")
    return build(issue, folder)


def full_disk_writing_a_contact_sheet(folder: Path, stack: ExitStack) -> list[str]:
    """The disk fills up while ``preview`` writes its contact sheet."""
    issue = write_issue(folder)
    full_disk(stack, Image.Image, "save", "-sheet.png")
    return ["preview", str(issue), "-t", "web", "-o", str(folder / "out")]


def no_sheet(folder: Path) -> list[str]:
    """Return the contact sheet and temporary files a failed preview left."""
    out = folder / "out"
    return [
        f"{path.name} left" for path in [*out.glob("*-sheet.png"), *out.glob(".*.part")]
    ]


def layout_with_a_raster_picture(folder: Path) -> Path:
    """Copy the emn layout to ``folder``, with a PNG behind its masthead."""
    shutil.copytree(ROOT / "layouts" / "emn", folder)
    Image.new("RGB", (60, 40), "#884422").save(folder / "paper.png")
    with (folder / "style.css").open("a", encoding="utf-8") as css:
        css.write(".masthead { background-image: url(paper.png); }\n")
    return folder


def layout_elsewhere(folder: Path, stack: ExitStack) -> list[str]:
    """A layout with a raster picture, built from two folders: the same bytes."""
    issue = write_issue(folder)
    first = layout_with_a_raster_picture(folder / "a" / "mine")
    emn_pdf.build(
        issue, layout=str(first), target="all", out_dir=folder / "first", jobs=1
    )
    second = folder / "deeper" / "still" / "mine"
    shutil.copytree(first, second)
    return build(issue, folder, "--layout", str(second), "--target", "all")


def bytes_as_from_the_first_folder(folder: Path) -> list[str]:
    """Return the files whose bytes differ from the first build's."""
    return [
        f"{path.name} differs"
        for path in sorted((folder / "first").glob("2025-*"))
        if _digest(path) != _digest(folder / "out" / path.name)
    ]


# Remote pictures ----------------------------------------------------------------


def remote_picture(folder: Path, src: str, *options: str) -> list[str]:
    """Return the arguments of a build of an issue showing the picture at ``src``."""
    issue = write_issue(folder, f'image: {{src: "{src}", alt: Une image.}}')
    return build(issue, folder, "--allow-remote", *options)


def plain_http_picture(folder: Path, stack: ExitStack) -> list[str]:
    """A picture at an http:// address: downloads are over https only."""
    issue = write_issue(folder, 'image: {src: "http://example.org/photo.png", alt: x}')
    return check(issue, "--quick")


def cloud_metadata_picture(folder: Path, stack: ExitStack) -> list[str]:
    """A picture at the address of a cloud's metadata service."""
    return remote_picture(folder, "https://169.254.169.254/latest/meta-data/x.png")


def seconds_for_downloads(stack: ExitStack, seconds: float) -> None:
    """Give the downloads of a build ``seconds`` while the case runs."""
    patch = stack.enter_context(pytest.MonkeyPatch.context())
    patch.setattr(remote, "REMOTE_SECONDS", seconds)


def served_picture(
    routes: dict[str, webserver.Route], path: str, seconds: float = 1
) -> Make:
    """Return a case: a picture served by ``routes`` at ``path``, downloaded.

    The downloads of the build have ``seconds``.
    """

    def make(folder: Path, stack: ExitStack) -> list[str]:
        seconds_for_downloads(stack, seconds)
        server = stack.enter_context(webserver.serving(routes))
        stack.callback(_write_requests, folder, server)
        return remote_picture(folder, server.url + path)

    return make


def _write_requests(folder: Path, server: webserver.Server) -> None:
    (folder / "requests.json").write_text(json.dumps(dict(server.requests)))


def requested_once_each(most: int) -> SideEffects:
    """Return a check that the server was asked for each path once, ``most`` in all."""

    def side_effects(folder: Path) -> list[str]:
        requests = json.loads((folder / "requests.json").read_text())
        found = [
            f"{path} downloaded {n} times" for path, n in requests.items() if n > 1
        ]
        if sum(requests.values()) > most:
            found.append(f"{sum(requests.values())} downloads, more than {most}")
        return found + no_output(folder)

    return side_effects


SLOW_PICTURES = 15
#: A remote SVG drawing fifteen pictures of the same server, each 1.5 s slow:
#: with 4 s for all downloads, two come, the third is cut short.
SLOW_ROUTES: dict[str, webserver.Route] = {
    "/framed.svg": webserver.answer(
        "".join(
            svg_embedding(f"slow/{n}.png").partition("</svg>")[0]
            for n in range(SLOW_PICTURES)
        ).encode()
        + b"</svg>" * SLOW_PICTURES,  # each nested drawing closed: well-formed
        "image/svg+xml",
    ),
    **{
        f"/slow/{n}.png": webserver.answer(webserver.png(), delay=1.5)
        for n in range(SLOW_PICTURES)
    },
}


CONTROL_CHARACTER = Case(
    "control character in the YAML",
    control_character,
    2,
    "fr.yaml:5: invalid YAML: control characters are not allowed (U+0001)",
)
FOREIGN_DIGITS = Case(
    "length in Arabic-Indic digits",
    foreign_digits,
    2,
    "fr.yaml:1 theme.type.body_size: '\u0669pt' is not a length",
)
PREFLIGHT_ERROR = Case(
    "build with a preflight error",
    overflowing_number,
    2,
    "E101",
    nothing,  # the files are written, to look at
)
LONG_LINK = Case(
    "link too long for a QR code",
    long_link,
    2,
    "fr.yaml:7 sections.0.blocks.0.links.0.url: an address of 5020 bytes",
)
LONG_LINK_IN_TEXT = Case(
    "link in text too long for a QR code",
    long_link_in_text,
    2,
    "fr.yaml:6 sections.0.blocks.0.body: an address of 5020 bytes",
)
DAMAGED_CACHE_ENTRY = Case(
    "damaged cache entry",
    damaged_cache_entry,
    0,
    "is damaged: discarded, built again",
    nothing,
)
SVG_BAD_DATA = Case(
    "SVG drawing a data: address the URL library cannot read",
    svg_with_bad_data,
    2,
    "fr.yaml:7 sections.0.blocks.0.image.src: images/framed.svg: data:nocomma:"
    " not a valid data: address",
)
SVG_BMP = Case(
    "SVG drawing a 7000x8000 BMP",
    svg_with_large_bitmap("BMP"),
    2,
    "images/framed.svg: inner.bmp: inner.bmp is a BMP file; a picture is one of",
)
SVG_TIFF = Case(
    "SVG drawing a 7000x8000 TIFF",
    svg_with_large_bitmap("TIFF"),
    2,
    "images/framed.svg: inner.tiff: inner.tiff is a TIFF file; a picture is one of",
)
HUGE_PICTURE_MANY_TIMES = Case(
    "60-megapixel picture shown 2,000 times, --time-limit 5",
    huge_picture_many_times,
    2,
    "fr.yaml: laying out took longer than 5 s",
)
PLAIN_HTTP_PICTURE = Case(
    "picture at an http:// address",
    plain_http_picture,
    2,
    "fr.yaml:7 sections.0.blocks.0.image.src: 'http://example.org/photo.png':"
    " pictures are downloaded over https only",
)
CLOUD_METADATA_PICTURE = Case(
    "picture at the cloud metadata address",
    cloud_metadata_picture,
    2,
    "image.src: https://169.254.169.254/latest/meta-data/x.png: 169.254.169.254 is"
    " a private or local address",
)
TRICKLED_HEADERS = Case(
    "server sending its headers a byte at a time",
    served_picture({"/photo.png": webserver.TRICKLED_HEADERS}, "/photo.png"),
    2,
    "photo.png: not downloaded within 1 s",
    requested_once_each(1),
)
REDIRECTS = [
    Case(
        f"redirect to {target}",
        served_picture({"/photo.png": webserver.redirect(target)}, "/photo.png"),
        2,
        f"photo.png: redirected to {target}: {reason}",
        requested_once_each(1),
    )
    for target, reason in [
        ("https://169.254.169.254/x.png", "169.254.169.254 is a private or local"),
        ("https://10.0.0.1/x.png", "10.0.0.1 is a private or local address"),
        ("ftp://example.org/x.png", "not an https:// address"),
        ("http://127.0.0.1/x.png", "not an https:// address"),
    ]
]
SLOW_SUB_PICTURES = Case(
    "remote SVG drawing 15 slow remote pictures",
    served_picture(SLOW_ROUTES, "/framed.svg", seconds=4),
    2,
    "not downloaded within 4 s, the time all the remote pictures of a build have",
    requested_once_each(4),
)
FULL_DISK_COVER = Case(
    "full disk while the cover is written",
    full_disk_writing_the_cover,
    2,
    "No space left on device",
    outputs_as_before,
)
FULL_DISK_CACHE = Case(
    "full disk while the cache is written, the files published",
    full_disk_writing_the_cache,
    0,
    "the build cache is not written (the next build is slower)",
    nothing,
)
FULL_DISK_PREVIEW = Case(
    "full disk while preview writes its contact sheet",
    full_disk_writing_a_contact_sheet,
    2,
    "-sheet.png: No space left on device",
    no_sheet,
)
LAYOUT_ELSEWHERE = Case(
    "layout with a raster picture, from another folder",
    layout_elsewhere,
    0,
    "",
    bytes_as_from_the_first_folder,
)

TEMPLATE_ESCAPES = [
    Case(
        f"template: {name}",
        template_escape(template),
        2,
        "hostile/issue.html.j2:1: template error:",
        no_marker,
        "fr.yaml: laying out took longer than 5 s" if name in TIME_BOMBS else None,
    )
    for name, template in ESCAPES.items()
]
LAYOUT_FOLDER_NAMED_EMN = Case(
    "a folder named emn in the working directory",
    layout_folder_named_emn,
    0,
    "",
    no_marker,
)
EMPTY_MARKDOWN = [
    Case(f"a body of {body!r} alone", empty_markdown(body), 0, "", nothing)
    for body in ["-", ">", "1."]
]
ESCAPES_IN_MESSAGES = Case(
    "terminal escapes and Rich markup in what messages quote",
    escapes_in_messages,
    2,  # E101: the title is too long for its column
    "E101 “Super\\x1b[2J\\x07cali",
    nothing,
)

WEB_TEMPLATE_ESCAPES = [
    Case(
        f"{target} template: {name}",
        web_template_escape(template, target),
        2,
        f"hostile/{'page.html.j2' if target == 'html' else 'email.mjml.j2'}:1: template error:",
        no_marker,
    )
    for target in ("html", "email")
    for name, template in list(ESCAPES.items())[:4]
]
CODE_IN_WEB_TEMPLATES = [
    Case(
        f"{target} template writing {name}",
        web_template_escape(template, target),
        2,
        "a layout writes markup, never code",
    )
    for target in ("html",)
    for name, template in CODE_IN_TEMPLATES.items()
]
HOSTILE_TEXT_ON_THE_WEB = Case(
    "markup and script typed in text, on the web page",
    hostile_text_on_the_web,
    0,
    "",
    no_script_written,
)
SVG_WITH_SCRIPT = Case(
    "SVG with a script, an event and a tracking picture, on the web page",
    svg_with_script,
    0,
    "",
    svg_served_clean,
)

#: Every case, for the hostile-input run.
CASES: list[Case] = [
    *TEMPLATE_ESCAPES,
    LAYOUT_FOLDER_NAMED_EMN,
    *EMPTY_MARKDOWN,
    ESCAPES_IN_MESSAGES,
    CONTROL_CHARACTER,
    FOREIGN_DIGITS,
    PREFLIGHT_ERROR,
    LONG_LINK,
    LONG_LINK_IN_TEXT,
    DAMAGED_CACHE_ENTRY,
    SVG_BAD_DATA,
    SVG_BMP,
    SVG_TIFF,
    HUGE_PICTURE_MANY_TIMES,
    PLAIN_HTTP_PICTURE,
    CLOUD_METADATA_PICTURE,
    TRICKLED_HEADERS,
    *REDIRECTS,
    SLOW_SUB_PICTURES,
    FULL_DISK_COVER,
    FULL_DISK_CACHE,
    FULL_DISK_PREVIEW,
    LAYOUT_ELSEWHERE,
    *WEB_TEMPLATE_ESCAPES,
    *CODE_IN_WEB_TEMPLATES,
    HOSTILE_TEXT_ON_THE_WEB,
    SVG_WITH_SCRIPT,
]


@dataclass(frozen=True)
class Summary:
    """What the hostile-input run found, case by case."""

    outcomes: dict[str, Outcome]

    def line(self) -> str:
        """Return the run's summary: cases, tracebacks, side effects, violations."""
        violations = [
            v for outcome in self.outcomes.values() for v in outcome.violations
        ]
        tracebacks = sum("traceback" in v or v.startswith("raised") for v in violations)
        effects = sum(_is_side_effect(v) for v in violations)
        return (
            f"hostile-input run: {len(self.outcomes)} cases, {tracebacks} tracebacks,"
            f" {effects} side effects, {len(violations)} violations"
        )

    def failures(self) -> dict[str, list[str]]:
        """Return the violations of each case that has any."""
        return {name: o.violations for name, o in self.outcomes.items() if o.violations}


def _is_side_effect(violation: str) -> bool:
    """Tell a side effect (a file left, code run, a download repeated) from a miss."""
    return not violation.startswith(("raised", "printed", "exit", "no "))


def run_all(folder: Path, cases: list[Case] = CASES) -> Summary:
    """Run every case, each with its payload in a folder of its own under ``folder``."""
    return Summary(
        {case.name: run(case, folder / f"case-{n}") for n, case in enumerate(cases)}
    )


if __name__ == "__main__":  # .venv/bin/python tests/hostile.py
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        summary = run_all(Path(scratch))
    for name, violations in summary.failures().items():
        print(f"{name}: {'; '.join(violations)}")
    print(summary.line())
    sys.exit(1 if summary.failures() else 0)
