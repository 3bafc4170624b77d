"""Uploading and serving photos through our own routes: every bad file
leaves nothing behind, and nobody but the owner ever gets the bytes."""

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from PIL import Image
from sqlmodel import select
from starlette.testclient import TestClient

from meso_journal import clock, photos
from meso_journal.models import Photo
from meso_journal.web import api
from tests.clients import signed_in, stored_files, upload
from tests.factories import make_course
from tests.images import BAD_FILES, photo


@pytest.fixture
def alice_client(engine, db):
    return signed_in("alice@example.com")


def _alice(db):
    from meso_journal.models import User

    return db.exec(select(User).where(User.email == "alice@example.com")).one()


def test_it_stores_an_upright_metadata_free_photo(alice_client, db, photo_dir):
    course = make_course(db, _alice(db))
    r = upload(alice_client, course.id, ("IMG_0001.JPG", photo(orientation=6)))
    assert r.headers["location"] == "/photos?added=1"
    row = db.exec(select(Photo)).one()
    assert row.area == "Thighs" and row.course_id == course.id and row.taken_at.year == 2026
    assert row.height > row.width  # turned upright
    files = stored_files(photo_dir)
    assert len(files) == 2 and all("IMG_0001" not in f.name for f in files)
    for f in files:
        assert b"GPS" not in f.read_bytes() and b"Exif" not in f.read_bytes()


def test_it_serves_the_bytes_to_the_owner_only(alice_client, engine, db, photo_dir):
    course = make_course(db, _alice(db))
    upload(alice_client, course.id, ("a.jpg", photo()))
    row = db.exec(select(Photo)).one()
    url = f"/api/photos/{row.id}/thumb"
    r = alice_client.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert r.headers["cache-control"].startswith("private")
    assert Image.open(io.BytesIO(r.content)).size[0] == 400
    assert alice_client.get(url, headers={"if-none-match": r.headers["etag"]}).status_code == 304

    stranger = TestClient(api.api, base_url="http://localhost:3000")
    assert stranger.get(url).status_code == 404  # signed out
    charlie = signed_in("charlie@example.com")
    assert charlie.get(url).status_code == 404  # another patient
    assert charlie.get(f"/api/photos/{row.id + 1}/thumb").status_code == 404  # missing: the same answer
    assert alice_client.get(f"/api/photos/{row.id}/original").status_code == 404


def back_to_photos(response) -> dict[str, str]:
    """The query of the redirect back to the Photos tab."""
    location = urlsplit(response.headers["location"])
    assert location.path == "/photos"
    return dict(parse_qsl(location.query))


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_it_rejects_bad_files_and_keeps_nothing(alice_client, db, photo_dir, name):
    course = make_course(db, _alice(db))
    data, message = BAD_FILES[name]
    r = upload(alice_client, course.id, ("photo.jpg", data))
    code = back_to_photos(r)["error"]
    assert message in photos.MESSAGES[code]
    assert db.exec(select(Photo)).all() == []
    assert stored_files(photo_dir) == []


def test_it_keeps_the_good_photos_of_a_mixed_batch(alice_client, db, photo_dir):
    course = make_course(db, _alice(db))
    r = upload(alice_client, course.id, ("good.jpg", photo()), ("bad.jpg", b"%PDF-1.4"))
    assert back_to_photos(r) == {"added": "1", "error": "not_image", "area": "Thighs"}
    assert len(db.exec(select(Photo)).all()) == 1 and len(stored_files(photo_dir)) == 2


def test_it_refuses_an_upload_into_another_patients_course(alice_client, db, photo_dir):
    charlie = signed_in("charlie@example.com")
    alices_course = make_course(db, _alice(db))
    r = upload(charlie, alices_course.id, ("a.jpg", photo()))
    assert back_to_photos(r)["error"] == "no_course"
    assert db.exec(select(Photo)).all() == [] and stored_files(photo_dir) == []


