"""The sample edition typeset by Typst, against emn-pdf: same words, other engine.

    .venv/bin/python benchmarks/typst_edition.py [--runs 5]

Needs ``typst>=0.15`` (PyPI) in the venv.  The French edition of
``issues/2024-12`` is read by emn-pdf's own loader and written as Typst markup
(A4, three columns, the fonts of ``fonts/``): every word and link the web
edition prints, labels from the edition's catalogue and dates from Babel
included, but none of our page makeup, copyfitting or PDF finishing.  It then
times, as medians of ``--runs`` runs after one warm-up:

(i)   ``typst.compile`` in this process (Typst memoizes within a process:
      this is a compile with nothing changed; the process's first compile
      is given too, as one run);
(ii)  the same as a cold Python process (imports and font loading included);
(iii) ``emn-pdf build`` of the same edition, web target, forced, as a cold CLI;

and prints the ratio (iii)/(ii), the page counts of both PDFs, and their word
counts (pypdf's text, split on whitespace; then with words hyphenated at line
ends joined) to show that the content matches.  ``typst_rows`` returns the
same figures as (label, value) rows for another table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import typst
from bench_build import CLI, ISSUE, ROOT, median_seconds
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_plugin
from pypdf import PdfReader

from emn_pdf.issue.load import LoadedEdition, load_edition
from emn_pdf.issue.model import (
    AppLinks,
    Block,
    Briefs,
    Byline,
    Contact,
    Event,
    Figure,
    Greeting,
    Image,
    Link,
    News,
    Promotion,
    Study,
)
from emn_pdf.layout.i18n import (
    Catalogue,
    edition_catalogue,
    fill_message,
    format_day,
    format_month,
)
from emn_pdf.layout.render import format_when, short_url
from emn_pdf.layout.text import typographic

LANGUAGE = "fr"
FONTS = ROOT / "fonts"
#: Characters with a meaning in Typst markup, escaped wherever they occur:
#: markup (``* _ ` $ # @ < > [ ] \\``), shorthands (``~ -- ... ' "``), line
#: starts (``= - + / 1.``), comments and bare links (``//``).  Typst takes
#: ``\\`` before any character as that character.
SPECIAL = set("\\#*_$@<>[]`~\"'-+=/.")
ACCENT = 'rgb("#1d4f91")'
#: A hyphen ending a line of extracted text: the engine hyphenated the word.
LINE_END_HYPHEN = re.compile(r"[-\u00ad]\s*\n")
#: The page: A4 in three columns, the layout's fonts and sizes, a running
#: footer; section headings in capitals, as the emn layout sets them.
SETUP = """\
#set document(title: {title}, author: {author})
#set page(paper: "a4", margin: (x: 14mm, top: 14mm, bottom: 18mm), columns: 3,
  footer: text(font: "Inter", size: 7pt)[{footer}])
#set columns(gutter: 6mm)
#set text(font: "Noto Serif", size: 8.8pt, lang: {language})
#set par(justify: true, leading: 0.55em)
#show heading: set text(font: "Inter", fill: {accent})
#show heading.where(level: 1): it => block(above: 8mm, below: 3mm, upper(it.body))
#show heading.where(level: 2): set text(size: 11pt)
#show heading.where(level: 3): set text(size: 9.5pt)
#show link: set text(fill: {accent})

"""


def escape(text: str) -> str:
    """Return ``text`` as Typst markup that prints exactly ``text``."""
    return "".join("\\" + char if char in SPECIAL else char for char in text)


def string(text: str) -> str:
    """Return ``text`` as a Typst string literal (addresses, paths, languages)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def call(function: str, *arguments: str, body: str | None = None) -> str:
    """Return a Typst function call embedded in markup.

    It ends with ``;``: otherwise a ``(`` right after it (``**b**(c)``) would
    call its result, and a ``.`` would be read as a field access.
    """
    arguments_text = f"({', '.join(arguments)})" if arguments or body is None else ""
    return f"#{function}{arguments_text}{'' if body is None else f'[{body}]'};"


