"""The two photo storage backends (photo_storage.py) and the command that
moves photos between them (move_photos.py). The routes, downloads, imports
and account deletion run on both backends through the photo_dir fixture."""

from __future__ import annotations

import os

import pytest
from sqlmodel import func, select

from meso_journal import move_photos, photo_storage, settings
from meso_journal.models import Photo, PhotoChunk
from meso_journal.store import journal, maintenance
from tests.factories import make_course, utc


def _chunk_rows(db) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(PhotoChunk)).one()


def test_the_database_keeps_a_photo_in_chunks_and_gives_it_back_whole(engine, db, alice):
    store = photo_storage.Database()
    display = os.urandom(2 * photo_storage.CHUNK + 1000)
    store.write(alice.id, "abc123", {"display": display, "thumb": b"small"})
    assert _chunk_rows(db) == 3 + 1  # never a row holding a whole display copy
    pieces = list(store.chunks(alice.id, "abc123", "display"))
    assert [len(p) for p in pieces] == [photo_storage.CHUNK, photo_storage.CHUNK, 1000]
    assert b"".join(pieces) == display
    assert b"".join(store.chunks(alice.id, "abc123", "thumb")) == b"small"
    # Another patient's id, another size or another key: nothing.
    assert store.chunks(alice.id + 1, "abc123", "display") is None
    assert store.chunks(alice.id, "abc123", "original") is None
    assert store.chunks(alice.id, "../abc", "display") is None
    store.remove(alice.id, "abc123")
    assert _chunk_rows(db) == 0 and store.chunks(alice.id, "abc123", "display") is None


def test_the_database_sweep_removes_only_old_bytes_without_a_row(engine, db, alice, monkeypatch):
    monkeypatch.setattr(settings, "PHOTO_STORAGE", "database")
    store = photo_storage.Database()
    course = make_course(db, alice)
    store.write(alice.id, "kept", {"display": b"d", "thumb": b"t"})
    journal.add_photo(
        db=db, owner_id=alice.id, course_id=course.id, visit_id=None, area="Thighs",
        taken_at=utc(2026, 11, 1, 12).replace(tzinfo=None), storage_key="kept", width=1, height=1,
    )  # fmt: skip
    store.write(alice.id, "orphan", {"display": b"d", "thumb": b"t"})
    now = utc(2026, 11, 30).timestamp()
    # Young bytes may belong to an upload still under way: they stay.
    assert maintenance.sweep_orphans(now=photo_storage.clock.now().timestamp()) == 0
    assert maintenance.sweep_orphans(now=now + 10 * 86400) == 2  # both sizes of the orphan
    assert store.chunks(alice.id, "orphan", "display") is None
    assert b"".join(store.chunks(alice.id, "kept", "display")) == b"d"


def _photos(db, owner, course, n: int, store) -> dict[str, dict[str, bytes]]:
    made = {}
    for i in range(n):
        key = f"k{i:04d}"
        sizes = {"display": os.urandom(3000 + i), "thumb": os.urandom(300 + i)}
        store.write(owner.id, key, sizes)
        journal.add_photo(
            db=db, owner_id=owner.id, course_id=course.id, visit_id=None, area="Thighs",
            taken_at=utc(2026, 11, 1, 12).replace(tzinfo=None), storage_key=key, width=1, height=1,
        )  # fmt: skip
        made[key] = sizes
    return made


@pytest.mark.parametrize(("source", "target"), [("folder", "database"), ("database", "folder")])
def test_moving_100_photos_verifies_every_byte_and_removes_the_old_copies(
    engine, db, alice, tmp_path, monkeypatch, source, target
):
    monkeypatch.setattr(settings, "PHOTO_DIR", tmp_path / "photos")
    old, new = move_photos.BACKENDS[source](), move_photos.BACKENDS[target]()
    course = make_course(db, alice)
    made = _photos(db, alice, course, 100, old)
    done = move_photos.move(old, new)
    assert (done.verified, done.removed, done.missing) == (100, 100, [])
    for key, sizes in made.items():
        for size, data in sizes.items():
            assert b"".join(new.chunks(alice.id, key, size)) == data
            assert old.chunks(alice.id, key, size) is None
    # Run again: everything is found in place, nothing is copied or lost.
    again = move_photos.move(old, new)
    assert (again.verified, again.removed, again.missing) == (100, 0, [])


def test_a_photo_missing_from_both_places_is_reported_not_counted(engine, db, alice, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "PHOTO_DIR", tmp_path / "photos")
    old, new = photo_storage.Folder(), photo_storage.Database()
    course = make_course(db, alice)
    _photos(db, alice, course, 2, old)
    old.remove(alice.id, "k0001")
    done = move_photos.move(old, new)
    assert (done.verified, done.missing) == (1, ["k0001"])
    assert db.exec(select(Photo)).all()  # rows are never touched


def test_the_command_says_where_the_photos_went(engine, db, alice, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(settings, "PHOTO_DIR", tmp_path / "photos")
    _photos(db, alice, make_course(db, alice), 3, photo_storage.Folder())
    assert move_photos.main(["--to", "database"]) == 0
    out = capsys.readouterr().out
    assert "3 photos verified in the database storage; old copies removed: 3." in out
    assert "MESO_PHOTO_STORAGE=database" in out
