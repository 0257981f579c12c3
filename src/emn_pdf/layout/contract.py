"""The layout contract: what Python relies on in a layout, written once and checked.

Page makeup and preflight read a layout's HTML back by a few attributes, find
the picture makeup may resize by one selector, and measure and place modules
in classes whose CSS the layout gives (``layouts/README.md`` lists them all).
A layout that leaves one out is told so, naming its file and the rule: when
it loads (its stylesheets, a template for every kind of block) and when it
renders an edition (each block's attributes and picture), never later as a
defect of emn-pdf.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import tinycss2
from lxml import html as lxml_html
from lxml.etree import _Element

from ..issue.errors import Problem, UserError
from ..issue.kinds import own_fields
from ..issue.model import BLOCK_KINDS, Block, BlockBase, Edition, Image, band_picture
from ..machinery.files import contained

#: Attributes the templates write and Python reads back (see the README).
(
    RUNNING,
    SECTION,
    COLUMNS,
    BLOCK,
    BAND,
    FLOW,
    OVERLEAF,
    FILLER,
    BLEED,
    CHANNEL,
    SPARES,
) = (
    "data-running",
    "data-section",
    "data-columns",
    "data-block",
    "data-band",
    "data-flow",
    "data-overleaf",
    "data-filler",
    "data-bleed",
    "data-channel",
    "data-spares",
)
#: Where makeup finds the picture of a block it may resize: an ``<img>`` in a
#: ``<figure>``, among the block's elements.
PICTURE_SELECTOR = ".//figure//img"
#: A picture in a block's header (a card's, beside its title when set
#: across columns): makeup may move it to open the first column of the
#: block's text, its title then across above it (``makeup.html.open_text``).
HEAD_PICTURE = ".//header/figure"
#: The class of a chart's ``<figure>``: a picture shown whole that draws
#: text (its labels), which needs its width: it never opens a column of text.
CHART_CLASS = "labelled"
#: The CSS a layout with page makeup gives the classes makeup writes: the
#: properties each rule must set, with the value it must have (or any).
MAKEUP_RULES: dict[str, dict[str, str | None]] = {
    ".mk-probe": {"width": None, "height": None},
    ".mk-page": {"position": "relative"},
    ".mk-page + .mk-page": {"break-before": "page"},
    ".mk-page > .mk-item": {"position": "absolute"},
    '[data-mk-turn~="head"]': {"margin-bottom": "0"},
    '[data-mk-turn~="tail"]': {"margin-top": "0"},
}
#: What each rule lets makeup do, for the message when it is missing.
MAKEUP_RULE_USES = {
    ".mk-probe": "the gap between columns and the space between blocks are"
    " measured on it",
    ".mk-page": "each page is a box the modules are placed in",
    ".mk-page + .mk-page": "each page box starts a page",
    ".mk-page > .mk-item": "each module is placed where makeup puts it",
    '[data-mk-turn~="head"]': "a paragraph's lines before a turn end where"
    " makeup measured them",
    '[data-mk-turn~="tail"]': "a paragraph's lines after a turn start where"
    " makeup measured them",
}
#: The sections of ``layouts/README.md`` that the contract's errors point to.
README_SECTIONS = (
    TEMPLATES := "Templates",
    ATTRIBUTES := "Attributes page makeup and preflight read",
    PICTURE := "The picture makeup resizes",
    CSS := "CSS for what makeup writes",
)
#: The template of a kind of block, and the one for kinds that have none.
KIND_TEMPLATE = "blocks/{kind}.html.j2"
FALLBACK_TEMPLATE = "blocks/block.html.j2"
ENTRY = "issue.html.j2"
QUOTE_ID = re.compile(r"(s\d+-b\d+)-quote")
#: The fields a fallback template shows, each if the block has it: a kind
#: with any other field needs a template of its own.
FALLBACK_FIELDS = frozenset(
    {
        "title", "type", "date", "place", "tagline", "byline", "body", "summary",
        "image", "images", "link", "links",
    }
)  # fmt: skip
#: What the issue's template shows apart from the block's own: its pull quote,
#: in ``data-spares`` (``pull-quote.html.j2``), which makeup sets in a hole.
APART_FIELDS = frozenset({"pull_quote"})


def check_layout(
    folders: tuple[Path, ...], stylesheets: list[Path], makeup: bool
) -> None:
    """Refuse a layout that lacks a template for a kind, or makeup's CSS.

    ``folders`` are the layout's own folder then those it extends, in lookup
    order; ``stylesheets`` its CSS files for one target, in cascade order.
    """
    problems = [*_missing_templates(folders)]
    if makeup:
        problems += _missing_rules(folders[0], stylesheets)
    if problems:
        raise UserError(problems)


def quote_id(block: str) -> str:
    """Return the name of the pull quote of the block named ``block``.

    Templates get it from the ``pull_quotes`` filter; makeup and the
    findings' YAML lines read it back with :func:`quoted_block`.
    """
    return f"{block}-quote"


def quoted_block(name: str) -> str | None:
    """Return the name of the block a pull quote's ``data-block`` quotes."""
    match = QUOTE_ID.fullmatch(name)
    return match[1] if match else None


