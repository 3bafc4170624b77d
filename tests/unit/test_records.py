"""The journal store. Charlie, a stranger, tries alice's ids everywhere: each
one must behave exactly like an id that does not exist."""

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from meso_journal.models import CheckIn, Course, Measurement, Photo, SideEffectRating, TreatmentSession
from meso_journal.rules import validation
from meso_journal.store import journal
from tests.factories import TODAY, add_photo, course_form, make_course, make_visit, measurement_form, utc, visit_form

NOW = utc(2026, 11, 25, 12)


def test_it_creates_a_course_and_makes_it_current(db, alice):
    first = make_course(db, alice)
    second = make_course(db, alice, goal="hair_loss", **{"area:scalp": "on"})
    assert journal.current_course(db=db, owner_id=alice.id).id == second.id
    journal.choose_course(db=db, owner_id=alice.id, course_id=first.id)
    assert journal.current_course(db=db, owner_id=alice.id).id == first.id
    assert [c.id for c in journal.list_courses(db=db, owner_id=alice.id)] == [second.id, first.id]


def test_it_has_no_current_course_for_a_new_patient(db, alice):
    assert journal.current_course(db=db, owner_id=alice.id) is None


def test_it_saves_a_session_with_its_ratings_in_one_go(db, alice):
    course = make_course(db, alice)
    row = make_visit(db, alice, course, depth_mm="2.5", cost="350")
    ratings = journal.visit_ratings(db=db, owner_id=alice.id, visit_id=row.id)
    assert len(ratings) == 12
    assert {r.effect: r.severity for r in ratings}["bruising"] == 2
    assert row.depth_mm == 2.5 and row.cost_cents == 35000


def test_it_stores_nothing_when_a_rating_fails_half_way(db, alice, monkeypatch):
    course = make_course(db, alice)
    data = validation.visit_input(visit_form(), today=TODAY)
    calls = {"n": 0}
    real_add = db.add

    def failing_add(obj):
        if isinstance(obj, SideEffectRating):
            calls["n"] += 1
            if calls["n"] == 6:
                raise RuntimeError("disk full")
        return real_add(obj)

    monkeypatch.setattr(db, "add", failing_add)
    with pytest.raises(RuntimeError):
        journal.create_visit(db=db, owner_id=alice.id, course_id=course.id, data=data)
    monkeypatch.undo()
    assert db.exec(select(TreatmentSession)).all() == []
    assert db.exec(select(SideEffectRating)).all() == []


def test_it_edits_a_session_and_replaces_its_ratings(db, alice):
    course = make_course(db, alice)
    row = make_visit(db, alice, course)
    data = validation.visit_input(
        visit_form(**{"effect:bruising": "none", "effect:swelling": "severe"}, pain="7"), today=TODAY
    )
    journal.update_visit(db=db, owner_id=alice.id, visit_id=row.id, data=data)
    ratings = {r.effect: r.severity for r in journal.visit_ratings(db=db, owner_id=alice.id, visit_id=row.id)}
    assert ratings["bruising"] == 0 and ratings["swelling"] == 3
    assert len(db.exec(select(SideEffectRating)).all()) == 12
    assert db.get(TreatmentSession, row.id).pain == 7


def test_it_deletes_restores_and_later_purges_a_session(db, alice):
    course = make_course(db, alice)
    row = make_visit(db, alice, course)
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=row.id, now=NOW)
    assert journal.list_visits(db=db, owner_id=alice.id, course_id=course.id) == []
    journal.restore_visit(db=db, owner_id=alice.id, visit_id=row.id, now=NOW + timedelta(minutes=59))
    assert len(journal.list_visits(db=db, owner_id=alice.id, course_id=course.id)) == 1
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=row.id, now=NOW)
    assert journal.purge_deleted(db=db, owner_id=alice.id, now=NOW + timedelta(minutes=30)) == 0
    assert journal.purge_deleted(db=db, owner_id=alice.id, now=NOW + timedelta(hours=2)) == 1
    assert db.exec(select(SideEffectRating)).all() == []


def test_it_pages_sessions_newest_first(db, alice):
    course = make_course(db, alice)
    for day in range(1, 4):
        make_visit(db, alice, course, performed_at=f"2026-11-0{day}T09:00")
    page = journal.list_visits(db=db, owner_id=alice.id, course_id=course.id, limit=2)
    assert [p.visit.performed_at.day for p in page] == [3, 2]
    rest = journal.list_visits(db=db, owner_id=alice.id, course_id=course.id, offset=2)
    assert [p.visit.performed_at.day for p in rest] == [1]
    assert journal.count_visits(db=db, owner_id=alice.id, course_id=course.id) == 3


