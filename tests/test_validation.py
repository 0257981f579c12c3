"""Bad issue files: each mistake is reported once, with file, line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pdfcheck import body_text, link_uris

import emn_pdf
from emn_pdf.issue.errors import UserError
from emn_pdf.issue.model import BLOCK_KINDS

EDITION = """\
masthead:
  organisation: EMN Test
  title: Newsletter
  number: 7
  date: 2025-03-20
  language: fr
sections:
  - heading: Évènements
    blocks:
      - kind: event
        title: Un atelier
        date: {start: 2025-03-01, end: 2025-03-02}
        body: Un paragraphe.
        links:
          - url: https://example.org/
        image:
          src: images/forecasting.png
          alt: Une image.
"""

CASES = {
    "malformed YAML": (
        ("title: Newsletter", "title: [Newsletter"),
        "fr.yaml:4: invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence on line 3)",
    ),
    "missing field": (
        ("  title: Newsletter\n", ""),
        "fr.yaml:2 masthead.title: missing required field 'title'",
    ),
    "unknown field": (
        ("  number: 7\n", "  number: 7\n  editor: x\n"),
        "fr.yaml:5 masthead.editor: unknown field 'editor' (allowed here: "
        "organisation, publisher, logo, title, number, season, date, language, "
        "keywords)",
    ),
    "misspelt field": (
        ("        links:", "        link:"),
        "fr.yaml:15 sections.0.blocks.0.link: unknown field 'link' (did you mean "
        "'links'? allowed here: edition_only, span, new_page, keep_with_next, kind, "
        "title, date, place, byline, body, pull_quote, links, image, images)",
    ),
    "misspelt field of a date range": (
        ("end: 2025", "ned: 2025"),
        "fr.yaml:12 sections.0.blocks.0.date.ned: unknown field 'ned' (did you mean "
        "'end'? allowed here: start, end)",
    ),
    "colon inside plain French text": (
        ("title: Un atelier", "title: Atelier : les migrations"),
        "fr.yaml:11: invalid YAML: mapping values are not allowed in this context; a "
        "value containing ': ' must be put in quotes (\"...\") or written as a block "
        "after '|' on the lines below",
    ),
    "comma inside a flow mapping": (
        (
            "        image:\n          src: images/forecasting.png\n          alt: Une image.\n",
            "        image: {src: images/forecasting.png, alt: Une image, prise en mai}\n",
        ),
        "fr.yaml:16 sections.0.blocks.0.image.prise en mai: unknown field 'prise en "
        "mai'; a ',' inside {...} starts a new field: put a value containing ', ' in "
        'quotes ("...")',
    ),
    "comma inside a flow mapping, cutting off one word": (
        (
            "          - url: https://example.org/\n",
            '          - {url: "https://example.org/", label: Rapport, annexe}\n',
        ),
        "fr.yaml:15 sections.0.blocks.0.links.0.annexe: unknown field 'annexe' "
        "(allowed here: url, label); a ',' inside {...} starts a new field: put a "
        "value containing ', ' in quotes (\"...\")",
    ),
    "misspelt choice": (
        ("alt: Une image.", "alt: Une image.\n          fit: colum"),
        "fr.yaml:19 sections.0.blocks.0.image.fit: unknown value 'colum' (did you "
        "mean 'column'? expected one of: column, page-width, full-bleed)",
    ),
    "a picture option where no picture can honour it": (
        (
            "        image:\n",
            "        images:\n          - {src: images/forecasting.png, alt: Un logo.,"
            " fit: page-width}\n        image:\n",
        ),
        "fr.yaml:17 sections.0.blocks.0.images.0.fit: unknown field 'fit' (allowed"
        " here: src, alt, caption, credit, focus, crop)",
    ),
    "misspelt print option": (
        ("masthead:\n", "print: {notes: true}\nmasthead:\n"),
        "fr.yaml:1 print.notes: unknown field 'notes' (did you mean 'notes_pages'?"
        " allowed here: notes_pages)",
    ),
    "wrong type": (
        ("number: 7", "number: sept"),
        "fr.yaml:4 masthead.number: Input should be a valid integer, "
        "unable to parse string as an integer (got 'sept')",
    ),
    "impossible date": (
        ("date: 2025-03-20", "date: 2025-13-01"),
        "fr.yaml:5 masthead.date: invalid date '2025-13-01' (expected YYYY-MM-DD)",
    ),
    "date range backwards": (
        ("end: 2025-03-02", "end: 2025-02-02"),
        "fr.yaml:12 sections.0.blocks.0.date: end 2025-02-02 is before start 2025-03-01",
    ),
    "invalid URL": (
        ("https://example.org/", "htp://example.org"),
        "fr.yaml:15 sections.0.blocks.0.links.0.url: 'htp://example.org' is not a web "
        "address (expected https://...)",
    ),
    "missing image": (
        ("images/forecasting.png", "images/missing.png"),
        "fr.yaml:17 sections.0.blocks.0.image.src: image file 'images/missing.png' "
        "not found in issues/2025-03",
    ),
    "image outside the issue": (
        ("images/forecasting.png", "../../etc/passwd.png"),
        "fr.yaml:17 sections.0.blocks.0.image.src: '../../etc/passwd.png' must be a "
        "path inside the issue folder",
    ),
    "image without alt text": (
        ("          alt: Une image.\n", ""),
        "fr.yaml:17 sections.0.blocks.0.image.alt: missing required field 'alt'",
    ),
    "unknown block kind": (
        ("kind: event", "kind: evnt"),
        "fr.yaml:10 sections.0.blocks.0.kind: unknown block kind 'evnt' (did you mean "
        f"'event'? expected one of: {', '.join(BLOCK_KINDS)})",
    ),
    "block without kind": (
        ("      - kind: event\n        title", "      - title"),
        "fr.yaml:10 sections.0.blocks.0: missing required field 'kind' "
        "(which kind of block this is)",
    ),
    "language of another file": (
        ("language: fr", "language: en"),
        "fr.yaml:6 masthead.language: language 'en' does not match the file name fr.yaml",
    ),
    "duplicate key": (
        ("  number: 7\n", "  number: 7\n  number: 8\n"),
        "fr.yaml:5: duplicate key 'number'",
    ),
    "unsafe tag": (
        ("number: 7", "number: !!python/object:os.system 7"),
        "fr.yaml:4: unsupported YAML tag !!python/object:os.system",
    ),
    "unknown layout": (
        ("masthead:\n", "layout: fancy\nmasthead:\n"),
        "fr.yaml:1 layout: unknown layout 'fancy' (built in: bulletin, emn; or give the path of a layout folder)",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_mistake_is_named_with_file_line_and_field(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    (old, new), expected = CASES[case]
    assert old in EDITION
    issue = make_issue(EDITION.replace(old, new), images=("forecasting.png",))
    monkeypatch.chdir(issue.parent.parent)
    with pytest.raises(UserError) as raised:
        emn_pdf.check(issue)
    assert [str(problem) for problem in raised.value.problems] == [
        f"issues/2025-03/{expected}"
    ]


def test_the_valid_edition_passes(make_issue: Callable[..., Path]) -> None:
    assert (
        emn_pdf.check(make_issue(EDITION, images=("forecasting.png",)), lay_out=False)
        == []
    )


def test_all_problems_are_reported_at_once(make_issue: Callable[..., Path]) -> None:
    broken = EDITION.replace("number: 7", "number: sept").replace(
        "https://example.org/", "example.org"
    )
    with pytest.raises(UserError) as raised:
        emn_pdf.check(make_issue(broken, images=("forecasting.png",)))
    assert [problem.field for problem in raised.value.problems] == [
        "masthead.number",
        "sections.0.blocks.0.links.0.url",
    ]


def test_an_empty_file_is_named(make_issue: Callable[..., Path]) -> None:
    with pytest.raises(UserError, match=r"fr\.yaml: the file is empty"):
        emn_pdf.check(make_issue(""))


def test_a_language_without_catalogue_lists_the_supported_ones(
    make_issue: Callable[..., Path],
) -> None:
    issue = make_issue(EDITION.replace("language: fr", "language: xx"), lang="xx")
    with pytest.raises(
        UserError, match=r"no catalogue for language 'xx' \(supported: de, en, fr"
    ):
        emn_pdf.check(issue)


def test_aliases_cannot_explode(make_issue: Callable[..., Path]) -> None:
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        laughs.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    with pytest.raises(UserError, match="more than 100000 values"):
        emn_pdf.check(make_issue("\n".join(laughs) + "\n"))


def test_a_missing_issue_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="issue folder not found"):
        emn_pdf.check(tmp_path / "nowhere")


def test_yaml_words_that_look_boolean_stay_text(
    make_issue: Callable[..., Path],
) -> None:
    """YAML 1.1 would read these as booleans; an issue file uses YAML 1.2."""
    issue = make_issue(
        EDITION.replace("title: Newsletter", "title: no").replace(
            "number: 7", "number: 0x7"
        ),
        images=("forecasting.png",),
    )
    from emn_pdf.issue.load import load_edition

    masthead = load_edition(issue / "fr.yaml").edition.masthead
    assert masthead.title == "no"
    assert masthead.number == 7


CONTACT = (
    EDITION.split("sections:")[0]
    + """\
