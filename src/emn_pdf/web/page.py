"""An edition as a web page: ``index.html`` and its assets, in one folder.

The layout's ``page.html.j2`` writes the page from the same blocks as the
PDF (``target`` is ``"html"``: links are buttons), and its ``html``
stylesheets, with the theme's colours and fonts as custom properties, style
it.  Each picture is then pointed at its copies made for screens (``srcset``,
``width`` and ``height``, loaded when scrolled to), and the page is refused
if its templates wrote anything that would run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml.etree import _Element

from ..issue.errors import Problem, UserError
from ..layout.layouts import FontFace, Layout, Page
from ..machinery.files import read_bounded
from ..machinery.remote import Remote
from . import markup
from .assets import Asset, Picture, clean_svg, font_files, original, screen_picture
from .site import Site, edition_links

if TYPE_CHECKING:
    from ..edition import Prepared

#: Makes a picture of the edition for its medium, from the original's bytes.
PictureMaker = Callable[["Prepared", str, bytes], Picture]

PAGE_TEMPLATE = "page.html.j2"
ASSETS = "assets/"
STYLESHEET = "page.css"
#: The width a picture takes: a band the whole window, a card's half of it
#: from tablets on (the layout's grid decides the rest).
BAND_SIZES = "100vw"
CARD_SIZES = "(min-width: 48em) 50vw, 100vw"
#: The most a stylesheet of a layout may weigh.
MAX_STYLESHEET_BYTES = 1024 * 1024
#: What a web page's stylesheet may not load: anything but inline data.
CSS_LOAD = re.compile(r"url\(\s*['\"]?(?!data:)|@import", re.IGNORECASE)


@dataclass(frozen=True)
class EditionFiles:
    """What a web edition's folder holds: its page (or message) first."""

    files: tuple[Asset, ...]
    links: tuple[str, ...]  # every address its reader can follow, in order

    @property
    def size(self) -> int:
        """Return the bytes of all its files."""
        return sum(len(asset.data) for asset in self.files)


def web_page(
    item: Prepared, base_url: str | None, remote: Remote | None
) -> EditionFiles:
    """Return the edition's web page and the files it uses."""
    pictures = edition_pictures(item, remote, screen_picture_of)
    site = Site(item.issue_id, base_url)
    context = {
        "web": {
            **edition_links(site, item.issue_dir, item.language),
            "stylesheet": ASSETS + STYLESHEET,
        }
    }
    html = item.render(Page("html"), PAGE_TEMPLATE, context)
    root = markup.parsed(html)
    markup.refuse_code(root, item.layout.folder / PAGE_TEMPLATE, "web page")
    for image in markup.pictures_in(root):
        picture = pictures.get(image.get("src", ""))
        if picture is not None:
            _point_at_copies(image, picture)
    page = Asset("index.html", markup.serialised(root).encode("utf-8"))
    copies = {
        copy.name: copy for picture in pictures.values() for copy in picture.copies
    }
    assets = [
        *(Asset(ASSETS + name, copy.data) for name, copy in sorted(copies.items())),
        *_style_files(item.layout),
    ]
    return EditionFiles((page, *assets), tuple(markup.links_in(root)))


def screen_picture_of(item: Prepared, src: str, data: bytes) -> Picture:
    """Return a picture made for the web page (the layout is not needed)."""
    return screen_picture(src, data)


def edition_pictures(
    item: Prepared, remote: Remote | None, make: PictureMaker
) -> dict[str, Picture]:
    """Return each picture the edition shows, by its ``src``, made by ``make``.

    A picture that cannot be read or made is the editor's to fix, at its field.
    """
    made: dict[str, Picture] = {}
    for location, src in item.loaded.edition.image_locations():
        if src in made:
            continue
        try:
            made[src] = make(item, src, original(item.issue_dir, src, remote))
        except ValueError as error:
            problem = item.loaded.document.problem(location, f"{src}: {error}")
            raise UserError(problem) from None
    return made


def _point_at_copies(image: _Element, picture: Picture) -> None:
    """Point an ``<img>`` at its copies, with its size, loaded when near."""
    image.set("src", ASSETS + picture.widest.name)
    if srcset := picture.srcset(ASSETS):
        image.set("srcset", srcset)
        image.set("sizes", BAND_SIZES if markup.in_band(image) else CARD_SIZES)
    image.set("width", str(picture.width))
    image.set("height", str(picture.height))
    image.set("loading", "lazy")
    image.set("decoding", "async")


def _style_files(layout: Layout) -> Iterator[Asset]:
    """Yield the page's stylesheet, its fonts (with their licences) and logo."""
    fonts = font_files(layout)
    logo = layout.logo()
    variables = layout.theme.variables("html")
    if logo is not None:
        logo_name = "logo.svg" if logo.suffix == ".svg" else f"logo{logo.suffix}"
        data = read_bounded(logo, MAX_STYLESHEET_BYTES)
        yield Asset(
            ASSETS + logo_name, clean_svg(data) if logo_name == "logo.svg" else data
        )
        variables["--logo"] = f'url("{logo_name}")'
    for name, path in sorted(fonts.items()):
        yield Asset(f"{ASSETS}fonts/{name}", path.read_bytes())
    rules = [
        ":root {",
        *(f"  {name}: {value};" for name, value in variables.items()),
        "}",
    ]
    rules += [_font_face(face, layout, fonts) for face in layout.theme.fonts]
    rules += [_stylesheet(path) for path in layout.stylesheet_paths("html")]
    yield Asset(ASSETS + STYLESHEET, ("\n".join(rules) + "\n").encode("utf-8"))


def _font_face(face: FontFace, layout: Layout, fonts: dict[str, Path]) -> str:
    """Return the ``@font-face`` rule of one of the layout's fonts, for screens.

    ``fonts`` are the font files for screens (:func:`font_files`).
    """
    path = layout.font_path(face)
    name = next(name for name, found in fonts.items() if found.stem == path.stem)
    kind = {".woff2": "woff2", ".otf": "opentype"}.get(Path(name).suffix, "truetype")
    family = re.sub(r'["\\\n]', "", face.family)
    return (
        f'@font-face {{ font-family: "{family}"; src: url("fonts/{name}")'
        f' format("{kind}"); font-weight: {face.weight}; font-style: {face.style};'
        " font-display: swap; }"
    )


def _stylesheet(path: Path) -> str:
    """Return a stylesheet of the page, refusing one that loads anything.

    The page is served from the organisation's site: a stylesheet that
    loads a file from elsewhere would tell a third party who reads it.
    """
    try:
        text = read_bounded(path, MAX_STYLESHEET_BYTES).decode("utf-8")
    except (ValueError, OSError, UnicodeDecodeError) as error:
        raise UserError(
            Problem(f"cannot read the stylesheet: {error}", file=path)
        ) from None
    if match := CSS_LOAD.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise UserError(
            Problem(
                "a web page's stylesheet may load nothing (url() of inline data only,"
                " no @import)",
                file=path,
                line=line,
            )
        )
    return f"/* {path.name} */\n{text}"