@cache
def parser(inline: bool) -> MarkdownIt:
    """Return emn-pdf's Markdown dialect: CommonMark bodies, plain text fields.

    Both know language spans, ``[Forecasting]{lang=en}``, as emn-pdf does.
    """
    parser = MarkdownIt("zero" if inline else "commonmark", {"html": False})
    return parser.use(attrs_plugin, spans=True, after=(), allowed=("lang",))


def markdown(source: str, language: str, inline: bool = False) -> str:
    """Return Markdown (or, ``inline``, a text field) as Typst markup."""
    tree = SyntaxTreeNode(parser(inline).parse(source))
    return node_markup(tree, language).strip()


def node_markup(node: SyntaxTreeNode, language: str) -> str:
    """Return one node of markdown-it's syntax tree, and its children, as Typst.

    Text gets the typography of the language it is in (quotes, apostrophes,
    French spaces), as emn-pdf gives it; a span changes that language.
    """
    if node.type == "text":
        return escape(typographic(node.content, language))
    if node.type == "span":
        inner_language = str(node.attrs.get("lang", language))
        inner = "".join(node_markup(child, inner_language) for child in node.children)
        return call("text", f"lang: {string(inner_language)}", body=inner)
    if node.type in ("bullet_list", "ordered_list"):
        items = [f"[{node_markup(item, language).strip()}]" for item in node.children]
        if node.type == "ordered_list":
            return (
                f"#enum(start: {node.attrs.get('start', 1)}, {', '.join(items)});\n\n"
            )
        return f"#list({', '.join(items)});\n\n"
    inner = "".join(node_markup(child, language) for child in node.children)
    match node.type:
        case "root" | "inline" | "list_item":
            return inner
        case "paragraph":
            return inner + "\n\n"
        case "softbreak":
            return " "
        case "hardbreak":
            return call("linebreak") + "\n"
        case "em":
            return call("emph", body=inner)
        case "strong":
            return call("strong", body=inner)
        case "link":
            return call("link", string(str(node.attrs["href"])), body=inner)
        case "code_inline":
            return call("raw", string(node.content))
        case "code_block" | "fence":
            return call("raw", "block: true", string(node.content)) + "\n\n"
        case "blockquote":
            return call("quote", "block: true", body=inner) + "\n\n"
        case "hr":
            return call("line", "length: 100%") + "\n\n"
    raise ValueError(f"no Typst for Markdown {node.type!r}: add it here")


