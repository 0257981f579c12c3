"""The written print PDF in the printer's inks, with pictures at press resolution.

WeasyPrint 70 paints SVG colours (QR codes, the logo, editors' vector
pictures) and emoji in DeviceRGB even in PDF/X-4, and embeds pictures with
every pixel they have.  A printer's preflight stops such a file, so the
written PDF is rewritten here, reading it as a RIP does (``pdfwalk``):

- every RGB colour (operators, images, shadings, transparency groups) is
  converted to the output intent's CMYK with LittleCMS (Pillow's ImageCms),
  vectors staying vectors;
- an RGB colour that is a brand colour of the theme gets the theme's CMYK;
  neutral greys and black get black ink only (K of the same lightness), so
  that QR codes and black art are never four-colour black;
- raster pictures are resampled to the theme's target resolution for the
  largest size they are drawn at, so a camera's photo does not travel whole;
- every CMYK picture is held under the total ink limit, whatever its
  pixels: grey-component replacement first (the grey that cyan, magenta and
  yellow make together goes to black), then, where black is full, less of
  the three colours; the profile's own conversion of dark photos (hair,
  night) goes a few percent over, and JPEG's rounding adds some: a photo
  is checked once encoded, and held further under until no decoded pixel is.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pikepdf
from PIL import Image, ImageCms, ImageMath

from ..layout.layouts import Layout
from .pdfwalk import Drawing, drawings, images, placements

CMYK_INKS = 4
ICC_REGISTRY = "http://www.color.org"
#: Pictures embedded a little above their target are left alone.
RESAMPLE_SLACK = 1.02
JPEG_QUALITY = 90
#: A picture with more colours than this is a photo.
MAX_ART_COLOURS = 4096
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
#: Pictures are held this far under the ink limit, for JPEG's rounding.
INK_HEADROOM = 6
#: ``/Decode`` of the inverted (Adobe) CMYK JPEGs Pillow writes.
ADOBE_CMYK_DECODE = [1, 0] * CMYK_INKS

Inks = tuple[float, float, float, float]


@dataclass(frozen=True)
class PressSettings:
    """What the press conversion needs from the layout's theme."""

    profile: Path
    brand: Mapping[str, Inks]  # screen colour "#rrggbb" -> its theme CMYK
    ppi: int = 300
    condition: str | None = None  # the ICC registry's name, e.g. FOGRA39
    ink_limit: int = 300  # total area coverage, in percent


class Separations:
    """Sends screen colours to the printer's CMYK, black and greys on K only."""

    def __init__(self, profile: Path, brand: Mapping[str, Inks]) -> None:
        press = ImageCms.getOpenProfile(str(profile))
        self.transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"),
            press,
            "RGB",
            "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )
        self.brand = {key.lower(): value for key, value in brand.items()}
        self.greys = _grey_ramp(press)
        self.known: dict[tuple[int, int, int], Inks] = {}

    def cmyk(self, red: float, green: float, blue: float) -> Inks:
        """Return the CMYK of an sRGB colour given from 0 to 1."""
        key = tuple(
            round(min(max(value, 0.0), 1.0) * 255) for value in (red, green, blue)
        )
        rgb = (key[0], key[1], key[2])
        if rgb not in self.known:
            self.known[rgb] = self._separate(rgb)
        return self.known[rgb]

    def _separate(self, rgb: tuple[int, int, int]) -> Inks:
        hex_code = "#{:02x}{:02x}{:02x}".format(*rgb)
        if hex_code in self.brand:
            return self.brand[hex_code]
        if rgb[0] == rgb[1] == rgb[2]:
            return (0.0, 0.0, 0.0, self.greys[rgb[0]] / 255)
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self.transform)
        assert pixel is not None
        c, m, y, k = pixel.getpixel((0, 0))  # type: ignore[misc]
        return (c / 255, m / 255, y / 255, k / 255)

    def picture(self, image: Image.Image) -> Image.Image:
        """Return an RGB picture in the printer's CMYK."""
        converted = ImageCms.applyTransform(image.convert("RGB"), self.transform)
        assert converted is not None
        return converted


