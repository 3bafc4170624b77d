"""Uploading one 12 MP camera photo over a weak mobile uplink, with and
without shrinking it in the browser first.

Starts the app as `make run` would (production build, throwaway data folder),
drives Debian's Chromium at a phone viewport, and through the DevTools
protocol emulates 750 kbit/s up, 150 ms latency and a 4x slower CPU. Prints
the bytes sent and the time from tapping "Upload" to the gallery showing the
photo, for each way, and the ratio.

Usage: .venv/bin/python benchmarks/upload_bytes.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM_FLAGS, PHONE, AppServer, _chromium, sign_up, unique_email  # noqa: E402
from tests.browser.journeys import start_course, watch_upload  # noqa: E402
from tests.images import camera_photo  # noqa: E402

UPLINK_BYTES_PER_S = 750_000 / 8
LATENCY_MS = 150
CPU_SLOWDOWN = 4


def upload_once(browser, base_url: str, photo: Path, *, shrink: bool) -> tuple[int, float]:
    ctx = browser.new_context(viewport=PHONE, base_url=base_url)
    ctx.set_default_timeout(300_000)
    page = ctx.new_page()
    if not shrink:
        page.add_init_script("window.__mesoNoShrink = true")
    progress = watch_upload(page)
    sign_up(page, unique_email("bench"))
    start_course(page)
    page.goto("/photos")
    page.get_by_label("Or choose from your gallery").set_input_files(str(photo))
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "uploadThroughput": UPLINK_BYTES_PER_S,
            "downloadThroughput": 1_600_000 / 8,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    start = time.perf_counter()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 photo added.")).to_be_visible(timeout=300_000)
    seconds = time.perf_counter() - start
    ctx.close()
    return progress[-1][1], seconds


def main(runs: int) -> None:
    chromium = _chromium()
    if not chromium:
        sys.exit("Chromium not found: install Debian's chromium")
    photo = camera_photo(Path(tempfile.mkdtemp()) / "IMG_4032.JPG")
    server = AppServer()
    server.env["MESO_MAX_UPLOAD_MB"] = "25"  # the default: the original must be allowed through
    server.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            results = {}
            for shrink in (False, True):
                figures = [upload_once(browser, server.url, photo, shrink=shrink) for _ in range(runs)]
                results[shrink] = (figures[0][0], statistics.median(f[1] for f in figures))
            browser.close()
    finally:
        server.stop()
    print(f"photo: {photo.stat().st_size / 1e6:.2f} MB, 4032×3024 JPEG q92; uplink 750 kbit/s, {LATENCY_MS} ms, "
          f"CPU {CPU_SLOWDOWN}× slower; median of {runs}")  # fmt: skip
    for shrink, label in ((False, "original"), (True, "shrunk in the browser")):
        sent, seconds = results[shrink]
        print(f"{label:>22}: {sent / 1e6:5.2f} MB sent, {seconds:5.1f} s to the gallery")
    faster, fewer = results[False][1] / results[True][1], results[False][0] / results[True][0]
    print(f"ratio: {faster:.1f}× faster, {fewer:.1f}× fewer bytes")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
