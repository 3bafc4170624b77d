"""Everything as a zip and back, the download routes, and deleting an
account: no row and no file of the patient stays."""

from __future__ import annotations

import asyncio
import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import SQLModel, select
from starlette.testclient import TestClient

from meso_journal import photos, settings
from meso_journal.exports import archive
from meso_journal.models import Course, Photo, TreatmentSession, User
from meso_journal.store import report, restore
from meso_journal.web import api
from tests.clients import signed_in, stored_files
from tests.factories import PASSWORD, TODAY, add_photo, make_course, make_link, make_visit, utc


def _user(db, email: str) -> User:
    return db.exec(select(User).where(User.email == email)).one()


def export_zip(db, owner: User) -> bytes:
    r = report.build(db=db, owner_id=owner.id, course_id=None, include_photos=True, today=TODAY, now=utc(2026, 11, 25))
    return archive.build_zip(r, owner, photo_bytes=lambda p: photos.read(p.owner_id, p.storage_key, "display"))


def import_zip(owner: User, raw: bytes) -> int:
    return asyncio.run(restore.restore(owner_id=owner.id, raw=raw, today=TODAY))


def records_of(data: bytes) -> dict:
    """The records with file-local ids replaced by positions, and who/when left out."""
    doc = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(archive.RECORDS))
    course_pos = {c["id"]: i for i, c in enumerate(doc["courses"])}
    for c in doc["courses"]:
        session_pos = {s["id"]: i for i, s in enumerate(c["sessions"])}
        for s in c["sessions"]:
            s["id"] = session_pos[s["id"]]
        for p in c["photos"]:
            p["session_id"] = session_pos.get(p["session_id"])
        c["id"] = course_pos[c["id"]]
    for m in doc["measurements"]:
        m["course_id"] = course_pos.get(m["course_id"])
    del doc["exported_at"], doc["account"]["email"]
    return doc


def test_export_then_import_into_a_new_account_gives_the_same_records(db, alice, bob, course, photo_dir):
    pic = add_photo(db, alice, course, day=12)
    pic.session_id = db.exec(select(TreatmentSession.id)).first()
    db.add(pic)
    db.commit()
    first = export_zip(db, alice)
    assert zipfile.ZipFile(io.BytesIO(first)).namelist() == ["README.txt", archive.RECORDS, "photos/1.jpg"]
    sessions = import_zip(bob, first)
    assert sessions == 2
    db.expire_all()
    again = export_zip(db, db.get(User, bob.id))
    assert records_of(again) == records_of(first)
    assert records_of(first)["courses"][0]["photos"][0]["session_id"] == 0
    bobs = db.exec(select(Photo).where(Photo.owner_id == bob.id)).one()
    assert photos.read(bob.id, bobs.storage_key, "thumb") is not None


def test_import_refuses_an_account_that_already_has_courses(db, alice, bob, course, photo_dir):
    data = export_zip(db, alice)
    make_course(db, bob)
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, data)
    assert e.value.code == "not_empty"


