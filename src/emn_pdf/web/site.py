"""Where an issue's files are online, seen from one of its editions.

A build writes, for each edition, its PDFs, its cover, its web page's folder
and its e-mail's folder side by side in the output folder; uploaded as they
are, the web page reaches the others by relative addresses.  Given
``--base-url`` (where that folder will be online), every address is absolute:
what an e-mail, Open Graph and an Atom feed need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..issue.errors import UserError
from ..layout.i18n import load_catalogue
from ..machinery.jobs import edition_files

#: The file or folder of each part of an edition, after ``<issue-id>-<lang>-``.
PARTS = {
    "html": "html/",
    "email": "email/",
    "pdf": "web.pdf",
    "print_pdf": "print.pdf",
    "cover": "cover.png",
}


@dataclass(frozen=True)
class Site:
    """The addresses of an issue's files, from an edition's folder."""

    issue_id: str
    base_url: str | None

    def name(self, language: str, part: str) -> str:
        """Return the name of an edition's part in the output folder."""
        return f"{self.issue_id}-{language}-{PARTS[part]}"

    def relative(self, language: str, part: str) -> str:
        """Return the address of a part from an edition's folder."""
        absolute = self.absolute(language, part)
        return absolute or f"../{self.name(language, part)}"

    def absolute(self, language: str, part: str) -> str | None:
        """Return the address of a part online, if the base address is known."""
        if self.base_url is None:
            return None
        return self.base_url + self.name(language, part)


def edition_links(
    site: Site, issue_dir: Path, language: str, absolute: bool = False
) -> dict[str, Any]:
    """Return what the templates are told of the issue's other files (``web``).

    Each edition of the issue (its language, its name for itself, its web
    page), the PDFs of this one, its cover and its own address online.  With
    ``absolute`` (an e-mail), an address not known online is ``None``.
    """
    address = site.absolute if absolute else site.relative
    editions = [
        {
            "language": other,
            "name": _language_name(other),
            "href": address(other, "html"),
            "current": other == language,
        }
        for other in edition_files(issue_dir)
    ]
    return {
        "editions": editions,
        "pdf": address(language, "pdf"),
        "print_pdf": address(language, "print_pdf"),
        "cover": site.absolute(language, "cover"),
        "url": site.absolute(language, "html"),
    }


def _language_name(language: str) -> str:
    """Return the language's name for itself, or its code without a catalogue."""
    try:
        return load_catalogue(language).name
    except UserError:
        return language
