"""Our photo pipeline against libvips, the fastest common library, on the
same 12 MP camera photo: display copy (2000 px) and thumbnail (400 px), JPEG
at the same qualities, metadata stripped, orientation applied.

Each library runs in its own process, so peak memory (max RSS) is its own.
Usage: .venv/bin/python benchmarks/photo_pipeline.py [RUNS]
Needs `pip install pyvips pyvips-binary` (not an app dependency).
"""

from __future__ import annotations

import io
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def camera_photo() -> bytes:
    """4032×3024, quality 90, EXIF orientation 6 and GPS: a phone's photo."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (4032, 3024))
    draw = ImageDraw.Draw(img)
    for y in range(0, 3024, 8):  # detail, so the encoder has work to do
        draw.line([(0, y), (4032, (y * 7) % 3024)], fill=(y % 256, (y * 3) % 256, (y * 5) % 256), width=3)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def ours(data: bytes) -> tuple[int, int]:
    from meso_journal import photos

    p = photos.process(data)
    return len(p.display), len(p.thumb)


def vips(data: bytes) -> tuple[int, int]:
    import pyvips

    from meso_journal import photos

    sizes = []
    for edge, quality in (
        (photos.DISPLAY_EDGE, photos.QUALITY["display"]),
        (photos.THUMB_EDGE, photos.QUALITY["thumb"]),
    ):
        image = pyvips.Image.thumbnail_buffer(data, edge, height=edge)  # autorotates
        sizes.append(len(image.jpegsave_buffer(Q=quality, keep="none", optimize_coding=True)))
    return sizes[0], sizes[1]


def child(which: str, runs: int, path: str) -> None:
    data = Path(path).read_bytes()
    fn = {"ours": ours, "vips": vips}[which]
    fn(data)  # warm up: imports, codecs
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sizes = fn(data)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"median_s": statistics.median(times), "peak_mb": peak_mb, "bytes": sizes}))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    path = Path("/tmp/meso-bench-photo.jpg")
    path.write_bytes(camera_photo())
    results = {}
    for which in ("ours", "vips"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", which, str(runs), str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[which] = json.loads(out.stdout)
    o, v = results["ours"], results["vips"]
    print(f"input: 4032x3024 JPEG q90, {path.stat().st_size / 1024:.0f} KB, EXIF orientation 6 + GPS; {runs} runs each")
    print(f"{'':10} {'median ms':>10} {'peak MB':>8} {'display KB':>11} {'thumb KB':>9}")
    for name, r in (("ours", o), ("pyvips", v)):
        display_kb, thumb_kb = r["bytes"][0] / 1024, r["bytes"][1] / 1024
        print(f"{name:10} {r['median_s'] * 1000:10.0f} {r['peak_mb']:8.0f} {display_kb:11.0f} {thumb_kb:9.0f}")
    print(f"ratio ours/pyvips: time {o['median_s'] / v['median_s']:.2f}, peak memory {o['peak_mb'] / v['peak_mb']:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main()
