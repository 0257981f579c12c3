"""The web page and the e-mail of an edition, as a build and a check make them.

A job of a build (:mod:`emn_pdf.build`) whose target is ``html`` or ``email``
writes its folder here, published whole or not at all, and what is found in
it; ``check`` asks for the findings alone.  No engine is loaded.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..issue.errors import Finding
from ..issue.model import titled_addresses
from ..layout.render import block_id
from ..machinery.files import atomic_folder
from ..machinery.jobs import BuildReport, Job, Target, checked_base_url
from ..machinery.remote import Remote
from .assets import kept_in
from .email import email_edition, html_size_problem
from .page import EditionFiles, web_page

if TYPE_CHECKING:
    from ..edition import Prepared

#: Where the model's walker ends an address (``emn_pdf.issue.model.ADDRESS``).
WALKER_STOPS = set(")<>]\"' \t\n")
#: What each web target is called in messages.
MEDIUM = {"html": "web page", "email": "e-mail"}


def write_target(
    job: Job, item: Prepared, started: float
) -> tuple[BuildReport, list[str]]:
    """Write the job's folder (``<issue-id>-<lang>-html`` or ``-email``).

    Returns its report, and the issue's files it read besides those the
    edition names (none: an SVG's pictures are the ones it holds).
    """
    remote = Remote() if job.allow_remote else None
    with kept_in(job.out_dir):  # the pictures made, for the next process
        made = made_for(item, job.target, checked_base_url(job.base_url), remote)
    folder = job.output(job.target)
    job.out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_folder(folder) as partial:
        for asset in made.files:
            path = partial / asset.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(asset.data)
    report = BuildReport(
        job.language,
        job.target,
        path=folder,
        size=made.size,
        seconds=time.perf_counter() - started,
        findings=inspect(item, job.target, made),
    )
    return report, []


def made_for(
    item: Prepared, target: Target, base_url: str | None, remote: Remote | None
) -> EditionFiles:
    """Return the files of the edition's web page or e-mail."""
    if target == "email":
        return email_edition(item, base_url, remote)
    return web_page(item, base_url, remote)


def inspect(
    item: Prepared, target: Target, made: EditionFiles | None = None
) -> list[Finding]:
    """Return what is wrong with the edition's web page or e-mail, located.

    ``E133``: a link of the edition that its page or message lacks (the
    layout's template leaves it out, and a reader loses it); ``W131``: an
    e-mail whose HTML webmails clip.
    """
    if made is None:
        made = made_for(item, target, None, None)
    medium = MEDIUM[target]
    findings = [
        Finding(
            "E133",
            f"the {medium} lacks the link {address}: its template leaves it out",
            block=name,
        )
        for name, address in _edition_links(item)
        if not _shown(address, made.links)
    ]
    if target == "email" and (problem := html_size_problem(made)):
        findings.append(Finding("W131", problem))
    return [item.locate(finding, target) for finding in findings]


def _shown(address: str, links: tuple[str, ...]) -> bool:
    """Tell whether a page links to ``address``.

    The model's walker ends an address where text would (at a ``<`` or a
    quote): a link field holding one is the link that begins so.
    """
    return any(
        link == address
        or (link.startswith(address) and link[len(address)] in WALKER_STOPS)
        for link in links
    )


def _edition_links(item: Prepared) -> list[tuple[str, str]]:
    """Return each block's name with each address it links to."""
    return [
        (block_id(section_index, block_index), address)
        for section_index, section in enumerate(item.loaded.edition.sections)
        for block_index, block in enumerate(section.blocks)
        for address in dict.fromkeys(address for _, address in titled_addresses(block))
    ]
