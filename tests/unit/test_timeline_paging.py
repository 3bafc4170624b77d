"""The timeline's paging contract (journal.timeline_page): walking every page
shows every session, measurement, check-in and photo exactly once, newest
first, however long the course; on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest
import reflex as rx
import sqlalchemy as sa

from meso_journal.models import TreatmentSession
from meso_journal.rules import validation
from meso_journal.state.timeline import TimelineState
from meso_journal.store import journal
from tests import factories

START = datetime(2024, 1, 1, 9, 0)


def _walk(db, owner_id: int, course_id: int, *, limit: int = journal.TIMELINE_PAGE, between=None):
    entries, cursor, pages = [], None, 0
    while True:
        page = journal.timeline_page(db=db, owner_id=owner_id, course_id=course_id, after=cursor, limit=limit)
        entries += page.entries
        pages += 1
        if page.next is None:
            return entries, pages
        assert page.next == page.entries[-1].key
        # The cursor travels through the browser's state as text.
        cursor = journal.TimelineCursor.decode(page.next.encode())
        if between:
            between(pages)


def _key(entry):
    return (entry.key.at, entry.key.rank, entry.key.id)


@pytest.fixture
def long_course(db, alice):
    """60 sessions, 20 measurements, 90 check-ins and 120 photos, with ties:
    two sessions at one moment, sessions at midnight and measurements on
    session days."""
    course = factories.make_course(db, alice, start_date="2024-01-01")
    sessions = []
    for i in range(60):
        at = START + timedelta(days=5 * i)
        if i == 10:
            at = sessions[-1].performed_at  # the same moment as the one before
        if i in (20, 21):
            at = at.replace(hour=0, minute=0)  # exactly midnight, like a measurement
        sessions.append(
            journal.create_visit(
                db=db,
                owner_id=alice.id,
                course_id=course.id,
                data=validation.visit_input(
                    factories.visit_form(performed_at=at.strftime("%Y-%m-%dT%H:%M")), today=date(2026, 11, 25)
                ),
            )
        )
    for i in range(20):
        day = (START + timedelta(days=15 * i)).date()  # every third one on a session day
        data = validation.measurement_input(
            {"measured_on": day.isoformat(), "kind": "weight", "value": str(70 + i / 10), "unit": "kg"},
            today=date(2026, 11, 25),
        )
        journal.add_measurement(db=db, owner_id=alice.id, course_id=course.id, data=data)
    for i in range(90):
        parent = sessions[i % 60]
        data = validation.checkin_input(
            {"checked_on": (parent.performed_at + timedelta(days=1 + i // 60)).date().isoformat(), "note": f"c{i}"},
            visit_day=parent.performed_at.date(),
            today=date(2026, 11, 25),
        )
        journal.create_checkin(db=db, owner_id=alice.id, visit_id=parent.id, data=data)
    for i in range(120):
        parent = sessions[i % 60]
        journal.add_photo(
            db=db,
            owner_id=alice.id,
            course_id=course.id,
            visit_id=parent.id,
            area="Thighs",
            taken_at=parent.performed_at + timedelta(hours=1),
            storage_key=f"{alice.id}/p{i}",
            width=10,
            height=10,
        )
    return course


@pytest.mark.parametrize("limit", [journal.TIMELINE_PAGE, 7, 1])
def test_walking_every_page_shows_every_item_exactly_once_in_date_order(db, alice, long_course, limit):
    entries, pages = _walk(db, alice.id, long_course.id, limit=limit)

    keys = [_key(e) for e in entries]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys)
    session_ids = [e.visit.visit.id for e in entries if e.visit]
    assert len(session_ids) == len(set(session_ids)) == 60
    assert len([e for e in entries if e.measurement]) == 20
    checkins = [c.checkin.id for e in entries if e.visit for c in e.checkins]
    assert len(checkins) == len(set(checkins)) == 90
    photos = [p.id for e in entries if e.visit for p in e.photos]
    assert len(photos) == len(set(photos)) == 120
    assert pages == -(-80 // limit)
    # Each session carries its own check-ins and photos, and nobody else's.
    for e in entries:
        if e.visit:
            assert all(c.checkin.session_id == e.visit.visit.id for c in e.checkins)
            assert all(p.session_id == e.visit.visit.id for p in e.photos)
    # On one day, the sessions come before the day's measurement.
    for e, after in zip(entries, entries[1:], strict=False):
        if e.measurement and after.visit:
            assert after.visit.visit.performed_at.date() < e.measurement.measured_on


def test_a_row_added_between_pages_neither_repeats_nor_hides_older_ones(db, alice, long_course):
    def add_newest(page_number):
        if page_number == 1:
            factories.make_visit(db, alice, long_course, performed_at="2026-11-24T10:00")

    entries, _ = _walk(db, alice.id, long_course.id, limit=10, between=add_newest)
    session_ids = [e.visit.visit.id for e in entries if e.visit]
    # The new session is newer than the first page: it shows on the next load, and nothing repeats.
    assert len(session_ids) == len(set(session_ids)) == 60


def test_deleted_sessions_and_other_patients_stay_out(db, alice, charlie, long_course):
    theirs = factories.make_course(db, charlie)
    factories.make_visit(db, charlie, theirs)
    first = journal.timeline_page(db=db, owner_id=alice.id, course_id=long_course.id).entries[0]
    gone = first.visit.visit.id
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=gone, now=factories.utc(2026, 11, 25))

    entries, _ = _walk(db, alice.id, long_course.id)
    assert first.visit.visit.id not in {e.visit.visit.id for e in entries if e.visit}
    assert len([e for e in entries if e.visit]) == 59
    with pytest.raises(journal.NotFound):
        journal.timeline_page(db=db, owner_id=charlie.id, course_id=long_course.id)


@pytest.mark.parametrize("raw", ["", "x", "2026-01-01|2|5", "2026-01-01|1", "not-a-date|1|1", "2026-01-01|1|one"])
def test_a_cursor_it_did_not_make_starts_over(raw):
    assert journal.TimelineCursor.decode(raw) is None


# --- reads are reads --------------------------------------------------------------


def _statements(engine, run) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement.split(None, 1)[0].upper())

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return seen


def _open_timeline(owner_id: int, course_id: int) -> TimelineState:
    """The real page open: the timeline's one on_load event, run as Reflex runs it
    (page_load: the sign-in check and the course picker, then the page's load)."""
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(TimelineState.get_full_name().split(".")[1:])
    state._user_id = owner_id
    asyncio.run(TimelineState.load.fn(state))
    assert state.course_id == course_id
    return state


def test_opening_the_timeline_writes_nothing_and_asks_a_fixed_number_of_queries(engine, db, alice, bob):
    counts = []
    for patient, visits in ((alice, 3), (bob, 30)):
        course = factories.make_course(db, patient, start_date="2024-01-01")
        for i in range(visits):
            day = START + timedelta(days=5 * i)
            factories.make_visit(db, patient, course, performed_at=day.strftime("%Y-%m-%dT%H:%M"))
        # An old deletion past its undo window: a read must leave it for the sweep.
        gone = factories.make_visit(db, patient, course, performed_at="2024-06-01T10:00")
        journal.delete_visit(db=db, owner_id=patient.id, visit_id=gone.id, now=factories.utc(2026, 11, 1))
        db.expire_all()
        opened: list[TimelineState] = []
        ids = (patient.id, course.id)
        seen = _statements(engine, lambda ids=ids, o=opened: o.append(_open_timeline(*ids)))
        assert set(seen) == {"SELECT"}, seen
        assert db.get(TreatmentSession, gone.id) is not None
        assert opened[0].session_count == visits and opened[0].items  # it did open the course
        counts.append(len(seen))
    # As many queries for 3 visits as for 30: the page open, the course picker included.
    # (14: the thirteen of before, and the sessions deleted in the last hour, restorable.)
    assert counts[0] == counts[1] <= 14, counts


def test_a_delete_or_the_sweep_purges_what_is_past_its_undo_window(db, alice, charlie):
    course, theirs = factories.make_course(db, alice), factories.make_course(db, charlie)
    old, other = factories.make_visit(db, alice, course), factories.make_visit(db, charlie, theirs)
    for owner, row in ((alice, old), (charlie, other)):
        journal.delete_visit(db=db, owner_id=owner.id, visit_id=row.id, now=factories.utc(2026, 11, 1))
    newer = factories.make_visit(db, alice, course, performed_at="2026-11-21T10:00")
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=newer.id, now=factories.utc(2026, 11, 25))
    db.expire_all()
    assert db.get(TreatmentSession, old.id) is None  # alice's next delete took it
    assert db.get(TreatmentSession, newer.id) is not None  # still within its hour
    assert db.get(TreatmentSession, other.id) is not None  # charlie's is not alice's to purge
    assert journal.purge_all_deleted(db=db, now=factories.utc(2026, 11, 26)) == 2
