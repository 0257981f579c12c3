"""An edition as an e-mail: responsive HTML, its plain text, and an ``.eml``.

The layout's ``email.mjml.j2`` writes the message in MJML from the same
blocks as the PDF; mrml (MJML's Rust implementation) turns it into the
tables mail clients lay out, and css-inline moves the layout's ``email``
stylesheets into ``style`` attributes (webmails drop ``<style>``), keeping
its media queries (narrow screens, dark mode).  The plain text holds every
word and every address; the ``.eml`` (Python's ``email`` package) holds
both, and the pictures when no ``--base-url`` says where they will be
online.  Under 100 KB of HTML, no webmail clips it (``W131`` says when not).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_text
import re
import textwrap
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from lxml.etree import _Element

from ..issue.errors import Problem, UserError
from ..layout.layouts import Layout, Page
from ..layout.render import modification_date
from ..machinery.files import read_bounded
from ..machinery.remote import Remote
from . import markup
from .assets import Asset, Picture, mail_picture
from .page import MAX_STYLESHEET_BYTES, EditionFiles, edition_pictures
from .site import Site, edition_links

if TYPE_CHECKING:
    from ..edition import Prepared

EMAIL_TEMPLATE = "email.mjml.j2"
#: A message is 600 CSS pixels wide; its pictures have twice the pixels.
PICTURE_PIXELS = 1200
#: Gmail clips a message whose HTML passes about 102 KB.
MAX_HTML_BYTES = 100 * 1024
TEXT_WIDTH = 76
#: Elements that end a line of the plain text, and those a blank line follows.
LINE_ELEMENTS = {
    "p", "div", "h1", "h2", "h3", "h4", "li", "tr", "figure", "figcaption",
    "article", "section", "header", "footer", "aside", "ul", "ol", "blockquote",
}  # fmt: skip
PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "article", "section", "aside", "ul", "ol"}
SKIPPED = {"head", "style", "title", "script"}
UNDERLINES = {"h1": "=", "h2": "-"}
SPACES = re.compile(r"[ \t\r\n]+")


def email_edition(
    item: Prepared, base_url: str | None, remote: Remote | None
) -> EditionFiles:
    """Return the edition's e-mail: ``.eml``, HTML, text, and pictures to upload."""
    pictures = edition_pictures(item, remote, mail_picture_of)
    site = Site(item.issue_id, base_url)
    links = edition_links(site, item.issue_dir, item.language, absolute=True)
    context = {"web": {**links, "colours": _colours(item.layout)}}
    template = item.layout.folder / EMAIL_TEMPLATE
    mjml = item.render(Page("email"), EMAIL_TEMPLATE, context)
    subject, html = _from_mjml(mjml, template)
    root = markup.parsed(_inlined(html, item.layout))
    markup.refuse_code(root, template, "e-mail")
    markup.drop_attributes(root, lambda name: not name.startswith("data-"))
    markup.collapse_spaces(root)
    folder = site.absolute(item.language, "email")
    inline = _point_at_pictures(
        root, pictures, folder, f"{item.issue_id}-{item.language}"
    )
    html = markup.serialised(root)
    text = plain_text(root)
    name = f"{item.issue_id}-{item.language}"
    eml = message(item, subject, text, html, inline)
    uploaded = (
        []
        if folder is None
        else [copy for picture in pictures.values() for copy in picture.copies]
    )
    files = (
        Asset(f"{name}.eml", eml),
        Asset(f"{name}.html", html.encode("utf-8")),
        Asset(f"{name}.txt", text.encode("utf-8")),
        *sorted(set(uploaded), key=lambda asset: asset.name),
    )
    return EditionFiles(files, tuple(markup.links_in(root)))


def mail_picture_of(item: Prepared, src: str, data: bytes) -> Picture:
    """Return a picture made for the e-mail, SVG drawn with the layout's fonts."""
    return mail_picture(src, data, PICTURE_PIXELS, item.layout)


def _colours(layout: Layout) -> dict[str, str]:
    """Return the theme's screen colours by role: MJML's attributes take values."""
    return {role: colour.rgb for role, colour in layout.theme.colours.items()}


def _from_mjml(mjml: str, template: Path) -> tuple[str, str]:
    """Return the subject (``mj-title``) and HTML of an MJML message.

    Nothing is included from elsewhere (``mj-include`` loads nothing), and no
    font is fetched from the web.
    """
    import mrml

    try:
        output = mrml.to_html(
            mjml,
            parser_options=mrml.ParserOptions(include_loader=mrml.noop_loader()),
            render_options=mrml.RenderOptions(disable_comments=True, fonts={}),
        )
    except Exception as error:  # mrml raises its own kinds for a bad template
        raise UserError(
            Problem(
                f"template error: not a valid MJML message ({error})", file=template
            )
        ) from None
    return html_text.unescape(output.title or ""), output.content


def _inlined(html: str, layout: Layout) -> str:
    """Return ``html`` with the layout's e-mail stylesheets moved into the elements.

    Media queries (a narrow screen, dark mode) stay in a ``<style>``: the
    clients that read them need them there.
    """
    import css_inline

    variables = layout.theme.variables("email")
    css = [
        ":root {",
        *(f"  {name}: {value};" for name, value in variables.items()),
        "}",
    ]
    for path in layout.stylesheet_paths("email"):
        try:
            css.append(read_bounded(path, MAX_STYLESHEET_BYTES).decode("utf-8"))
        except (ValueError, OSError, UnicodeDecodeError) as error:
            raise UserError(
                Problem(f"cannot read the stylesheet: {error}", file=path)
            ) from None
    inliner = css_inline.CSSInliner(
        keep_at_rules=True,
        load_remote_stylesheets=False,
        extra_css="\n".join(css),
        resolve_css_variables=True,
        minify_css=True,
    )
    try:
        inlined: str = inliner.inline(html)
    except ValueError as error:
        raise UserError(
            Problem(
                f"cannot inline the e-mail's stylesheets: {error}", file=layout.folder
            )
        ) from None
    return inlined


