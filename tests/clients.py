"""Working the app through its HTTP routes, as a browser would, and looking at
what a request left behind: a signed-in test client, a photo upload, the
photo files on disk, and every download answering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select
from starlette.testclient import TestClient

from meso_journal import clock, database, photos, settings
from meso_journal.models import PhotoChunk, User
from meso_journal.web import api
from tests.factories import NOW, PASSWORD, make_link


def signed_in(email: str) -> TestClient:
    """A test client of a new account, signed up (and so signed in) as `email`."""
    client = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    assert client.post("/api/auth/sign-up", data={"email": email, "password": PASSWORD}).status_code == 303
    return client


def upload(client, course_id, *files, area="Thighs", **fields):
    """POST (name, bytes) files to the photo upload route."""
    return client.post(
        "/api/photos",
        data={"course": str(course_id), "area": area, **fields},
        files=[("photos", (name, data, "image/jpeg")) for name, data in files],
    )


@dataclass(frozen=True, order=True)
class StoredFile:
    """One size of one photo kept in the database (MESO_PHOTO_STORAGE=database),
    read like a file of the folder backend: its name and its bytes."""

    owner_id: int
    key: str
    size: str

    @property
    def name(self) -> str:
        return f"{self.key}.{self.size}.jpg"

    def read_bytes(self) -> bytes:
        data = photos.read(self.owner_id, self.key, self.size)
        assert data is not None
        return data


def stored_files(folder: Path) -> list[Path] | list[StoredFile]:
    """Every photo file kept under `folder`: the photo folder, or one patient's
    in it (none if it was never made). With the database backend, the same
    from its rows, one per size; a folder named by a number is that patient's."""
    if settings.PHOTO_STORAGE == "database":
        owner = int(folder.name) if folder.name.isdigit() else None
        with database.session() as db:
            rows = db.exec(select(PhotoChunk.owner_id, PhotoChunk.storage_key, PhotoChunk.size).distinct()).all()
        return sorted(StoredFile(*row) for row in rows if owner in (None, row[0]))
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def assert_every_export_answers(client, db, owner: User, course_id: int, monkeypatch) -> None:
    """Every download of the patient's, the calendar and a doctor's view with photos answer 200."""
    for url in [
        "/api/export/report.pdf?course=all&photos=on",
        f"/api/export/report.pdf?course={course_id}&photos=on",
        "/api/export/fhir.json?course=all&photos=on",
        "/api/export/sessions.csv",
        "/api/export/side-effects.csv",
        "/api/export/check-ins.csv",
        "/api/export/measurements.csv",
        "/api/export/everything.zip",
        "/api/calendar.ics",
    ]:
        assert client.get(url).status_code == 200, url
    monkeypatch.setattr(clock, "now", lambda: NOW)
    assert client.get(f"/s/{make_link(db, owner, photos='on').token}").status_code == 200
