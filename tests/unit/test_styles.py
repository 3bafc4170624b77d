"""Radix Themes loaded lean: every colour scale the code names is imported,
and the build's PostCSS step drops the screen-width variants."""

import re
from pathlib import Path

import pytest

import radix_theme
from meso_journal import styles
from meso_journal.state.timeline import MEASURE_COLOURS

PACKAGE = Path(styles.__file__).parent
NAMED = re.compile(r"""(?:rx\.color\(|color_scheme=)\s*["']([a-z]+)["']""")


def test_it_imports_every_colour_scale_the_code_uses():
    used = {styles.ACCENT, *MEASURE_COLOURS}
    for path in PACKAGE.rglob("*.py"):
        used |= set(NAMED.findall(path.read_text()))
    assert {"red", "gray", "orange"} <= used  # the scan finds what it should
    assert used - set(radix_theme.RADIX_COLOURS) == set()


REFLEX_POSTCSS = """export default {
  plugins: {
    "postcss-import": {},
    autoprefixer: noVendorPrefix ? false : {},
  },
};"""


def test_it_adds_the_breakpoint_filter_after_postcss_import_once():
    once = radix_theme.with_breakpoint_filter(REFLEX_POSTCSS)
    lines = [line.strip() for line in once.splitlines()]
    assert lines.index('"./postcss-drop-radix-breakpoints.js": {},') == lines.index('"postcss-import": {},') + 1
    assert radix_theme.with_breakpoint_filter(once) == once


def test_it_refuses_a_postcss_config_it_does_not_recognise():
    with pytest.raises(ValueError, match="changed shape"):
        radix_theme.with_breakpoint_filter("export default { plugins: [] };")
