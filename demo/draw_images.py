"""Draw the demo newsroom's lead images: one abstract illustration per demo story, 1600×900 JPEG,
the same bytes on every run (the shapes come from a random generator seeded with the story's
slug; no clock, no system font). Each section has its own motif and palette:

* Iran — mountain ranges under a sun;          * Iran Economy — columns of a bar chart;
* Iran Opposition — an assembly before a podium; * Human Rights — a row of candles;
* Culture — open books and arcs;               * Middle East — a skyline of domes and arches;
* the Persian edition — a tiled star pattern;

and a head-and-shoulders silhouette for each demo author (demo/authors/).

Usage (from the repository root; Pillow is installed with Wagtail)::

    .venv/bin/python demo/draw_images.py   # writes demo/stories/<section>/images/, demo/authors/

The images were drawn for the demo and are dedicated to the public domain (CC0 1.0):
demo/IMAGES.md.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900
ROOT = Path(__file__).resolve().parent / "stories"

PALETTES = {
    "iran": ["#1d3557", "#457b9d", "#a8dadc", "#f1faee", "#e9c46a"],
    "iran-economy": ["#264653", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51"],
    "iran-opposition": ["#3d0c11", "#8a1c1c", "#d4a373", "#fefae0", "#faedcd"],
    "human-rights": ["#0b090a", "#161a1d", "#ba181b", "#f5f3f4", "#ffba08"],
    "culture": ["#22223b", "#4a4e69", "#9a8c98", "#c9ada7", "#f2e9e4"],
    "middle-east": ["#5f0f40", "#9a031e", "#fb8b24", "#e36414", "#f6e8c3"],
    "persian": ["#003049", "#1b6f8a", "#fcbf49", "#eae2b7", "#d62828"],
}


def rng_for(slug: str) -> random.Random:
    """A generator seeded with the slug (SHA-256, so the same on every machine)."""
    return random.Random(int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big"))


def mountains(d: ImageDraw.ImageDraw, r: random.Random, p: list[str]) -> None:
    d.rectangle((0, 0, WIDTH, HEIGHT), fill=p[3])
    cx, cy = r.randint(300, 1300), r.randint(160, 320)
    d.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), fill=p[4])
    for layer, colour in enumerate(p[2::-1]):
        base = 420 + layer * 150
        points = [(0, HEIGHT)]
        x = -100
        while x < WIDTH + 200:
            points.append((x, base - r.randint(60, 260)))
            x += r.randint(140, 320)
            points.append((x, base + r.randint(0, 60)))
        points.append((WIDTH, HEIGHT))
        d.polygon(points, fill=colour)


def columns(d: ImageDraw.ImageDraw, r: random.Random, p: list[str]) -> None:
    d.rectangle((0, 0, WIDTH, HEIGHT), fill=p[0])
    n = r.randint(9, 14)
    step = (WIDTH - 200) / n
    level = r.randint(250, 550)
    for i in range(n):
        level = max(120, min(780, level + r.randint(-140, 140)))
        x = 100 + i * step
        d.rectangle((x + 10, level, x + step - 10, HEIGHT - 80), fill=p[1 + i % 4])
    d.line((80, HEIGHT - 80, WIDTH - 80, HEIGHT - 80), fill=p[2], width=8)


def assembly(d: ImageDraw.ImageDraw, r: random.Random, p: list[str]) -> None:
    d.rectangle((0, 0, WIDTH, HEIGHT), fill=p[4])
    d.rectangle((0, 0, WIDTH, 260), fill=p[1])  # the banner behind the platform
    d.rectangle((620, 200, 980, 420), fill=p[0])  # the podium
    d.rectangle((560, 180, 1040, 220), fill=p[2])
    for row in range(6):
        y = 470 + row * 75
        radius = 22 + row * 3
        count = 10 + row * 2
        for i in range(count):
            x = (i + 0.5) * WIDTH / count + r.randint(-12, 12)
            shade = p[r.choice((0, 1, 2))]
            d.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
            d.rectangle((x - radius, y + radius - 4, x + radius, y + radius + 30), fill=shade)


def candles(d: ImageDraw.ImageDraw, r: random.Random, p: list[str]) -> None:
    d.rectangle((0, 0, WIDTH, HEIGHT), fill=p[1])
    n = r.randint(7, 11)
    for i in range(n):
        x = (i + 0.5) * WIDTH / n
        h = r.randint(200, 420)
        top = HEIGHT - 60 - h
        d.ellipse((x - 90, top - 130, x + 90, top + 50), fill=p[2])  # glow
        d.rectangle((x - 32, top, x + 32, HEIGHT - 60), fill=p[3])
        d.polygon([(x, top - 90), (x - 22, top - 20), (x + 22, top - 20)], fill=p[4])
    d.rectangle((0, HEIGHT - 60, WIDTH, HEIGHT), fill=p[0])


def books(d: ImageDraw.ImageDraw, r: random.Random, p: list[str]) -> None:
    d.rectangle((0, 0, WIDTH, HEIGHT), fill=p[4])
    for k in range(6, 0, -1):
        radius = k * 120 + r.randint(-20, 20)
        d.arc(
            (WIDTH / 2 - radius, 700 - radius, WIDTH / 2 + radius, 700 + radius),
            180,
            360,
            fill=p[k % 4],
            width=26,
        )
    for i in range(r.randint(3, 5)):
        x = 200 + i * 280 + r.randint(-30, 30)
        d.polygon([(x, 720), (x + 120, 680), (x + 240, 720), (x + 120, 760)], fill=p[i % 3])
    d.rectangle((0, 780, WIDTH, HEIGHT), fill=p[0])


def skyline(d: ImageDraw.ImageDraw, r: random.Random, p: list[str]) -> None:
    for band in range(9):  # the evening sky, in bands
        d.rectangle((0, band * 70, WIDTH, band * 70 + 70), fill=p[4 - min(band // 2, 3)])
    x = -40
    while x < WIDTH:
        w, h = r.randint(120, 260), r.randint(160, 420)
        top = HEIGHT - h
        d.rectangle((x, top, x + w, HEIGHT), fill=p[0])
        if r.random() < 0.5:
            d.pieslice((x, top - w / 2, x + w, top + w / 2), 180, 360, fill=p[0])
        for a in range(x + 20, x + w - 40, 60):  # arched windows
            d.rectangle((a, top + 60, a + 30, top + 120), fill=p[2])
            d.pieslice((a, top + 45, a + 30, top + 75), 180, 360, fill=p[2])
        x += w + r.randint(0, 30)


def tiles(d: ImageDraw.ImageDraw, r: random.Random, p: list[str]) -> None:
    d.rectangle((0, 0, WIDTH, HEIGHT), fill=p[0])
    size = r.choice((150, 180, 200))
    for gy in range(-1, HEIGHT // size + 2):
        for gx in range(-1, WIDTH // size + 2):
            cx, cy = gx * size + size / 2, gy * size + size / 2
            colour = p[1 + (gx + gy) % 3]
            star = []
            for k in range(16):
                radius = size * (0.48 if k % 2 == 0 else 0.3)
                angle = math.pi * k / 8
                star.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
            d.polygon(star, fill=colour)
            d.ellipse((cx - size / 8, cy - size / 8, cx + size / 8, cy + size / 8), fill=p[4])


MOTIFS = {
    "iran": mountains,
    "iran-economy": columns,
    "iran-opposition": assembly,
    "human-rights": candles,
    "culture": books,
    "middle-east": skyline,
    "persian": tiles,
}


def draw(section: str, slug: str) -> bytes:
    """The JPEG bytes of the illustration for the story ``slug`` of ``section`` (a folder of
    demo/stories/): the same bytes for the same arguments."""
    import io

    image = Image.new("RGB", (WIDTH, HEIGHT))
    MOTIFS[section](ImageDraw.Draw(image), rng_for(slug), PALETTES[section])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


#: The demo's (fictional) writers, each drawn as a silhouette on a colour of their own.
AUTHORS = {
    "karim-nouri": ("#264653", "#e9c46a"),
    "maryam-sadeghi": ("#8a1c1c", "#faedcd"),
    "leila-farahani": ("#1b6f8a", "#fcbf49"),
    "daniel-roux": ("#4a4e69", "#f2e9e4"),
}
PORTRAIT = 480


def portrait(slug: str) -> bytes:
    """The JPEG bytes of the demo author ``slug``'s portrait: a head-and-shoulders silhouette
    (480×480), the same bytes for the same slug."""
    import io

    background, figure = AUTHORS[slug]
    r = rng_for(slug)
    image = Image.new("RGB", (PORTRAIT, PORTRAIT), background)
    d = ImageDraw.Draw(image)
    head = r.randint(85, 105)
    cx, cy = PORTRAIT / 2 + r.randint(-20, 20), 190
    d.ellipse((cx - head, cy - head, cx + head, cy + head), fill=figure)
    d.ellipse((cx - 200, cy + head + 10, cx + 200, cy + head + 420), fill=figure)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def main() -> int:
    folder = ROOT.parent / "authors"
    folder.mkdir(exist_ok=True)
    for slug in AUTHORS:
        (folder / f"{slug}.jpg").write_bytes(portrait(slug))
        print(f"demo/authors/{slug}.jpg")
    for story in sorted(ROOT.glob("*/*.md")):
        section = story.parent.name
        if f"file: images/{story.stem}.jpg" not in story.read_text(encoding="utf-8"):
            continue  # a story that shows another's picture (the seed story's translation)
        target = story.parent / "images" / f"{story.stem}.jpg"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(draw(section, story.stem))
        print(target.relative_to(ROOT.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
