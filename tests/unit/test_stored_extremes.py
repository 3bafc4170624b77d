"""No stored value can take an export or a page down: rows written past the
forms (an old import, a hand-edited database) with the most extreme values
each column can hold still give every summary, export and view."""

from __future__ import annotations

import math
from datetime import date, datetime

from sqlmodel import select

from meso_journal.models import CheckIn, Course, Measurement, Photo, SideEffectRating, TreatmentSession, User
from meso_journal.rules import charts, units
from meso_journal.store import summaries
from tests.clients import assert_every_export_answers, signed_in
from tests.factories import TODAY

LATEST = datetime(9999, 12, 31, 23, 59)
EARLIEST = datetime(1, 1, 1)


def _extreme_journal(db, owner: User) -> Course:
    course = Course(
        owner_id=owner.id,
        goal="no-such-goal",
        areas=["no_such_area", "x" * 60],
        start_date=date.max,
        planned_sessions=2**31 - 1,
        status="active",
        phase_override="no-such-phase",
    )
    db.add(course)
    db.flush()
    for when in (LATEST, EARLIEST, LATEST):
        visit = TreatmentSession(
            owner_id=owner.id,
            course_id=course.id,
            performed_at=when,
            areas=["nowhere"],
            substances=["no-such-substance"],
            depth_mm=1e308,
            injections=-(2**31),
            method="??",
            cost_cents=2**31 - 1,  # PostgreSQL INTEGER holds no more
            currency="XXX",
            pain=2**31 - 1,
            nsaids_avoided="??",
            downtime_hours=2**31 - 1,
        )
        db.add(visit)
        db.flush()
        db.add(
            SideEffectRating(
                owner_id=owner.id, session_id=visit.id, effect="no-such-effect", severity=99, days_lasted=2**31 - 1
            )
        )
        checkin = CheckIn(owner_id=owner.id, session_id=visit.id, checked_on=date.max, note="late")
        db.add(checkin)
        db.flush()
        db.add(
            SideEffectRating(owner_id=owner.id, session_id=visit.id, checkin_id=checkin.id, effect="pain", severity=-5)
        )
    for value, kind, unit in ((1e308, "weight", "zz"), (-1.0, "circumference", "cm"), (0.0, "??", "kg")):
        for day in (date.max, date.min):
            db.add(
                Measurement(
                    owner_id=owner.id, course_id=course.id, measured_on=day, kind=kind, area="", value=value, unit=unit
                )
            )
    for taken in (LATEST, EARLIEST):
        db.add(
            Photo(
                owner_id=owner.id,
                course_id=course.id,
                area="thighs",
                taken_at=taken,
                storage_key=f"missing{taken.year}",
                width=1,
                height=1,
            )
        )
    db.commit()
    return course


def test_the_course_summary_survives_any_stored_value(db, alice):
    course = _extreme_journal(db, alice)
    for today in (TODAY, date.max, date.min):
        summary = summaries.summarize(db=db, owner_id=alice.id, course_id=course.id, today=today)
        assert summary.position.count == 3


def test_every_export_and_the_doctors_view_answer_200(engine, db, monkeypatch):
    client = signed_in("alice@example.com")
    alice = db.exec(select(User).where(User.email == "alice@example.com")).one()
    course = _extreme_journal(db, alice)
    assert_every_export_answers(client, db, alice, course.id, monkeypatch)


def test_the_timelines_charts_leave_out_values_no_chart_could_draw():
    days = [date.min, date(2026, 11, 1), date.max]
    chart = charts.line_chart(
        [str(d) for d in days],
        [("Weight (kg)", "teal", [1e308, 64.0, float("inf")]), ("Waist (cm)", "plum", [-1e308, float("nan"), 80.0])],
        xs=[d.toordinal() for d in days],
    )
    assert [row[1:] for row in chart.rows] == [["–", "–"], ["64", "–"], ["–", "80"]]
    assert math.isnan(units.convert(1.0, "zz", "kg"))
    assert units.shown(3.0, "zz", length_unit="cm", weight_unit="kg") == "3.0 zz"