def kind_template(folders: tuple[Path, ...], kind: str) -> Path | None:
    """Return the file of a kind's own template, or of the fallback, if found."""
    for name in (KIND_TEMPLATE.format(kind=kind), FALLBACK_TEMPLATE):
        for folder in folders:
            if (path := contained(folder, name)) is not None:
                return path
    return None


def _missing_templates(folders: tuple[Path, ...]) -> Iterator[Problem]:
    """Say which kinds the layout has no template for, and the fallback cannot show."""
    for kind, model in BLOCK_KINDS.items():
        name = KIND_TEMPLATE.format(kind=kind)
        if any(contained(folder, name) for folder in folders):
            continue
        unshown = sorted(set(own_fields(model)) - FALLBACK_FIELDS - APART_FIELDS)
        fallback = any(contained(folder, FALLBACK_TEMPLATE) for folder in folders)
        if unshown or not fallback:
            why = (
                f"the fallback {FALLBACK_TEMPLATE} does not show {', '.join(unshown)}"
                if fallback
                else f"and no fallback {FALLBACK_TEMPLATE}"
            )
            yield Problem(
                f"no template for the kind {kind!r} ({why}): its blocks would"
                f" print without their text {_see(TEMPLATES)}",
                file=folders[0] / name,
            )


@dataclass(frozen=True)
class _Rule:
    """A CSS rule of a layout: its selector, what it declares, where it is."""

    selector: str
    declarations: dict[str, str]
    file: Path
    line: int


def _missing_rules(folder: Path, stylesheets: list[Path]) -> Iterator[Problem]:
    """Say which of makeup's rules the stylesheets lack, or set otherwise."""
    rules = [rule for path in stylesheets for rule in _rules(path, _mtime(path))]
    for selector, wanted in MAKEUP_RULES.items():
        found = [rule for rule in rules if rule.selector == selector]
        declared = {
            name: value for rule in found for name, value in rule.declarations.items()
        }
        lacking = [
            f"{name}: {value or '…'}"
            for name, value in wanted.items()
            if name not in declared or value not in (None, declared[name])
        ]
        if lacking:
            where = found[-1] if found else None
            yield Problem(
                f"page makeup needs the rule {selector} {{ {'; '.join(lacking)} }}:"
                f" {MAKEUP_RULE_USES[selector]} {_see(CSS)}",
                file=where.file if where else _home_of_makeup_rules(folder, rules),
                line=where.line if where else None,
            )


def _home_of_makeup_rules(folder: Path, rules: list[_Rule]) -> Path:
    """Return the stylesheet that holds makeup's other rules, else the theme."""
    homes = [rule.file for rule in rules if rule.selector.startswith(".mk-")]
    return homes[0] if homes else folder / "theme.yaml"


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