def _zip(records: object, *, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(archive.RECORDS, records if isinstance(records, (str, bytes)) else json.dumps(records))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _zip_without_records() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("README.txt", "hello")
    return out.getvalue()


def _valid(**changes) -> dict:
    doc = {
        "format": archive.FORMAT,
        "version": 1,
        "exported_at": "2026-11-25T00:00:00+00:00",
        "account": {},
        "courses": [
            {
                "id": 7,
                "goal": "cellulite",
                "areas": ["thighs"],
                "start_date": "2026-11-01",
                "sessions": [{"id": 1, "performed_at": "2026-11-02T10:00:00"}],
                "photos": [],
            }
        ],
        "measurements": [],
    }
    doc.update(changes)
    return doc


def _course(**changes) -> dict:
    return {**_valid()["courses"][0], **changes}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return out.getvalue()


def _with_photo(*, content: bytes | None = None, **changes) -> bytes:
    """An archive with one photo entry (changed as given) and, if given, its file."""
    entry = {"file": "photos/1.jpg", "area": "thighs", "taken_at": "2026-11-02T10:00", "width": 1, "height": 1}
    entry.update(changes)
    extra = {"photos/1.jpg": content} if content is not None else None
    return _zip(_valid(courses=[_course(photos=[entry])]), extra=extra)


HOSTILE = {
    "not a zip": (b"PK\x03\x04 garbage", "not_zip"),
    "a PDF": (b"%PDF-1.7\n", "not_zip"),
    "empty": (b"", "not_zip"),
    "zip without records": (_zip_without_records(), "not_zip"),
    "another app's JSON": (_zip({"format": "other"}), "not_zip"),
    "a newer version": (_zip(_valid(version=2)), "version"),
    "broken JSON": (_zip("{not json"), "invalid"),
    "unknown field": (_zip(_valid(evil=1)), "field"),
    "session with depth 9 mm": (
        _zip(_valid(courses=[_course(sessions=[{"id": 1, "performed_at": "2026-11-02T10:00", "depth_mm": 9}])])),
        "field",
    ),
    "negative cost": (
        _zip(_valid(courses=[_course(sessions=[{"id": 1, "performed_at": "2026-11-02T10:00", "cost_cents": -5}])])),
        "field",
    ),
    "unknown goal": (_zip(_valid(courses=[_course(goal="<script>")])), "field"),
    "photo outside photos/": (_with_photo(file="../../etc/passwd"), "field"),
    "photo of an unknown session": (_with_photo(session_id=99, content=_jpeg()), "invalid"),
    "a PDF as a photo": (_with_photo(content=b"%PDF-1.4 not a photo"), "photo"),
    "a missing photo": (_with_photo(file="photos/2.jpg"), "photo"),
    "measurement of an unknown course": (
        _zip(
            _valid(
                measurements=[
                    {"course_id": 3, "measured_on": "2026-11-02", "kind": "weight", "value": 60, "unit": "kg"}
                ]
            )
        ),  # fmt: skip
        "invalid",
    ),
    "duplicate course ids": (_zip(_valid(courses=[_course(), _course()])), "invalid"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_archive_imports_nothing(db, bob, photo_dir, name):
    raw, code = HOSTILE[name]
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, raw)
    assert e.value.code == code
    db.expire_all()
    assert db.exec(select(Course)).all() == [] and db.exec(select(TreatmentSession)).all() == []
    assert stored_files(photo_dir) == []


def test_a_zip_bomb_is_refused_before_reading_it(db, bob, monkeypatch):
    monkeypatch.setattr(settings, "MAX_IMPORT_BYTES", 1024)
    bomb = _zip(_valid(), extra={"photos/1.jpg": b"\0" * 10_000})
    with pytest.raises(archive.ImportRefused) as e:
        import_zip(bob, bomb)
    assert e.value.code == "too_large"


def test_the_import_route_reports_and_restores(engine, db, photo_dir):
    client = signed_in("bob@example.com")
    bad = client.post("/api/import", files={"archive": ("x.zip", b"garbage", "application/zip")})
    assert bad.headers["location"] == "/share?error=not_zip"
    good = _zip(_valid(), extra={})
    r = client.post("/api/import", files={"archive": ("backup.zip", good, "application/zip")})
    assert r.headers["location"] == "/share?imported=1"
    assert db.exec(select(Course)).one().owner_id == _user(db, "bob@example.com").id


def test_the_downloads_are_the_patients_own(engine, db, photo_dir):
    alice_client = signed_in("alice@example.com")
    alice = _user(db, "alice@example.com")
    course = make_course(db, alice, clinic="Alice's clinic")
    make_visit(db, alice, course)
    pages = {
        "/api/export/report.pdf?course=all&photos=on": "application/pdf",
        f"/api/export/report.pdf?course={course.id}": "application/pdf",
        "/api/export/fhir.json?course=all": "application/fhir+json",
        "/api/export/sessions.csv": "text/csv; charset=utf-8",
        "/api/export/side-effects.csv": "text/csv; charset=utf-8",
        "/api/export/check-ins.csv": "text/csv; charset=utf-8",
        "/api/export/measurements.csv": "text/csv; charset=utf-8",
        "/api/export/everything.zip": "application/zip",
    }
    leftovers = set(Path(tempfile.gettempdir()).glob("meso-export-*"))  # another process's, if any
    for url, kind in pages.items():
        r = alice_client.get(url)
        assert r.status_code == 200 and r.headers["content-type"] == kind, url
        assert r.headers["cache-control"] == "private, no-store" and "attachment" in r.headers["content-disposition"]
    # The archive's temporary file is gone.
    assert set(Path(tempfile.gettempdir()).glob("meso-export-*")) <= leftovers
    stranger = TestClient(api.api, base_url="http://localhost:3000")
    assert {stranger.get(url).status_code for url in pages} == {401}
    charlie = signed_in("charlie@example.com")
    assert charlie.get(f"/api/export/report.pdf?course={course.id}").status_code == 404
    assert b"Alice" not in charlie.get("/api/export/sessions.csv").content
    assert charlie.get("/api/export/report.pdf?course=1%20OR%201=1").status_code == 400
    assert charlie.get("/api/export/passwords.csv").status_code == 404


def _owned_rows(db, owner_id: int) -> dict[str, int]:
    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        column = table.c.get("owner_id") if table.name != "user" else table.c.id
        if column is not None:
            counts[table.name] = len(db.exec(select(column).where(column == owner_id)).all())
    return counts


def test_deleting_the_account_leaves_no_row_and_no_file(engine, db, photo_dir):
    client = signed_in("alice@example.com")
    alice = _user(db, "alice@example.com")
    charlie = signed_in("charlie@example.com") and _user(db, "charlie@example.com")
    for owner in (alice, charlie):
        course = make_course(db, owner)
        make_visit(db, owner, course)
        add_photo(db, owner, course)
        make_link(db, owner, photos="on")
    alice_id = alice.id
    assert all(n > 0 for name, n in _owned_rows(db, alice_id).items() if name in ("course", "photo", "sharelink"))
    r = client.post("/api/account/delete", data={"password": PASSWORD})
    assert r.headers["location"] == "/sign-in?done=deleted"
    db.expire_all()
    assert set(_owned_rows(db, alice_id).values()) == {0}
    assert stored_files(photo_dir / str(alice_id)) == []
    assert _owned_rows(db, charlie.id)["photo"] == 1 and len(stored_files(photo_dir / str(charlie.id))) == 2
