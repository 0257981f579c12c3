"""Draw the pictures of the page-makeup test corpus (tests/corpus/*/images/)
and of the held-out issues (tests/heldout/*/images/).

Every picture is generated, so the corpus carries no third-party material and
stays small: flat SVG illustrations, SVG charts (a title at the top and a
source line at the bottom, inside the picture), and PNG or JPEG bitmaps with
extreme aspect ratios drawn from smooth gradients and shapes so that they
compress well.  The held-out issues' photos are JPEGs a crop can be judged
on: portraits whose head is at the top (a crop to a band cuts it), group
photos whose people stand across the whole width (a square crop cuts the
outer ones in half) and panoramas.  The output is deterministic; run it again
after editing (``heldout`` or ``corpus`` draws only that set):

    .venv/bin/python scripts/make_corpus_pictures.py [corpus|heldout]
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFilter

TESTS = Path(__file__).resolve().parent.parent / "tests"
CORPUS = TESTS / "corpus"
HELDOUT = TESTS / "heldout"

NAVY, BLUE, SKY, GOLD, CORAL, MINT, PAPER, PLUM, SAND = (
    "#12305f",
    "#1f5fae",
    "#cfe0f5",
    "#f2b233",
    "#e8735a",
    "#5dbb9d",
    "#f7f4ec",
    "#7a4e8c",
    "#e9d8b4",
)
PALETTES = {
    "blue": (NAVY, BLUE, SKY, GOLD),
    "green": ("#1d4d3a", MINT, "#dff2ea", CORAL),
    "warm": ("#5a2a1a", CORAL, "#fbe6dc", GOLD),
    "plum": ("#3a2150", PLUM, "#eee3f3", MINT),
    "sand": ("#4a3b20", "#c2913d", SAND, BLUE),
}


# ---------------------------------------------------------------- SVG helpers


def svg(width: int, height: int, body: str, title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">\n<title>{escape(title)}</title>\n'
        f"{body}\n</svg>\n"
    )


def person(x: float, y: float, colour: str, scale: float = 1.0) -> str:
    r = 16 * scale
    return (
        f'<circle cx="{x:.1f}" cy="{y - 46 * scale:.1f}" r="{r:.1f}" fill="#f1c7a5"/>'
        f'<path d="M{x - 30 * scale:.1f},{y + 20 * scale:.1f} '
        f"Q{x - 30 * scale:.1f},{y - 26 * scale:.1f} {x:.1f},{y - 26 * scale:.1f} "
        f"Q{x + 30 * scale:.1f},{y - 26 * scale:.1f} {x + 30 * scale:.1f},"
        f'{y + 20 * scale:.1f} Z" fill="{colour}"/>'
    )


def illustration(
    motif: str, palette: str, title: str, w: int = 640, h: int = 400
) -> str:
    """A flat illustration: background, ground and a motif in the middle."""
    dark, main, light, spot = PALETTES[palette]
    parts = [
        f'<rect width="{w}" height="{h}" fill="{light}"/>',
        f'<circle cx="{w * 0.82:.0f}" cy="{h * 0.22:.0f}" r="{h * 0.12:.0f}" fill="{spot}"/>',
        f'<rect y="{h * 0.78:.0f}" width="{w}" height="{h * 0.22:.0f}" fill="{main}" opacity="0.35"/>',
    ]
    cx, ground = w / 2, h * 0.78
    if motif == "people":
        for i, colour in enumerate([dark, main, spot, CORAL, MINT]):
            parts.append(person(cx - 200 + i * 100, ground - 10, colour, 1.4))
    elif motif == "table":
        parts.append(
            f'<rect x="{cx - 180}" y="{ground - 60}" width="360" height="22" rx="6" fill="{dark}"/>'
        )
        for i in range(4):
            parts.append(
                person(
                    cx - 150 + i * 100, ground - 70, [main, spot, CORAL, MINT][i], 1.1
                )
            )
    elif motif == "building":
        parts.append(
            f'<rect x="{cx - 150}" y="{ground - 200}" width="300" height="200" fill="{dark}"/>'
            f'<path d="M{cx - 170},{ground - 200} L{cx},{ground - 270} L{cx + 170},'
            f'{ground - 200} Z" fill="{main}"/>'
        )
        for row in range(3):
            for col in range(5):
                parts.append(
                    f'<rect x="{cx - 130 + col * 55}" y="{ground - 180 + row * 55}" '
                    f'width="30" height="36" fill="{light}"/>'
                )
    elif motif == "book":
        parts.append(
            f'<path d="M{cx},{ground - 40} L{cx - 200},{ground - 70} L{cx - 200},{ground - 250} '
            f'L{cx},{ground - 220} Z" fill="{main}"/>'
            f'<path d="M{cx},{ground - 40} L{cx + 200},{ground - 70} L{cx + 200},{ground - 250} '
            f'L{cx},{ground - 220} Z" fill="{dark}"/>'
        )
        for i in range(5):
            y = ground - 200 + i * 28
            parts.append(
                f'<path d="M{cx - 170},{y - 4} L{cx - 30},{y + 14}" stroke="{light}" stroke-width="6"/>'
                f'<path d="M{cx + 30},{y + 14} L{cx + 170},{y - 4}" stroke="{light}" stroke-width="6"/>'
            )
    elif motif == "calendar":
        parts.append(
            f'<rect x="{cx - 150}" y="{ground - 240}" width="300" height="230" rx="14" fill="#ffffff"/>'
            f'<rect x="{cx - 150}" y="{ground - 240}" width="300" height="56" rx="14" fill="{dark}"/>'
        )
        for row in range(3):
            for col in range(5):
                fill = spot if (row, col) == (1, 2) else main
                parts.append(
                    f'<rect x="{cx - 130 + col * 54}" y="{ground - 170 + row * 50}" '
                    f'width="38" height="36" rx="5" fill="{fill}" opacity="0.8"/>'
                )
    elif motif == "globe":
        parts.append(f'<circle cx="{cx}" cy="{ground - 130}" r="120" fill="{main}"/>')
        parts.append(
            f'<path d="M{cx - 70},{ground - 200} q40,-20 70,10 q20,40 -20,60 q-40,10 -50,-70 Z" fill="{MINT}"/>'
            f'<path d="M{cx + 20},{ground - 90} q50,-30 80,10 q-10,50 -60,50 q-30,-20 -20,-60 Z" fill="{MINT}"/>'
        )
        for k in range(-2, 3):
            parts.append(
                f'<ellipse cx="{cx}" cy="{ground - 130}" rx="{abs(k) * 30 + 10}" ry="120" '
                f'fill="none" stroke="{light}" stroke-width="3"/>'
            )
    elif motif == "handshake":
        parts.append(
            f'<path d="M{cx - 240},{ground - 120} L{cx - 40},{ground - 150} L{cx + 20},{ground - 110} '
            f'L{cx - 40},{ground - 70} L{cx - 240},{ground - 60} Z" fill="{main}"/>'
            f'<path d="M{cx + 240},{ground - 120} L{cx + 40},{ground - 150} L{cx - 20},{ground - 110} '
            f'L{cx + 40},{ground - 70} L{cx + 240},{ground - 60} Z" fill="{dark}"/>'
        )
    elif motif == "phone":
        parts.append(
            f'<rect x="{cx - 80}" y="{ground - 280}" width="160" height="270" rx="20" fill="{dark}"/>'
            f'<rect x="{cx - 66}" y="{ground - 254}" width="132" height="212" rx="6" fill="#ffffff"/>'
        )
        for i in range(5):
            parts.append(
                f'<rect x="{cx - 52}" y="{ground - 240 + i * 40}" width="{104 - (i % 2) * 30}" '
                f'height="14" rx="7" fill="{main}"/>'
            )
    elif motif == "city":
        rng = random.Random(motif + palette)
        x = 0
        while x < w:
            bw, bh = rng.randint(40, 90), rng.randint(80, 230)
            parts.append(
                f'<rect x="{x}" y="{ground - bh}" width="{bw - 6}" height="{bh}" '
                f'fill="{rng.choice([dark, main])}"/>'
            )
            x += bw
    parts.append(f'<rect y="{h - 14}" width="{w}" height="14" fill="{dark}"/>')
    return svg(w, h, "\n".join(parts), title)


def cover(title: str, kicker: str, palette: str) -> str:
    """A study cover, A4 proportions, title in flat text blocks."""
    dark, main, light, spot = PALETTES[palette]
    w, h = 420, 594
    words = title.split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 18:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    text = "".join(
        f'<text x="36" y="{150 + i * 40}" font-family="sans-serif" font-size="32" '
        f'font-weight="bold" fill="#ffffff">{escape(t)}</text>'
        for i, t in enumerate(lines[:6])
    )
    body = (
        f'<rect width="{w}" height="{h}" fill="{dark}"/>'
        f'<rect y="{h - 200}" width="{w}" height="200" fill="{light}"/>'
        f'<circle cx="{w - 60}" cy="{h - 200}" r="90" fill="{spot}"/>'
        f'<rect x="36" y="70" width="120" height="8" fill="{spot}"/>'
        f'<text x="36" y="110" font-family="sans-serif" font-size="20" fill="{light}">'
        f"{escape(kicker)}</text>{text}"
        f'<rect x="36" y="{h - 150}" width="200" height="14" fill="{main}"/>'
        f'<rect x="36" y="{h - 120}" width="150" height="14" fill="{main}" opacity="0.6"/>'
    )
    return svg(w, h, body, title)


def bar_chart(
    title: str, source: str, labels: list[str], values: list[float], unit: str = ""
) -> str:
    w, h = 800, 500
    left, right, top, bottom = 90, 30, 80, 90
    plot_w, plot_h = w - left - right, h - top - bottom
    vmax = max(values) * 1.15
    step = plot_w / len(values)
    parts = [
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text x="{w / 2}" y="42" text-anchor="middle" font-family="sans-serif" '
        f'font-size="24" font-weight="bold" fill="{NAVY}">{escape(title)}</text>',
    ]
    for k in range(5):
        v = vmax * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#cdd8e6" stroke-width="1"/>'
            f'<text x="{left - 10}" y="{y + 5:.1f}" text-anchor="end" font-family="sans-serif" '
            f'font-size="14" fill="#4f5b6b">{v:,.0f}{unit}</text>'
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        bh = plot_h * value / vmax
        x = left + i * step + step * 0.18
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bh:.1f}" width="{step * 0.64:.1f}" '
            f'height="{bh:.1f}" fill="{BLUE if i % 2 else NAVY}"/>'
            f'<text x="{x + step * 0.32:.1f}" y="{top + plot_h - bh - 8:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="14" fill="{NAVY}">{value:,.0f}{unit}</text>'
            f'<text x="{x + step * 0.32:.1f}" y="{top + plot_h + 24}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="14" fill="#1f2933">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{w - right}" y2="{top + plot_h}" stroke="#1f2933" stroke-width="2"/>'
        f'<text x="{left}" y="{h - 22}" font-family="sans-serif" font-size="14" '
        f'font-style="italic" fill="#4f5b6b">{escape(source)}</text>'
    )
    return svg(w, h, "\n".join(parts), title)


def line_chart(
    title: str, source: str, years: list[int], series: dict[str, list[float]]
) -> str:
    w, h = 800, 460
    left, right, top, bottom = 80, 160, 80, 90
    plot_w, plot_h = w - left - right, h - top - bottom
    vmax = max(max(v) for v in series.values()) * 1.1
    parts = [
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text x="{w / 2}" y="42" text-anchor="middle" font-family="sans-serif" '
        f'font-size="24" font-weight="bold" fill="{NAVY}">{escape(title)}</text>',
    ]
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#cdd8e6"/>'
            f'<text x="{left - 10}" y="{y + 5:.1f}" text-anchor="end" font-family="sans-serif" '
            f'font-size="14" fill="#4f5b6b">{vmax * k / 4:,.0f}</text>'
        )
    for i, year in enumerate(years):
        x = left + plot_w * i / (len(years) - 1)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 24}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="14" fill="#1f2933">{year}</text>'
        )
    for (name, values), colour in zip(
        series.items(), [NAVY, CORAL, MINT, GOLD], strict=False
    ):
        points = " ".join(
            f"{left + plot_w * i / (len(values) - 1):.1f},{top + plot_h - plot_h * v / vmax:.1f}"
            for i, v in enumerate(values)
        )
        last_y = top + plot_h - plot_h * values[-1] / vmax
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="4"/>'
            f'<circle cx="{left + plot_w}" cy="{last_y:.1f}" r="6" fill="{colour}"/>'
            f'<text x="{left + plot_w + 14}" y="{last_y + 5:.1f}" font-family="sans-serif" '
            f'font-size="15" fill="{colour}">{escape(name)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#1f2933" stroke-width="2"/>'
        f'<text x="{left}" y="{h - 22}" font-family="sans-serif" font-size="14" '
        f'font-style="italic" fill="#4f5b6b">{escape(source)}</text>'
    )
    return svg(w, h, "\n".join(parts), title)


# ------------------------------------------------------------- bitmap helpers


def lerp(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def landscape(
    width: int,
    height: int,
    seed: int,
    sky=((44, 92, 160), (246, 200, 150)),
    sun=(0.7, 0.35),
) -> Image.Image:
    """A photo-like landscape: sky gradient, sun, layered hills, a lake."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=lerp(sky[0], sky[1], y / height))
    r = min(width, height) * 0.08
    sx, sy = width * sun[0], height * sun[1]
    draw.ellipse([sx - r, sy - r, sx + r, sy + r], fill=(255, 226, 160))
    colours = [(92, 112, 140), (70, 104, 96), (48, 84, 70), (32, 62, 52)]
    for layer, colour in enumerate(colours):
        base = height * (0.5 + layer * 0.1)
        amp = height * (0.12 - layer * 0.02)
        f1, f2 = rng.uniform(1, 3), rng.uniform(3, 7)
        p1, p2 = rng.uniform(0, 6), rng.uniform(0, 6)
        points = [
            (
                x,
                base
                - amp
                * (
                    0.6 * math.sin(f1 * x / width * math.pi * 2 + p1)
                    + 0.4 * math.sin(f2 * x / width * math.pi * 2 + p2)
                ),
            )
            for x in range(0, width + 8, 8)
        ]
        draw.polygon([(0, height), *points, (width, height)], fill=colour)
    lake_top = height * 0.86
    for y in range(int(lake_top), height):
        t = (y - lake_top) / (height - lake_top)
        draw.line([(0, y), (width, y)], fill=lerp((120, 150, 190), (40, 70, 110), t))
    return image


