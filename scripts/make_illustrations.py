"""Draw the sample issue's illustrations (issues/2024-12/images/).

The seed newsletter came as text only, so the project makes its own pictures:
flat vector drawings as SVG and one raster PNG, so that both image paths of the
layout are exercised.  The output is deterministic; run it again after editing:

    .venv/bin/python scripts/make_illustrations.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "issues" / "2024-12" / "images"
NAVY, BLUE, SKY, GOLD, CORAL, MINT, PAPER = (
    "#12305f",
    "#1f5fae",
    "#cfe0f5",
    "#f2b233",
    "#e8735a",
    "#5dbb9d",
    "#f7f4ec",
)


def svg(width: int, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">\n{body}\n</svg>\n'
    )


def person(x: float, y: float, colour: str, scale: float = 1.0) -> str:
    r = 16 * scale
    return (
        f'<circle cx="{x}" cy="{y - 46 * scale}" r="{r}" fill="#f1c7a5"/>'
        f'<path d="M{x - 30 * scale},{y + 20 * scale} '
        f"Q{x - 30 * scale},{y - 26 * scale} {x},{y - 26 * scale} "
        f'Q{x + 30 * scale},{y - 26 * scale} {x + 30 * scale},{y + 20 * scale} Z" '
        f'fill="{colour}"/>'
    )


def detention_workshop() -> str:
    towers = "".join(
        f'<rect x="{x}" y="{200 - h}" width="{w}" height="{h}" fill="{NAVY}" '
        f'opacity="0.25"/><path d="M{x},{200 - h} L{x + w / 2},{140 - h} '
        f'L{x + w},{200 - h} Z" fill="{NAVY}" opacity="0.25"/>'
        for x, w, h in [
            (40, 34, 60),
            (110, 26, 90),
            (170, 40, 40),
            (470, 30, 80),
            (520, 44, 50),
            (590, 28, 100),
        ]
    )
    people = "".join(
        person(x, 262, colour)
        for x, colour in [(150, BLUE), (230, CORAL), (410, MINT), (490, GOLD)]
    )
    return svg(
        640,
        360,
        f"""
<rect width="640" height="360" fill="#b4d0ee"/>
<rect y="120" width="640" height="80" fill="{SKY}"/>
<circle cx="520" cy="80" r="34" fill="{GOLD}" opacity="0.9"/>
{towers}
<rect y="200" width="640" height="160" fill="{PAPER}"/>
{people}
<rect x="90" y="270" width="460" height="22" rx="6" fill="{NAVY}"/>
<rect x="120" y="292" width="14" height="50" fill="{NAVY}"/>
<rect x="506" y="292" width="14" height="50" fill="{NAVY}"/>
<rect x="270" y="252" width="100" height="18" rx="3" fill="#ffffff"/>
<path d="M320,200 l10,20 -20,0 z" fill="{GOLD}"/>""",
    )


def mental_health() -> str:
    rings = "".join(
        f'<circle cx="320" cy="170" r="{r}" fill="none" stroke="{MINT}" '
        f'stroke-width="3" opacity="{o}"/>'
        for r, o in [(150, 0.25), (120, 0.4), (92, 0.6)]
    )
    return svg(
        640,
        360,
        f"""
<rect width="640" height="360" fill="#eef6f2"/>
{rings}
<path d="M320,235 C230,170 250,95 300,110 C312,114 318,124 320,132
C322,124 328,114 340,110 C390,95 410,170 320,235 Z" fill="{CORAL}"/>
<path d="M150,330 C170,260 230,240 300,262 L300,290 C250,280 215,292 200,330 Z"
fill="#f1c7a5"/>
<path d="M490,330 C470,260 410,240 340,262 L340,290 C390,280 425,292 440,330 Z"
fill="#e2ad86"/>
<circle cx="230" cy="90" r="7" fill="{GOLD}"/><circle cx="420" cy="70" r="5"
fill="{BLUE}"/><circle cx="440" cy="130" r="8" fill="{GOLD}"/>""",
    )


def study_cover() -> str:
    stars = "".join(
        f'<path d="{star_path(210 + 70 * math.cos(a), 330 + 70 * math.sin(a), 9)}" '
        f'fill="{GOLD}"/>'
        for a in (2 * math.pi * k / 12 for k in range(12))
    )
    bars = "".join(
        f'<rect x="40" y="{y}" width="{w}" height="14" rx="3" fill="#ffffff" '
        f'opacity="{o}"/>'
        for y, w, o in [(60, 300, 1), (84, 260, 1), (108, 280, 1), (150, 180, 0.6)]
    )
    return svg(
        420,
        560,
        f"""
<rect width="420" height="560" fill="{NAVY}"/>
<rect y="440" width="420" height="120" fill="{BLUE}"/>
{bars}
{stars}
<rect x="40" y="480" width="120" height="12" rx="3" fill="{GOLD}"/>
<rect x="40" y="504" width="200" height="10" rx="3" fill="#ffffff" opacity="0.7"/>""",
    )


def star_path(cx: float, cy: float, r: float) -> str:
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.42
        angle = -math.pi / 2 + k * math.pi / 5
        points.append(
            f"{cx + radius * math.cos(angle):.1f},{cy + radius * math.sin(angle):.1f}"
        )
    return "M" + " L".join(points) + " Z"


def forecasting_png(path: Path) -> None:
    """A raster picture: a network of points under forecast curves."""
    width, height = 1600, 900
    image = Image.new("RGB", (width, height), "#0f2a52")
    draw = ImageDraw.Draw(image)
    rng = random.Random(2024)
    nodes = [
        (rng.uniform(60, width - 60), rng.uniform(420, height - 40)) for _ in range(46)
    ]
    for a in nodes:
        for b in nodes:
            if a < b and math.dist(a, b) < 210:
                draw.line([a, b], fill="#2f5d98", width=3)
    for x, y in nodes:
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill="#9cc3ea")
    glow = Image.new("RGB", (width, height), "#000000")
    glow_draw = ImageDraw.Draw(glow)
    for colour, phase, amp in [
        ("#f2b233", 0.0, 90),
        ("#e8735a", 1.3, 70),
        ("#5dbb9d", 2.1, 110),
    ]:
        points = [
            (x, 330 - 0.12 * x + amp * math.sin(x / 210 + phase))
            for x in range(0, width + 1, 8)
        ]
        draw.line(points, fill=colour, width=9, joint="curve")
        glow_draw.line(points, fill=colour, width=40, joint="curve")
    glow = glow.filter(ImageFilter.GaussianBlur(24))
    image = Image.blend(image, glow, 0.25)
    image.save(path, optimize=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, drawing in [
        ("detention-workshop", detention_workshop),
        ("mental-health", mental_health),
        ("study-cover", study_cover),
    ]:
        (OUT / f"{name}.svg").write_text(drawing(), encoding="utf-8")
    forecasting_png(OUT / "forecasting.png")
    print(f"illustrations written to {OUT}")


if __name__ == "__main__":
    main()
