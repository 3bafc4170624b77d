"""Progress photos: the Pillow pipeline and private storage.

Photos are stored under the data folder (never Reflex's public upload
folder), in one folder per patient, under random names. Nothing the client
sent (file name, path, EXIF) survives: the image is decoded, turned upright,
re-encoded without any metadata but its colour profile, as a display copy
and a thumbnail.
"""

from __future__ import annotations

import io
import secrets
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

from PIL import Image
from pillow_heif import register_heif_opener

from meso_journal import clock, photo_storage, settings, workers

register_heif_opener()  # iPhone HEIC/HEIF

ALLOWED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC", "MPO": "JPEG"}
DISPLAY_EDGE = 2000
THUMB_EDGE = 400
# JPEG: quick to encode, opened by every browser, PDF library and clinic
# system (benchmarks/README.md has the figures behind the choice).
QUALITY = {"display": 85, "thumb": 80}
EXIF_IFD, DATETIME_ORIGINAL = 0x8769, 36867

# Real photos, even of a blank wall, keep well under this: a JPEG or PNG of
# one colour packs a few hundred pixels into each byte.
MAX_PIXELS_PER_BYTE = 4000

# The most photos one journal keeps: what one archive can carry (so every
# journal can be downloaded and restored whole), and a bound on the disk one
# account can fill.
MAX_PER_JOURNAL = 5000

MESSAGES = {
    "empty": "The file is empty.",
    "too_large": f"The photo is larger than {settings.MAX_UPLOAD_MB} MB.",
    "format": "Only JPEG, PNG, WebP or HEIC photos can be added.",
    "pixels": f"The photo has more than {settings.MAX_PHOTO_PIXELS // 1_000_000} megapixels.",
    "upload_pixels": (
        f"These photos are too large to add at once (over {settings.MAX_UPLOAD_PIXELS // 1_000_000} "
        "megapixels together). Add them a few at a time."
    ),
    "not_image": "This file is not a photo the app can read (JPEG, PNG, WebP or HEIC).",
    "damaged": "The photo is damaged or incomplete. Try taking or choosing it again.",
    "sparse": "This file is far smaller than any photo of its size in pixels, so it is not a real photo.",
    "no_file": "Choose or take a photo first.",
    "too_many": "Choose at most 10 photos at a time.",
    "journal_full": (
        f"This journal already holds {MAX_PER_JOURNAL:,} photos, the most it keeps (and can move to another "
        "device in one archive). Delete photos you no longer need to add new ones."
    ),
    "no_area": "Choose the body area the photo shows.",
    "no_course": "Start a course first: photos belong to a course.",
    "bad_session": "Choose the session from the list, or none.",
    "gone_session": (
        "That session is no longer in this course (it may have been deleted in another tab). "
        "Choose another session, or none."
    ),
    "bad_date": "That is not a date the app can read: leave it empty to use the date the camera stored.",
    "future_date": "That day is in the future: leave it empty to use the date the camera stored.",
}