class Typesetter:
    """Writes one edition as Typst, block by block, as the web layout words it.

    Each ``block_<kind>`` method prints what ``layouts/emn/blocks/<kind>`` does
    on screen; labels come from the edition's catalogue, dates from Babel.
    """

    def __init__(self, loaded: LoadedEdition) -> None:
        self.edition = loaded.edition
        self.language = loaded.language
        self.catalogue: Catalogue = edition_catalogue(loaded)
        self.labels = self.catalogue.labels

    def text(self, field: str) -> str:
        """Return a text field (not Markdown, but for language spans)."""
        return markdown(field, self.language, inline=True)

    def body(self, source: str) -> str:
        """Return a Markdown body, as paragraphs."""
        return markdown(source, self.language) + "\n\n"

    def label(self, words: str) -> str:
        """Return words of ours (a label, a date) with the edition's typography."""
        return escape(typographic(words, self.language))

    def line(self, markup: str, *style: str) -> str:
        """Return one paragraph of small sans-serif type (meta lines, labels)."""
        return (
            call("text", 'font: "Inter"', "size: 7.4pt", *style, body=markup) + "\n\n"
        )

    def title(self, field: str, level: int = 2, heading: str | None = None) -> str:
        """Return a heading, none if it repeats the section ``heading`` above.

        Levels: 1 for sections, 2 for blocks, 3 for briefs.
        """
        if field.lower() == (heading or "").lower():
            return ""
        return call("heading", f"level: {level}", body=self.text(field)) + "\n\n"

    def picture(self, image: Image | None, width: str = "100%") -> str:
        """Return a picture of the issue folder, its caption and credit under it."""
        if image is None:
            return ""
        alt = typographic(image.alt, self.language)
        picture = call(
            "image", string(image.src), f"width: {width}", f"alt: {string(alt)}"
        )
        notes = " ".join(
            self.text(note) for note in (image.caption, image.credit) if note
        )
        return picture + "\n\n" + (self.line(notes, 'style: "italic"') if notes else "")

    def button(self, url: str, label: str) -> str:
        """Return a link as the web edition's button: its label and an arrow."""
        text = call("text", 'font: "Inter"', 'weight: "bold"', body=f"{label} →")
        return call("link", string(url), body=text) + "\n\n"

    def actions(self, links: list[Link]) -> str:
        """Return the block's links: a button, then the others by label or address."""
        if not links:
            return ""
        first, *others = links
        parts = [
            self.button(
                first.url,
                self.text(first.label) if first.label else self.label(self.labels.link),
            )
        ]
        for link in others:
            label = self.text(link.label) if link.label else escape(short_url(link.url))
            parts.append(f"- {call('link', string(link.url), body=label)}\n")
        return "".join(parts) + "\n"

    def byline(self, byline: Byline | None) -> str:
        """Return 'Par name, role' when the block credits an author."""
        if byline is None:
            return ""
        role = f", {self.text(byline.role)}" if byline.role else ""
        return self.line(f"{self.label(self.labels.by)} {self.text(byline.name)}{role}")

    def meta(self, when: str) -> str:
        """Return the date line above a title."""
        return self.line(when, f"fill: {ACCENT}", 'weight: "semibold"')

    def block(self, block: Block, heading: str | None) -> str:
        """Return one block, by its kind."""
        return getattr(self, f"block_{block.kind}")(block, heading) + "\n"

    def article(
        self,
        block: Event | News | Promotion,
        meta: str,
        tagline: str = "",
        apps: str = "",
    ) -> str:
        """Return what events, news and promotions share: picture, title, body, links."""
        return (
            self.picture(block.image)
            + meta
            + self.title(block.title)
            + tagline
            + self.byline(getattr(block, "byline", None))
            + self.body(block.body)
            + apps
            + "".join(self.picture(image, "45%") for image in block.images)
            + self.actions(block.links)
        )

    def block_event(self, block: Event, heading: str | None) -> str:
        when = (
            format_when(block.date, self.locale)
            if block.date
            else self.labels.date_to_be_confirmed
        )
        place = f", {self.text(block.place)}" if block.place else ""
        return self.article(block, self.meta(self.label(when) + place))

    def block_news(self, block: News, heading: str | None) -> str:
        meta = (
            self.meta(self.label(format_day(block.date, self.locale)))
            if block.date
            else ""
        )
        return self.article(block, meta)

    def block_promotion(self, block: Promotion, heading: str | None) -> str:
        tagline = (
            self.line(self.text(block.tagline), 'style: "italic"')
            if block.tagline
            else ""
        )
        return self.article(block, "", tagline, self.apps(block.apps))

    def apps(self, apps: AppLinks | None) -> str:
        """Return 'Pour télécharger l’application pour Android | iOS.'."""
        if apps is None:
            return ""
        stores = [
            call("link", string(url), body=self.label(self.catalogue.stores[store]))
            for store, url in (("android", apps.android), ("ios", apps.ios))
            if url
        ]
        return f"{self.text(apps.intro)} {' | '.join(stores)}\\.\n\n"

    def block_study(self, block: Study, heading: str | None) -> str:
        kicker = (
            self.line(self.text(block.type), 'weight: "bold"', f"fill: {ACCENT}")
            if block.type
            else ""
        )
        return (
            self.picture(block.cover, "40%")
            + kicker
            + self.title(block.title)
            + self.byline(block.byline)
            + self.body(block.summary)
            + self.actions(block.all_links())
        )

    def block_briefs(self, block: Briefs, heading: str | None) -> str:
        parts = [
            self.line(self.text(block.intro), 'weight: "bold"') if block.intro else ""
        ]
        for item in block.items:
            parts.append(self.title(item.title, 3))
            if item.date:
                parts.append(self.meta(self.label(format_day(item.date, self.locale))))
            parts.append(self.body(item.summary) if item.summary else "")
            parts.append(self.button(item.url, self.label(self.labels.read)))
        return "".join(parts)

    def block_figure(self, block: Figure, heading: str | None) -> str:
        return (
            (self.title(block.title, heading=heading) if block.title else "")
            + self.byline(block.byline)
            + self.picture(block.image)
            + (self.body(block.body) if block.body else "")
            + self.actions(block.links)
        )

    def block_greeting(self, block: Greeting, heading: str | None) -> str:
        text = call(
            "text",
            'font: "Inter"',
            "size: 14pt",
            f"fill: {ACCENT}",
            body=self.text(block.text),
        )
        return call("align", "center", body=text) + "\n\n"

    def block_contact(self, block: Contact, heading: str | None) -> str:
        entries = [
            (self.labels.website, block.website, short_url(block.website or "")),
            (self.labels.email, f"mailto:{block.email}", block.email),
            *(
                (self.catalogue.networks[s.network], s.url, short_url(s.url))
                for s in block.social
            ),
        ]
        parts = [self.title(block.title or self.labels.stay_in_touch, heading=heading)]
        for label, address, shown in entries:
            if shown:
                parts.append(self.line(self.label(label), 'weight: "bold"'))
                parts.append(
                    call("link", string(str(address)), body=escape(shown)) + "\n\n"
                )
        return "".join(parts)

    @property
    def locale(self) -> str:
        """Return the Babel locale of the edition's dates."""
        return self.catalogue.locale

    def masthead(self) -> str:
        """Return the top of page 1, across the three columns: masthead, editorial."""
        m = self.edition.masthead
        number = f"{self.labels.issue_number} {m.number}" if m.number else None
        meta = [
            *filter(None, [m.season, number]),
            format_month(m.date, self.locale),
            self.labels.edition,
        ]
        title = call(
            "text",
            'font: "Inter"',
            "size: 30pt",
            'weight: "extrabold"',
            f"fill: {ACCENT}",
            body=self.text(m.title),
        )
        parts = [
            self.picture(m.logo, "20mm"),
            self.line(self.text(m.organisation), 'weight: "bold"', f"fill: {ACCENT}"),
            title + "\n\n",
            self.line(self.label(" · ".join(meta))),
        ]
        if m.publisher:
            published = fill_message(
                self.labels.published_by, self.catalogue, publisher=m.publisher
            )
            parts.append(self.line(self.label(published)))
        if editorial := self.edition.editorial:
            parts += [
                self.title(editorial.title) if editorial.title else "",
                self.text(editorial.greeting) + "\n\n" if editorial.greeting else "",
                self.body(editorial.body),
                *(
                    self.text(line) + "\n\n"
                    for line in (editorial.signoff, editorial.signature)
                    if line
                ),
            ]
        top = "".join(parts).strip()
        return (
            call(
                "place",
                "top",
                "float: true",
                'scope: "parent"',
                "clearance: 6mm",
                body=f"\n{top}\n",
            )
            + "\n\n"
        )

    def document(self) -> str:
        """Return the whole edition as one Typst source."""
        m = self.edition.masthead
        running = self.label(
            f"{m.organisation} · {m.title} · {format_month(m.date, self.locale)}"
        )
        pattern = string(f"1 {self.labels.page_of} 1")
        page = f"{self.label(self.labels.page)} #context counter(page).display({pattern}, both: true)"
        sections = [
            (self.title(s.heading, 1) if s.heading else "")
            + "".join(self.block(block, s.heading) for block in s.blocks)
            for s in self.edition.sections
        ]
        return (
            SETUP.format(
                title=string(m.title),
                author=string(m.organisation),
                footer=f"{running} #h(1fr) {page}",
                language=string(self.language),
                accent=ACCENT,
            )
            + self.masthead()
            + "".join(sections)
        )


