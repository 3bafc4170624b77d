"""Nothing but the pixels and the colour profile leaves a camera photo: the
JPEG segments of every stored and served variant (display copy, thumbnail,
the doctor's view, the zip, the FHIR bundle, the PDF) are read one by one."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile

from PIL import Image, ImageCms
from pypdf import PdfReader
from sqlmodel import select

from meso_journal import photos
from meso_journal.models import Photo, User
from tests.clients import signed_in, stored_files, upload
from tests.factories import make_course, make_link, utc

ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
# What must never leave the phone, one needle per kind of metadata.
SECRETS = {
    "COM": b"Jane Doe, 12 Rue des Lilas",
    "Exif": b"PhoneMaker",
    "MakerNote": b"MakerSecret-serial-123",
    "GPS": b"GPSLatitude",
    "XMP": b"http://ns.adobe.com/xap/1.0/",
    "XMP creator": b"xmp-creator-jane",
    "IPTC": b"Photoshop 3.0",
    "IPTC caption": b"iptc-caption-jane",
    "APP15": b"vendor-secret",
}


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def camera_jpeg(width: int = 1600, height: int = 1200) -> bytes:
    """A photo as a phone or editor might store it: EXIF with GPS and a
    MakerNote, XMP, IPTC, a comment, a vendor segment and an ICC profile."""
    img = Image.new("RGB", (width, height), (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8769)[0x927C] = b"MakerSecret-serial-123"  # MakerNote
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=ICC, comment=SECRETS["COM"])
    data = out.getvalue()
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><rdf:li>xmp-creator-jane</rdf:li><exif:GPSLatitude/></x:xmpmeta>"
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x16\x1c\x02x\x00\x11iptc-caption-jane"
    extra = _segment(0xE1, xmp) + _segment(0xED, iptc) + _segment(0xEF, b"vendor-secret")
    return data[:2] + extra + data[2:]


def segments(data: bytes) -> list[tuple[int, bytes]]:
    """Every marker segment up to the image data, as (marker, body)."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    found, i = [], 2
    while True:
        assert data[i] == 0xFF, f"no marker at {i}"
        marker = data[i + 1]
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        found.append((marker, data[i + 4 : i + 2 + length]))
        if marker == 0xDA:  # start of scan: what follows is the picture itself
            return found
        i += 2 + length


def assert_clean(data: bytes, where: str) -> None:
    for marker, body in segments(data):
        if marker == 0xE0:
            # The JFIF header every JPEG encoder writes: the default pixel
            # density, and no thumbnail of its own.
            assert body[:5] == b"JFIF\x00" and body[7:12] == b"\x00\x00\x01\x00\x01" and body[12:14] == b"\x00\x00"
        elif marker == 0xE2:
            assert body.startswith(b"ICC_PROFILE\x00"), where
        else:
            assert not 0xE0 <= marker <= 0xEF, f"{where}: APP{marker - 0xE0} segment"
            assert marker != 0xFE, f"{where}: COM segment"
    for kind, needle in SECRETS.items():
        assert needle not in data, f"{where}: {kind}"


def test_the_camera_photo_of_these_tests_carries_every_kind_of_metadata():
    data = camera_jpeg()
    markers = [m for m, _ in segments(data)]
    assert {0xE1, 0xE2, 0xED, 0xEF, 0xFE} <= set(markers)
    assert all(needle in data for needle in SECRETS.values())


def test_both_copies_keep_only_the_picture_and_its_colour_profile():
    p = photos.process(camera_jpeg())
    for name, data in (("display", p.display), ("thumb", p.thumb)):
        assert_clean(data, name)
        assert Image.open(io.BytesIO(data)).info.get("icc_profile") == ICC


def test_every_served_variant_of_an_upload_is_clean(engine, db, photo_dir, client, monkeypatch):
    alice_client = signed_in("alice@example.com")
    alice = db.exec(select(User).where(User.email == "alice@example.com")).one()
    course = make_course(db, alice)
    assert upload(alice_client, course.id, ("IMG_0001.JPG", camera_jpeg())).headers["location"] == "/photos?added=1"
    row = db.exec(select(Photo)).one()
    row.taken_at = utc(2026, 11, 2, 12).replace(tzinfo=None)  # inside the link's dates
    db.add(row)
    db.commit()

    served = {f"stored {p.name}": p.read_bytes() for p in stored_files(photo_dir)}
    assert len(served) == 2
    for size in ("display", "thumb"):
        r = alice_client.get(f"/api/photos/{row.id}/{size}")
        assert r.status_code == 200
        served[f"/api/photos/{size}"] = r.content
    link = make_link(db, alice, now=utc(2026, 11, 24), photos="on")
    urls = re.findall(r'src="(/s/photo/[^"]+)"', client.get(f"/s/{link.token}").text)
    assert urls
    for url in urls:
        served[f"doctor's view {url.split('?')[0]}"] = client.get(url.replace("&amp;", "&")).content
    everything = zipfile.ZipFile(io.BytesIO(alice_client.get("/api/export/everything.zip").content))
    served["zip photos/1.jpg"] = everything.read("photos/1.jpg")
    bundle = json.loads(alice_client.get("/api/export/fhir.json?course=all&photos=on").content)
    media = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"]
    served["FHIR Media"] = base64.b64decode(media[0]["content"]["data"])
    pdf = alice_client.get("/api/export/report.pdf?course=all&photos=on").content
    images = [image.data for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert images
    served.update({f"PDF image {i}": data for i, data in enumerate(images)})

    for where, data in served.items():
        assert_clean(data, where)
    for needle in SECRETS.values():
        assert needle not in pdf