@pytest.mark.parametrize(
    ("fields", "code", "kept"),
    [
        ({"area": ""}, "no_area", {}),
        ({"taken_on": "1900-01-01"}, "bad_date", {"area": "Thighs", "taken_on": "1900-01-01"}),
        ({"taken_on": "2999-01-01"}, "future_date", {"area": "Thighs", "taken_on": "2999-01-01"}),
        ({"taken_on": "soon"}, "bad_date", {"area": "Thighs"}),  # only a date-shaped value goes back
        ({"session": "first"}, "bad_session", {"area": "Thighs", "session": "first"}),
        ({"area": "Elbows"}, "no_area", {"area": "Elbows"}),  # not an area of this course's forms
        ({"area": "", "session": "-1"}, "no_area,bad_session", {"session": "-1"}),
    ],
)
def test_it_explains_missing_or_wrong_fields_and_hands_the_choices_back(
    alice_client, db, photo_dir, fields, code, kept
):
    course = make_course(db, _alice(db))
    r = upload(alice_client, course.id, ("a.jpg", photo()), **fields)
    assert back_to_photos(r) == {"error": code, **kept}
    assert stored_files(photo_dir) == []


def test_it_uses_the_day_the_patient_gives(alice_client, db, photo_dir):
    course = make_course(db, _alice(db))
    upload(alice_client, course.id, ("a.jpg", photo()), taken_on="2026-11-01")
    assert db.exec(select(Photo)).one().taken_at.date().isoformat() == "2026-11-01"


def test_it_needs_a_session_to_upload(engine, photo_dir):
    client = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    r = upload(client, 1, ("a.jpg", photo()))
    assert r.headers["location"] == "/sign-in" and stored_files(photo_dir) == []


def test_the_browsers_capture_time_is_a_hint_the_server_checks(alice_client, db, photo_dir):
    course = make_course(db, _alice(db))
    # Shrunk in the browser: no EXIF left, the date comes beside the file.
    r = alice_client.post(
        "/api/photos",
        data={"course": str(course.id), "area": "Thighs", "taken_hint": ["2026:03:14 09:30:00 +01:00", "garbage"]},
        files=[
            ("photos", ("a.jpg", photo(taken=None), "image/jpeg")),
            ("photos", ("b.jpg", photo(taken=None), "image/jpeg")),
        ],
    )
    assert r.headers["location"] == "/photos?added=2"  # a bad hint is no error to the patient
    rows = db.exec(select(Photo).order_by(Photo.id)).all()
    assert rows[0].taken_at.isoformat() == "2026-03-14T09:30:00"
    assert rows[1].taken_at.date() == clock.today()  # the upload date instead


def test_more_photos_than_one_request_takes_are_named_as_such(alice_client, db, photo_dir):
    course = make_course(db, _alice(db))
    r = upload(alice_client, course.id, *[(f"{i}.jpg", photo()) for i in range(11)])
    assert back_to_photos(r)["error"] == "too_many"
    assert photos.MESSAGES["too_many"] == "Choose at most 10 photos at a time."
    assert stored_files(photo_dir) == []


def test_a_photo_address_names_its_bytes_so_a_reused_id_never_shows_a_cached_photo(alice_client, engine, db, photo_dir):
    """SQLite gives a deleted photo's id to the next photo; with a day's caching
    the browser showed the deleted photo in its place (found attacking the app)."""
    from meso_journal import routes
    from meso_journal.store import journal

    course = make_course(db, _alice(db))
    upload(alice_client, course.id, ("a.jpg", photo()))
    old = db.exec(select(Photo)).one()
    old_url = routes.photo_url(old.id, "thumb", old.storage_key)
    r = alice_client.get(old_url)
    assert r.status_code == 200 and "immutable" in r.headers["cache-control"]
    journal.delete_photo(db=db, owner_id=old.owner_id, photo_id=old.id)
    upload(alice_client, course.id, ("b.jpg", photo(640, 480)))
    new = db.exec(select(Photo)).one()
    if engine.dialect.name == "sqlite":
        assert new.id == old.id  # the same id, other bytes
    assert alice_client.get(old_url).status_code == 404  # the old address names the old bytes
    assert alice_client.get(routes.photo_url(new.id, "thumb", new.storage_key)).status_code == 200
    bare = alice_client.get(f"/api/photos/{new.id}/thumb")  # an address without the key: always asked again
    assert bare.status_code == 200 and bare.headers["cache-control"] == "private, no-cache"


