"""The course summary (position, red flags, costs, chart) read from plain
columns gives what the rules give from the full records, and asks the
database the same number of times for a course of 3 sessions as of 60."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from meso_journal.rules import catalog, costs, red_flags, schedule, validation
from meso_journal.store import journal, summaries
from tests.factories import TODAY, make_course, make_visit, utc

START = date(2025, 8, 1)


def _checkin(db, owner, visit, day: date, **effects):
    return journal.create_checkin(
        db=db,
        owner_id=owner.id,
        visit_id=visit.id,
        data=validation.checkin_input(
            {"checked_on": day.isoformat(), **effects}, visit_day=visit.performed_at.date(), today=TODAY
        ),
    )


def _course(db, owner, sessions: int):
    course = make_course(db, owner, start_date=START.isoformat())
    for i in range(sessions):
        day = START + timedelta(days=7 * i)
        effects = [
            {"effect:swelling": "severe"},
            {"effect:bruising": "mild", "days:bruising": "9"},
            {"effect:other": "moderate", "other_effect_name": "Itching"},
            {"effect:bruising": "none"},
        ][i % 4]
        visit = make_visit(
            db, owner, course, performed_at=f"{day}T09:{i % 60:02d}", cost=str(100 + i) if i % 3 else "",
            pain=str(i % 11), **effects,
        )  # fmt: skip
        if i % 2 == 0:
            _checkin(db, owner, visit, day + timedelta(days=9), **{"effect:redness": "moderate"})
            # A later clear check-in: the redness did not linger.
            _checkin(db, owner, visit, day + timedelta(days=12))
        elif i % 5 == 1:
            _checkin(db, owner, visit, day + timedelta(days=11), **{"effect:redness": "mild"})  # it lingers
    return course


def _from_records(db, owner, course):
    """What the summary said when it walked every record as objects (before issue 16)."""

    def rating(r):
        return red_flags.Rating(
            r.effect, r.other_name or catalog.label(catalog.SIDE_EFFECTS, r.effect), r.severity, r.days_lasted
        )

    visits = journal.list_visits(db=db, owner_id=owner.id, course_id=course.id, limit=None)
    checkins: dict[int, list] = {}
    for c in journal.list_checkins(db=db, owner_id=owner.id, course_id=course.id, limit=None):
        checkins.setdefault(c.checkin.session_id, []).append(
            red_flags.CheckInRatings(c.checkin.checked_on, [rating(r) for r in c.ratings])
        )
    oldest = list(reversed(visits))
    position = schedule.position(
        visit_days=[v.visit.performed_at.date() for v in visits],
        status=course.status,
        planned=course.planned_sessions,
        phase_override=course.phase_override,
        goal=course.goal,
        today=TODAY,
    )
    flags = red_flags.red_flags(
        [
            red_flags.VisitEffects(
                v.visit.performed_at.date(), [rating(r) for r in v.ratings], checkins.get(v.visit.id, [])
            )
            for v in oldest
        ]
    )
    chart = [
        (
            f"{v.visit.performed_at.day} {v.visit.performed_at:%b}",
            max((catalog.severity_level(r.severity) for r in v.ratings), default=0),
            v.visit.pain,
        )
        for v in oldest
    ]
    return position, flags, costs.costs([(v.visit.cost_cents, v.visit.currency) for v in visits]), chart


def test_the_summary_says_what_the_rules_say_of_the_full_records(db, alice, bob):
    course = _course(db, alice, 13)
    _course(db, bob, 5)  # another patient's course changes nothing of alice's
    gone = make_visit(db, alice, course, performed_at="2026-09-20T08:00", **{"effect:swelling": "severe"})
    journal.delete_visit(db=db, owner_id=alice.id, visit_id=gone.id, now=utc(2026, 11, 1))
    summary = summaries.summarize(db=db, owner_id=alice.id, course_id=course.id, today=TODAY)
    position, flags, spent, chart = _from_records(db, alice, course)
    assert summary.position == position
    assert summary.flags == flags
    assert any("still there" in f.reason for f in flags)  # the lingering case is exercised
    assert not any("still there 9 days" in f.reason for f in flags)  # a clear later check-in ends it
    assert summary.costs == spent
    assert [(p.label, p.worst, p.pain) for p in summary.chart] == chart
    assert len(summary.chart) == 13


def test_the_summary_asks_as_often_for_60_sessions_as_for_3(engine, db, alice, bob):
    short, long = _course(db, alice, 3), _course(db, bob, 60)
    counts = []

    def count(*args) -> None:
        counts[-1] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for owner, course in ((alice, short), (bob, long)):
            counts.append(0)
            summaries.summarize(db=db, owner_id=owner.id, course_id=course.id, today=TODAY)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert counts[0] == counts[1] <= 4
