"""Style tokens, all from the Radix theme so light and dark mode both work."""

import reflex as rx

ACCENT = "teal"
MAX_WIDTH = "36rem"
TAB_BAR_HEIGHT = "4rem"

border = f"1px solid {rx.color('gray', 5)}"
muted_text = rx.color("gray", 11)

# 16 px inputs: iOS zooms into anything smaller.
input_style = {"font_size": "16px", "min_height": "44px", "width": "100%"}
# 44 px minimum tap targets (WCAG 2.5.5, Apple HIG).
tap_target = {"min_height": "44px", "min_width": "44px"}

card = {
    "border": border,
    "border_radius": "var(--radius-4)",
    "padding": "1rem",
    "background": rx.color("gray", 1),
    "width": "100%",
}