def test_it_adds_a_check_in_with_its_own_ratings(db, alice):
    course = make_course(db, alice)
    row = make_visit(db, alice, course)
    data = validation.checkin_input(
        {"checked_on": "2026-11-23", "effect:bruising": "mild"}, visit_day=date(2026, 11, 20), today=TODAY
    )
    journal.create_checkin(db=db, owner_id=alice.id, visit_id=row.id, data=data)
    [checkin] = journal.list_checkins(db=db, owner_id=alice.id, course_id=course.id)
    assert {r.effect: r.severity for r in checkin.ratings}["bruising"] == 1
    # The session's own ratings are not touched by the check-in.
    assert {r.effect: r.severity for r in journal.visit_ratings(db=db, owner_id=alice.id, visit_id=row.id)}[
        "bruising"
    ] == 2


def test_it_adds_and_deletes_measurements(db, alice):
    course = make_course(db, alice)
    data = validation.measurement_input(
        {"measured_on": "2026-11-20", "kind": "weight", "value": "70.5", "unit": "kg"}, today=TODAY
    )
    m = journal.add_measurement(db=db, owner_id=alice.id, course_id=course.id, data=data)
    assert [x.id for x in journal.list_measurements(db=db, owner_id=alice.id, course_id=None)] == [m.id]
    journal.delete_measurement(db=db, owner_id=alice.id, measurement_id=m.id)
    assert journal.list_measurements(db=db, owner_id=alice.id, course_id=None) == []


def test_it_deletes_a_course_with_everything_in_it(db, alice):
    course = make_course(db, alice)
    row = make_visit(db, alice, course)
    data = validation.checkin_input({"checked_on": "2026-11-21"}, visit_day=date(2026, 11, 20), today=TODAY)
    journal.create_checkin(db=db, owner_id=alice.id, visit_id=row.id, data=data)
    journal.delete_course(db=db, owner_id=alice.id, course_id=course.id)
    db.expire_all()
    for table in (Course, TreatmentSession, SideEffectRating, CheckIn):
        assert db.exec(select(table)).all() == []


# --- charlie tries alice's ids ---------------------------------------------------


@pytest.fixture
def alices(db, alice):
    course = make_course(db, alice)
    row = make_visit(db, alice, course)
    checkin = journal.create_checkin(
        db=db,
        owner_id=alice.id,
        visit_id=row.id,
        data=validation.checkin_input({"checked_on": "2026-11-21"}, visit_day=date(2026, 11, 20), today=TODAY),
    )
    measurement = journal.add_measurement(
        db=db,
        owner_id=alice.id,
        course_id=course.id,
        data=validation.measurement_input(
            {"measured_on": "2026-11-20", "kind": "weight", "value": "70", "unit": "kg"}, today=TODAY
        ),
    )
    photo = journal.add_photo(
        db=db,
        owner_id=alice.id,
        course_id=course.id,
        visit_id=row.id,
        area="Thighs",
        taken_at=datetime(2026, 11, 20, 10),
        storage_key="a" * 32,
        width=2000,
        height=1500,
    )
    return {"course": course, "session": row, "checkin": checkin, "measurement": measurement, "photo": photo}


def _snapshot(db):
    db.expire_all()
    return [
        sorted((type(r).__name__, r.model_dump_json()) for r in db.exec(select(t)).all())
        for t in (Course, TreatmentSession, SideEffectRating, CheckIn, Measurement, Photo)
    ]