def _point_at_pictures(
    root: _Element, pictures: dict[str, Picture], folder: str | None, domain: str
) -> dict[str, Asset]:
    """Point each ``<img>`` at its picture online, or attached; return those attached.

    Each gets its width as an attribute (Outlook reads no CSS width), and
    shrinks with a narrow screen.
    """
    attached: dict[str, Asset] = {}
    for image in markup.pictures_in(root):
        picture = pictures.get(image.get("src", ""))
        if picture is None:
            continue
        copy = picture.widest
        if folder is not None:
            image.set("src", folder + copy.name)
        else:
            cid = f"{quote(Path(copy.name).name)}@{domain}"
            attached[cid] = copy
            image.set("src", f"cid:{cid}")
        shown = min(picture.width // 2, PICTURE_PIXELS // 2)
        image.set("width", str(shown))
        image.set("style", f"width:100%;max-width:{shown}px;height:auto")
    return attached


def plain_text(root: _Element) -> str:
    """Return the message as plain text: every word, and every address it links to."""
    pieces: list[str] = []
    body = root.find("body")
    _text_of(body if body is not None else root, pieces)
    lines = [line.strip() for line in "".join(pieces).split("\n")]
    paragraphs = "\n".join(lines)
    wrapped = [
        textwrap.fill(line, TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)
        for line in re.sub(r"\n{3,}", "\n\n", paragraphs).strip().split("\n")
    ]
    return "\n".join(wrapped) + "\n"


def _text_of(element: _Element, pieces: list[str]) -> None:
    """Append the text of ``element`` and its tail, lines ended where blocks end."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag not in SKIPPED and not _hidden(element):
        if tag in LINE_ELEMENTS:
            pieces.append("\n\n" if tag in PARAGRAPHS else "\n")
        if tag == "li":
            pieces.append("- ")
        start = len(pieces)
        pieces.append(SPACES.sub(" ", element.text or ""))
        for child in element:
            _text_of(child, pieces)
        _ended(element, tag, pieces, start)
    pieces.append(SPACES.sub(" ", element.tail or ""))


def _ended(element: _Element, tag: str, pieces: list[str], start: int) -> None:
    """Append what ends an element in the text: its address, a line, a rule."""
    if tag == "a" and (address := element.get("href", "").strip()):
        pieces.append(f" <{address}>")
    elif tag == "br":
        pieces.append("\n")
    elif tag in UNDERLINES:
        written = "".join(pieces[start:]).strip()
        pieces.append("\n" + UNDERLINES[tag] * min(len(written), TEXT_WIDTH))
    if tag in LINE_ELEMENTS:
        pieces.append("\n")


def _hidden(element: _Element) -> bool:
    """Tell whether an element is hidden (the preview line before the message)."""
    return "display:none" in element.get("style", "").replace(" ", "")


def message(
    item: Prepared,
    subject: str,
    text: str,
    html: str,
    inline: dict[str, Asset],
) -> bytes:
    """Return the ``.eml``: the text and the HTML as alternatives, pictures inline.

    Its date, identifiers and boundaries come from the issue and the
    content: the same inputs give the same bytes.
    """
    masthead = item.loaded.edition.masthead
    digest = hashlib.sha256((text + html).encode()).hexdigest()[:24]
    mail = EmailMessage(policy=policy.SMTP)
    mail["Subject"] = subject
    if (sender := _sender(item)) is not None:
        mail["From"] = Address(masthead.organisation, addr_spec=sender)
    mail["Date"] = format_datetime(_sent(modification_date(masthead.date)))
    mail["Message-ID"] = f"<{item.issue_id}-{item.language}.{digest}@emn-pdf.invalid>"
    mail["Content-Language"] = item.language
    mail.set_content(text, cte="quoted-printable")
    mail.add_alternative(html, subtype="html", cte="quoted-printable")
    html_part = mail.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    for cid, asset in sorted(inline.items()):
        subtype = "png" if asset.name.endswith(".png") else "jpeg"
        html_part.add_related(
            asset.data, "image", subtype, cid=f"<{cid}>", filename=Path(asset.name).name
        )
    for number, part in enumerate(mail.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_emn-pdf-{number}-{digest}")
    return mail.as_bytes()


def _sender(item: Prepared) -> str | None:
    """Return the edition's contact e-mail address, the message's sender, if any."""
    for section in item.loaded.edition.sections:
        for block in section.blocks:
            if address := getattr(block, "email", None):
                return str(address)
    return None


def _sent(modified: str) -> dt.datetime:
    """Return when the message counts as sent: the issue date, or the build's epoch."""
    if "T" in modified:
        return dt.datetime.fromisoformat(modified.replace("Z", "+00:00"))
    return dt.datetime.combine(dt.date.fromisoformat(modified), dt.time(), dt.UTC)


def html_size_problem(files: EditionFiles) -> str | None:
    """Say if the e-mail's HTML is too large for webmails, which clip it."""
    size = len(files.files[1].data)
    if size <= MAX_HTML_BYTES:
        return None
    return (
        f"the e-mail's HTML is {size / 1024:.0f} KB: webmails clip a message over"
        f" {MAX_HTML_BYTES // 1024} KB (shorten it, or link to the web page)"
    )
