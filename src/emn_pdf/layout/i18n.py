"""Label catalogues and locale-aware dates.

Every fixed word a layout prints ("Lien", "page", month names) comes from the
edition language's catalogue (``catalogues/<lang>.yaml``) or from Babel, never
from a template or from Python code, so that adding a language is adding a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from re import Pattern

from babel import Locale
from babel.dates import format_date
from pydantic import BaseModel, ConfigDict, Field

from ..issue.errors import Problem, UserError
from ..issue.load import LoadedEdition, merged, read_yaml, validated

CATALOGUE_DIR = Path(str(files("emn_pdf"))) / "catalogues"


class Labels(BaseModel):
    """Words the layouts print, by role; an edition may override any of them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    edition: str = Field(description="Names the edition: 'Édition française'.")
    link: str = Field(description="Default text of a link button: 'Lien'.")
    read: str = Field(description="Button of a brief: 'Cliquez ici pour lire'.")
    page: str = Field(description="Before the page number in the footer.")
    page_of: str = Field(description="Between page number and page count: '/'.")
    website: str = Field(description="Label of the contact block's web site.")
    email: str = Field(description="Label of the contact block's e-mail.")
    phone: str = Field(description="Label of a contact's phone number.")
    address: str = Field(description="Label of a contact's postal address.")
    hours: str = Field(description="Label of a contact's opening hours.")
    issue_number: str = Field(description="Before the issue number: 'Numéro'.")
    stay_in_touch: str = Field(description="Default title of a contact block.")
    notes: str = Field(description="Title of a page left for notes (print).")
    offers: str = Field(
        description="Title of a print page listing the issue's links and"
        " coming dates: 'En ligne et à venir'."
    )
    offers_continued: str = Field(
        description="After that title on the pages that continue the list."
    )
    coming_up: str = Field(description="Over a coming date on that page: 'À venir'.")
    published_by: str = Field(
        description="The publisher line, '{publisher}' standing for the"
        " publisher: 'Une publication de {publisher}'."
    )
    date_to_be_confirmed: str = Field(
        description="Printed for an event without a date: 'Date à confirmer'."
    )
    by: str = Field(description="Before an author's name: 'Par'.")
    read_online: str = Field(description="The e-mail's link to its web page.")
    web_edition: str = Field(description="Names the web page of an edition.")
    pdf_edition: str = Field(description="Names the web PDF of an edition.")
    print_edition: str = Field(description="Names the print PDF of an edition.")
    languages: str = Field(description="Names the links to the other languages.")
    contents: str = Field(description="Names the web page's table of contents.")
    skip_to_content: str = Field(description="The web page's first link, to skip.")
    archive: str = Field(description="Title of the page listing every issue.")
    feed: str = Field(description="Names the archive's Atom feed.")


class Typography(BaseModel):
    """What a line never parts in the language, besides numbers (``typographer``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    titles: tuple[str, ...] = Field(
        (), description="Titles kept with the name after them: 'Dr', 'Mme'."
    )
    units: tuple[str, ...] = Field(
        (), description="Units kept with the number after them: 'h' of '12 h 30'."
    )
    ordinals: bool = Field(
        False, description="Set ordinals typed '1er', '2e', 'XIXe' raised (French)."
    )


class Catalogue(BaseModel):
    """The fixed wording of one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    locale: str = Field(description="Babel locale for dates, e.g. fr_FR, en_GB.")
    name: str = Field(description="The language's own name for itself.")
    labels: Labels
    networks: dict[str, str] = Field(description="Social network display names.")
    stores: dict[str, str] = Field(description="App store display names.")
    typography: Typography = Field(
        default_factory=lambda: Typography(),
        description="What a line never parts: titles, units, ordinals.",
    )
    contractions: list[tuple[Pattern[str], str]] = Field(
        [],
        description="What the language contracts once a message is filled in,"
        " as [regular expression, replacement]: French 'de le ' -> 'du ',"
        " 'de' before a vowel -> 'd’'.",
    )


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_message(message: str, catalogue: Catalogue, **values: str) -> str:
    """Return ``message`` with its ``{name}`` placeholders filled in.

    The language's contractions then make the words agree: "de l’Institut"
    stays, "de le Centre" becomes "du Centre", "de EMN" becomes "d’EMN".  A
    message without a placeholder (a reworded label) gets the values after it.
    """
    if not PLACEHOLDER.search(message):
        message += " " + " ".join(f"{{{name}}}" for name in values)
    text = PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), message)
    for pattern, replacement in catalogue.contractions:
        text = pattern.sub(replacement, text)
    return text


