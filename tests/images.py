"""Image files the tests make: a camera's photo with EXIF, small JPEGs, and
every kind of bad file the photo pipeline must refuse."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from meso_journal import photos

RED, BLUE = (220, 20, 20), (20, 20, 220)


def photo(width=1200, height=800, *, orientation=None, gps=True, taken="2026:03:14 09:30:00", fmt="JPEG") -> bytes:
    """A landscape image with a red top-left corner, as a camera would store it."""
    img = Image.new("RGB", (width, height), BLUE)
    img.paste(RED, (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(photos.EXIF_IFD)[photos.DATETIME_ORIGINAL] = taken
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    out = io.BytesIO()
    img.save(out, fmt, exif=exif.tobytes(), **({"quality": 92} if fmt == "JPEG" else {}))
    return out.getvalue()


def is_red(rgb) -> bool:
    return rgb[0] > 150 and rgb[1] < 90 and rgb[2] < 90


def jpeg(width: int = 40, height: int = 30) -> bytes:
    """A small plain JPEG, no metadata."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "JPEG")
    return out.getvalue()


def camera_photo(path):
    """A phone camera's 12 MP JPEG (quality 92, about 5 MB): sensor noise, a red
    top-left corner as stored, EXIF orientation 6, GPS and a capture time."""
    img = Image.blend(
        Image.new("RGB", (4032, 3024), (30, 60, 200)), Image.effect_noise((4032, 3024), 40).convert("RGB"), 0.35
    )
    img.paste((255, 0, 0), (0, 0, 1008, 756))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8769).update({0x9003: "2026:03:14 09:30:00", 0x9011: "+01:00"})
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    img.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path


# --- bad files ---------------------------------------------------------------------------


def png_bomb(side: int) -> bytes:
    """A valid PNG header claiming side × side pixels, with a tiny compressed body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = zlib.compress(b"\x00" * (side // 8 + 1) * 64, 9)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _truncated_jpeg() -> bytes:
    data = photo(2000, 1500)
    return data[: len(data) // 2]


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50), RED).save(out, "GIF")
    return out.getvalue()


# name: (the file's bytes, what the refusal says)
BAD_FILES = {
    "empty": (b"", "The file is empty."),
    "pdf renamed .jpg": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF", "not a photo"),
    "html renamed .jpg": (b"<!doctype html><script>alert(1)</script>", "not a photo"),
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "not a photo"),
    "garbage": (bytes(range(256)) * 40, "not a photo"),
    "gif": (_gif(), "Only JPEG, PNG, WebP or HEIC"),
    "truncated jpeg": (_truncated_jpeg(), "damaged or incomplete"),
    "10,000 × 10,000 png bomb": (png_bomb(10_000), "more than 50 megapixels"),
}
