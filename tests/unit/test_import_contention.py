"""One patient's import never keeps another waiting: while an archive of 60
entries of a 12 MP photo is imported, another patient saves a session and
signs in, without error and within a few seconds (before, both failed after
15 s on "database is locked"). benchmarks/import_contention.py measures the
same over HTTP."""

from __future__ import annotations

import threading
import time

from sqlmodel import Session, select

from meso_journal import settings
from meso_journal.models import Photo, User
from meso_journal.rules import validation
from meso_journal.store import journal
from tests.archives import sixty_photos
from tests.clients import signed_in, stored_files
from tests.factories import PASSWORD, TODAY, make_course, visit_form

BOUND = 5.0  # seconds; the goal is under 1 s (benchmarks/README.md has the figure)


def test_another_patient_saves_and_signs_in_while_an_import_runs(engine, db, photo_dir):
    alice_client = signed_in("alice@example.com")
    alice = db.exec(select(User).where(User.email == "alice@example.com")).one()
    course = make_course(db, alice)
    bob_client = signed_in("bob@example.com")
    bob = db.exec(select(User).where(User.email == "bob@example.com")).one()
    raw = sixty_photos()

    result = {}
    importing = threading.Thread(
        target=lambda: result.update(
            r=bob_client.post("/api/import", files={"archive": ("backup.zip", raw, "application/zip")})
        )
    )
    importing.start()
    deadline = time.monotonic() + 60
    while len(stored_files(settings.PHOTO_DIR / str(bob.id))) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)  # until the import is well into its photos
    assert importing.is_alive(), "the import finished before the other patient could try"

    started = time.monotonic()
    with Session(engine, expire_on_commit=False) as other:
        data = validation.visit_input(visit_form(), today=TODAY)
        journal.create_visit(db=other, owner_id=alice.id, course_id=course.id, data=data)
    saved_in = time.monotonic() - started
    started = time.monotonic()
    r = alice_client.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": PASSWORD})
    signed_in_in = time.monotonic() - started
    still_importing = importing.is_alive()

    importing.join(120)
    assert result["r"].headers["location"] == "/share?imported=1"
    assert still_importing, "the import ended before the checks did: the figures say nothing"
    assert r.headers["location"] == "/" and saved_in < BOUND and signed_in_in < BOUND, (saved_in, signed_in_in)
    db.expire_all()
    assert len(db.exec(select(Photo).where(Photo.owner_id == bob.id)).all()) == 60