def _charlie_calls(db, charlie, ids):
    course_data = validation.course_input(course_form(), today=TODAY)
    session_data = validation.visit_input(visit_form(), today=TODAY)
    checkin_data = validation.checkin_input({"checked_on": "2026-11-21"}, visit_day=date(2026, 11, 20), today=TODAY)
    measurement_data = validation.measurement_input(
        {"measured_on": "2026-11-20", "kind": "weight", "value": "70", "unit": "kg"}, today=TODAY
    )
    c, s, k, m, p = ids["course"].id, ids["session"].id, ids["checkin"].id, ids["measurement"].id, ids["photo"].id
    o = {"db": db, "owner_id": charlie.id}
    return {
        "get_course": lambda: journal.get_course(**o, course_id=c),
        "choose_course": lambda: journal.choose_course(**o, course_id=c),
        "update_course": lambda: journal.update_course(**o, course_id=c, data=course_data),
        "set_course_status": lambda: journal.set_course_status(**o, course_id=c, status="stopped"),
        "delete_course": lambda: journal.delete_course(**o, course_id=c),
        "list_visits": lambda: journal.list_visits(**o, course_id=c),
        "count_visits": lambda: journal.count_visits(**o, course_id=c),
        "last_visit": lambda: journal.last_visit(**o, course_id=c),
        "create_visit": lambda: journal.create_visit(**o, course_id=c, data=session_data),
        "get_visit": lambda: journal.get_visit(**o, visit_id=s),
        "visit_ratings": lambda: journal.visit_ratings(**o, visit_id=s),
        "update_visit": lambda: journal.update_visit(**o, visit_id=s, data=session_data),
        "delete_visit": lambda: journal.delete_visit(**o, visit_id=s, now=NOW),
        "restore_visit": lambda: journal.restore_visit(**o, visit_id=s, now=NOW),
        "create_checkin": lambda: journal.create_checkin(**o, visit_id=s, data=checkin_data),
        "list_checkins": lambda: journal.list_checkins(**o, course_id=c),
        "get_checkin": lambda: journal.get_checkin(**o, checkin_id=k),
        "delete_checkin": lambda: journal.delete_checkin(**o, checkin_id=k),
        "add_measurement": lambda: journal.add_measurement(**o, course_id=c, data=measurement_data),
        "get_measurement": lambda: journal.get_measurement(**o, measurement_id=m),
        "delete_measurement": lambda: journal.delete_measurement(**o, measurement_id=m),
        "get_photo": lambda: journal.get_photo(**o, photo_id=p),
        "delete_photo": lambda: journal.delete_photo(**o, photo_id=p),
        "list_photos": lambda: journal.list_photos(**o, course_id=c),
        "add_photo": lambda: journal.add_photo(
            **o,
            course_id=c,
            visit_id=None,
            area="x",
            taken_at=datetime(2026, 1, 1),
            storage_key="b" * 32,
            width=1,
            height=1,
        ),
    }


CHARLIE_CALLS = [
    "get_course", "choose_course", "update_course", "set_course_status", "delete_course", "list_visits",
    "count_visits", "last_visit", "create_visit", "get_visit", "visit_ratings", "update_visit",
    "delete_visit", "restore_visit", "create_checkin", "list_checkins", "get_checkin", "delete_checkin",
    "add_measurement", "get_measurement", "delete_measurement", "get_photo", "delete_photo", "list_photos",
    "add_photo",
]  # fmt: skip


@pytest.mark.parametrize("call", CHARLIE_CALLS)
def test_it_checks_ownership(db, alices, charlie, call):
    before = _snapshot(db)
    with pytest.raises(journal.NotFound):
        _charlie_calls(db, charlie, alices)[call]()
    assert _snapshot(db) == before
    assert journal.list_measurements(db=db, owner_id=charlie.id, course_id=None) == []


@pytest.mark.parametrize("bad_id", [None, "1", 1.0, True, [1], {"id": 1}, -1, 10**12])
def test_it_treats_ids_of_the_wrong_type_as_missing(db, alices, alice, bad_id):
    for fn, kw in (
        (journal.get_course, "course_id"),
        (journal.get_visit, "visit_id"),
        (journal.get_checkin, "checkin_id"),
        (journal.get_measurement, "measurement_id"),
    ):
        with pytest.raises(journal.NotFound):
            fn(db=db, owner_id=alice.id, **{kw: bad_id})


def test_it_cannot_restore_a_session_that_was_not_deleted(db, alices, alice):
    with pytest.raises(journal.NotFound):
        journal.restore_visit(db=db, owner_id=alice.id, visit_id=alices["session"].id, now=NOW)


def _photo_row(db, owner, course, key: str) -> Photo:
    return journal.add_photo(
        db=db, owner_id=owner.id, course_id=course.id, visit_id=None, area="Thighs",
        taken_at=datetime(2026, 3, 14, 9, 30), storage_key=key, width=10, height=10,
    )  # fmt: skip


