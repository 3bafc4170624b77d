"""The trimmed Radix stylesheet carries every colour scale the code names."""

import re
from pathlib import Path

from meso_journal import styles
from meso_journal.state.timeline import MEASURE_COLOURS

PACKAGE = Path(styles.__file__).parent
NAMED = re.compile(r"""(?:rx\.color\(|color_scheme=)\s*["']([a-z]+)["']""")


def test_it_imports_every_colour_scale_the_code_uses():
    used = {styles.ACCENT, *MEASURE_COLOURS}
    for path in PACKAGE.rglob("*.py"):
        used |= set(NAMED.findall(path.read_text()))
    assert {"red", "gray", "orange"} <= used  # the scan finds what it should
    assert used - set(styles.RADIX_COLOURS) == set()
