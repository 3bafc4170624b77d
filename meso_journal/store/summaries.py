"""A course seen through the rules: position, red flags, costs and chart
points, from the records of one patient's course. The glue between the
store (rows) and the pure rules (dataclasses); no Reflex here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlmodel import Session, col, select

from meso_journal.models import CheckIn, Course, SideEffectRating, TreatmentSession
from meso_journal.rules import catalog, costs, describe, red_flags, schedule
from meso_journal.store import journal


@dataclass(frozen=True)
class ChartPoint:
    label: str
    worst: int  # 0 none … 3 severe
    pain: int | None
    day: date | None = None  # where the point sits on a time axis


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    position: schedule.Position
    flags: list[red_flags.Flag]
    costs: costs.Costs
    chart: list[ChartPoint]


class _Visit(NamedTuple):
    """The columns of a session that the rules read."""

    id: int
    performed_at: datetime
    pain: int | None
    cost_cents: int | None
    currency: str


def _rating(effect: str, other_name: str, severity: int, days_lasted: int | None) -> red_flags.Rating:
    return red_flags.Rating(effect, describe.effect_label(effect, other_name), severity, days_lasted)


def summarize(*, db: Session, owner_id: int, course_id: object, today: date) -> CourseSummary:
    """Three queries of plain columns, whatever the course's length: the rules
    need every session's day, cost, pain and ratings, but not the rows as
    objects (building those for a long course was most of the timeline's cost)."""
    course = journal.get_course(db=db, owner_id=owner_id, course_id=course_id)
    in_course = journal.live_visits(owner_id, course)
    # sqlmodel's select() is typed for up to four columns: the rows of the
    # longer selects below are typed by hand.
    visit_rows: Sequence[tuple[int, datetime, int | None, int | None, str]] = db.exec(
        select(  # type: ignore[call-overload]  # five columns: see above
            TreatmentSession.id,
            TreatmentSession.performed_at,
            TreatmentSession.pain,
            TreatmentSession.cost_cents,
            TreatmentSession.currency,
        )
        .where(*in_course)
        .order_by(*journal.NEWEST_FIRST)
    ).all()
    sessions = [_Visit(*row) for row in visit_rows]
    checkins = db.exec(
        select(col(CheckIn.id), col(CheckIn.session_id), col(CheckIn.checked_on))
        .join(TreatmentSession, col(TreatmentSession.id) == CheckIn.session_id)
        .where(CheckIn.owner_id == owner_id, *in_course)
    ).all()
    own: dict[int, list[red_flags.Rating]] = {}  # session id -> ratings given with the session
    later: dict[int, dict[int, list[red_flags.Rating]]] = {}  # session id -> check-in id -> ratings
    rating_rows: Iterable[tuple[int, int | None, str, str, int, int | None]] = db.exec(
        select(  # type: ignore[call-overload]  # six columns: see above
            SideEffectRating.session_id,
            SideEffectRating.checkin_id,
            SideEffectRating.effect,
            SideEffectRating.other_name,
            SideEffectRating.severity,
            SideEffectRating.days_lasted,
        )
        .join(TreatmentSession, TreatmentSession.id == SideEffectRating.session_id)
        # "None" ratings (most rows: one per side effect the form lists) change
        # no rule: no flag, and the chart's worst is 0 without them.
        .where(SideEffectRating.owner_id == owner_id, SideEffectRating.severity > 0, *in_course)
        .order_by(SideEffectRating.id)
    )
    for visit_id, checkin_id, effect, other_name, severity, days_lasted in rating_rows:
        rating = _rating(effect, other_name, severity, days_lasted)
        if checkin_id is None:
            own.setdefault(visit_id, []).append(rating)
        else:
            later.setdefault(visit_id, {}).setdefault(checkin_id, []).append(rating)
    # Every check-in counts, a clear one (nothing rated) too: the latest says whether an effect lingers.
    checkins_of: dict[int, list[red_flags.CheckInRatings]] = {}
    for checkin_id, visit_id, checked_on in checkins:
        ratings = later.get(visit_id, {}).get(journal.stored_id(checkin_id), [])
        checkins_of.setdefault(visit_id, []).append(red_flags.CheckInRatings(checked_on, ratings))
    oldest_first = list(reversed(sessions))
    return CourseSummary(
        course=course,
        position=schedule.position(
            visit_days=[s.performed_at.date() for s in sessions],
            status=course.status,
            planned=course.planned_sessions,
            phase_override=course.phase_override,
            goal=course.goal,
            today=today,
        ),
        flags=red_flags.red_flags(
            [
                red_flags.VisitEffects(s.performed_at.date(), own.get(s.id, []), checkins_of.get(s.id, []))
                for s in oldest_first
            ]
        ),
        costs=costs.costs([(s.cost_cents, s.currency) for s in sessions]),
        chart=[
            ChartPoint(
                f"{s.performed_at.day} {s.performed_at:%b}",
                max((catalog.severity_level(r.severity) for r in own.get(s.id, [])), default=0),
                s.pain,
                s.performed_at.date(),
            )
            for s in oldest_first
        ],
    )
