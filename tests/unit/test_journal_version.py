"""The journal version (store/versions.py): every write to a patient's
journal makes it grow, in the same transaction, whatever code path writes;
reads and logins leave it alone; another patient's never moves. Pages use
it to skip reloading what has not changed (state/base.page_load)."""

from __future__ import annotations

import asyncio

import pytest
import reflex as rx
import sqlalchemy as sa
from sqlmodel import select

from meso_journal import clock
from meso_journal.models import User
from meso_journal.rules import validation
from meso_journal.state.photos import PhotosState
from meso_journal.state.timeline import TimelineState
from meso_journal.store import accounts, journal, share_links, summaries
from tests import factories

NOW = factories.utc(2026, 11, 25, 12)


def _version(db, patient: User) -> int:
    db.expire_all()
    return db.exec(select(User.journal_version).where(User.id == patient.id)).one()


def _writes(db, alice, course, visit, checkin, photo):
    """One of each kind of write a patient can make, by name."""
    o = {"db": db, "owner_id": alice.id}
    return {
        "start a course": lambda: factories.make_course(db, alice),
        "edit a course": lambda: journal.update_course(
            **o, course_id=course.id, data=validation.course_input(factories.course_form(clinic="B"), today=NOW.date())
        ),
        "choose a course": lambda: journal.choose_course(**o, course_id=course.id),
        "set the phase": lambda: journal.set_phase(**o, course_id=course.id, phase="monthly"),
        "log a session": lambda: factories.make_visit(db, alice, course, performed_at="2026-11-20T10:00"),
        "edit a session": lambda: journal.update_visit(
            **o, visit_id=visit.id, data=validation.visit_input(factories.visit_form(notes="x"), today=NOW.date())
        ),
        "delete a session": lambda: journal.delete_visit(**o, visit_id=visit.id, now=NOW),
        "check in": lambda: factories.make_checkin(db, alice, visit),
        "delete a check-in": lambda: journal.delete_checkin(**o, checkin_id=checkin.id),
        "measure": lambda: factories.make_measurement(db, alice, course),
        "add a photo": lambda: factories.add_photo(db, alice, course, day=3),
        "correct a photo": lambda: journal.update_photo(
            **o, photo_id=photo.id, area="Hips", taken_at=photo.taken_at, visit_id=None
        ),
        "delete a photo": lambda: journal.delete_photo(**o, photo_id=photo.id),
        "make a share link": lambda: factories.make_link(db, alice),
        "change units": lambda: journal.set_units(**o, length_unit="in", weight_unit="lb"),
        "name on reports": lambda: share_links.set_display_name(**o, name="Alice"),
        "delete the course": lambda: journal.delete_course(**o, course_id=course.id),
    }


WRITES = [
    "start a course", "edit a course", "choose a course", "set the phase", "log a session", "edit a session",
    "delete a session", "check in", "delete a check-in", "measure", "add a photo", "correct a photo",
    "delete a photo", "make a share link", "change units", "name on reports", "delete the course",
]  # fmt: skip


@pytest.mark.parametrize("write", WRITES)
def test_every_write_to_a_journal_makes_its_version_grow_and_no_one_elses(db, alice, bob, photo_dir, write):
    course = factories.make_course(db, alice)
    visit = factories.make_visit(db, alice, course)
    checkin = factories.make_checkin(db, alice, visit)
    photo = factories.add_photo(db, alice, course)
    bobs = factories.make_course(db, bob)
    factories.make_visit(db, bob, bobs)
    before, bobs_before = _version(db, alice), _version(db, bob)
    writes = _writes(db, alice, course, visit, checkin, photo)
    assert sorted(writes) == sorted(WRITES)
    writes[write]()
    assert _version(db, alice) > before
    assert _version(db, bob) == bobs_before