def write_source(folder: Path) -> Path:
    """Write the edition's Typst source into ``folder``, with its pictures.

    The pictures are copied so that ``folder`` can be Typst's root: Typst reads
    no file outside its root, and the source must be inside it.
    """
    loaded = load_edition(ISSUE / f"{LANGUAGE}.yaml")
    for src in dict.fromkeys(loaded.edition.images()):
        (folder / src).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ISSUE / src, folder / src)
    source = folder / f"{ISSUE.name}-{LANGUAGE}.typ"
    source.write_text(Typesetter(loaded).document(), encoding="utf-8")
    return source


def words(pdf: Path) -> tuple[int, int]:
    """Return the count of words pypdf reads in ``pdf``: as read, and joined.

    Words are split on whitespace.  Both engines hyphenate, at different
    places, and a word broken at a line end reads as two: the second count
    joins them again (pypdf reads Typst's hyphens as soft hyphens, U+00AD).
    """
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return len(text.split()), len(LINE_END_HYPHEN.sub("", text).split())


def pages(pdf: Path) -> int:
    """Return the page count of ``pdf``."""
    return len(PdfReader(pdf).pages)


def run(command: list[str]) -> None:
    """Run a cold process; show what it wrote only if it fails."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def typst_rows(runs: int) -> list[tuple[str, str]]:
    """Build the edition with Typst and emn-pdf; return (label, value) rows.

    Typst memoizes its work within a process (comemo), so the in-process
    median, after the warm-up, is that of a compile with nothing changed: the
    first compile of the process, which checks the source, is given too.
    """
    folder = Path(tempfile.mkdtemp(prefix="emn-pdf-typst-"))
    source = write_source(folder)
    typst_pdf, ours = folder / f"{source.stem}.pdf", folder / "emn-pdf"
    options = {
        "output": str(typst_pdf),
        "font_paths": [str(FONTS)],
        "root": str(folder),
    }
    started = time.perf_counter()
    _, warnings = typst.compile_with_warnings(str(source), **options)
    first = time.perf_counter() - started
    for warning in warnings:
        print(f"typst warning: {warning.message}", file=sys.stderr)
    script = f"import typst; typst.compile({str(source)!r}, **{options!r})"
    build = [str(CLI), "build", str(ISSUE), "--lang", LANGUAGE, "--target", "web"]

    in_process = median_seconds(lambda: typst.compile(str(source), **options), runs)
    typst_cold = median_seconds(lambda: run([sys.executable, "-c", script]), runs)
    ours_cold = median_seconds(lambda: run([*build, "--force", "-o", str(ours)]), runs)
    our_pdf = ours / f"{ISSUE.name}-{LANGUAGE}-web.pdf"
    (our_words, our_joined), (typst_words, typst_joined) = (
        words(our_pdf),
        words(typst_pdf),
    )
    return [
        (
            f"(i) Typst {typst.__version__}, typst.compile in process, {LANGUAGE}",
            f"{in_process:.3f} s",
        ),
        ("(i) the same, first compile of the process (one run)", f"{first:.3f} s"),
        ("(ii) Typst, cold Python process", f"{typst_cold:.3f} s"),
        (
            f"(iii) emn-pdf build, cold CLI, {LANGUAGE} web --force",
            f"{ours_cold:.3f} s",
        ),
        (
            "ratio emn-pdf/Typst, cold processes (iii/ii)",
            f"{ours_cold / typst_cold:.1f}x",
        ),
        ("pages, emn-pdf / Typst", f"{pages(our_pdf)} / {pages(typst_pdf)}"),
        (
            "words (pypdf), emn-pdf / Typst",
            f"{our_words} / {typst_words} ({typst_words / our_words - 1:+.1%})",
        ),
        (
            "words, line-end hyphens joined",
            f"{our_joined} / {typst_joined} ({typst_joined / our_joined - 1:+.1%})",
        ),
        ("Typst source and both PDFs in", str(folder)),
    ]


def main() -> None:
    """Print the rows of :func:`typst_rows` as a table."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--runs", type=int, default=5)
    runs = arguments.parse_args().runs
    rows = typst_rows(runs)
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  median of {runs} runs")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
