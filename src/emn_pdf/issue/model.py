"""The data model of a newsletter issue, as editors write it in YAML.

One :class:`Edition` is one language version of an issue.  Every model forbids
unknown fields so that a typo is an error rather than silently lost text, and
every field carries a description (it becomes the JSON Schema editors see).
Validation that depends on where the file lives (image files, the language
code in the file name) reads the folder from the validation context that
:func:`emn_pdf.issue.load.load_edition` passes in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, ClassVar, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .errors import display_path
from .pictures import (
    FORMATS,
    MIN_PRINT_TEXT,
    check_picture,
    picture_pixels,
    picture_shape,
    svg_text_share,
)


class Strict(BaseModel):
    """Base of every model: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_web_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or " " in url:
        raise ValueError(f"{url!r} is not a web address (expected https://...)")
    return url


def _check_email(address: str) -> str:
    # Editors copy addresses from a web page's link: "mailto:" is how a
    # link says "e-mail", not part of the address.
    address = address.removeprefix("mailto:")
    if not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}", address):
        raise ValueError(f"{address!r} is not an e-mail address")
    return address


WebUrl = Annotated[str, AfterValidator(_check_web_url)]
Fraction = Annotated[float, Field(ge=0, le=1)]
#: What page makeup may do to a block's pictures (see ``BlockBase.pictures``).
PictureFit = Literal["cropped", "scaled", "whole"]


@dataclass(frozen=True)
class CropLimits:
    """How far a picture's box may be from its own shape: the documented limits.

    Its box's height over the picture's height at the box's width: a column
    picture 0.7-1.4 (at 0.7 its top and foot are cut, 0.7 of its height
    shown; at 1.4 its sides, 1/1.4 of its width), a band 0.5-1.3.  The
    layouts' stylesheets read them (``--picture-least``...) and page makeup
    resizes within them; a chart, a cover and ``crop: never`` are not cropped.
    """

    picture: tuple[float, float] = (0.7, 1.4)
    band: tuple[float, float] = (0.5, 1.3)

    def variables(self) -> dict[str, str]:
        """Return them as the CSS custom properties the stylesheets read."""
        return {
            "--picture-least": str(self.picture[0]),
            "--picture-most": str(self.picture[1]),
            "--band-least": str(self.band[0]),
            "--band-most": str(self.band[1]),
        }


CROP_LIMITS = CropLimits()
Email = Annotated[str, AfterValidator(_check_email)]
Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[
    str,
    Field(
        min_length=1,
        description="Markdown: paragraphs, *emphasis*, **strong**, [links](https://...)"
        " and lists; raw HTML is shown as text.",
    ),
]

IMAGE_SUFFIXES = {".svg", *FORMATS}
NOT_IN_PATHS = set(":?#%\\")


class Link(Strict):
    """A web address shown as a button; the label defaults to the layout's."""

    url: WebUrl = Field(description="The address the button opens.")
    label: Text | None = Field(
        None, description="Button text; the edition language's 'Lien' by default."
    )


def is_remote(src: str) -> bool:
    """Tell whether a picture's ``src`` is a web address, not a file of the issue.

    A validated ``src`` is one or the other: any other scheme is refused,
    plain ``http`` too (a download is over https only).
    """
    return urlsplit(src).scheme == "https"


#: Words an editor may give as a picture's ``focus``: each sets the point's
#: x or y (``top left`` is [0, 0]); the other stays at the middle.
FOCUS_WORDS = {
    "top": (None, 0.0),
    "bottom": (None, 1.0),
    "left": (0.0, None),
    "right": (1.0, None),
    "center": (None, None),
}


def _focus_point(value: Any) -> Any:
    """Return a focus given in words (``top``, ``bottom left``) as [x, y]."""
    if not isinstance(value, str):
        return value
    words = value.lower().split()
    if not words or any(word not in FOCUS_WORDS for word in words):
        raise ValueError(
            f"focus {value!r} is neither [x, y] (0 to 1 from the top left) nor"
            f" words among {', '.join(FOCUS_WORDS)} (e.g. 'top' or 'top left')"
        )
    point = [0.5, 0.5]
    for word in words:
        for axis, given in enumerate(FOCUS_WORDS[word]):
            point[axis] = point[axis] if given is None else given
    return tuple(point)