def test_reads_and_logins_leave_the_version_alone(db, alice, photo_dir):
    course = factories.make_course(db, alice)
    factories.make_visit(db, alice, course)
    factories.add_photo(db, alice, course)
    before = _version(db, alice)
    journal.timeline_page(db=db, owner_id=alice.id, course_id=course.id)
    journal.list_photos(db=db, owner_id=alice.id, course_id=course.id)
    summaries.summarize(db=db, owner_id=alice.id, course_id=course.id, today=NOW.date())
    token = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    accounts.resolve_login(db=db, token=token, now=NOW)
    assert _version(db, alice) == before


def test_a_write_that_fails_leaves_the_version_as_it_was(db, alice):
    course = factories.make_course(db, alice)
    before = _version(db, alice)
    data = validation.visit_input(factories.visit_form(), today=NOW.date())
    with pytest.raises(journal.NotFound):
        journal.update_visit(db=db, owner_id=alice.id, visit_id=999, data=data)
    db.rollback()
    assert _version(db, alice) == before and course.id


# --- pages skip reloading an unchanged journal ---------------------------------------


def _statements(engine, run) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return seen


def _tab(state_class, owner_id: int):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    state._user_id = owner_id
    return state


def _open(state) -> None:
    asyncio.run(type(state).load.fn(state))


@pytest.mark.parametrize("state_class", [TimelineState, PhotosState])
def test_a_page_opened_again_on_an_unchanged_journal_reads_one_row(engine, db, alice, photo_dir, state_class):
    course = factories.make_course(db, alice)
    factories.make_visit(db, alice, course)
    factories.add_photo(db, alice, course)
    tab = _tab(state_class, alice.id)
    first = _statements(engine, lambda: _open(tab))
    assert len(first) > 3 and tab.items
    again = _statements(engine, lambda: _open(tab))
    # Only the patient's row (its version), nothing of the journal.
    assert len(again) == 1 and "journal_version" in again[0], again
    assert tab.items


def test_the_timeline_reloads_after_a_write_from_anywhere_and_on_a_new_day(engine, db, alice, monkeypatch):
    course = factories.make_course(db, alice)
    factories.make_visit(db, alice, course, performed_at="2026-11-10T10:00")
    tab = _tab(TimelineState, alice.id)
    _open(tab)
    assert tab.session_count == 1
    # Another tab or server writes: this tab's next open shows it.
    factories.make_visit(db, alice, course, performed_at="2026-11-20T10:00")
    _open(tab)
    assert tab.session_count == 2
    # Nothing written, but a day later: "due between ..." may have moved.
    tomorrow = clock.today().toordinal() + 1
    monkeypatch.setattr(clock, "today", lambda: type(clock.now().date()).fromordinal(tomorrow))
    assert len(_statements(engine, lambda: _open(tab))) > 1


def test_the_photos_page_shows_a_photo_uploaded_since_it_was_opened(db, alice, photo_dir):
    course = factories.make_course(db, alice)
    tab = _tab(PhotosState, alice.id)
    _open(tab)
    assert tab.items == []
    factories.add_photo(db, alice, course, area="Hips")
    _open(tab)
    assert [i.area for i in tab.items] == ["Hips"]


def test_a_save_is_one_step_however_many_times_it_flushes(db, alice):
    course = factories.make_course(db, alice)
    before = _version(db, alice)
    # A visit with its ratings: flushed for the visit's id, then with the ratings.
    factories.make_visit(db, alice, course, **{"effect:bruising": "mild", "effect:swelling": "moderate"})
    assert _version(db, alice) == before + 1


def test_the_restorable_list_closes_with_its_hour_even_on_an_unchanged_journal(db, alice, monkeypatch):
    """Found attacking the app: a reopened page kept offering Restore after the hour."""
    from datetime import timedelta

    course = factories.make_course(db, alice)
    gone = factories.make_visit(db, alice, course, performed_at="2026-11-10T10:00")
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=gone.id, now=clock.now())
    tab = _tab(TimelineState, alice.id)
    _open(tab)
    assert [d.id for d in tab.recently_deleted] == [gone.id]
    later = clock.now() + journal.UNDO_WINDOW + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    _open(tab)
    assert tab.recently_deleted == []
