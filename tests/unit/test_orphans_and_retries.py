"""Nothing stays behind a killed import, and nothing is stored twice by a
retried upload: the orphan sweep run at start-up, and upload keys."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select

from meso_journal import database, photo_storage, settings
from meso_journal.models import Photo, User
from meso_journal.store import maintenance
from tests.archives import sixty_photos
from tests.clients import signed_in, stored_files, upload
from tests.factories import add_photo, make_course, make_user
from tests.images import photo

ROOT = Path(__file__).resolve().parents[2]

IMPORT = """
import asyncio, sys
from datetime import date
from meso_journal.store import restore
raw = open(sys.argv[1], "rb").read()
asyncio.run(restore.restore(owner_id=int(sys.argv[2]), raw=raw, today=date(2026, 11, 25)))
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch):
    """A data folder and SQLite database that a second process can share."""
    engine = database.make_engine(f"sqlite:///{tmp_path / 'journal.db'}")
    SQLModel.metadata.create_all(engine)
    monkeypatch.setattr(database, "engine", engine)
    monkeypatch.setattr(settings, "PHOTO_DIR", tmp_path / "photos")
    yield tmp_path
    engine.dispose()


def test_an_import_killed_midway_leaves_no_orphan_after_the_next_start(data_dir: Path):
    with Session(database.engine, expire_on_commit=False) as db:
        alice, bob = make_user(db, email="alice@example.com"), make_user(db, email="bob@example.com")
        kept = add_photo(db, alice, make_course(db, alice))  # a photo with its row: never touched
    archive_file = data_dir / "backup.zip"
    archive_file.write_bytes(sixty_photos())
    env = {
        **os.environ,
        "MESO_DATA_DIR": str(data_dir),
        "MESO_DB_URL": f"sqlite:///{data_dir / 'journal.db'}",
    }
    server = subprocess.Popen([sys.executable, "-c", IMPORT, str(archive_file), str(bob.id)], cwd=ROOT, env=env)
    bobs = photo_storage.Folder().owner_dir(bob.id)
    deadline = time.monotonic() + 60
    while len(stored_files(bobs)) < 6 and time.monotonic() < deadline and server.poll() is None:
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)  # mid-import: photos stored, no row written yet
    server.wait()
    left = stored_files(bobs)
    assert len(left) >= 6, "the import was not interrupted while storing photos"
    with Session(database.engine) as db:
        assert db.exec(select(Photo).where(Photo.owner_id == bob.id)).all() == []

    # The next start: at once, files this young may belong to work under way.
    assert maintenance.sweep_orphans() == 0
    # An hour on (the sweep runs at start-up and every half hour), they go.
    later = time.time() + maintenance.ORPHAN_AGE + 1
    assert maintenance.sweep_orphans(now=later) == len(left)
    assert stored_files(bobs) == []
    alices = photo_storage.Folder().owner_dir(alice.id)
    assert {p.name.split(".")[0] for p in stored_files(alices)} == {kept.storage_key}


def test_the_app_runs_the_sweep_from_start_up():
    from meso_journal.meso_journal import app

    assert maintenance.sweep_forever in app.get_lifespan_tasks()


def test_an_upload_retried_with_the_same_key_is_stored_once(engine, db, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "PHOTO_DIR", tmp_path / "photos")
    client = signed_in("alice@example.com")
    alice = db.exec(select(User).where(User.email == "alice@example.com")).one()
    course = make_course(db, alice)
    key = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    files = ("IMG_0001.JPG", photo())
    assert upload(client, course.id, files, upload_key=key).headers["location"] == "/photos?added=1"
    # The answer was lost: the phone sends the same photo with the same key.
    assert upload(client, course.id, files, upload_key=key).headers["location"] == "/photos?added=1"
    assert len(db.exec(select(Photo)).all()) == 1 and len(stored_files(tmp_path / "photos")) == 2
    # Another photo, another key; and another patient's photo may carry the same key.
    upload(client, course.id, files, upload_key="f" * 32)
    charlie = signed_in("charlie@example.com")
    charlie_user = db.exec(select(User).where(User.email == "charlie@example.com")).one()
    upload(charlie, make_course(db, charlie_user).id, files, upload_key=key)
    assert len(db.exec(select(Photo)).all()) == 3
    # A key that is not one the page makes is ignored: the photo is stored, as without a key.
    upload(client, course.id, files, upload_key="../../x")
    assert len(db.exec(select(Photo).where(Photo.owner_id == alice.id)).all()) == 3
