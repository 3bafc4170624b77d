"""A course seen through the rules: position, red flags, costs and chart
points, from the records of one patient's course. The glue between the
store (rows) and the pure rules (dataclasses); no Reflex here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from meso_journal.models import Course
from meso_journal.rules import catalog, costs, red_flags, schedule
from meso_journal.store import journal


@dataclass(frozen=True)
class ChartPoint:
    label: str
    worst: int  # 0 none … 3 severe
    pain: int | None


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    position: schedule.Position
    flags: list[red_flags.Flag]
    costs: costs.Costs
    chart: list[ChartPoint]


def _rating(r) -> red_flags.Rating:
    name = r.other_name or catalog.label(catalog.SIDE_EFFECTS, r.effect)
    return red_flags.Rating(r.effect, name, r.severity, r.days_lasted)


def summarize(*, db: Session, owner_id: int, course_id: int, today: date) -> CourseSummary:
    course = journal.get_course(db=db, owner_id=owner_id, course_id=course_id)
    sessions = journal.list_visits(db=db, owner_id=owner_id, course_id=course.id, limit=None)
    checkins: dict[int, list[red_flags.CheckInRatings]] = {}
    for c in journal.list_checkins(db=db, owner_id=owner_id, course_id=course.id, limit=None):
        checkins.setdefault(c.checkin.session_id, []).append(
            red_flags.CheckInRatings(c.checkin.checked_on, [_rating(r) for r in c.ratings])
        )
    days = [s.visit.performed_at.date() for s in sessions]
    oldest_first = list(reversed(sessions))
    return CourseSummary(
        course=course,
        position=schedule.position(
            session_days=days,
            status=course.status,
            planned=course.planned_sessions,
            phase_override=course.phase_override,
            goal=course.goal,
            today=today,
        ),
        flags=red_flags.red_flags(
            [
                red_flags.SessionEffects(
                    s.visit.performed_at.date(), [_rating(r) for r in s.ratings], checkins.get(s.visit.id, [])
                )
                for s in oldest_first
            ]
        ),
        costs=costs.costs([(s.visit.cost_cents, s.visit.currency) for s in sessions]),
        chart=[
            ChartPoint(
                f"{s.visit.performed_at.day} {s.visit.performed_at:%b}",
                max((catalog.severity_level(r.severity) for r in s.ratings), default=0),
                s.visit.pain,
            )
            for s in oldest_first
        ],
    )