Focus = Annotated[
    tuple[Fraction, Fraction],
    BeforeValidator(_focus_point),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "array",
                    "items": {"type": "number", "minimum": 0, "maximum": 1},
                    "minItems": 2,
                    "maxItems": 2,
                },
                {
                    "type": "string",
                    "pattern": f"^\\s*(({'|'.join(FOCUS_WORDS)})\\s*)+$",
                },
            ]
        }
    ),
]


class Image(Strict):
    """A picture from the issue's ``images/`` folder, always with alt text."""

    #: Its shape, handed to templates: a layout bounds the picture's box by it.
    derived: ClassVar[tuple[str, ...]] = ("shape", "legible_width")
    _shape: float | None = PrivateAttr(None)
    _text_share: float | None = PrivateAttr(None)
    _pixels: int | None = PrivateAttr(None)

    src: str = Field(
        description="Path relative to the issue folder, e.g. images/event.png;"
        " or an https:// address, fetched only when the build allows it.",
    )
    alt: Text = Field(
        description="What the picture shows, read aloud to blind readers."
    )
    caption: Text | None = Field(None, description="Optional caption under it.")
    credit: Text | None = Field(
        None,
        description="Source or photographer, printed in small type under the"
        " picture: 'Source : STATEC, 2024', '© Ville de Luxembourg'.",
    )
    focus: Focus = Field(
        (0.5, 0.5),
        description="The point to keep in view when the picture is cropped:"
        " [x, y] from the top left, 0 to 1 (faces, say), or words: top, bottom,"
        " left, right, center ('top left').",
    )
    crop: Literal["auto", "never"] = Field(
        "auto",
        description="auto: page makeup may crop the picture around its focus to"
        " fit a band or fill a column; never: shown whole, for charts and"
        " infographics.",
    )

    @field_validator("src")
    @classmethod
    def _readable_picture(cls, src: str, info: ValidationInfo) -> str:
        if urlsplit(src).scheme == "http":
            raise ValueError(
                f"{src!r}: pictures are downloaded over https only (https://...)"
            )
        if is_remote(src):
            return _check_web_url(src)
        relative = PurePosixPath(src)
        # A scheme (data:, file:), a query, a fragment or an escape would make
        # the address the engine reads differ from the file checked here.
        if relative.is_absolute() or ".." in relative.parts or NOT_IN_PATHS & set(src):
            raise ValueError(f"{src!r} must be a path inside the issue folder")
        if relative.suffix.lower() not in IMAGE_SUFFIXES:
            allowed = ", ".join(sorted(IMAGE_SUFFIXES))
            raise ValueError(f"{src!r} is not a supported image ({allowed})")
        issue_dir = (info.context or {}).get("issue_dir")
        if issue_dir is not None:
            _check_picture_file(Path(issue_dir), src)
        return src

    @model_validator(mode="after")
    def _measure_shape(self, info: ValidationInfo) -> Image:
        issue_dir = (info.context or {}).get("issue_dir")
        if issue_dir is not None and not is_remote(self.src):
            path = Path(issue_dir) / self.src
            shape = picture_shape(path)
            self._shape = None if shape is None else round(shape, 4)
            self._pixels = picture_pixels(path)
            if self._pixels is None:
                self._text_share = svg_text_share(path)
        return self

    def shape(self) -> float | None:
        """Return the picture's height over its width, ``None`` if not known."""
        return self._shape

    def pixels(self) -> int | None:
        """Return a bitmap's width in pixels.

        ``None`` for a vector picture, or one from the web: as far as is
        known here, any size keeps it sharp.
        """
        return self._pixels

    def legible_width(self) -> float | None:
        """Return the width, in CSS pixels, its smallest text prints 6 pt at.

        ``None`` for a picture that draws no text (a photograph, an SVG
        without text, a picture from the web).  Layouts let a chart grow to
        it (``layouts/README.md``), page makeup sets it over the columns it
        needs, and preflight warns where it still prints smaller (W140).
        """
        return None if not self._text_share else MIN_PRINT_TEXT / self._text_share


class Illustration(Image):
    """A block's main picture, which may also be set as a band across the page.

    Only a field a layout can show as a band takes ``fit``: on a cover, a
    logo or a chart it would be silently ignored, so there it is an error.
    """

    fit: Literal["column", "page-width", "full-bleed"] = Field(
        "column",
        description="column: as wide as its column; page-width: a band across the"
        " page above the block; full-bleed: a band to the paper's edges.",
    )


