"""Draw the theme's PNG icons from the same geometry as static/img/favicon.svg.

Run once after changing the mark (the PNGs are committed, so a build needs no drawing):
    .venv/bin/python bench/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

IMG = Path(__file__).resolve().parent.parent / "dossier" / "theme" / "static" / "img"
# (x, y, width, height, colour) on a 32-unit square, as in favicon.svg
BARS = [
    (7, 8, 18, 3, "#fdfcf8"),
    (7, 14.5, 7, 3, "#fdfcf8"),
    (15, 14.5, 10, 3, "#ffd34d"),
    (7, 21, 13, 3, "#fdfcf8"),
]


def draw(size: int, rounded: bool = True) -> Image.Image:
    scale = 8  # drawn large, then reduced: smooth edges
    s = size * scale / 32
    im = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle(
        [0, 0, size * scale - 1, size * scale - 1], radius=6 * s if rounded else 0, fill="#0b5394"
    )
    for x, y, w, h, colour in BARS:
        d.rounded_rectangle([x * s, y * s, (x + w) * s, (y + h) * s], radius=s, fill=colour)
    return im.resize((size, size), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    draw(32).save(IMG / "favicon-32.png", optimize=True)
    # iOS rounds the corners itself and shows transparency as black
    draw(180, rounded=False).convert("RGB").save(IMG / "apple-touch-icon.png", optimize=True)