def _grey_ramp(press: ImageCms.ImageCmsProfile) -> list[int]:
    """Return, for each sRGB grey level, the K-only tint of the same lightness."""
    lab = ImageCms.createProfile("LAB")
    ramp = Image.frombytes(
        "CMYK", (256, 1), bytes(v for k in range(256) for v in (0, 0, 0, k))
    )
    greys = Image.frombytes(
        "RGB", (256, 1), bytes(v for g in range(256) for v in (g,) * 3)
    )
    printed = ImageCms.profileToProfile(ramp, press, lab, outputMode="LAB")
    screen = ImageCms.profileToProfile(
        greys, ImageCms.createProfile("sRGB"), lab, outputMode="LAB"
    )
    assert printed is not None and screen is not None
    k_lightness = [printed.getpixel((k, 0))[0] for k in range(256)]  # type: ignore[index]
    return [
        min(range(256), key=lambda k: abs(k_lightness[k] - screen.getpixel((g, 0))[0]))  # type: ignore[index]
        for g in range(256)
    ]


def to_press(path: Path, settings: PressSettings) -> None:
    """Rewrite the PDF at ``path`` in CMYK, its pictures at press resolution."""
    separations = Separations(settings.profile, settings.brand)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        sizes = _press_sizes(pdf, settings.ppi)
        done: set[tuple[int, int]] = set()
        for drawing in list(drawings(pdf)):
            _convert_drawing(pdf, drawing, separations)
            for image in images(drawing.resources):
                if image.objgen not in done and not image.get("/ImageMask"):
                    done.add(image.objgen)
                    _prepare_image(
                        image, sizes.get(image.objgen), separations, settings.ink_limit
                    )
        if settings.condition is not None:
            _name_condition(pdf, settings.condition)
        pdf.save(path, deterministic_id=True)


