"""Style tokens, all from the Radix theme so light and dark mode both work."""

import dataclasses

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


# The colour scales the app uses: the accent, its grey (sage), and the ones
# named in rx.color(...), color_scheme=... and the chart lines. Radix's full
# stylesheet carries all 31 scales; importing only these keeps about 20 KB
# (compressed) of render-blocking CSS off every first load. A scale missing
# here shows as no colour at all, so add it when a new colour is used.
RADIX_COLOURS = ("teal", "sage", "gray", "red", "orange", "amber", "iris", "crimson", "grass")


@dataclasses.dataclass
class RadixThemes(rx.plugins.RadixThemesPlugin):
    """Radix Themes with its stylesheet imported piece by piece (tokens of the
    colours above, components, utilities) instead of as one bundle, and its
    JavaScript only as far as pages use it."""

    def get_frontend_dependencies(self, **context) -> tuple[str, ...]:
        # The components that use Radix Themes install it anyway. Listed here,
        # Reflex would also bundle the whole library on every page for
        # components built at run time, which this app never makes: about
        # 90 KB of compressed JavaScript that no page needs.
        return ()

    def get_stylesheet_paths(self, **context) -> tuple[str, ...]:
        if not self.enabled:
            return ()
        return (
            "@radix-ui/themes/tokens/base.css",
            *(f"@radix-ui/themes/tokens/colors/{colour}.css" for colour in RADIX_COLOURS),
            "@radix-ui/themes/components.css",
            "@radix-ui/themes/utilities.css",
        )