def dark_portrait(
    width: int, height: int, seed: int, skin=(196, 140, 110)
) -> Image.Image:
    """A photo-like portrait in low light: dark hair and clothes on a dark ground.

    The darkest, most saturated pixels of ordinary photos, where a conversion
    to the press profile may go above its total ink limit.
    """
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    ground = ((18, 20, 40), (6, 8, 14))
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=lerp(ground[0], ground[1], y / height))
    cx, cy = width * rng.uniform(0.4, 0.6), height * 0.42
    face_w, face_h = width * 0.22, height * 0.2
    # Shoulders in a dark coat, then the hair behind the face, then the face.
    draw.ellipse(
        [cx - width * 0.4, height * 0.7, cx + width * 0.4, height * 1.4],
        fill=(20, 12, 30),
    )
    draw.ellipse(
        [cx - face_w * 1.5, cy - face_h * 1.45, cx + face_w * 1.5, cy + face_h * 1.6],
        fill=(22, 14, 10),
    )
    for _ in range(600):  # strands of hair, a little lighter or darker
        x = cx + rng.uniform(-1.4, 1.4) * face_w
        y = cy + rng.uniform(-1.4, 1.3) * face_h
        shade = rng.randint(2, 40)
        draw.line(
            [(x, y), (x + rng.uniform(-20, 20), y + rng.uniform(20, 80))],
            fill=(shade, shade * 2 // 3, shade // 2),
            width=2,
        )
    draw.ellipse([cx - face_w, cy - face_h, cx + face_w, cy + face_h * 1.25], fill=skin)
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    noise = noise.convert("RGB")
    return Image.blend(image, noise, 0.06).filter(ImageFilter.GaussianBlur(1.2))


def save_png(image: Image.Image, path: Path, colours: int = 96) -> None:
    image.quantize(colours, dither=Image.Dither.NONE).save(path, optimize=True)


def save_jpeg(image: Image.Image, path: Path) -> None:
    image.save(path, quality=80, optimize=True, progressive=True)


def small_icon(path: Path) -> None:
    image = Image.new("RGB", (120, 90), (207, 224, 245))
    draw = ImageDraw.Draw(image)
    draw.ellipse([35, 15, 85, 65], fill=(31, 95, 174))
    draw.rectangle([0, 72, 120, 90], fill=(18, 48, 95))
    draw.polygon([(60, 22), (72, 48), (48, 48)], fill=(242, 178, 51))
    save_png(image, path, 16)


def tall_banner(path: Path) -> None:
    """A 300×1400 portrait strip: a lighthouse on a gradient sky."""
    w, h = 300, 1400
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    for y in range(h):
        draw.line([(0, y), (w, y)], fill=lerp((18, 48, 95), (246, 190, 140), y / h))
    draw.rectangle([0, 1240, w, h], fill=(40, 70, 110))
    draw.polygon(
        [(120, 1240), (180, 1240), (168, 560), (132, 560)], fill=(245, 245, 240)
    )
    for y in range(640, 1240, 120):
        draw.polygon(
            [
                (129 - (y - 560) / 60, y),
                (171 + (y - 560) / 60, y),
                (172 + (y + 50 - 560) / 60, y + 50),
                (128 - (y + 50 - 560) / 60, y + 50),
            ],
            fill=(232, 115, 90),
        )
    draw.rectangle([124, 500, 176, 560], fill=(242, 178, 51))
    draw.polygon([(116, 500), (184, 500), (150, 440)], fill=(18, 48, 95))
    for k, y in enumerate(range(120, 420, 70)):
        draw.ellipse([40 + k * 37, y, 44 + k * 37, y + 4], fill=(255, 255, 255))
    save_png(image, path, 64)


# ---------------------------------------------------------------- the corpus

ILLUSTRATIONS: dict[str, list[tuple[str, str, str, str]]] = {
    # issue: [(file name, motif, palette, title)]
    "en-one-page": [],
    "fr-eight-pages": [
        ("accueil.svg", "people", "blue", "Personnes devant un guichet d’accueil"),
        ("reseau.svg", "globe", "green", "Un globe stylisé"),
        ("ecole.svg", "building", "sand", "Une école"),
        ("atelier.svg", "table", "warm", "Un atelier autour d’une table"),
        ("calendrier.svg", "calendar", "plum", "Un calendrier"),
        ("application.svg", "phone", "blue", "Un téléphone affichant une application"),
    ],
    "de-city-integration": [
        ("rathaus.svg", "building", "blue", "Das Rathaus"),
        ("sprachcafe.svg", "table", "warm", "Ein Sprachcafé"),
        ("app.svg", "phone", "green", "Die Stadt-App"),
        ("stadtteil.svg", "city", "plum", "Silhouette eines Stadtteils"),
    ],
    "en-many-blocks": [
        ("network.svg", "globe", "blue", "A globe"),
        ("workshop.svg", "table", "green", "A workshop"),
        ("calendar.svg", "calendar", "warm", "A calendar"),
        ("app.svg", "phone", "plum", "A phone app"),
    ],
    "fr-research-institute": [
        ("seminaire.svg", "table", "plum", "Un séminaire"),
        ("bibliotheque.svg", "book", "sand", "Un livre ouvert"),
    ],
    "de-ngo-quarterly": [
        ("ehrenamt.svg", "people", "warm", "Ehrenamtliche"),
        ("partnerschaft.svg", "handshake", "green", "Ein Handschlag"),
    ],
    "en-long-titles": [("conference.svg", "people", "plum", "A conference audience")],
    "fr-charts": [("donnees.svg", "book", "blue", "Un rapport ouvert")],
    "en-extreme-pictures": [("skyline.svg", "city", "blue", "A city skyline")],
    "de-verein-kontakte": [
        ("treffpunkt.svg", "people", "green", "Menschen im Begegnungszentrum"),
        ("werkstatt.svg", "table", "sand", "Eine Reparaturwerkstatt"),
    ],
    "de-no-editorial": [
        ("beratung.svg", "table", "blue", "Eine Beratung"),
        ("kalender.svg", "calendar", "green", "Ein Kalender"),
    ],
    "fr-briefs-heavy": [("notes.svg", "book", "green", "Des notes de synthèse")],
    "en-one-block-sections": [
        ("handshake.svg", "handshake", "blue", "A handshake"),
        ("volunteers.svg", "people", "green", "Volunteers"),
    ],
    "fr-long-addresses": [("portail.svg", "phone", "sand", "Un portail en ligne")],
    # The typesetting corpus, held out of tuning (issue 31).
    "de-interview-compounds": [
        ("gespraech.svg", "table", "warm", "Ein Gespräch am Tisch"),
        ("tagung.svg", "people", "blue", "Das Publikum einer Tagung"),
    ],
    "fr-city-practical": [
        ("guichet.svg", "people", "blue", "Un guichet d’accueil"),
        ("cours.svg", "building", "green", "Une salle de cours"),
    ],
    "en-lists-guide": [
        ("checklist.svg", "book", "blue", "A checklist"),
        ("fair.svg", "people", "green", "An employment fair"),
    ],
}

COVERS: dict[str, list[tuple[str, str, str, str]]] = {
    "fr-eight-pages": [
        (
            "etude-accueil.svg",
            "L’accueil des familles en 2024",
            "Étude nationale",
            "blue",
        ),
    ],
    "fr-research-institute": [
        (
            "rapport-annuel.svg",
            "Rapport annuel sur les migrations",
            "Rapport annuel",
            "plum",
        ),
        ("etude-emploi.svg", "Diplômes étrangers et emploi", "Étude", "green"),
    ],
    "de-ngo-quarterly": [
        ("jahresbericht.svg", "Jahresbericht 2024", "Bericht", "warm")
    ],
    "en-long-titles": [
        ("report.svg", "Labour market pathways", "Comparative study", "blue")
    ],
    "en-many-blocks": [("inform.svg", "Skills and status", "EMN Inform", "sand")],
    "fr-charts": [("bilan.svg", "Bilan statistique 2024", "Statistiques", "blue")],
}


def typesetting_charts(charts: Path) -> None:
    """The charts of the typesetting corpus (issue 31)."""
    (CORPUS / "de-interview-compounds" / "images" / "beratungen.svg").write_text(
        bar_chart(
            "Beratungsgespräche, 2019–2025",
            "Quelle: Landesnetzwerk Integration (fiktiv); 2025: 1. Halbjahr",
            [str(y) for y in range(2019, 2026)],
            [2110, 1640, 2230, 2790, 3350, 5790, 3740],
        ),
        encoding="utf-8",
    )
    (CORPUS / "fr-city-practical" / "images" / "inscriptions.svg").write_text(
        bar_chart(
            "Inscriptions aux cours du soir, par session",
            "Source : Ville de Metz (fictif), sessions 1 à 13",
            [f"{n}e" for n in range(1, 14)],
            [96, 104, 121, 133, 150, 149, 171, 188, 205, 231, 259, 284, 312],
        ),
        encoding="utf-8",
    )
    (CORPUS / "en-lists-guide" / "images" / "calls.svg").write_text(
        bar_chart(
            "Advice line calls by topic, Q4 2025",
            "Source: Northern Refugee Support Partnership (fictional)",
            ["Housing", "Health", "Permits", "Money", "Other"],
            [820, 540, 470, 390, 240],
        ),
        encoding="utf-8",
    )


def corpus_pictures() -> None:
    """Draw the pictures of tests/corpus/."""
    for issue, items in ILLUSTRATIONS.items():
        folder = CORPUS / issue / "images"
        folder.mkdir(parents=True, exist_ok=True)
        for name, motif, palette, title in items:
            (folder / name).write_text(
                illustration(motif, palette, title), encoding="utf-8"
            )
    for issue, items in COVERS.items():
        folder = CORPUS / issue / "images"
        for name, title, kicker, palette in items:
            (folder / name).write_text(cover(title, kicker, palette), encoding="utf-8")

    charts = CORPUS / "fr-charts" / "images"
    (charts / "demandes-par-annee.svg").write_text(
        bar_chart(
            "Demandes de protection internationale, 2017–2024",
            "Source : ministère des Affaires intérieures (fictif), données 2017–2024",
            [str(y) for y in range(2017, 2025)],
            [2320, 2205, 2047, 1342, 1377, 2269, 2476, 2190],
        ),
        encoding="utf-8",
    )
    (charts / "premiers-titres.svg").write_text(
        line_chart(
            "Premiers titres de séjour délivrés, par motif",
            "Source : Observatoire national des migrations (fictif), 2015–2024",
            list(range(2015, 2025)),
            {
                "Travail": [2100, 2300, 2600, 2900, 3300, 2500, 3100, 3900, 4300, 4500],
                "Famille": [2800, 2900, 3000, 3200, 3300, 2700, 3000, 3400, 3500, 3600],
                "Études": [600, 650, 700, 720, 760, 480, 610, 800, 850, 900],
            },
        ),
        encoding="utf-8",
    )
    (charts / "cours-de-langue.svg").write_text(
        bar_chart(
            "Inscriptions aux cours de langue, par région",
            "Source : enquête auprès des communes (fictive), 2024",
            ["Nord", "Est", "Centre", "Sud", "Ouest"],
            [412, 288, 1630, 1215, 356],
        ),
        encoding="utf-8",
    )
    typesetting_charts(charts)
    research = CORPUS / "fr-research-institute" / "images"
    (research / "emploi-courbe.svg").write_text(
        line_chart(
            "Taux d’emploi selon la durée de séjour",
            "Source : panel longitudinal de l’Institut (fictif), 2014–2023",
            list(range(2014, 2024)),
            {
                "Hommes": [38, 45, 52, 58, 63, 66, 64, 68, 71, 73],
                "Femmes": [21, 25, 30, 34, 39, 42, 41, 46, 50, 53],
            },
        ),
        encoding="utf-8",
    )

    pictures = CORPUS / "en-extreme-pictures" / "images"
    save_png(landscape(2400, 300, 1, sun=(0.2, 0.4)), pictures / "panorama.png")
    tall_banner(pictures / "lighthouse.png")
    small_icon(pictures / "stamp.png")
    save_png(landscape(3000, 2000, 2), pictures / "valley.png")
    save_jpeg(
        landscape(1800, 1200, 3, sky=((120, 160, 210), (250, 235, 200))),
        pictures / "harbour.jpg",
    )

    small_icon(CORPUS / "en-one-page" / "images" / "stamp.png")
    save_jpeg(
        landscape(3000, 2000, 4), CORPUS / "fr-eight-pages" / "images" / "vallee.jpg"
    )
    save_jpeg(
        landscape(1600, 1067, 5, sky=((80, 120, 180), (240, 210, 170)), sun=(0.3, 0.3)),
        CORPUS / "de-city-integration" / "images" / "flussufer.jpg",
    )
    save_jpeg(
        landscape(1600, 1000, 6, sun=(0.5, 0.25)),
        CORPUS / "de-ngo-quarterly" / "images" / "sommerfest.jpg",
    )
    save_png(
        landscape(2400, 300, 7, sun=(0.85, 0.45)),
        CORPUS / "en-one-block-sections" / "images" / "coast.png",
    )
    save_jpeg(
        landscape(1200, 800, 8), CORPUS / "de-no-editorial" / "images" / "park.jpg"
    )

    portraits = CORPUS / "fr-ville-portraits" / "images"
    portraits.mkdir(parents=True, exist_ok=True)
    for number, skin in enumerate(
        [(196, 140, 110), (120, 80, 60), (230, 190, 160), (90, 60, 45), (170, 120, 90)]
    ):
        save_jpeg(
            dark_portrait(1200, 1500, 20 + number, skin),
            portraits / f"portrait-{number + 1}.jpg",
        )
    save_jpeg(dark_portrait(2400, 1200, 30), portraits / "conseil.jpg")
    save_jpeg(
        landscape(1600, 1000, 9, sky=((10, 16, 40), (60, 40, 70)), sun=(0.8, 0.2)),
        CORPUS / "de-verein-kontakte" / "images" / "abendfest.jpg",
    )


# ---------------------------------------------------------- held-out photos

SKIN = [(241, 199, 165), (198, 143, 104), (141, 93, 62), (224, 172, 130)]
HAIR = [(40, 28, 22), (92, 60, 34), (20, 18, 18), (150, 140, 130)]
CLOTHES = [(29, 79, 145), (122, 36, 54), (46, 110, 80), (201, 146, 45), (80, 80, 96)]


def gradient(width: int, height: int, top: tuple, bottom: tuple) -> Image.Image:
    """A vertical gradient, the studio backdrop of a photo."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=lerp(top, bottom, y / height))
    return image


def figure_at(
    image: Image.Image, x: float, top: float, size: float, rng: random.Random
) -> None:
    """Draw a person whose head's top is at ``top``: head, hair, face, shoulders.

    ``size`` is the head's height; the shoulders run down to the image's foot.
    """
    draw = ImageDraw.Draw(image)
    skin, hair = rng.choice(SKIN), rng.choice(HAIR)
    head_w, bottom = size * 0.78, image.height
    neck_top = top + size * 0.85
    draw.rectangle(
        [x - size * 0.16, neck_top, x + size * 0.16, neck_top + size * 0.35], fill=skin
    )
    shoulder = neck_top + size * 0.3
    draw.rounded_rectangle(
        [x - size * 0.95, shoulder, x + size * 0.95, bottom + size],
        radius=size * 0.45,
        fill=rng.choice(CLOTHES),
    )
    draw.ellipse([x - head_w / 2, top, x + head_w / 2, top + size], fill=skin)
    draw.chord(
        [x - head_w / 2 - 2, top - size * 0.04, x + head_w / 2 + 2, top + size * 0.7],
        180,
        360,
        fill=hair,
    )
    eye_y, eye_dx, eye_r = top + size * 0.5, head_w * 0.2, size * 0.045
    for side in (-1, 1):
        ex = x + side * eye_dx
        draw.ellipse([ex - eye_r, eye_y - eye_r, ex + eye_r, eye_y + eye_r], fill=hair)
    mouth_y = top + size * 0.74
    draw.arc(
        [
            x - head_w * 0.18,
            mouth_y - size * 0.06,
            x + head_w * 0.18,
            mouth_y + size * 0.05,
        ],
        20,
        160,
        fill=(150, 60, 60),
        width=max(2, round(size * 0.02)),
    )


def portrait(width: int, height: int, seed: int, backdrop: tuple) -> Image.Image:
    """A head-and-shoulders portrait: the head in the top third of the frame.

    A crop that keeps the middle of a tall portrait (a landscape band) cuts
    the top of the head off: the defect the crop measure must count.
    """
    rng = random.Random(seed)
    image = gradient(width, height, backdrop, lerp(backdrop, (255, 255, 255), 0.6))
    figure_at(image, width / 2, height * 0.1, height * 0.3, rng)
    return image


def group_photo(width: int, height: int, people: int, seed: int) -> Image.Image:
    """People standing side by side across the whole width of the frame."""
    rng = random.Random(seed)
    image = gradient(width, height, (222, 228, 236), (190, 200, 214))
    step = width / people
    for index in range(people):
        size = height * rng.uniform(0.2, 0.25)
        top = height * rng.uniform(0.22, 0.3)
        figure_at(image, step * (index + 0.5), top, size, rng)
    return image


#: Held-out issue: [(file name, what to draw)].
HELDOUT_PHOTOS = {
    "de-interview-quarterly": [
        ("portraet-yilmaz.jpg", lambda: portrait(900, 1400, 11, (214, 222, 232))),
        ("auftakt-gruppe.jpg", lambda: group_photo(1800, 1200, 8, 12)),
    ],
    "fr-photo-city": [
        ("place-du-marche.jpg", lambda: landscape(4000, 1200, 21, sun=(0.6, 0.3))),
        ("berges-alzette.jpg", lambda: landscape(4000, 1200, 22, sun=(0.15, 0.4))),
        ("portrait-amina.jpg", lambda: portrait(900, 1400, 23, (232, 226, 214))),
        ("portrait-joao.jpg", lambda: portrait(900, 1400, 24, (196, 222, 200))),
        ("binome.jpg", lambda: group_photo(1600, 1200, 2, 25)),
        ("classe-luxembourgeois.jpg", lambda: group_photo(1800, 1200, 8, 26)),
        ("fete-du-brill.jpg", lambda: group_photo(2400, 1600, 6, 27)),
    ],
    "en-two-page-digest": [],
    "fr-a5-booklet": [
        ("vallee-moselle.jpg", lambda: landscape(4000, 1200, 41, sun=(0.3, 0.25))),
        ("portrait-fatou.jpg", lambda: portrait(900, 1400, 42, (206, 230, 200))),
        ("jardin-partage.jpg", lambda: landscape(1600, 1067, 43, sun=(0.8, 0.3))),
    ],
}


def heldout_pictures() -> None:
    """Draw the pictures of tests/heldout/: photos, charts and covers."""
    for issue, photos in HELDOUT_PHOTOS.items():
        folder = HELDOUT / issue / "images"
        folder.mkdir(parents=True, exist_ok=True)
        for name, draw in photos:
            save_jpeg(draw(), folder / name)
    drawings = {
        "de-interview-quarterly/jahresbericht-2024.svg": cover(
            "Jahresbericht 2024", "Netzwerk Ankommen", "blue"
        ),
        "fr-a5-booklet/rapport-2024.svg": cover(
            "Rapport d’activité 2024", "Terre d’accueil", "green"
        ),
        "fr-photo-city/inscriptions-cours.svg": bar_chart(
            "Inscriptions aux cours de langues, 2024-2025",
            "Source : service Vivre-ensemble, Ville de Val-d’Alzette",
            ["Luxembourgeois", "Français", "Allemand", "Anglais", "Alphabétisation"],
            [412, 365, 198, 121, 57],
        ),
        "en-two-page-digest/people-helped.svg": bar_chart(
            "People helped by our advice service",
            "Source: Northfield Migrant Support Network case records",
            [str(year) for year in range(2021, 2026)],
            [640, 910, 1230, 1380, 1515],
        ),
        "fr-a5-booklet/situations-2025.svg": bar_chart(
            "Personnes accompagnées en 2025",
            "Source : Terre d’accueil, rapport d’activité 2025 (provisoire)",
            ["Demandeurs d’asile", "Réfugiés", "Jeunes majeurs", "Autres"],
            [88, 54, 41, 29],
        ),
    }
    for name, text in drawings.items():
        issue, file_name = name.split("/")
        (HELDOUT / issue / "images" / file_name).write_text(text, encoding="utf-8")


def main(which: list[str]) -> None:
    """Draw the sets named (``corpus``, ``heldout``), or both."""
    for name in which or ["corpus", "heldout"]:
        {"corpus": corpus_pictures, "heldout": heldout_pictures}[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