@cache
def _rules(path: Path, mtime: int) -> tuple[_Rule, ...]:
    """Return the plain rules of a stylesheet, each selector apart (parsed once)."""
    text = path.read_text(encoding="utf-8")
    found = []
    for node in tinycss2.parse_stylesheet(
        text, skip_comments=True, skip_whitespace=True
    ):
        if node.type != "qualified-rule":
            continue
        declarations = {
            each.lower_name: tinycss2.serialize(each.value).strip()
            for each in tinycss2.parse_declaration_list(
                node.content, skip_comments=True, skip_whitespace=True
            )
            if each.type == "declaration"
        }
        for selector in tinycss2.serialize(node.prelude).split(","):
            found.append(
                _Rule(" ".join(selector.split()), declarations, path, node.source_line)
            )
    return tuple(found)


def resizable_pictures(block: BlockBase) -> list[Image]:
    """Return the pictures of a block that makeup may resize: not its band."""
    band = band_picture(block)
    return [
        value
        for name in type(block).model_fields
        if isinstance(value := getattr(block, name), Image) and value is not band
    ]


def check_html(html: str, edition: Edition, folders: tuple[Path, ...]) -> None:
    """Refuse HTML in which a block lacks its attribute, or shows its picture elsewhere.

    Each block's elements carry ``data-block`` with its name, inside its
    section's ``data-section``, and a picture makeup may resize is an
    ``<img>`` in a ``<figure>``; the error names the kind's template.
    """
    document = lxml_html.document_fromstring(html)
    fillers = document.findall(f".//*[@{FILLER}]")
    problems = []
    for number, section in enumerate(edition.sections):
        found = document.find(f".//*[@{SECTION}='{number}']")
        for index, block in enumerate(section.blocks):
            problem = _block_problem(found, fillers, f"s{number}-b{index}", block)
            if problem is not None:
                template = kind_template(folders, block.kind) or folders[0]
                problems.append(Problem(problem, file=template))
    problems += _quote_problems(document, edition, folders)
    if problems:
        raise UserError(problems)


def _quote_problems(
    document: Any, edition: Edition, folders: tuple[Path, ...]
) -> list[Problem]:
    """Say each pull quote the HTML does not offer makeup in ``data-spares``.

    Nothing an editor writes is dropped silently: a layout that sets no pull
    quotes is told so, naming its issue template.
    """
    spares = document.find(f".//*[@{SPARES}]")
    offered = set() if spares is None else {e.get(BLOCK) for e in spares}
    template = next(
        (path for f in folders if (path := contained(f, ENTRY)) is not None),
        folders[0],
    )
    return [
        Problem(
            f"the pull quote of block {name} has no element with"
            f' {BLOCK}="{quote_id(name)}" in {SPARES}: makeup cannot set it'
            f" {_see(ATTRIBUTES)}",
            file=template,
        )
        for number, section in enumerate(edition.sections)
        for index, block in enumerate(section.blocks)
        if getattr(block, "pull_quote", None)
        and quote_id(name := f"s{number}-b{index}") not in offered
    ]


def _block_problem(
    section: _Element | None, fillers: list[_Element], name: str, block: Block
) -> str | None:
    """Say how a block's HTML breaks the contract, if it does.

    A block stands in its section, or on a designed page (``data-filler``):
    a print edition's contact on its back page.
    """
    rule = _see(ATTRIBUTES)
    where = [*([] if section is None else [section]), *fillers]
    elements = [
        element
        for each in where
        for element in each.findall(f".//*[@{BLOCK}='{name}']")
    ]
    if not elements and section is None:
        return f"the section of block {name} has no {SECTION} attribute {rule}"
    if not elements:
        return (
            f'no element of block {name} ({block.kind}) has {BLOCK}="{name}":'
            f" makeup cannot place it, nor a finding name its line {rule}"
        )
    if resizable_pictures(block) and not any(
        element.find(PICTURE_SELECTOR) is not None for element in elements
    ):
        return (
            f"block {name} ({block.kind}) shows its picture outside an <img> in a"
            f" <figure>: makeup cannot resize it to fill the page {_see(PICTURE)}"
        )
    return None


def _see(section: str) -> str:
    """Return where ``layouts/README.md`` says what an error is about."""
    return f"(layouts/README.md, {section})"
