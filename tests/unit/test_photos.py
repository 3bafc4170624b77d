"""The photo pipeline on images the tests make: orientation, metadata,
sizes, and every kind of bad file."""

import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pillow_heif import from_pillow

from meso_journal import photo_storage, photos
from tests.images import BAD_FILES, BLUE, is_red, photo, png_bomb


def corner_colour(data: bytes, corner: str):
    img = Image.open(io.BytesIO(data)).convert("RGB")
    x = 5 if "left" in corner else img.width - 6
    y = 5 if "top" in corner else img.height - 6
    return img.getpixel((x, y))


def test_it_makes_a_display_copy_and_a_thumbnail():
    p = photos.process(photo(4032, 3024))
    display, thumb = Image.open(io.BytesIO(p.display)), Image.open(io.BytesIO(p.thumb))
    assert display.format == thumb.format == "JPEG"
    assert max(display.size) == 2000 and max(thumb.size) == 400
    assert display.size[0] > display.size[1]  # still landscape


@pytest.mark.parametrize(
    ("orientation", "red_corner"),
    [
        (None, "top-left"),
        (6, "top-right"),  # camera rotated 90° clockwise: shown upright, portrait
        (8, "bottom-left"),
        (3, "bottom-right"),
    ],
)
def test_it_turns_photos_upright(orientation, red_corner):
    p = photos.process(photo(orientation=orientation))
    img = Image.open(io.BytesIO(p.display))
    if orientation in (6, 8):
        assert img.height > img.width
    assert is_red(corner_colour(p.display, red_corner))


def test_it_strips_every_bit_of_metadata_but_reads_the_capture_date_first():
    p = photos.process(photo(orientation=6))
    assert p.taken_at == datetime(2026, 3, 14, 9, 30)
    for data in (p.display, p.thumb):
        img = Image.open(io.BytesIO(data))
        assert not img.getexif()
        assert "exif" not in img.info and "xmp" not in img.info and "XML:com.adobe.xmp" not in img.info
        for needle in (b"Exif", b"PhoneMaker", b"GPS", b"http://ns.adobe.com/xap", b"2026:03:14"):
            assert needle not in data


def test_it_keeps_the_colour_profile():
    from PIL import ImageCms

    img = Image.new("RGB", (300, 200), BLUE)
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    img.save(out, "JPEG", icc_profile=profile)
    p = photos.process(out.getvalue())
    assert Image.open(io.BytesIO(p.display)).info.get("icc_profile") == profile


@pytest.mark.parametrize(
    "taken", ["0000:00:00 00:00:00", "garbage", "1899:01:01 00:00:00", "2999:01:01 00:00:00", None]
)
def test_it_ignores_a_missing_or_absurd_capture_date(taken):
    assert photos.process(photo(taken=taken)).taken_at is None


def test_it_accepts_png_webp_and_heic():
    for fmt in ("PNG", "WEBP"):
        assert photos.process(photo(fmt=fmt, gps=False)).width == 1200
    img = Image.new("RGB", (640, 480), BLUE)
    out = io.BytesIO()
    from_pillow(img).save(out, quality=80)
    assert out.getvalue()[4:12] in (b"ftypheic", b"ftypmif1", b"ftypheix")
    assert photos.process(out.getvalue()).width == 640


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_it_rejects_bad_files_with_a_clear_message(name):
    data, message = BAD_FILES[name]
    with pytest.raises(photos.PhotoRejected) as e:
        photos.process(data)
    assert message in str(e.value)


def test_the_bomb_is_small_and_refused_before_decoding():
    data = png_bomb(10_000)
    assert len(data) < 20_000
    with pytest.raises(photos.PhotoRejected):
        photos.process(data)


def test_it_rejects_a_file_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(photos.settings, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(photos.PhotoRejected, match="larger than"):
        photos.process(photo())


def test_it_stores_files_under_random_names_in_the_patients_folder(tmp_path: Path):
    key = photos.save(7, photos.process(photo()), root=tmp_path)
    files = sorted(p.name for p in (tmp_path / "7").iterdir())
    assert files == [f"{key}.display.jpg", f"{key}.thumb.jpg"]
    assert len(key) == 32
    photos.remove(7, key, root=tmp_path)
    assert list((tmp_path / "7").iterdir()) == []


def test_it_leaves_no_file_when_writing_fails(tmp_path: Path, monkeypatch):
    processed = photos.process(photo())
    real = photo_storage.write_durably
    calls = []

    def fail_second(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(photo_storage, "write_durably", fail_second)
    with pytest.raises(OSError):
        photos.save(7, processed, root=tmp_path)
    assert list((tmp_path / "7").iterdir()) == []


@pytest.mark.parametrize("key", ["../../etc/passwd", "a/b", "", "x.y"])
def test_it_refuses_keys_that_could_escape_the_folder(key):
    with pytest.raises(ValueError):
        photo_storage.Folder().path_for(7, key, "display")


def test_a_file_far_smaller_than_its_pixel_count_is_never_decoded():
    # One colour, 7000 × 7000, lossless WebP: a few hundred bytes that would
    # cost a worker seconds each to decode (an archive could list thousands).
    out = io.BytesIO()
    Image.new("RGB", (7000, 7000), (200, 30, 30)).save(out, "WEBP", lossless=True, quality=100, method=6)
    data = out.getvalue()
    assert len(data) * photos.MAX_PIXELS_PER_BYTE < 7000 * 7000
    with pytest.raises(photos.PhotoRejected) as e:
        photos.process(data)
    assert e.value.code == "sparse"
