"""Draw the pictures of the example issues (issues/examples/*/images/).

Each example shows what a newsletter of another organisation needs: its own
logo, a chart shown whole, a photo, a partner's logo.  Drawings are SVG (the
logos carry no text, so that no font of the system is drawn); photos are
JPEG large enough for print at 300 ppi.  The output is deterministic:

    .venv/bin/python scripts/make_example_images.py
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from make_illustrations import BLUE, CORAL, GOLD, MINT, NAVY, SKY, person, svg
from PIL import Image, ImageDraw, ImageFilter

EXAMPLES = Path(__file__).resolve().parent.parent / "issues" / "examples"
TEAL, PLUM = "#1f5c57", "#6b3a6e"


def logo(colour: str, accent: str, shape: int) -> str:
    """A wordless logo: a mark of circles or bars, as organisations have."""
    marks = {
        0: f'<circle cx="60" cy="60" r="44" fill="{colour}"/>'
        f'<circle cx="60" cy="60" r="22" fill="{accent}"/>',
        1: "".join(
            f'<rect x="{20 + 22 * k}" y="{90 - 18 * k}" width="16" height="{18 * k + 10}"'
            f' fill="{colour if k % 2 else accent}"/>'
            for k in range(4)
        ),
        2: f'<path d="M16,100 L60,16 L104,100 Z" fill="{colour}"/>'
        f'<circle cx="60" cy="72" r="16" fill="{accent}"/>',
    }
    bars = (
        f'<rect x="130" y="36" width="170" height="18" rx="4" fill="{colour}"/>'
        f'<rect x="130" y="66" width="120" height="12" rx="4" fill="{accent}"/>'
    )
    return svg(
        320, 120, f'<rect width="320" height="120" fill="#ffffff"/>{marks[shape]}{bars}'
    )


def bar_chart(title: str, labels: list[str], values: list[float], colour: str) -> str:
    """A bar chart with its title, axis and figures, 800 x 500."""
    top = max(values)
    width = 680 / len(values)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = 320 * value / top
        x = 90 + index * width + width * 0.15
        bars.append(
            f'<rect x="{x:.1f}" y="{410 - height:.1f}" width="{width * 0.7:.1f}"'
            f' height="{height:.1f}" fill="{colour}"/>'
            f'<text x="{x + width * 0.35:.1f}" y="{400 - height:.1f}"'
            f' text-anchor="middle" font-family="sans-serif" font-size="16"'
            f' fill="#1f2933">{value:g}</text>'
            f'<text x="{x + width * 0.35:.1f}" y="438" text-anchor="middle"'
            f' font-family="sans-serif" font-size="15" fill="#4f5b6b">{label}</text>'
        )
    return svg(
        800,
        500,
        '<rect width="800" height="500" fill="#ffffff"/>'
        f'<text x="400" y="46" text-anchor="middle" font-family="sans-serif"'
        f' font-size="24" font-weight="bold" fill="{NAVY}">{title}</text>'
        '<line x1="80" y1="410" x2="780" y2="410" stroke="#4f5b6b" stroke-width="2"/>'
        + "".join(bars),
    )


def cover(colour: str) -> str:
    """A report's cover: a title block over a band of colour."""
    return svg(
        420,
        560,
        f'<rect width="420" height="560" fill="{colour}"/>'
        '<rect x="40" y="60" width="300" height="18" rx="4" fill="#ffffff"/>'
        '<rect x="40" y="92" width="240" height="18" rx="4" fill="#ffffff"/>'
        f'<rect y="420" width="420" height="140" fill="{GOLD}"/>'
        + "".join(
            person(120 + 90 * k, 360, [SKY, MINT, CORAL][k], 1.4) for k in range(3)
        ),
    )


def photo(seed: int, sky: str, ground: str) -> bytes:
    """A soft scene of people in a room, 1800 x 1200, as a JPEG photo."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1800, 1200), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 760, 1800, 1200], fill=ground)
    for _ in range(14):
        x, y = rng.uniform(80, 1720), rng.uniform(640, 980)
        colour = rng.choice([BLUE, CORAL, MINT, GOLD, NAVY, PLUM])
        draw.ellipse([x - 48, y - 260, x + 48, y - 164], fill="#e9c2a0")
        draw.rounded_rectangle([x - 90, y - 160, x + 90, y + 200], 60, fill=colour)
    output = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(3)).save(output, "JPEG", quality=82)
    return output.getvalue()


def main() -> None:
    pictures: dict[str, dict[str, str | bytes]] = {
        "fr-institut-recherche": {
            "logo-institut.svg": logo(NAVY, GOLD, 1),
            "logo-partenaire.svg": logo(TEAL, MINT, 0),
            "emploi-par-nationalite.svg": bar_chart(
                "Taux d’emploi des 20–64 ans, 2023 (%)",
                ["Luxembourgeois", "UE", "Hors UE", "Réfugiés"],
                [71, 78, 60, 44],
                BLUE,
            ),
            "rapport-integration.svg": cover(NAVY),
            "seminaire.jpg": photo(11, "#dfe7f1", "#8a9bb0"),
        },
        "en-ngo-newsletter": {
            "logo-open-doors.svg": logo(PLUM, GOLD, 2),
            "logo-foundation.svg": logo(NAVY, SKY, 0),
            "helpline-calls.svg": bar_chart(
                "Calls to the helpline by quarter, 2024",
                ["Q1", "Q2", "Q3", "Q4"],
                [412, 530, 611, 587],
                PLUM,
            ),
            "volunteers.jpg": photo(12, "#f4ead7", "#b89b72"),
        },
        "de-stadt-integration": {
            "logo-stadt.svg": logo(TEAL, CORAL, 2),
            "logo-volkshochschule.svg": logo(BLUE, GOLD, 1),
            "sprachkurse.svg": bar_chart(
                "Teilnehmende an Deutschkursen, 2021–2024",
                ["2021", "2022", "2023", "2024"],
                [380, 720, 865, 940],
                TEAL,
            ),
            "sprachcafe.jpg": photo(13, "#e6f0ea", "#7f9a88"),
        },
    }
    for example, drawings in pictures.items():
        folder = EXAMPLES / example / "images"
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in drawings.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                (folder / name).write_text(content, encoding="utf-8")
    print(f"pictures written under {EXAMPLES}")


if __name__ == "__main__":
    main()
