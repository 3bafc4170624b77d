"""Radix Themes, loaded lean.

Reflex's Radix plugin imports the library's whole stylesheet (31 colour
scales, every class repeated for five screen widths) and bundles all of its
JavaScript on every page. Blocking on that before the first paint cost a
phone on a slow connection about a second. This plugin keeps Radix Themes
but loads only what the app uses:

- the colour scales in RADIX_COLOURS (a unit test scans the code for colour
  names, so a new one cannot be forgotten);
- components and utilities without their screen-width variants (classes
  like `sm:rt-r-size-2`, used only by responsive props, which this
  single-column app never sets): a small PostCSS step drops them at build;
- the JavaScript only as far as pages import it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import reflex as rx

# The accent, its grey (sage), and every scale named in rx.color(...),
# color_scheme=... or the chart lines (state/timeline.py).
RADIX_COLOURS = ("teal", "sage", "gray", "red", "orange", "amber", "iris", "crimson", "grass")

POSTCSS_CONFIG = "postcss.config.js"
BREAKPOINT_FILTER = "postcss-drop-radix-breakpoints.js"
BREAKPOINT_FILTER_JS = """\
// Written by radix_theme.py. Radix Themes repeats its size and
// layout classes inside @media (min-width: …) blocks, one per screen width,
// for responsive props. The app sets none, so those blocks are dropped from
// Radix's own files (and only from them).
const BREAKPOINT = /^\\(min-width:\\s*\\d+px\\)$/;
const dropRadixBreakpoints = () => ({
  postcssPlugin: "drop-radix-breakpoints",
  AtRule: {
    media(rule) {
      const file = rule.source?.input?.file ?? "";
      if (file.includes("@radix-ui/themes") && BREAKPOINT.test(rule.params)) rule.remove();
    },
  },
});
dropRadixBreakpoints.postcss = true;
export default dropRadixBreakpoints;
"""


def with_breakpoint_filter(config_js: str) -> str:
    """Reflex's postcss.config.js with our filter right after postcss-import
    (which inlines Radix's files first). Idempotent: the file persists between builds."""
    if BREAKPOINT_FILTER in config_js:
        return config_js
    anchor = '"postcss-import": {},'
    if anchor not in config_js:
        msg = f"{POSTCSS_CONFIG} has changed shape; cannot add the Radix breakpoint filter"
        raise ValueError(msg)
    return config_js.replace(anchor, f'{anchor}\n    "./{BREAKPOINT_FILTER}": {{}},', 1)


@dataclasses.dataclass
class RadixThemes(rx.plugins.RadixThemesPlugin):
    def get_stylesheet_paths(self, **context) -> tuple[str, ...]:
        if not self.enabled:
            return ()
        return (
            "@radix-ui/themes/tokens/base.css",
            *(f"@radix-ui/themes/tokens/colors/{colour}.css" for colour in RADIX_COLOURS),
            "@radix-ui/themes/components.css",
            "@radix-ui/themes/utilities.css",
        )

    def get_frontend_dependencies(self, **context) -> tuple[str, ...]:
        # The components that use Radix Themes install it anyway. Listed here,
        # Reflex would also bundle the whole library on every page for
        # components built at run time, which this app never makes: about
        # 90 KB of compressed JavaScript that no page needs.
        return ()

    def get_static_assets(self, **context) -> list[tuple[Path, str]]:
        return [(Path(BREAKPOINT_FILTER), BREAKPOINT_FILTER_JS)]

    def pre_compile(self, **context) -> None:
        super().pre_compile(**context)
        context["add_modify_task"](POSTCSS_CONFIG, with_breakpoint_filter)
