"""The web edition in real readers: links, search, tags, languages (issue 12).

Each test reads both editions of the sample, as built for each layout, the
way pdf.js, poppler or a screen reader does: annotations, the structure
tree, and the text with its line-end hyphens.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import yaml
from conftest import SAMPLE
from pdfcheck import (
    body_text,
    link_annotations,
    marked_texts,
    outline_actions,
    page_mode,
    page_texts,
    pdfjs_find,
    reader_texts,
    reader_words,
    structure_elements,
    words,
    words_across_pages,
)

import emn_pdf
from emn_pdf.edition import prepare
from emn_pdf.layout.i18n import load_catalogue
from emn_pdf.layout.text import markdown_to_html, plain_text, typeset, typeset_heading

Reports = dict[tuple[str, str], emn_pdf.BuildReport]
LANGUAGES = ["fr", "en"]
#: Fields that are addresses, codes or alt text (not printed), not prose.
ISSUE_PHRASES = ["souhaitons", "professionnels du domaine", "Johansson"]
NOT_PROSE = {
    *("kind", "src", "url", "email", "website", "android", "ios", "alt", "network")
}


def web(sample: Reports, lang: str) -> Path:
    path = sample[lang, "web"].path
    assert path is not None
    return path


def source_html(lang: str, layout: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(prepare(SAMPLE, lang, layout).html())


def prose(data: object) -> list[str]:
    """Every text an editor wrote in an edition file, as printed."""
    if isinstance(data, dict):
        return [
            text
            for key, value in data.items()
            if key not in NOT_PROSE
            for text in prose(value)
        ]
    if isinstance(data, list):
        return [text for value in data for text in prose(value)]
    return [plain_text(data, "en")] if isinstance(data, str) else []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_annotation_and_one_link_element_per_link(
    sample: Reports, layout: str, lang: str
) -> None:
    links = source_html(lang, layout).xpath("//a[@href]")
    elements = structure_elements(web(sample, lang))
    assert len(link_annotations(web(sample, lang))) == len(links)
    assert [element.tag for element in elements].count("Link") == len(links)
    assert not [e for e in elements if e.tag == "Link" and "Link" in e.ancestors]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_word_is_found_across_line_ends(sample: Reports, lang: str) -> None:
    edition = yaml.safe_load((SAMPLE / f"{lang}.yaml").read_text(encoding="utf-8"))
    written = words(" ".join(prose(edition["sections"])))
    text = body_text(web(sample, lang))
    assert "\u2010" not in text
    assert written - reader_words(web(sample, lang)) == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdfjs_finds_every_word(sample: Reports, lang: str) -> None:
    edition = yaml.safe_load((SAMPLE / f"{lang}.yaml").read_text(encoding="utf-8"))
    text = " ".join(prose(edition["sections"]))
    # Words the issue found missing in Firefox, phrases across a line end.
    queries = sorted(words(text)) + [
        phrase for phrase in ISSUE_PHRASES if phrase.casefold() in text.casefold()
    ]
    found = pdfjs_find(web(sample, lang), queries)
    missing = {query for query in queries if not found[query]}
    assert missing <= words_across_pages(web(sample, lang))
    assert found["collaboration"] == text.casefold().count("collaboration")


#: A compound and its own hyphen: "bien-être", "EMN-OCDE".
COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
#: Letters read one at a time: four or more, each alone between spaces.
SPACED_LETTERS = re.compile(r"(?<!\S)(?:[^\W\d_] ){3,}[^\W\d_](?!\S)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdfjs_finds_compounds_whole(sample: Reports, lang: str) -> None:
    """A compound is never broken at its own hyphen: pdf.js's find takes a
    hyphen at a line's end for a word cut, and "bien-" / "être" would not
    be found as "bien-être"."""
    edition = yaml.safe_load((SAMPLE / f"{lang}.yaml").read_text(encoding="utf-8"))
    text = " ".join(prose(edition["sections"]))
    compounds = sorted(set(COMPOUND.findall(text.replace("\u2060", ""))))
    assert {"fr": "bien-être", "en": "well-being"}[lang] in compounds
    found = pdfjs_find(web(sample, lang), compounds)
    counts = {c: text.replace("\u2060", "").count(c) for c in compounds}
    assert {c for c in compounds if found[c] < counts[c]} == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_readers_extract_the_words_as_printed(sample: Reports, lang: str) -> None:
    """MuPDF, pdf.js and poppler read every word of the web edition whole:
    no word split ("sep tembre", "dé écembre"), no letters one at a time
    ("E M N L U X E M B O U R G"), no label read twice ("Lien Lien"), the
    organisation and the headings as written."""
    edition = yaml.safe_load((SAMPLE / f"{lang}.yaml").read_text(encoding="utf-8"))
    path = web(sample, lang)
    written = [edition["masthead"]["organisation"]] + [
        section["heading"] for section in edition["sections"] if "heading" in section
    ]
    expected = words(" ".join(prose(edition["sections"]))) - words_across_pages(path)
    label = load_catalogue(lang).labels.link
    for reader, text in reader_texts(path).items():
        joined = re.sub(r"-\s*\n\s*", "", text)  # a word hyphenated at a line end
        assert expected <= words(joined) | words(text), (
            reader,
            expected - words(joined),
        )
        assert not SPACED_LETTERS.findall(text), reader
        assert not re.search(rf"{label}\s+{label}", text, re.IGNORECASE), reader
        single = re.sub(r"\s+", " ", text)
        for heading in written:
            assert plain_text(heading, lang) in single, (reader, heading)
        assert not re.search("[\ufffe\uffff\x02]", text), reader


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_element_per_paragraph_and_per_block(
    sample: Reports, layout: str, lang: str
) -> None:
    html = source_html(lang, layout)
    tags = [element.tag for element in structure_elements(web(sample, lang))]
    assert tags.count("Art") == len(html.xpath("//article"))
    assert tags.count("P") == len(html.xpath("//p[not(@data-running)]"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_capitals_and_tracking_extract_as_written(sample: Reports, lang: str) -> None:
    edition = yaml.safe_load((SAMPLE / f"{lang}.yaml").read_text(encoding="utf-8"))
    # A no-break space (a heading's last word kept) is typesetting, not text.
    text = "\n".join(page_texts(web(sample, lang))).replace("\xa0", " ")
    headings = [
        section["heading"] for section in edition["sections"] if "heading" in section
    ]
    for written in [edition["masthead"]["organisation"], *headings]:
        assert plain_text(written, lang) in text
    tagged = [
        element.attributes["ActualText"]
        for element in structure_elements(web(sample, lang))
        if "ActualText" in element.attributes
    ]
    capitals = {plain_text(heading, lang).upper() for heading in headings}
    assert not capitals & set(tagged)


def test_foreign_phrases_carry_their_language(sample: Reports) -> None:
    marked = re.findall(r"\]\{lang=(\w+)\}", (SAMPLE / "fr.yaml").read_text())
    languages = [
        element.attributes["Lang"]
        for element in structure_elements(web(sample, "fr"))
        if "Lang" in element.attributes
    ]
    assert marked and languages == marked


@pytest.mark.parametrize("lang", LANGUAGES)
def test_structure_is_tidy(sample: Reports, lang: str) -> None:
    elements = structure_elements(web(sample, lang))
    assert [element.tag for element in elements if not element.content] == []
    texts = marked_texts(web(sample, lang))
    blank_spans = [
        element
        for element in elements
        if element.tag == "Span"
        and element.marked
        and element.content == len(element.marked)
        and not "".join(texts.get(each, "") for each in element.marked).strip()
    ]
    assert blank_spans == []
    for figure in (element for element in elements if element.tag == "Figure"):
        assert figure.bbox is not None and figure.page_box is not None
        left, bottom, right, top = figure.page_box
        x1, y1, x2, y2 = figure.bbox
        assert left <= x1 < x2 <= right and bottom <= y1 < y2 <= top


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_outline_opens_and_leads_to_headings(sample: Reports, lang: str) -> None:
    assert page_mode(web(sample, lang)) == "/UseOutlines"
    actions = outline_actions(web(sample, lang))
    assert actions and all(action["page"] for action in actions)
    assert all(re.fullmatch(r"/H[1-6]", action["element"]) for action in actions)


def test_link_descriptions_are_typeset(sample: Reports) -> None:
    descriptions = [link["contents"] for link in link_annotations(web(sample, "fr"))]
    assert not [text for text in descriptions if "'" in text or "]{" in text]
    assert any("’" in text for text in descriptions)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdfua_finds_nothing(sample: Reports, lang: str) -> None:
    import pdfua

    report = pdfua.validate(str(web(sample, lang)))
    assert [finding.rule_id for finding in report.findings] == []


def test_a_span_carries_a_language_and_its_typography() -> None:
    html = typeset('Le [“Forecasting” & "New"]{lang=en} "oui" ou non', "fr")
    assert html == (
        'Le<span lang="en"> “Forecasting” &amp; “New”</span> «\u202foui\u202f» ou non'
    )
    # A quote typed right after a span closes: “Français langue professionnelle”.
    html = typeset('the "[Français langue professionnelle]{lang=fr}" course', "en")
    assert html == (
        'the “<span lang="fr">Français langue professionnelle</span>” course'
    )
    # A heading keeps its short last word with the one before it; other
    # texts (a footer, a publisher's name) keep their spaces.
    assert typeset_heading("Actualités du réseau", "fr") == "Actualités du\xa0réseau"
    assert typeset("Une publication d’EMN Test", "fr") == "Une publication d’EMN Test"
    assert plain_text("[Workshop]{lang=en} d'été", "fr") == "Workshop d’été"


def test_a_span_keeps_only_a_language_and_known_classes() -> None:
    html = markdown_to_html(
        '[a]{lang=en style="color: red" onclick=x .button .name} [b]{lang="x y"}',
        "fr",
    )
    assert html == '<p><span lang="en" class="name">a</span><span> b</span></p>\n'


def test_names_are_never_hyphenated_addresses_untouched() -> None:
    html = markdown_to_html(
        "Ylva [Johansson]{.name}, <https://example.org/Johansson>", "fr"
    )
    assert '<span class="name"> Johansson</span>,' in html
    assert (
        'href="https://example.org/Johansson"> https://example.org/Johansson<' in html
    )
