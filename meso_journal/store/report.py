"""What a patient shares, gathered once: the doctor's view, the PDF, the CSV
and the FHIR bundle are all made from one Report. The glue between the store
(rows, always filtered by the owner) and the rules; no Reflex here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from meso_journal.models import Course, Measurement, Photo, SideEffectRating, TreatmentSession, User
from meso_journal.rules import catalog, describe, red_flags, sharing, units
from meso_journal.store import journal, summaries


@dataclass(frozen=True)
class VisitRecord:
    number: int  # 1 for the first session of the course
    visit: TreatmentSession
    ratings: list[SideEffectRating]
    checkins: list[journal.CheckInRecord]  # oldest first
    photos: list[Photo]


@dataclass(frozen=True)
class PhotoPair:
    area: str
    first: Photo
    latest: Photo


@dataclass(frozen=True)
class CourseReport:
    course: Course
    label: str
    summary: summaries.CourseSummary
    sessions: list[VisitRecord]  # oldest first, numbered
    since_previous: list[str]  # new or worse side effects after the latest session
    latest_flags: list[red_flags.Flag]  # red flags of the latest session
    photos: list[Photo] = field(default_factory=list)  # newest first; empty when photos are not shared
    photo_pairs: list[PhotoPair] = field(default_factory=list)  # first and latest per area


@dataclass(frozen=True)
class Report:
    owner_id: int
    patient: str
    made_at: datetime
    courses: list[CourseReport]
    measurements: list[Measurement]  # oldest first
    include_photos: bool
    # The patient's own units: the doctor's view and the PDF show every
    # measurement in them, as the patient's pages do (the CSV and FHIR keep
    # each value as it was entered, with its unit).
    length_unit: str = "cm"
    weight_unit: str = "kg"

    def shown(self, m: Measurement) -> str:
        return units.shown(m.value, m.unit, length_unit=self.length_unit, weight_unit=self.weight_unit)

    @property
    def session_count(self) -> int:
        return sum(len(c.sessions) for c in self.courses)


def _worst_by_effect(ratings: list[SideEffectRating]) -> list[sharing.Effect]:
    worst: dict[str, sharing.Effect] = {}
    for r in ratings:
        name = describe.effect_label(r.effect, r.other_name)
        if r.severity and (name not in worst or r.severity > worst[name].severity):
            worst[name] = sharing.Effect(r.effect, name, r.severity)
    return list(worst.values())


def _all_ratings(s: VisitRecord) -> list[SideEffectRating]:
    return [*s.ratings, *(r for c in s.checkins for r in c.ratings)]


def _pairs(photos: list[Photo]) -> list[PhotoPair]:
    by_area: dict[str, list[Photo]] = {}
    for p in sorted(photos, key=lambda p: (p.taken_at, p.id)):
        by_area.setdefault(p.area, []).append(p)
    return [PhotoPair(area, ps[0], ps[-1]) for area, ps in sorted(by_area.items())]


def _course_report(db: Session, owner_id: int, course: Course, today: date, with_photos: bool) -> CourseReport:
    summary = summaries.summarize(db=db, owner_id=owner_id, course_id=course.id, today=today)
    rows = list(reversed(journal.list_visits(db=db, owner_id=owner_id, course_id=course.id, limit=None)))
    checkins: dict[int, list[journal.CheckInRecord]] = {}
    for c in reversed(journal.list_checkins(db=db, owner_id=owner_id, course_id=course.id, limit=None)):
        checkins.setdefault(c.checkin.session_id, []).append(c)
    photos = journal.list_photos(db=db, owner_id=owner_id, course_id=course.id, limit=None) if with_photos else []
    by_session: dict[int, list[Photo]] = {}
    for p in photos:
        if p.session_id is not None:
            by_session.setdefault(p.session_id, []).append(p)
    sessions = [
        VisitRecord(
            n,
            r.visit,
            r.ratings,
            checkins.get(journal.stored_id(r.visit.id), []),
            by_session.get(journal.stored_id(r.visit.id), []),
        )
        for n, r in enumerate(rows, start=1)
    ]
    since: list[str] = []
    latest_flags: list[red_flags.Flag] = []
    if sessions:
        latest = sessions[-1]
        previous = _worst_by_effect(_all_ratings(sessions[-2])) if len(sessions) > 1 else []
        since = sharing.since_previous(previous, _worst_by_effect(_all_ratings(latest)))
        latest_day = latest.visit.performed_at.date()
        latest_flags = [f for f in summary.flags if f.visit_day == latest_day]
    return CourseReport(
        course=course,
        label=catalog.course_label(course.goal, course.areas),
        summary=summary,
        sessions=sessions,
        since_previous=since,
        latest_flags=latest_flags,
        photos=photos,
        photo_pairs=_pairs(photos),
    )


def build(
    *, db: Session, owner_id: int, course_id: int | None, include_photos: bool, today: date, now: datetime
) -> Report:
    """One course (course_id) or every course (None) of one patient.
    Raises journal.NotFound for a course that is not the patient's."""
    if course_id is None:
        courses = sorted(journal.list_courses(db=db, owner_id=owner_id), key=lambda c: (c.start_date, c.id))
    else:
        courses = [journal.get_course(db=db, owner_id=owner_id, course_id=course_id)]
    course_ids = [c.id for c in courses]
    measured = select(Measurement).where(*journal.of_course(owner_id, None if course_id is None else course_ids[0]))
    user = db.get(User, owner_id)
    return Report(
        owner_id=owner_id,
        patient=user.display_name if user else "",
        made_at=now,
        courses=[_course_report(db, owner_id, c, today, include_photos) for c in courses],
        measurements=list(db.exec(measured.order_by(col(Measurement.measured_on), col(Measurement.id)))),
        include_photos=include_photos,
        length_unit=user.length_unit if user else "cm",
        weight_unit=user.weight_unit if user else "kg",
    )