def _press_sizes(pdf: pikepdf.Pdf, ppi: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Return the pixels each too-detailed image needs at ``ppi``, by object.

    An image drawn several times needs the pixels of its largest drawing.
    """
    needed: dict[tuple[int, int], tuple[int, int]] = {}
    for placement in placements(pdf):
        width, height = placement.size
        pixels = (round(width / 72 * ppi), round(height / 72 * ppi))
        known = needed.get(placement.image.objgen, (0, 0))
        needed[placement.image.objgen] = (
            max(known[0], pixels[0]),
            max(known[1], pixels[1]),
        )
    return needed


def _prepare_image(
    image: Any, needed: tuple[int, int] | None, separations: Separations, limit: int
) -> None:
    """Resample an image to the pixels it needs, convert it if RGB, hold its ink."""
    width, height = int(image.Width), int(image.Height)
    resample = needed is not None and (
        width > needed[0] * RESAMPLE_SLACK and height > needed[1] * RESAMPLE_SLACK
    )
    rgb = is_rgb(image.get("/ColorSpace"))
    cmyk = image.get("/ColorSpace") == pikepdf.Name.DeviceCMYK
    if not (resample or rgb or cmyk):
        return
    size = (
        (max(needed[0], 1), max(needed[1], 1))
        if needed and resample
        else (width, height)
    )
    picture = _decoded(image, size)
    if picture.size != size:
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    if rgb or picture.mode not in ("CMYK", "L"):
        picture = separations.picture(picture) if rgb else picture.convert("CMYK")
    held = hold_ink(picture, limit - INK_HEADROOM) if picture.mode == "CMYK" else None
    if not (resample or rgb) and held is None:
        return  # a CMYK picture of the right size, under the limit: as it is
    _store(image, held or picture, photo=_is_photo(image, picture), limit=limit)
    mask = image.get("/SMask")
    if mask is not None and (int(mask.Width), int(mask.Height)) != size:
        grey = pikepdf.PdfImage(mask).as_pil_image().convert("L")
        _store(mask, grey.resize(size, Image.Resampling.LANCZOS), photo=False)


def hold_ink(picture: Image.Image, limit: int) -> Image.Image | None:
    """Return a CMYK picture with no pixel above ``limit`` % ink, if one was.

    Where a pixel is over, the grey that cyan, magenta and yellow make
    together goes to black as far as black has room (grey-component
    replacement: a third of the ink for the same grey), then the three
    colours are scaled down together to what black leaves.
    """
    inks = [
        ImageMath.lambda_eval(lambda i: i["float"](i["x"]), x=ink)
        for ink in picture.split()
    ]
    bound = limit * 255 / 100
    total = _added(inks)
    if cast(float, total.getextrema()[1]) <= bound:  # a float plane: (low, high)
        return None
    inks = _grey_to_black(inks, total, bound)
    colours = _added(inks[:3])
    scale = ImageMath.lambda_eval(
        lambda i: i["min"]((i["b"] - i["k"]) / i["max"](i["s"], 1.0), 1.0),
        b=bound,
        k=inks[3],
        s=colours,
    )
    held = [
        ImageMath.lambda_eval(
            lambda i: i["convert"](i["x"] * i["f"], "L"), x=ink, f=scale
        )
        for ink in inks[:3]
    ]
    held.append(ImageMath.lambda_eval(lambda i: i["convert"](i["k"], "L"), k=inks[3]))
    return Image.merge("CMYK", held)


def _added(inks: list[Image.Image]) -> Image.Image:
    """Return the sum of float ink planes."""
    total = inks[0]
    for ink in inks[1:]:
        total = ImageMath.lambda_eval(lambda i: i["a"] + i["b"], a=total, b=ink)
    return total


def _grey_to_black(
    inks: list[Image.Image], total: Image.Image, bound: float
) -> list[Image.Image]:
    """Move the grey of cyan, magenta and yellow to black where ink is over.

    Each unit moved takes three off the colours and adds one to black: half
    the excess moved brings a pixel to the bound, if black has the room.
    """
    cyan, magenta, yellow, black = inks
    moved = ImageMath.lambda_eval(
        lambda i: i["max"](
            i["min"](
                i["min"](i["min"](i["c"], i["m"]), i["y"]),
                i["min"](255 - i["k"], (i["t"] - i["b"]) / 2),
            ),
            0.0,
        ),
        c=cyan,
        m=magenta,
        y=yellow,
        k=black,
        t=total,
        b=bound,
    )
    colours = [
        ImageMath.lambda_eval(lambda i: i["x"] - i["g"], x=ink, g=moved)
        for ink in (cyan, magenta, yellow)
    ]
    return [
        *colours,
        ImageMath.lambda_eval(lambda i: i["k"] + i["g"], k=black, g=moved),
    ]


def _is_photo(image: Any, picture: Image.Image) -> bool:
    """Tell a photo (JPEG compresses it best) from flat art (Flate keeps it).

    An opaque picture with more colours than a drawing has is a photo.
    """
    if image.get("/Filter") == "/DCTDecode":
        return True
    return "/SMask" not in image and picture.getcolors(MAX_ART_COLOURS) is None


def _decoded(image: Any, size: tuple[int, int]) -> Image.Image:
    """Return the image's pixels; a JPEG is decoded no larger than needed."""
    if image.get("/Filter") == "/DCTDecode":
        picture = Image.open(io.BytesIO(image.read_raw_bytes()))
        picture.draft(picture.mode, size)  # libjpeg scales down as it decodes
        return picture
    return pikepdf.PdfImage(image).as_pil_image()


def _store(
    image: Any, picture: Image.Image, *, photo: bool, limit: int | None = None
) -> None:
    """Write ``picture`` into the image stream: JPEG for photos, else Flate.

    A CMYK photo stays under the ink ``limit`` once decoded (:func:`_jpeg`).
    """
    for key in ("/DecodeParms", "/Decode", "/Interpolate"):
        if key in image:
            del image[key]
    image.Width, image.Height = picture.size
    image.BitsPerComponent = 8
    if photo:
        image.write(_jpeg(picture, limit), filter=pikepdf.Name.DCTDecode)
        if picture.mode == "CMYK":
            image.Decode = pikepdf.Array(ADOBE_CMYK_DECODE)
    else:
        image.write(zlib.compress(picture.tobytes()), filter=pikepdf.Name.FlateDecode)
    spaces = {"CMYK": pikepdf.Name.DeviceCMYK, "L": pikepdf.Name.DeviceGray}
    image.ColorSpace = spaces[picture.mode]


def _jpeg(picture: Image.Image, limit: int | None) -> bytes:
    """Return the photo as JPEG; a CMYK one under ``limit`` in every decoded pixel.

    JPEG's rounding lifts a few pixels of a dark photo held
    :data:`INK_HEADROOM` under the limit over it (307 % on one pixel of a
    dark picture): held further under each time, until none is.
    """
    headroom = INK_HEADROOM
    while True:
        output = io.BytesIO()
        picture.save(output, "JPEG", quality=JPEG_QUALITY)
        data = output.getvalue()
        if picture.mode != "CMYK" or limit is None or headroom >= limit:
            return data
        if hold_ink(Image.open(io.BytesIO(data)), limit) is None:
            return data
        headroom += INK_HEADROOM
        picture = hold_ink(picture, limit - headroom) or picture


def is_rgb(space: Any) -> bool:
    """Tell whether a PDF colour space is an RGB one (device, calibrated, ICC)."""
    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return str(space) in RGB_SPACES
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if family == "/Indexed":
            return is_rgb(space[1])
        return family in RGB_SPACES
    return False


def _convert_drawing(
    pdf: pikepdf.Pdf, drawing: Drawing, separations: Separations
) -> None:
    """Rewrite the colour operators of one content stream, and its shadings."""
    spaces = dict(drawing.resources.get("/ColorSpace", {}))
    changed = False
    operations = []
    fill, stroke, stack = False, False, []  # is the current space RGB?
    for instruction in drawing.instructions:
        operands, operator = list(instruction.operands), str(instruction.operator)
        if operator == "q":
            stack.append((fill, stroke))
        elif operator == "Q" and stack:
            fill, stroke = stack.pop()
        elif operator in ("cs", "CS"):
            space = spaces.get(operands[0], operands[0])
            rgb = is_rgb(space) and not _is_indexed(space)
            fill, stroke = (rgb, stroke) if operator == "cs" else (fill, rgb)
            if rgb:
                operands = [pikepdf.Name.DeviceCMYK]
        if operator in ("rg", "RG") or (
            operator in ("sc", "scn", "SC", "SCN")
            and (fill if operator.islower() else stroke)
            and len(operands) == 3
        ):
            operands = list(separations.cmyk(*(float(value) for value in operands)))
            if operator in ("rg", "RG"):
                operator = "k" if operator == "rg" else "K"
        changed |= operands != list(instruction.operands) or operator != str(
            instruction.operator
        )
        operations.append(
            pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator))
        )
    if changed:
        _replace_content(pdf, drawing, pikepdf.unparse_content_stream(operations))
    _convert_group(drawing.owner)
    _convert_shadings(drawing.resources, separations)


