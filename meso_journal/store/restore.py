"""Restoring an archive into an empty account (exports/archive.py reads and
checks it) without keeping any other patient waiting, and with nothing half
stored:

1. The whole file is read and every value checked by the forms' own rules
   before anything is stored.
2. The photos are processed one at a time in the image pool, outside any
   transaction, into the private store; their keys are kept.
3. The rows go in through the store functions the forms use, each in its own
   short transaction, so no write lock is held for longer than one session.

A failure in 2 or 3 removes whatever was stored. If the server dies instead,
the photo files of step 2 have no rows: maintenance.py (beside this module) removes them at the
next start-up once they are an hour old.
"""

from __future__ import annotations

import asyncio
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from meso_journal import database, photos, settings
from meso_journal.exports.archive import Entries, ImportRefused, Plan, read_archive
from meso_journal.store import journal, share_links

# Patients with an import under way in this process (the orphan sweep leaves
# their young files alone, and a second import waits its turn).
_running: set[int] = set()


def running() -> frozenset[int]:
    return frozenset(_running)


@dataclass(frozen=True)
class StoredPhoto:
    key: str
    width: int
    height: int


@dataclass
class _Written:
    course_ids: list[int] = field(default_factory=list)
    measurement_ids: list[int] = field(default_factory=list)


def _has_courses(owner_id: int) -> bool:
    with database.session() as db:
        return bool(journal.list_courses(db=db, owner_id=owner_id))


def _store_photo(owner_id: int, entries: Entries, name: str) -> StoredPhoto:
    try:
        processed = photos.process(entries.read(name, settings.MAX_UPLOAD_BYTES))
    except KeyError:
        raise ImportRefused("photo", f"In the archive: “{name}” is missing.") from None
    except photos.PhotoRejected as e:
        raise ImportRefused("photo", f"In the archive: “{name}”: {e}") from None
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error):
        raise ImportRefused("photo", f"In the archive: “{name}” is damaged.") from None
    key = photos.save(owner_id, processed)
    return StoredPhoto(key, processed.width, processed.height)


def _write(owner_id: int, plan: Plan, stored: list[StoredPhoto], written: _Written) -> int:
    shot = iter(stored)  # in the order of plan.photos
    with database.session() as db:
        course_ids: dict[int, int] = {}
        for c in plan.courses:
            course = journal.create_course(db=db, owner_id=owner_id, data=c.data)
            written.course_ids.append(journal.stored_id(course.id))
            course_ids[c.id] = journal.stored_id(course.id)
            if c.phase:
                journal.set_phase(db=db, owner_id=owner_id, course_id=course.id, phase=c.phase)
            session_ids: dict[int, int] = {}
            for s in c.sessions:
                row = journal.create_visit(db=db, owner_id=owner_id, course_id=course.id, data=s.data)
                session_ids[s.id] = journal.stored_id(row.id)
                for checkin in s.checkins:
                    journal.create_checkin(db=db, owner_id=owner_id, visit_id=row.id, data=checkin)
            for p in c.photos:
                photo = next(shot)
                journal.add_photo(
                    db=db,
                    owner_id=owner_id,
                    course_id=course.id,
                    visit_id=session_ids.get(p.session_id) if p.session_id is not None else None,
                    area=p.area,
                    taken_at=p.taken_at,
                    storage_key=photo.key,
                    width=photo.width,
                    height=photo.height,
                )
        for m in plan.measurements:
            course_id = course_ids.get(m.course_id) if m.course_id is not None else None
            measurement = journal.add_measurement(db=db, owner_id=owner_id, course_id=course_id, data=m.data)
            written.measurement_ids.append(journal.stored_id(measurement.id))
        # Last: a failure before this leaves the account as it was.
        share_links.set_display_name(db=db, owner_id=owner_id, name=plan.display_name)
        journal.set_units(db=db, owner_id=owner_id, length_unit=plan.length_unit, weight_unit=plan.weight_unit)
    return sum(len(c.sessions) for c in plan.courses)


def _undo(owner_id: int, written: _Written) -> None:
    with database.session() as db:
        # A course takes its sessions, check-ins, photos and measurements with it.
        for course_id in written.course_ids:
            try:
                journal.delete_course(db=db, owner_id=owner_id, course_id=course_id)
            except journal.NotFound:
                pass
        for measurement_id in written.measurement_ids:
            try:
                journal.delete_measurement(db=db, owner_id=owner_id, measurement_id=measurement_id)
            except journal.NotFound:
                pass


def _write_or_undo(owner_id: int, plan: Plan, stored: list[StoredPhoto]) -> int:
    written = _Written()
    try:
        return _write(owner_id, plan, stored, written)
    except BaseException:
        _undo(owner_id, written)
        for photo in stored:
            photos.remove(owner_id, photo.key)
        raise


async def restore(*, owner_id: int, raw: bytes | BinaryIO, today: date) -> int:
    """Restores the archive; returns the number of sessions. Raises ImportRefused."""
    if owner_id in _running:
        raise ImportRefused("busy")
    _running.add(owner_id)
    try:
        plan, entries = await photos.run_job(owner_id, lambda: read_archive(raw, today=today))
        if await asyncio.to_thread(_has_courses, owner_id):
            raise ImportRefused("not_empty")
        stored: list[StoredPhoto] = []
        try:
            for p in plan.photos:
                stored.append(await photos.run_job(owner_id, _store_photo, owner_id, entries, p.file))
        except BaseException:
            for photo in stored:
                photos.remove(owner_id, photo.key)
            raise
        # From here one thread owns the outcome, rows written or all of it
        # undone, even if this request is cancelled while it runs.
        return await asyncio.shield(asyncio.to_thread(_write_or_undo, owner_id, plan, stored))
    finally:
        _running.discard(owner_id)