def typography(language: str) -> Typography:
    """Return the typography of ``language`` (a span's ``en-GB`` is ``en``'s).

    A language without a catalogue has none.
    """
    base = language.split("-")[0].lower()
    if not catalogue_path(base).is_file():
        return Typography()
    return load_catalogue(base).typography


def supported_languages() -> list[str]:
    """Return the language codes that have a catalogue."""
    return sorted(path.stem for path in CATALOGUE_DIR.glob("*.yaml"))


def catalogue_path(language: str) -> Path:
    """Return the file of the catalogue of ``language``."""
    return CATALOGUE_DIR / f"{language}.yaml"


@cache
def load_catalogue(language: str) -> Catalogue:
    """Return the catalogue of ``language`` or explain which ones exist."""
    path = catalogue_path(language)
    if not path.is_file():
        supported = ", ".join(supported_languages())
        raise UserError(
            Problem(f"no catalogue for language {language!r} (supported: {supported})")
        )
    return validated(read_yaml(path), Catalogue)


def edition_catalogue(
    loaded: LoadedEdition, layout_files: Sequence[Path] = ()
) -> Catalogue:
    """Return the edition language's catalogue, the layout's and the edition's.

    A layout's catalogue files (``layout_files``, the layouts it extends
    first) reword what they name; an edition may reword a label (``labels:
    {link: "En savoir plus"}``), and a key that is not a label is reported at
    its line.
    """
    catalogue = load_catalogue(loaded.language)
    for path in layout_files:
        document = read_yaml(path)
        data = document.data
        if isinstance(data, dict):  # else the validation says what it should be
            data = merged(catalogue.model_dump(), data)
        catalogue = validated(replace(document, data=data), Catalogue)
    overrides = loaded.edition.labels
    unknown = sorted(set(overrides) - set(Labels.model_fields))
    if unknown:
        known = ", ".join(Labels.model_fields)
        raise UserError(
            loaded.document.problem(("labels", key), f"unknown label (known: {known})")
            for key in unknown
        )
    labels = catalogue.labels.model_copy(update=overrides)
    return catalogue.model_copy(update={"labels": labels})


def format_day(day: dt.date, locale: str) -> str:
    """Return ``day`` written out, e.g. '2 octobre 2024'."""
    return format_date(day, "long", locale=locale)


def format_month(day: dt.date, locale: str) -> str:
    """Return the month and year of ``day`` as a heading says it: 'décembre 2024'."""
    return format_date(day, "LLLL y", locale=locale)


def format_date_range(start: dt.date, end: dt.date, locale: str) -> str:
    """Return a span of days the way the locale writes it, months in full.

    CLDR has interval patterns only for abbreviated months (``yMMMd``), so the
    month fields of those patterns are widened: '25-26 septembre 2024',
    '25.-26. September 2024', '30 décembre 2024 - 2 janvier 2025' (with the
    locale's own dashes and spaces).
    """
    if start == end:
        return format_day(start, locale)
    patterns = Locale.parse(locale).interval_formats["yMMMd"]
    greatest = (
        "y" if start.year != end.year else "M" if start.month != end.month else "d"
    )
    first, second = (pattern.replace("MMM", "MMMM") for pattern in patterns[greatest])
    return format_date(start, first, locale=locale) + format_date(
        end, second, locale=locale
    )