#: The ``fit`` values that set a picture as a band across the page.
BAND_FITS = ("page-width", "full-bleed")


def band_picture(block: BlockBase) -> Illustration | None:
    """Return the block's picture set as a band across the page, if it has one."""
    image = getattr(block, "image", None)
    if isinstance(image, Illustration) and image.fit in BAND_FITS:
        return image
    return None


def charts(block: BlockBase) -> list[Image]:
    """Return the pictures of a block whose text is read: a figure's, or shown whole.

    A chart's labels must stay legible; the text drawn on a report's cover
    or in an illustration is a picture of text, like a photographed sign.
    """
    images = [
        image
        for name in type(block).model_fields
        for value in [getattr(block, name)]
        for image in (value if isinstance(value, list) else [value])
        if isinstance(image, Image)
    ]
    return [i for i in images if i.crop == "never" or block.pictures == "whole"]


def _check_picture_file(issue_dir: Path, src: str) -> None:
    path = issue_dir / src
    if not path.is_file():
        raise ValueError(f"image file {src!r} not found in {display_path(issue_dir)}")
    if not path.resolve().is_relative_to(issue_dir.resolve()):
        raise ValueError(f"{src!r} is a link to a file outside the issue folder")
    check_picture(path)


class DateRange(Strict):
    """Several consecutive days, such as a two-day workshop."""

    start: dt.date = Field(description="First day, YYYY-MM-DD.")
    end: dt.date = Field(description="Last day, YYYY-MM-DD.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


def _date_form(value: Any) -> str:
    return "range" if isinstance(value, dict | DateRange) else "day"


When = Annotated[
    Annotated[dt.date, Tag("day")] | Annotated[DateRange, Tag("range")],
    Discriminator(_date_form),
]


KIND = "Which kind of block this is; it decides the fields and the layout."


class Byline(Strict):
    """Who wrote an article, as the newsletter credits them."""

    name: Text = Field(description="The author's name.")
    role: Text | None = Field(None, description="e.g. 'chargée de recherche'.")


BYLINE = "Who wrote it: {name, role}."
MORE_IMAGES = (
    "More pictures, in a row under the text (a partner's logo, a second"
    " photo); none is enlarged beyond its own pixels."
)
LINKS = (
    "Links: the first is the button, the others are listed under it; in"
    " print each is a QR code captioned with its label."
)
PULL_QUOTE = (
    "A sentence of the body, word for word, that page makeup may set large"
    " beside the article where a page of it would keep a hole (said in I137"
    " when used, I138 when not); screen readers read it once, in the body."
)
#: Markdown's marks and the typographer's characters, as a reader does not
#: see them: a pull quote is found in its body whatever its quotes and spaces.
_READING_MARKS = re.compile(
    r"\]\([^)]*\)|\{[^}]*\}|[*_`\\\[\]\"'\u00ab\u00bb\u2018-\u201f\u2039\u203a]"
)
_READING_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2026": "..."})


def reading_form(text: str) -> str:
    """Return ``text`` as a reader sees its words: no Markdown, quotes or spacing.

    Links keep their text, emphasis its words; quotes and apostrophes of any
    style are left out, dashes and ellipses written plainly, every run of
    spaces (no-break ones too) one space.
    """
    text = _READING_MARKS.sub("", text).translate(_READING_DASHES)
    return " ".join(text.split())


def _check_pull_quote(quote: str | None, info: ValidationInfo) -> str | None:
    body = (info.data or {}).get("body")
    if quote is None or body is None:
        return quote
    if reading_form(quote).rstrip(".,;:!? ") not in reading_form(body):
        raise ValueError(
            f"the pull quote {quote!r} is not in the block's body, word for"
            " word: copy a sentence of the body (quotes, spaces and the final"
            " stop may differ)"
        )
    return quote


#: A sentence of a block's ``body``, checked against it: after ``body``.
PullQuote = Annotated[Text | None, AfterValidator(_check_pull_quote)]


class BlockBase(Strict):
    """What every content block has, whatever its kind.

    A kind is a subclass with a ``kind`` literal, listed in :data:`Block`;
    what page makeup and ``new`` must know of it is said here, by class
    attributes, so that no other module lists kinds.
    """

    #: Closes an issue (contact, greeting): kept together at its end.
    closing: ClassVar[bool] = False
    #: Always set across the whole grid.
    full_width: ClassVar[bool] = False
    #: What makeup may do to its pictures to fill a page: crop them to a new
    #: height, scale them down whole, or leave them whole at their size.
    pictures: ClassVar[PictureFit] = "cropped"
    #: Belongs to the newsletter, not to one issue: ``new`` carries it over.
    carried_over: ClassVar[bool] = False
    #: Methods whose results templates get as values (:func:`emn_pdf.plain.plain`):
    #: templates are handed plain data, never a model's methods.
    derived: ClassVar[tuple[str, ...]] = ("addresses", "link_labels")

    edition_only: bool = Field(
        False,
        description="True for a block that exists in this language edition only;"
        " 'emn-pdf check' then does not look for it in the other editions.",
    )
    span: Literal[1, 2, 3, "page"] | None = Field(
        None,
        description="How many columns the block spans, or 'page' for the whole"
        " width; page makeup chooses if unset.",
    )
    new_page: bool = Field(False, description="True to start the block on a new page.")
    keep_with_next: bool = Field(
        False,
        description="True to keep the block on the same page as the block after it.",
    )

    def addresses(self) -> list[str]:
        """Return every address the block links to, in order, once each.

        Link fields, the contact e-mail (as ``mailto:``) and links written in
        Markdown bodies all count: each becomes a QR code in print and must be
        the same in every language edition.
        """
        return list(dict.fromkeys(address for _, address in titled_addresses(self)))

    def link_labels(self) -> dict[str, str]:
        """Return the label the editor gave each labelled address of the block.

        A QR code's caption is the link's label when it has one: a reader
        cannot tell three truncated addresses of one site apart.
        """
        return {
            link.url: link.label
            for _, link, _ in walk(self)
            if isinstance(link, Link) and link.label
        }

    def picture_sources(self) -> list[str]:
        """Return the ``src`` of every picture the block shows."""
        return [src for _, src in image_locations(self)]


class Event(BlockBase):
    """Something that took place: a workshop, a conference."""

    kind: Literal["event"] = Field(description=KIND)
    title: Text = Field(description="Name of the event.")
    date: When | None = Field(
        None,
        description="YYYY-MM-DD, or {start: YYYY-MM-DD, end: YYYY-MM-DD};"
        " left out, the language's 'date to be confirmed' is printed.",
    )
    place: Text | None = Field(None, description="City or country.")
    byline: Byline | None = Field(None, description=BYLINE)
    body: Markdown
    pull_quote: PullQuote = Field(None, description=PULL_QUOTE)
    links: list[Link] = Field([], description=LINKS)
    image: Illustration | None = Field(
        None, description="Illustration above the text, or a band ('fit')."
    )
    images: list[Image] = Field([], description=MORE_IMAGES)


class Study(BlockBase):
    """A study or report published by the network."""

    kind: Literal["study"] = Field(description=KIND)
    #: A cover is the publication's face: cropped, its title would be cut.
    pictures: ClassVar[PictureFit] = "scaled"
    derived: ClassVar[tuple[str, ...]] = (*BlockBase.derived, "all_links")
    type: Text | None = Field(None, description="e.g. 'Étude nationale'.")
    title: Text = Field(description="Title of the publication.")
    byline: Byline | None = Field(None, description=BYLINE)
    summary: Markdown
    link: Link | None = Field(
        None, description="Where to read or download it (one link)."
    )
    links: list[Link] = Field(
        [],
        description="Where to read it, when there are several (report, annex,"
        " infographic); after 'link' if both are given. " + LINKS,
    )
    cover: Image | None = Field(None, description="Its cover, shown beside it.")

    @model_validator(mode="after")
    def _at_least_one_link(self) -> Study:
        if self.link is None and not self.links:
            raise ValueError("give the study a 'link' (or several 'links')")
        return self

    def all_links(self) -> list[Link]:
        """Return the study's links, ``link`` first."""
        return [self.link, *self.links] if self.link else self.links


class Brief(Strict):
    """One short publication in a list of briefs (EMN Informs)."""

    title: Text = Field(description="Title of the brief.")
    date: dt.date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    summary: Markdown | None = Field(None, description="A few lines about it.")
    url: WebUrl = Field(description="Where to read it.")


class Briefs(BlockBase):
    """A list of briefs, each with a 'read' button."""

    kind: Literal["briefs"] = Field(description=KIND)
    intro: Text | None = Field(None, description="Line above the list.")
    items: list[Brief] = Field(min_length=1, description="The briefs, in order.")


class AppLinks(Strict):
    """App store buttons, for a publication that is also a mobile app."""

    intro: Text = Field(description="Sentence before the store names.")
    android: WebUrl | None = Field(None, description="Google Play address.")
    ios: WebUrl | None = Field(None, description="Apple App Store address.")

    @model_validator(mode="after")
    def _at_least_one_store(self) -> AppLinks:
        if self.android is None and self.ios is None:
            raise ValueError("give at least one of 'android' and 'ios'")
        return self


class Promotion(BlockBase):
    """A tool or product the network wants readers to try (a glossary)."""

    kind: Literal["promotion"] = Field(description=KIND)
    title: Text = Field(description="What is promoted.")
    tagline: Text | None = Field(None, description="A catchy line under the title.")
    body: Markdown
    pull_quote: PullQuote = Field(None, description=PULL_QUOTE)
    links: list[Link] = Field([], description=LINKS)
    apps: AppLinks | None = Field(None, description="App store links.")
    image: Illustration | None = Field(
        None, description="Illustration above the text, or a band ('fit')."
    )
    images: list[Image] = Field([], description=MORE_IMAGES)


class News(BlockBase):
    """An announcement about the network."""

    kind: Literal["news"] = Field(description=KIND)
    title: Text = Field(description="Headline.")
    date: dt.date | None = Field(None, description="YYYY-MM-DD.")
    byline: Byline | None = Field(None, description=BYLINE)
    body: Markdown
    pull_quote: PullQuote = Field(None, description=PULL_QUOTE)
    links: list[Link] = Field([], description=LINKS)
    image: Illustration | None = Field(
        None, description="Illustration above the text, or a band ('fit')."
    )
    images: list[Image] = Field([], description=MORE_IMAGES)


class Figure(BlockBase):
    """A chart, map or infographic, shown whole with its caption and source."""

    kind: Literal["figure"] = Field(description=KIND)
    full_width: ClassVar[bool] = True
    #: A chart scaled down would be read with a magnifier.
    pictures: ClassVar[PictureFit] = "whole"
    title: Text | None = Field(None, description="What the figure shows.")
    image: Image = Field(
        description="The chart; never cropped, whatever its 'crop'. Its"
        " 'caption' and 'credit' (the source line) are printed under it."
    )
    byline: Byline | None = Field(None, description=BYLINE)
    body: Markdown | None = Field(None, description="A comment under the figure.")
    links: list[Link] = Field([], description=LINKS)


SocialNetwork = Literal[
    "linkedin",
    "x",
    "bluesky",
    "mastodon",
    "facebook",
    "instagram",
    "youtube",
    "threads",
    "tiktok",
    "whatsapp",
    "telegram",
    "signal",
    "flickr",
    "vimeo",
    "pixelfed",
    "peertube",
    "xing",
    "other",
]
PHONE = re.compile(r"\+?[0-9][0-9 ()./\-\u2013]{4,30}")


def _check_phone(number: str) -> str:
    if not PHONE.fullmatch(number):
        raise ValueError(f"{number!r} is not a phone number such as +352 247 84040")
    return number


Phone = Annotated[str, AfterValidator(_check_phone)]


def phone_uri(number: str) -> str:
    """Return a phone number as the ``tel:`` address a phone dials."""
    return "tel:" + re.sub(r"[^+0-9]", "", number)


class Social(Strict):
    """An account of the organisation on a social network."""

    network: SocialNetwork = Field(
        description="Which network; 'other' for one the list lacks, with its 'name'."
    )
    name: Text | None = Field(
        None, description="The network's name, for 'other' (or to reword one)."
    )
    url: WebUrl = Field(description="Address of the account.")

    @model_validator(mode="after")
    def _other_is_named(self) -> Social:
        if self.network == "other" and self.name is None:
            raise ValueError("give the network's 'name' (network: other)")
        return self


class Contact(BlockBase):
    """How to reach the organisation: every channel it lists is printed."""

    kind: Literal["contact"] = Field(description=KIND)
    closing: ClassVar[bool] = True
    full_width: ClassVar[bool] = True
    carried_over: ClassVar[bool] = True
    derived: ClassVar[tuple[str, ...]] = (*BlockBase.derived, "channels")
    title: Text | None = Field(
        None, description="Heading; the language's 'Restez en contact' if unset."
    )
    website: WebUrl | None = Field(None, description="Web site address.")
    email: Email | None = Field(None, description="Contact e-mail address.")
    phone: Phone | None = Field(
        None, description="Phone number, as people dial it: +352 247 84040."
    )
    address: Text | None = Field(
        None, description="Postal address; one line per line of the envelope."
    )
    hours: Text | None = Field(None, description="Opening hours, as a sentence.")
    social: list[Social] = Field([], description="Social network accounts.")

    def channels(self) -> list[Channel]:
        """Return every channel the editor lists, in the order they print.

        The one list of them: templates show each (the ``channels`` filter)
        and preflight reports any it does not find on a page.
        """
        found = [
            Channel("website", "website", self.website, self.website),
            Channel(
                "email", "email", self.email and f"mailto:{self.email}", self.email
            ),
            Channel("phone", "phone", self.phone and phone_uri(self.phone), self.phone),
            *(
                Channel(f"social.{index}", account.network, account.url, account.url)
                for index, account in enumerate(self.social)
            ),
            Channel("address", "address", None, self.address),
            Channel("hours", "hours", None, self.hours),
        ]
        return [channel for channel in found if channel.text]


@dataclass(frozen=True)
class Channel:
    """One way to reach the organisation, as a contact block lists it."""

    field: str  # its field path in the block: "website", "social.2"
    kind: str  # "website", "email", "phone", "address", "hours" or the network
    href: str | None  # the address a link or a QR code leads to
    text: str | None  # what the editor wrote


class Greeting(BlockBase):
    """A short closing wish shown as a banner ('Joyeux Noël')."""

    kind: Literal["greeting"] = Field(description=KIND)
    closing: ClassVar[bool] = True
    full_width: ClassVar[bool] = True
    text: Text = Field(description="The wish; emoji are welcome.")


ADDRESS = re.compile(r"https?://[^\s)<>\]\"']+|mailto:[^\s)<>\]\"']+")


def walk(
    model: BaseModel, location: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any, tuple[BaseModel, ...]]]:
    """Yield every value inside ``model``: its field path, it, and its holders.

    The holders are the models around the value, outermost first.  The one
    walker that every question about links and pictures asks (addresses for
    QR codes, their labels and descriptions, picture files).
    """
    yield from _walk(model, location, ())


