"""Draws the app icon once and derives every size the browsers ask for.

Run `.venv/bin/python scripts/make_icons.py` after changing the drawing; the
results are committed in assets/.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ASSETS = Path(__file__).resolve().parent.parent / "assets"
TEAL = (13, 148, 136)
WHITE = (255, 255, 255)
SIZE = 1024


def draw_source(full_bleed: bool = False) -> Image.Image:
    """A white droplet over a page's ruled lines, on teal. The maskable variant
    fills the whole square and keeps the drawing inside the central safe zone."""
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if full_bleed:
        d.rectangle([0, 0, SIZE, SIZE], fill=TEAL)
        scale, offset = 0.7, SIZE * 0.15
    else:
        d.rounded_rectangle([0, 0, SIZE - 1, SIZE - 1], radius=SIZE // 5, fill=TEAL)
        scale, offset = 1.0, 0

    def p(x: float, y: float) -> tuple[float, float]:
        return offset + x * scale, offset + y * scale

    # Droplet: a circle with a pointed top.
    cx, cy, r = 512, 560, 200
    d.ellipse([*p(cx - r, cy - r), *p(cx + r, cy + r)], fill=WHITE)
    d.polygon([p(cx - r * 0.93, cy - r * 0.37), p(cx, 170), p(cx + r * 0.93, cy - r * 0.37)], fill=WHITE)
    # Journal lines under it.
    for i, y in enumerate((830, 890)):
        width = 420 if i == 0 else 300
        d.rounded_rectangle([*p(512 - width / 2, y), *p(512 + width / 2, y + 26)], radius=13, fill=WHITE)
    return img


def main() -> None:
    source = draw_source()
    maskable = draw_source(full_bleed=True)
    source.save(ASSETS / "icon-source.png")
    for size in (192, 512):
        source.resize((size, size), Image.LANCZOS).save(ASSETS / f"icon-{size}.png", optimize=True)
    maskable.resize((512, 512), Image.LANCZOS).save(ASSETS / "icon-maskable-512.png", optimize=True)
    # iOS draws its own rounded corners and shows transparency as black.
    maskable.convert("RGB").resize((180, 180), Image.LANCZOS).save(ASSETS / "apple-touch-icon.png", optimize=True)
    source.save(ASSETS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