class PhotoRejected(ValueError):
    """The message is for the patient; the code travels in redirects."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Processed:
    display: bytes
    thumb: bytes
    width: int
    height: int
    taken_at: datetime | None  # from EXIF DateTimeOriginal, read before it is dropped


def _taken_at(img: Image.Image) -> datetime | None:
    try:
        raw = img.getexif().get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
        value = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (ValueError, TypeError, KeyError, AttributeError, OSError):
        return None
    return value if 1990 <= value.year <= clock.today().year + 1 else None


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _jpeg(img: Image.Image, quality: int, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    # optimize: smaller files for little time. Not progressive: it doubles
    # the encoding time (benchmarks/README.md). comment: Pillow would copy
    # the source's COM segment (a name, an address) from img.info otherwise.
    img.save(out, "JPEG", quality=quality, optimize=True, comment=b"", **extra)
    return out.getvalue()


def _shrink(img: Image.Image, edge: int) -> Image.Image:
    if max(img.size) <= edge:
        return img
    copy = img.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return copy


def process(data: bytes, *, max_pixels: int | None = None) -> Processed:
    max_pixels = max_pixels or settings.MAX_PHOTO_PIXELS
    if not data:
        raise PhotoRejected("empty", MESSAGES["empty"])
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise PhotoRejected("too_large", MESSAGES["too_large"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format not in ALLOWED:
                raise PhotoRejected("format", MESSAGES["format"])
            # The size comes from the header: refuse a "bomb" before decoding it.
            if img.width * img.height > max_pixels:
                raise PhotoRejected("pixels", MESSAGES["pixels"])
            # Nor decode a file far smaller than any photo of that many pixels
            # could be (a 49 MP WebP of one colour packs into 600 bytes, and
            # each takes seconds of a worker to decode).
            if img.width * img.height > len(data) * MAX_PIXELS_PER_BYTE:
                raise PhotoRejected("sparse", MESSAGES["sparse"])
            taken_at = _taken_at(img)
            orientation = img.getexif().get(0x0112)
            icc = img.info.get("icc_profile")
            if img.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 scale straight away, as long as the
                # long edge stays at least DISPLAY_EDGE: far faster, far less memory.
                scale = DISPLAY_EDGE / max(img.size)
                img.draft("RGB", (max(1, round(img.width * scale)), max(1, round(img.height * scale))))
            img.load()  # decodes fully: a truncated file fails here
            if img.mode not in ("RGB", "L", "RGBA", "LA"):
                img = img.convert("RGB")
            # Shrunk in place: the full-size decode is not needed again, and a
            # copy of it would double the peak memory (150 MB for 49 MP).
            # Shrink first, then turn upright: rotating the small copy is cheaper.
            img.thumbnail((DISPLAY_EDGE, DISPLAY_EDGE), Image.Resampling.LANCZOS, reducing_gap=2.0)
            display = img if img.mode in ("RGB", "L") else img.convert("RGB")
            if orientation in _TRANSPOSE:
                display = display.transpose(_TRANSPOSE[orientation])
            thumb = _shrink(display, THUMB_EDGE)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected("pixels", MESSAGES["pixels"]) from None
    except Image.UnidentifiedImageError:
        raise PhotoRejected("not_image", MESSAGES["not_image"]) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise PhotoRejected("damaged", MESSAGES["damaged"]) from None
    return Processed(
        display=_jpeg(display, QUALITY["display"], icc),
        thumb=_jpeg(thumb, QUALITY["thumb"], icc),
        width=display.width,
        height=display.height,
        taken_at=taken_at,
    )


def pixels(f: BinaryIO) -> int:
    """An image file's pixel count from its header alone, nothing decoded;
    0 when it has none (process() then refuses the file with a reason)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(f) as img:
                return img.width * img.height
    except (Image.DecompressionBombError, Image.UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return 0
    finally:
        f.seek(0)


# --- the image pool ------------------------------------------------------------

# Decoding and encoding run in a pool of their own, never on the event loop
# and never in the default thread pool that database calls share: at most
# IMAGE_WORKERS photos are worked on at once on this server, so the other
# patients' requests always find a core and a thread. Each patient gets one
# job at a time, so one account's import cannot fill the queue ahead of
# everyone else's single photo.
_turns = workers.KeyedLocks()
# writing(owner_id): held for a whole upload or import, one at a time per
# patient, so the journal's photo count read at the start stays true while it
# adds (thirty uploads at once each saw room and passed the cap together).
writing = workers.KeyedLocks()
T = TypeVar("T")


async def run_job(owner_id: int, job: Callable[..., T], *args: object) -> T:
    async with _turns(owner_id):
        return await workers.IMAGES.run(job, *args)


# --- storage -----------------------------------------------------------------
# The bytes go to photo_storage's backend (a private folder, or the database);
# these are the calls the rest of the app makes.


def save(owner_id: int, processed: Processed, root: Path | None = None) -> str:
    """Stores both sizes durably and returns their new key. The caller
    commits the photo row afterwards and calls remove() if that fails."""
    key = secrets.token_hex(16)
    _backend(root).write(owner_id, key, {"display": processed.display, "thumb": processed.thumb})
    return key


def chunks(owner_id: int, key: str, size: str) -> Iterator[bytes] | None:
    """A stored size of a photo, a piece at a time; None if it is not there."""
    return _backend().chunks(owner_id, key, size)


def read(owner_id: int, key: str, size: str) -> bytes | None:
    """A stored size whole (for the PDF and archives, which embed it)."""
    pieces = chunks(owner_id, key, size)
    return None if pieces is None else b"".join(pieces)


def remove(owner_id: int, key: str, root: Path | None = None) -> None:
    _backend(root).remove(owner_id, key)


def remove_all(owner_id: int) -> None:
    _backend().remove_all(owner_id)


def owners() -> list[int]:
    """The patients with stored photo bytes."""
    return _backend().owners()


def remove_orphans(owner_id: int, keys: Callable[[], set[str]], *, older_than: float, now: float) -> int:
    """Removes the patient's stored bytes, older than `older_than` seconds,
    whose key is not in keys() (the photo rows'; asked only when there are
    old ones), leftovers of interrupted writes included. Younger ones may
    belong to an upload or import still under way. Returns how many files
    (one per size) went."""
    return _backend().remove_orphans(owner_id, keys, older_than=older_than, now=now)


def _backend(root: Path | None = None) -> photo_storage.Backend:
    return photo_storage.Folder(root) if root is not None else photo_storage.backend()