def _walk(
    value: Any, location: tuple[str | int, ...], holders: tuple[BaseModel, ...]
) -> Iterator[tuple[tuple[str | int, ...], Any, tuple[BaseModel, ...]]]:
    if location:
        yield location, value, holders
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), (*location, name), (*holders, value))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, (*location, index), holders)


def titled_addresses(model: BaseModel) -> Iterator[tuple[str | None, str]]:
    """Yield every address ``model`` links to, with the title nearest to it.

    Link fields, e-mail fields (as ``mailto:``), phone numbers (as ``tel:``)
    and links written in text all
    count; a picture's own address does not (it is shown, not linked).  The
    title is that of the innermost holder with a ``title`` (or ``text``).
    """
    for location, value, holders in walk(model):
        addresses = _addresses(location, value)
        titles = (
            getattr(holder, "title", None) or getattr(holder, "text", None)
            for holder in reversed(holders)
        )
        title = next(filter(None, titles), None)
        yield from ((title, address) for address in addresses)


def _addresses(location: tuple[str | int, ...], value: Any) -> list[str]:
    """Return the addresses a value of the model links to."""
    if not isinstance(value, str) or location[-1] == "src":
        return []  # a picture's file is shown, not linked
    if location[-1] == "email":
        return [f"mailto:{value}"]
    if location[-1] == "phone":
        return [phone_uri(value)]
    return list(ADDRESS.findall(value))