def test_a_journal_keeps_a_bounded_number_of_photos(alice_client, engine, db, photo_dir, monkeypatch):
    """One account cannot fill the server's disk: a journal keeps as many
    photos as one archive can carry (found attacking the app: 150 MB in 29 s)."""
    monkeypatch.setattr(photos, "MAX_PER_JOURNAL", 2)
    course = make_course(db, _alice(db))
    assert upload(alice_client, course.id, ("a.jpg", photo())).headers["location"] == "/photos?added=1"
    r = upload(alice_client, course.id, ("b.jpg", photo(640, 480)), ("c.jpg", photo(800, 600)))
    assert "error=journal_full" in r.headers["location"]
    assert len(db.exec(select(Photo)).all()) == 1
    assert upload(alice_client, course.id, ("d.jpg", photo(640, 480))).headers["location"] == "/photos?added=1"


def test_uploads_sent_all_at_once_cannot_pass_the_cap_together(alice_client, engine, db, photo_dir, monkeypatch):
    """Thirty uploads at once each saw room for theirs and the journal passed
    5,000 (found attacking the app): one upload at a time per patient."""
    import asyncio

    import httpx

    monkeypatch.setattr(photos, "MAX_PER_JOURNAL", 3)
    course = make_course(db, _alice(db))
    pictures = [photo(400 + 10 * i, 300) for i in range(6)]

    async def send_all():
        transport = httpx.ASGITransport(app=api.api)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://localhost:3000", cookies=dict(alice_client.cookies)
        ) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        "/api/photos",
                        data={"course": str(course.id), "area": "Thighs"},
                        files=[("photos", (f"{i}.jpg", data, "image/jpeg"))],
                    )
                    for i, data in enumerate(pictures)
                )
            )

    answers = asyncio.run(send_all())
    assert sum("added=1" in r.headers["location"] for r in answers) == 3
    assert sum("journal_full" in r.headers["location"] for r in answers) == 3
    assert len(db.exec(select(Photo)).all()) == 3


def test_a_course_in_other_digits_is_refused_not_a_server_error(alice_client, db, photo_dir):
    make_course(db, _alice(db))
    r = alice_client.get("/api/export/report.pdf?course=²")
    assert r.status_code == 400


JSON = {"accept": "application/json"}


def _send_from_outbox(client, course_id, data: bytes, key: str, **fields):
    """What the phone's outbox sends for a photo saved with no connection: one file, its key, JSON wanted."""
    return client.post(
        "/api/photos",
        data={"course": str(course_id), "area": "Thighs", "upload_key": key, "taken_hint": "", **fields},
        files=[("photos", ("photo.jpg", data, "image/jpeg"))],
        headers=JSON,
    )


def test_the_outbox_gets_json_and_a_photo_sent_twice_is_stored_once(alice_client, db, photo_dir):
    course = make_course(db, _alice(db))
    data = photo()
    first = _send_from_outbox(alice_client, course.id, data, "k" * 32)
    assert first.status_code == 201 and first.json() == {"added": 1, "errors": {}}
    again = _send_from_outbox(alice_client, course.id, data, "k" * 32)  # the first answer was lost
    assert again.status_code == 201 and again.json() == {"added": 1, "errors": {}}
    assert len(db.exec(select(Photo)).all()) == 1


@pytest.mark.parametrize("name", list(BAD_FILES)[:2])
def test_the_outbox_hears_a_refusal_in_the_patients_words(alice_client, db, photo_dir, name):
    course = make_course(db, _alice(db))
    data, message = BAD_FILES[name]
    r = _send_from_outbox(alice_client, course.id, data, "k" * 32)
    assert r.status_code == 422
    (code, said), *_ = r.json()["errors"].items()
    assert said == photos.MESSAGES[code] and message in said
    assert db.exec(select(Photo)).all() == []


def test_a_signed_out_outbox_gets_401_not_the_sign_in_page(engine, db, photo_dir):
    client = signed_in("alice@example.com")
    course = make_course(db, _alice(db))
    client.cookies.clear()
    r = _send_from_outbox(client, course.id, photo(), "k" * 32)
    assert r.status_code == 401
    # A browser's own form post still goes to the sign-in page.
    r = upload(client, course.id, ("photo.jpg", photo()))
    assert r.status_code == 303 and r.headers["location"] == "/sign-in"
    assert db.exec(select(Photo)).all() == []