def _is_indexed(space: Any) -> bool:
    return isinstance(space, pikepdf.Array) and str(space[0]) == "/Indexed"


def _replace_content(pdf: pikepdf.Pdf, drawing: Drawing, content: bytes) -> None:
    if drawing.kind == "page":
        drawing.owner.Contents = pdf.make_stream(content)
    else:
        drawing.owner.write(content)


def _convert_group(owner: Any) -> None:
    """Blend transparency in CMYK, not in an RGB group space."""
    group = owner.get("/Group")
    if group is not None and is_rgb(group.get("/CS")):
        group.CS = pikepdf.Name.DeviceCMYK


def _convert_shadings(resources: Any, separations: Separations) -> None:
    """Convert the RGB shadings (gradients) a stream paints with."""
    shadings = list(dict(resources.get("/Shading", {})).values())
    shadings += [
        pattern.Shading
        for pattern in dict(resources.get("/Pattern", {})).values()
        if pattern.get("/PatternType") == 2
    ]
    for shading in shadings:
        if is_rgb(shading.get("/ColorSpace")) and "/Function" in shading:
            _convert_function(shading.Function, separations)
            shading.ColorSpace = pikepdf.Name.DeviceCMYK


def _convert_function(function: Any, separations: Separations) -> None:
    """Convert an exponential (type 2) or stitching (type 3) colour function."""
    if int(function.get("/FunctionType", -1)) == 2:
        for key in ("/C0", "/C1"):
            colour = [
                float(value)
                for value in function.get(key, [0, 0, 0] if key == "/C0" else [1, 1, 1])
            ]
            function[key] = pikepdf.Array(list(separations.cmyk(*colour)))
        if "/Range" in function:
            function.Range = pikepdf.Array([0, 1] * CMYK_INKS)
    elif int(function.get("/FunctionType", -1)) == 3:
        for part in function.Functions:
            _convert_function(part, separations)


def press_settings(layout: Layout) -> PressSettings | None:
    """Return what the layout's print theme asks of the press, if it has a profile."""
    profile = layout.color_profile("print")
    if profile is None:
        return None
    theme = layout.theme
    brand = {colour.rgb: colour.cmyk for colour in theme.colours.values()}
    return PressSettings(
        profile,
        brand,
        theme.print.picture_ppi,
        theme.print.output_condition,
        theme.print.ink_limit,
    )


def _name_condition(pdf: pikepdf.Pdf, condition: str) -> None:
    """Name the output intent's printing condition as the ICC registry does.

    WeasyPrint names it after the profile; preflight tools match the
    registered identifier (FOGRA39) and expect the registry's address.
    """
    for intent in pdf.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String(condition)
        intent.OutputCondition = pikepdf.String(condition)
        intent.RegistryName = pikepdf.String(ICC_REGISTRY)