sections:
  - blocks:
      - kind: contact
        email: mailto:emn@uni.lu
        social:
          - {network: linkedin, url: "https://www.linkedin.com/company/emn"}
"""
)


def test_an_unknown_social_network_lists_the_known_ones(
    make_issue: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    issue = make_issue(CONTACT.replace("network: linkedin", "network: twitter"))
    monkeypatch.chdir(issue.parent.parent)
    with pytest.raises(UserError) as raised:
        emn_pdf.check(issue, lay_out=False)
    assert [str(problem) for problem in raised.value.problems] == [
        "issues/2025-03/fr.yaml:12 sections.0.blocks.0.social.0.network: unknown "
        "value 'twitter' (expected one of: linkedin, x, bluesky, mastodon, facebook, "
        "instagram, youtube, threads, tiktok, whatsapp, telegram, signal, flickr, "
        "vimeo, pixelfed, peertube, xing, other)"
    ]


def test_a_mailto_address_is_an_email_without_its_scheme(
    make_issue: Callable[..., Path], tmp_path: Path
) -> None:
    [pdf] = emn_pdf.build(make_issue(CONTACT), out_dir=tmp_path / "out")
    text = body_text(pdf)
    assert "emn@uni.lu" in text
    assert "mailto" not in text
    assert "mailto:emn@uni.lu" in link_uris(pdf)