def test_a_photos_details_can_be_corrected_by_its_owner_only(db, alice, charlie):
    thighs, scalp = make_course(db, alice), make_course(db, alice, goal="hair_loss")
    visit = make_visit(db, alice, thighs)
    other_visit = make_visit(db, alice, scalp)
    pic = _photo_row(db, alice, thighs, "a1")
    fixed = journal.update_photo(
        db=db, owner_id=alice.id, photo_id=pic.id, area="Hips", taken_at=datetime(2026, 11, 20, 12),
        visit_id=visit.id,
    )  # fmt: skip
    assert (fixed.area, fixed.taken_at, fixed.session_id) == ("Hips", datetime(2026, 11, 20, 12), visit.id)
    # A session of another course, or anything of charlie's, is not found and changes nothing.
    with pytest.raises(journal.NotFound):
        journal.update_photo(
            db=db, owner_id=alice.id, photo_id=pic.id, area="Hips", taken_at=fixed.taken_at,
            visit_id=other_visit.id,
        )  # fmt: skip
    with pytest.raises(journal.NotFound):
        journal.update_photo(
            db=db, owner_id=charlie.id, photo_id=pic.id, area="Arms", taken_at=fixed.taken_at, visit_id=None
        )
    db.refresh(pic)
    assert (pic.area, pic.session_id) == ("Hips", visit.id)


def test_the_photo_forms_areas_include_those_the_sessions_treated(db, alice):
    """A walk found the photo form offering only the course's areas, not the
    hips a session also treated."""
    course = make_course(db, alice)  # thighs
    make_visit(db, alice, course, **{"area:hips": "on", "custom_areas": "Inner knees"})
    make_visit(db, alice, course, performed_at="2026-11-21T10:00")
    assert journal.photo_areas(db=db, owner_id=alice.id, course_id=course.id) == ["Thighs", "Hips", "Inner knees"]


def test_the_photo_forms_areas_keep_an_area_only_an_earlier_photo_names(db, alice, photo_dir):
    """An imported photo may name an area the course no longer lists: it stays
    choosable, after the course's and the sessions' areas, and only for its course."""
    course = make_course(db, alice)  # thighs
    add_photo(db, alice, course, area="Left calf")
    other = make_course(db, alice)
    add_photo(db, alice, other, area="Chin")
    assert journal.photo_areas(db=db, owner_id=alice.id, course_id=course.id) == ["Thighs", "Left calf"]


def test_a_courses_measurements_are_its_own_and_those_of_no_course(db, alice):
    """A walk found a face course's timeline showing the waist measured during a fat course."""
    fat, face = make_course(db, alice), make_course(db, alice)
    waist = journal.add_measurement(
        db=db, owner_id=alice.id, course_id=fat.id,
        data=validation.measurement_input(
            measurement_form(kind="circumference", area="waist", value="80", unit="cm"), today=TODAY
        ),
    )  # fmt: skip
    weight = journal.add_measurement(
        db=db, owner_id=alice.id, course_id=None,
        data=validation.measurement_input(measurement_form(), today=TODAY),
    )  # fmt: skip
    listed = {
        c: {m.id for m in journal.list_measurements(db=db, owner_id=alice.id, course_id=c)} for c in (fat.id, face.id)
    }
    assert listed == {fat.id: {waist.id, weight.id}, face.id: {weight.id}}
    page = journal.timeline_page(db=db, owner_id=alice.id, course_id=face.id)
    assert [e.measurement.id for e in page.entries if e.measurement] == [weight.id]


def test_recently_deleted_sessions_are_listed_for_their_undo_window_only(db, alice, charlie):
    course = make_course(db, alice)
    old, new = make_visit(db, alice, course), make_visit(db, alice, course, performed_at="2026-11-21T10:00")
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=old.id, now=NOW - timedelta(minutes=90))
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=new.id, now=NOW - timedelta(minutes=5))
    listed = journal.recently_deleted_visits(db=db, owner_id=alice.id, course_id=course.id, now=NOW)
    assert [v.id for v in listed] == [new.id]
    with pytest.raises(journal.NotFound):
        journal.recently_deleted_visits(db=db, owner_id=charlie.id, course_id=course.id, now=NOW)


def test_a_session_cannot_be_restored_past_its_undo_window(db, alice):
    """Found attacking the app: the hour was only enforced by the purge."""
    course = make_course(db, alice)
    row = make_visit(db, alice, course)
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=row.id, now=NOW)
    with pytest.raises(journal.NotFound):
        journal.restore_visit(db=db, owner_id=alice.id, visit_id=row.id, now=NOW + timedelta(minutes=61))
    assert journal.list_visits(db=db, owner_id=alice.id, course_id=course.id) == []