#: The most a QR code holds, in bytes (version 40, low error correction).
MAX_QR_BYTES = 2953


def unprintable_addresses(
    model: BaseModel,
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield the field path of each address too long to print as a QR code.

    The print edition prints every address as a QR code: one that cannot
    hold it is the editor's to shorten, at its field, not a failed build.
    """
    for location, value, _ in walk(model):
        for address in _addresses(location, value):
            if (size := len(address.encode())) > MAX_QR_BYTES:
                yield (
                    location,
                    f"an address of {size} bytes ({address[:40]}…) is too long"
                    f" for the QR code print gives it (at most {MAX_QR_BYTES}):"
                    " give a shorter address",
                )


def image_locations(model: BaseModel) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield each picture's field path (to its ``src``) and its ``src``."""
    for location, value, _ in walk(model):
        if isinstance(value, Image):
            yield (*location, "src"), value.src


Block = Annotated[
    Event | Study | Briefs | Promotion | News | Figure | Contact | Greeting,
    Field(discriminator="kind"),
]
#: Every kind of block by its ``kind``, in the order of :data:`Block`.
BLOCK_KINDS: dict[str, type[BlockBase]] = {
    get_args(model.model_fields["kind"].annotation)[0]: model
    for model in get_args(get_args(Block)[0])
}


#: Whether page makeup may move blocks within their section.
Order = Literal["free", "fixed"]


class Section(Strict):
    """Blocks grouped under one heading, laid out in columns."""

    heading: Text | None = Field(None, description="Section title, if any.")
    columns: int | None = Field(
        None, ge=1, le=3, description="Column count; the layout decides if unset."
    )
    blocks: list[Block] = Field(min_length=1, description="The content, in order.")
    order: Order | None = Field(
        None,
        description="'fixed': page makeup keeps the blocks in the order written;"
        " 'free': it may move a block within the section where that fills the"
        " pages better (the first stays first, events keep date order). Unset:"
        " the issue's order.",
    )


class Editorial(Strict):
    """The letter opening the issue."""

    title: Text | None = Field(None, description="Optional heading.")
    greeting: Text | None = Field(
        None, description="e.g. 'Chères lectrices, chers lecteurs,'; optional."
    )
    body: Markdown
    signoff: Text | None = Field(
        None, description="Closing line of the letter; optional."
    )
    signature: Text | None = Field(None, description="Who signs it.")


class Masthead(Strict):
    """What the top of the first page says about the issue."""

    organisation: Text = Field(description="Publisher, e.g. 'EMN Luxembourg'.")
    publisher: Text | None = Field(
        None,
        description="The organisation as a sentence names it, with its article"
        " ('l’Institut de recherche', 'le Centre', 'die Stadt Trier'); printed"
        " as the language's 'A publication of ...' line, elided as the language"
        " wants ('de l’Institut', 'du Centre').",
    )
    logo: Image | None = Field(
        None,
        description="The organisation's logo, at the top of page 1; it replaces"
        " the layout's (the EU stars of the emn layout).",
    )
    title: Text = Field(description="Name of the newsletter.")
    number: int | None = Field(
        None, ge=1, description="Issue number; printed with the season if both."
    )
    season: Text | None = Field(None, description="e.g. 'Hiver 2024'.")
    date: dt.date = Field(description="Publication date, YYYY-MM-DD.")
    language: str = Field(
        pattern=r"^[a-z]{2,3}$",
        description="Language code of this edition; must match the file name.",
    )
    keywords: list[Text] = Field(
        [],
        description="Subjects of the issue, for the PDF's metadata and search"
        " engines; the section headings if empty.",
    )

    @model_validator(mode="after")
    def _number_or_season(self) -> Masthead:
        if self.number is None and self.season is None:
            raise ValueError("give the issue a 'number' or a 'season'")
        return self

    @field_validator("language")
    @classmethod
    def _matches_file_name(cls, language: str, info: ValidationInfo) -> str:
        expected = (info.context or {}).get("language")
        if expected is not None and language != expected:
            raise ValueError(
                f"language {language!r} does not match the file name {expected}.yaml"
            )
        return language


def _check_length(length: str) -> str:
    if not LENGTH.fullmatch(length):
        raise ValueError(f"{length!r} is not a length such as 9pt or 4.5mm")
    return length


def _check_rgb(colour: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"{colour!r} is not a colour such as #1d4f91")
    return colour.lower()


#: Digits in ASCII only: ``\d`` takes any script's, which CSS does not.
LENGTH = re.compile(r"[0-9]+(\.[0-9]+)?(pt|mm|cm|in|px)")
Length = Annotated[str, AfterValidator(_check_length)]
Ink = Annotated[float, Field(ge=0, le=1)]


class Colour(Strict):
    """A brand colour, for the screen and for the press."""

    rgb: Annotated[str, AfterValidator(_check_rgb)] = Field(
        description="Screen colour, #rrggbb."
    )
    cmyk: tuple[Ink, Ink, Ink, Ink] = Field(
        description="Printing inks, cyan, magenta, yellow and black from 0 to 1."
    )


class TypeOverride(Strict):
    """Sizes of a layout that an issue may change (see the layout's theme)."""

    body_size: Length | None = Field(None, description="Body text size, e.g. 9pt.")
    body_leading: float | None = Field(
        None, ge=1, le=2, description="Line height, relative to the body size."
    )
    block_space: Length | None = Field(None, description="Space between blocks.")


class ThemeOverride(Strict):
    """What one issue changes in its layout's theme: a special edition's colour."""

    colours: dict[str, Colour] = Field(
        {}, description="Colours by role (accent, highlight...), replacing the theme's."
    )
    type: TypeOverride = Field(
        default_factory=lambda: TypeOverride(),
        description="Sizes, replacing the theme's.",
    )


class PrintOptions(Strict):
    """What the editor asks of the print edition beyond its content."""

    notes_pages: bool = Field(
        False,
        description="True for ruled notes pages: the designed pages that complete"
        " the last sheet list the issue's links and coming dates in as few pages"
        " as they need, and the rest are ruled for notes. Unset, the list spreads"
        " over them all, and only a page with nothing left to list is ruled.",
    )


class Edition(Strict):
    """One language edition of an issue: a whole newsletter."""

    layout: Text | None = Field(
        None, description="Layout name; the command line's --layout wins."
    )
    theme: ThemeOverride | None = Field(
        None, description="Theme values this issue changes (a special edition)."
    )
    labels: dict[str, Text] = Field(
        {}, description="Rewording of the layout's fixed labels for this edition."
    )
    pages: int | None = Field(
        None,
        ge=1,
        description="Exact page count the edition must have; checked, and the"
        " goal of copyfitting.",
    )
    print: PrintOptions = Field(
        default_factory=lambda: PrintOptions(),
        description="The print edition's options (ruled notes pages).",
    )
    names: list[Text] = Field(
        [],
        description="Names never hyphenated wherever they stand (Johansson,"
        " Gorbunova): a capital letter does not say which words are names, and"
        " marking each one ([Johansson]{.name}) is easy to forget.",
    )
    order: Order = Field(
        "free",
        description="'fixed': page makeup keeps every block in the order written;"
        " 'free' (the default): it may move a block within its section where"
        " that fills the pages better; a section's own order wins.",
    )
    masthead: Masthead = Field(description="What page 1 says about the issue.")
    editorial: Editorial | None = Field(None, description="Opening letter.")
    sections: list[Section] = Field(min_length=1, description="The content.")
    fillers: list[Block] = Field(
        [],
        description="Short house blocks (subscribe, in figures, coming up, a"
        " picture with a caption) page makeup sets where a page would otherwise"
        " keep a hole, each at most once; each use, and each filler left"
        " unused, is said.",
    )

    def images(self) -> list[str]:
        """Return the ``src`` of every picture of the edition, in order."""
        return [src for _, src in self.image_locations()]

    def image_locations(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Return each picture's ``src`` with the field path that names it."""
        return list(image_locations(self))

    def chart_widths(self) -> dict[str, float]:
        """Return each chart's ``src`` with the width its text is legible at."""
        blocks = [*(block for s in self.sections for block in s.blocks), *self.fillers]
        return {
            image.src: width
            for block in blocks
            for image in charts(block)
            if (width := image.legible_width())
        }


def issue_schema() -> dict[str, Any]:
    """Return the JSON Schema of an edition file, for editors' autocompletion."""
    schema = Edition.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "emn-pdf newsletter edition",
    }


def issue_schema_text() -> str:
    """Return the JSON Schema as the file ``issue.schema.json`` holds it."""
    return json.dumps(issue_schema(), indent=2, ensure_ascii=False) + "\n"
