"""What one account uploads or imports can neither store what the forms
refuse nor blow up the server's memory: out-of-range archives are refused
naming the field, zip bombs and giant photos are refused after reading
little of them, and after a valid import every export answers."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import struct
import zipfile
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from meso_journal import photos
from meso_journal.exports import archive
from meso_journal.models import Course, Measurement, Photo, TreatmentSession, User
from meso_journal.store import restore
from tests.archives import valid_doc, zipped
from tests.clients import assert_every_export_answers, signed_in, stored_files
from tests.factories import TODAY
from tests.images import jpeg
from tests.memory import PeakRise

MB = 1024 * 1024


def import_zip(owner: User, raw: bytes) -> int:
    return asyncio.run(restore.restore(owner_id=owner.id, raw=raw, today=TODAY))


def test_a_valid_archive_goes_through_the_forms_rules_and_in(db, bob, photo_dir):
    assert import_zip(bob, zipped(valid_doc())) == 1
    db.expire_all()
    visit = db.exec(select(TreatmentSession)).one()
    assert visit.areas == ["thighs", "Love handles"] and visit.cost_cents == 30050 and visit.downtime_hours == 48
    course = db.exec(select(Course)).one()
    assert course.phase_override == "fortnightly" and course.planned_sessions == 10
    assert db.exec(select(Photo)).one().session_id == visit.id
    assert db.exec(select(Measurement)).one().value == 142.5
    user = db.get(User, bob.id)
    assert (user.display_name, user.length_unit, user.weight_unit) == ("Alice", "in", "lb")


def _set(doc: dict, path: tuple, value) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


VISIT = ("courses", 0, "sessions", 0)
# Far-future dates and each of the forms' limits plus one: (where, value, what the message names).
OUT_OF_RANGE = {
    "session in 9999": ((*VISIT, "performed_at"), "9999-12-31T10:00:00", "course 1, session 1, “performed_at”"),
    "course starting in 9999": (("courses", 0, "start_date"), "9999-12-31", "course 1, “start_date”"),
    "check-in in 9999": ((*VISIT, "checkins", 0, "checked_on"), "9999-12-31", "check-in 1, “checked_on”"),
    "measurement in 9999": (("measurements", 0, "measured_on"), "9999-12-31", "measurement 1, “measured_on”"),
    "photo in 9999": (("courses", 0, "photos", 0, "taken_at"), "9999-12-31T10:00:00", "photo 1, “taken_at”"),
    "31 planned sessions": (("courses", 0, "planned_sessions"), 31, "“planned_sessions”"),
    "cost 100,000.01": ((*VISIT, "cost_cents"), 10_000_001, "“cost_cents”"),
    "1,441 hours of downtime": ((*VISIT, "downtime_hours"), 1441, "“downtime_hours”"),
    "61 days of downtime": ((*VISIT, "downtime_hours"), 61 * 24, "“downtime_hours”"),
    "depth 4.5 mm": ((*VISIT, "depth_mm"), 4.5, "“depth_mm”"),
    "10,001 injections": ((*VISIT, "injections"), 10_001, "“injections”"),
    "pain 11": ((*VISIT, "pain"), 11, "“pain”"),
    "a side effect lasting 366 days": ((*VISIT, "ratings", 0, "days_lasted"), 366, "“ratings”"),
    "severity 4": ((*VISIT, "ratings", 0, "severity"), 4, "“ratings”"),
    "notes of 5,001 characters": ((*VISIT, "notes"), "n" * 5001, "“notes”"),
    "product of 501 characters": ((*VISIT, "product_and_dose"), "p" * 501, "“product_and_dose”"),
    "clinic of 201 characters": (("courses", 0, "clinic"), "c" * 201, "“clinic”"),
    "phone of 41 characters": (("courses", 0, "clinic_phone"), "1" * 41, "“clinic_phone”"),
    "11 custom areas": (("courses", 0, "areas"), [f"Area {i}" for i in range(11)], "“areas”"),
    "check-in note of 2,001 characters": ((*VISIT, "checkins", 0, "note"), "n" * 2001, "“note”"),
    "900 lb (over 400 kg)": (("measurements", 0, "value"), 900, "measurement 1, “value”"),
    "photo area of 61 characters": (("courses", 0, "photos", 0, "area"), "a" * 61, "photo 1, “area”"),
    "display name of 101 characters": (("account", "display_name"), "d" * 101, "account, “display_name”"),
    "an unknown phase": (("courses", 0, "phase_override"), "daily", "“phase_override”"),
    "a year past 9999": ((*VISIT, "performed_at"), "10000-01-01T00:00:00", "“performed_at”"),
}


@pytest.mark.parametrize("name", list(OUT_OF_RANGE))
def test_an_out_of_range_archive_is_refused_naming_the_field_and_stores_nothing(db, bob, photo_dir, name):
    path, value, named = OUT_OF_RANGE[name]
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, zipped(_set(valid_doc(), path, value)))
    assert e.value.code == "field"
    assert named in e.value.detail, e.value.detail
    db.expire_all()
    assert db.exec(select(Course)).all() == [] and db.exec(select(Measurement)).all() == []
    assert stored_files(photo_dir) == []
    assert db.get(User, bob.id).display_name == ""


def test_a_photo_the_pipeline_refuses_leaves_no_file_and_no_row(db, bob, photo_dir):
    doc = valid_doc()
    doc["courses"][0]["photos"].append({**doc["courses"][0]["photos"][0], "file": "photos/2.jpg"})
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, zipped(doc, {"photos/1.jpg": jpeg(), "photos/2.jpg": b"%PDF-1.7"}))
    assert e.value.code == "photo" and "photos/2.jpg" in e.value.detail
    assert stored_files(photo_dir) == [] and db.exec(select(Course)).all() == []


def test_a_failure_while_writing_rows_takes_every_row_and_file_back(db, bob, photo_dir, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(restore.journal, "add_measurement", broken)
    with pytest.raises(RuntimeError):
        import_zip(bob, zipped(valid_doc()))
    db.expire_all()
    assert db.exec(select(Course)).all() == [] and db.exec(select(TreatmentSession)).all() == []
    assert stored_files(photo_dir) == []


def test_the_refusal_reaches_the_page_naming_the_field_and_only_as_signed(engine, db, photo_dir):
    client = signed_in("bob@example.com")
    raw = zipped(_set(valid_doc(), (*VISIT, "pain"), 11))
    r = client.post("/api/import", files={"archive": ("backup.zip", raw, "application/zip")})
    query = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}
    shown = archive.refusal_message(query["error"], query["detail"], query["sig"])
    assert shown.startswith(archive.MESSAGES["field"])
    assert "course 1, session 1, “pain”: Pain is a number from 0 (none) to 10 (worst)." in shown
    assert (
        archive.refusal_message("field", "Call +1 555 0100 to restore your data.", query["sig"])
        == (archive.MESSAGES["field"])
    )


def test_after_a_valid_import_every_export_answers_200(engine, db, photo_dir, monkeypatch):
    client = signed_in("bob@example.com")
    raw = zipped(valid_doc(), {"photos/1.jpg": jpeg(1200, 900)})
    r = client.post("/api/import", files={"archive": ("backup.zip", raw, "application/zip")})
    assert r.headers["location"] == "/share?imported=1"
    bob = db.exec(select(User).where(User.email == "bob@example.com")).one()
    assert_every_export_answers(client, db, bob, db.exec(select(Course)).one().id, monkeypatch)


# --- memory -------------------------------------------------------------------------


def _bomb(entry: str, unpacked: int) -> bytes:
    """A small zip whose `entry` unpacks to `unpacked` bytes of zeros, written
    a megabyte at a time so making it costs no memory either."""
    doc = valid_doc()
    doc["courses"][0]["photos"][0]["file"] = entry if entry.startswith("photos/") else "photos/1.jpg"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if entry != archive.RECORDS:
            z.writestr(archive.RECORDS, json.dumps(doc))
        with z.open(entry, "w", force_zip64=True) as f:
            zeros = bytes(MB)
            for _ in range(unpacked // MB):
                f.write(zeros)
    return out.getvalue()


@pytest.mark.parametrize(
    ("entry", "unpacked"),
    [
        ("photos/1.jpg", 896 * MB),  # the issue's: 0.9 MB that unpacks to 896 MB
        ("photos/1.jpg", 20 * MB),  # under the per-photo cap, but 1,000 times its packed size
        (archive.RECORDS, 300 * MB),
    ],
)
def test_a_zip_bomb_is_refused_with_little_memory(engine, db, photo_dir, entry, unpacked):
    client = signed_in("bob@example.com")
    bomb = _bomb(entry, unpacked)
    assert len(bomb) < 1.2 * MB
    with PeakRise() as memory:
        r = client.post("/api/import", files={"archive": ("backup.zip", bomb, "application/zip")})
    assert r.headers["location"] == "/share?error=too_large"
    assert memory.megabytes < 200, f"resident memory rose {memory.megabytes:.0f} MB"
    assert stored_files(photo_dir) == [] and db.exec(select(Course)).all() == []


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
@pytest.mark.parametrize("entry", [archive.RECORDS, "photos/1.jpg"])
def test_an_entry_packed_another_way_than_ours_is_refused_unread(db, bob, photo_dir, method, entry):
    # zipfile gives bzip2 and lzma no output limit: 200 MB of zeros in a few
    # hundred bytes would unpack whole on the first read. Never opened at all.
    doc = valid_doc()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(archive.RECORDS, json.dumps(doc), compress_type=method if entry == archive.RECORDS else None)
        z.writestr("photos/1.jpg", bytes(200 * MB) if entry != archive.RECORDS else jpeg(), compress_type=method)
    assert len(out.getvalue()) < 1.2 * MB
    with PeakRise() as memory, pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, out.getvalue())
    assert e.value.code == "invalid"
    assert memory.megabytes < 100
    assert stored_files(photo_dir) == [] and db.exec(select(Course)).all() == []


def test_one_photo_file_listed_twice_is_refused(db, bob, photo_dir):
    doc = valid_doc()
    first = doc["courses"][0]["photos"][0]
    doc["courses"][0]["photos"] = [first] * 3
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, zipped(doc))
    assert e.value.code == "invalid"
    assert stored_files(photo_dir) == [] and db.exec(select(Course)).all() == []


def test_a_zip_with_too_many_entries_is_refused_before_its_directory_is_read(db, bob):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(archive.MAX_ENTRIES + 1):
            z.writestr(f"x{i}", b"")
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, out.getvalue())
    assert e.value.code == "too_large"


def big_png(side: int) -> bytes:
    """A side × side RGB PNG of one colour, compressed row by row (never whole in memory)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    packer = zlib.compressobj(9)
    row = bytes(1 + side * 3)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_ten_49_mp_photos_in_one_request_are_refused_with_little_memory(engine, db, photo_dir):
    from tests.factories import make_course

    client = signed_in("alice@example.com")
    alice = db.exec(select(User).where(User.email == "alice@example.com")).one()
    course = make_course(db, alice)
    png = big_png(7000)  # 49 MP
    assert len(png) * 10 < 1.5 * MB
    files = [("photos", (f"{i}.png", png, "image/png")) for i in range(10)]
    with PeakRise() as memory:
        r = client.post("/api/photos", data={"course": str(course.id), "area": "Thighs"}, files=files)
    assert r.headers["location"].startswith("/photos?error=upload_pixels")
    assert "megapixels together" in photos.MESSAGES["upload_pixels"]
    assert memory.megabytes < 200, f"resident memory rose {memory.megabytes:.0f} MB"
    assert stored_files(photo_dir) == [] and db.exec(select(Photo)).all() == []


def test_a_field_name_the_file_made_up_is_not_repeated_to_the_patient(db, bob):
    doc = valid_doc()
    doc["courses"][0]["Call +1 555 0100 to restore your data"] = 1
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, zipped(doc))
    assert e.value.code == "field" and "555" not in e.value.detail
    assert e.value.detail == "In the archive: course 1, a field the app does not know: Extra inputs are not permitted"
