"""Issue 31: typesetting a typographer would sign, measured from glyph positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from typesetting import measure
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

import emn_pdf
from emn_pdf.layout.text import markdown_to_html, typographic

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "noto-serif" / "NotoSerif-Regular.ttf"


@pytest.mark.parametrize(
    ("typed", "language", "set_as"),
    [
        ("le 1er décembre", "fr", "le 1ᵉʳ\u00a0décembre"),
        ("du XIXe siècle", "fr", "du XIXᵉ\u00a0siècle"),
        ("de 8 h 30", "fr", "de 8\u00a0h\u00a030"),
        ("au 03 87 12 34 56.", "fr", "au 03\u00a087\u00a012\u00a034\u00a056."),
        ("4 215 visites", "fr", "4\u202f215\u00a0visites"),
        ("60 %", "fr", "60\u202f%"),
        ("M. Dupont", "fr", "M.\u00a0Dupont"),
        ("on 6 February at 5.30 pm", "en", "on 6\u00a0February at 5.30\u00a0pm"),
        ("Dr. R. K. Osei", "en", "Dr.\u00a0R.\u00a0K.\u00a0Osei"),
        ("February 6", "en", "February\u00a06"),
        ("von 9–12 Uhr", "de", "von 9–\u206012\u00a0Uhr"),
        ("am 27. November", "de", "am 27.\u00a0November"),
        ("im Jahr 2024 schon", "de", "im Jahr 2024 schon"),  # a year goes on
    ],
)
def test_the_typographer_keeps_together_what_a_line_must_not_part(
    typed: str, language: str, set_as: str
) -> None:
    assert typographic(typed, language) == set_as


def first_lines(html: str, width: str) -> list[str]:
    """Lay ``html`` out in a column ``width`` wide; return its lines' text."""
    page = f"""<html lang="en"><style>
    @font-face {{ font-family: Body; src: url({FONT.as_uri()}) }}
    html {{ font: 9.2pt/1.45 Body; hyphens: auto }} p {{ width: {width}; margin: 0 }}
    .name {{ hyphens: manual }}</style>{html}"""
    lines: list[str] = []

    def walk(box: boxes.Box) -> None:
        if isinstance(box, boxes.LineBox):
            texts = [b.text for b in box.descendants() if isinstance(b, boxes.TextBox)]
            lines.append("".join(texts))
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(HTML(string=page).render().pages[0]._page_box)
    return lines


def test_a_no_break_space_before_a_name_leaves_no_stray_line() -> None:
    """The cause of stray short lines: WeasyPrint 70 breaks a line at its
    first opportunity when a no-break space stands right before an inline
    element that may not be hyphenated ("This / year’s national…"); the
    no-break space (here typed by the editor) goes inside the element."""
    body = (
        "This year’s national conference took place on 2\u00a0[October]{.name} at the"
        " University of Luxembourg and focused on the mental health of staff."
    )
    html = str(markdown_to_html(body, "en"))
    assert "2<span" in html and "\u00a0October</span>" in html
    lines = first_lines(html, "311px")
    assert lines[0].startswith("This year’s national conference"), lines
    # Without the fix, the same text leaves "This" alone on the first line.
    unfixed = html.replace('2<span class="name">\u00a0', '2\u00a0<span class="name">')
    assert first_lines(unfixed, "311px")[0] == "This"


def test_an_interview_question_is_marked_and_kept_with_its_answer() -> None:
    html = str(markdown_to_html("**Wie lange dauert es?**\n\nAcht Monate.", "de"))
    assert html.startswith('<p class="question"><strong>')


def test_the_sample_is_set_as_a_typographer_would(
    sample: dict[tuple[str, str], emn_pdf.BuildReport],
) -> None:
    """Every edition and target: at most 3 % loose lines, no stray line, no
    parted pair, no ladder over 2, no word cut across a page turn."""
    for (language, target), report in sample.items():
        assert report.path is not None
        figures = measure(report.path, language)
        assert figures.loose_share <= 0.03, (language, target, figures.loose[:5])
        assert not figures.stray, (language, target, figures.stray)
        assert not figures.parted, (language, target, figures.parted)
        assert figures.ladder <= 2, (language, target)
        assert not figures.page_cuts, (language, target, figures.page_cuts)
