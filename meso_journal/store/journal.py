"""Database access for the journal: courses, sessions with their side-effect
ratings, check-ins and measurements.

Every function is keyword-only and takes the signed-in patient's id. Each
table has one get_<thing>(owner_id, id) gate that looks a row up by id *and*
owner, so another patient's id behaves exactly like a missing one (NotFound).
Inputs arrive already checked (rules.validation); a save that involves
several rows is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, Delete
from sqlmodel import Session, and_, col, delete, func, or_, select

from meso_journal.models import (
    CheckIn,
    Course,
    Measurement,
    Photo,
    SentEntry,
    SideEffectRating,
    TreatmentSession,
    User,
)
from meso_journal.rules import catalog, validation
from meso_journal.rules.validation import CheckInInput, CourseInput, MeasurementInput, VisitInput

PAGE = 50
UNDO_WINDOW = timedelta(hours=1)  # deleted sessions can be restored this long


class NotFound(LookupError):
    """Missing, deleted, or somebody else's: the caller cannot tell which."""


@contextmanager
def _all_or_nothing(db: Session) -> Iterator[None]:
    """Commit what the block added, or roll all of it back."""
    try:
        yield
        db.commit()
    except Exception:
        db.rollback()
        raise


def parse_id(value: object) -> int:
    # Ids come from the browser: anything but a plausible integer is missing.
    # (PostgreSQL's INTEGER ends at 2**31 - 1; bool is an int in Python.)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
        raise NotFound
    return value


def stored_id(row_id: int | None) -> int:
    """The id of a row read from the database, or added and flushed. The models
    say `int | None` only because a row has no id until its INSERT."""
    if row_id is None:
        raise ValueError("this row was never flushed: it has no id yet")
    return row_id


def get_patient(*, db: Session, owner_id: int) -> User:
    """The signed-in patient's own row; missing only if the account was deleted meanwhile."""
    user = find_patient(db=db, owner_id=owner_id)
    if user is None:
        raise NotFound
    return user


def find_patient(*, db: Session, owner_id: int) -> User | None:
    return db.get(User, owner_id)


# --- courses ---------------------------------------------------------------


def get_course(*, db: Session, owner_id: int, course_id: object) -> Course:
    # db.get: asked again within one database session (an event's, a
    # download's), the course comes from the session's identity map, not
    # another query. The owner check is the same either way.
    course = db.get(Course, parse_id(course_id))
    if course is None or course.owner_id != owner_id:
        raise NotFound
    return course


def list_courses(*, db: Session, owner_id: int) -> list[Course]:
    return list(
        db.exec(
            select(Course)
            .where(Course.owner_id == owner_id)
            .order_by(col(Course.start_date).desc(), col(Course.id).desc())
        )
    )


def current_course(*, db: Session, owner_id: int) -> Course | None:
    """The course the patient last picked, else their newest active one."""
    user = db.get(User, owner_id)
    if user and user.current_course_id:
        try:
            return get_course(db=db, owner_id=owner_id, course_id=user.current_course_id)
        except NotFound:
            pass
    courses = list_courses(db=db, owner_id=owner_id)
    active = [c for c in courses if c.status == "active"]
    return (active or courses)[0] if courses else None


def choose_course(*, db: Session, owner_id: int, course_id: object) -> Course:
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    user = get_patient(db=db, owner_id=owner_id)
    user.current_course_id = course.id
    db.add(user)
    db.commit()
    return course


def _apply_course(course: Course, data: CourseInput) -> None:
    course.goal = data.goal
    course.areas = list(data.areas)
    course.clinic = data.clinic
    course.practitioner = data.practitioner
    course.clinic_phone = data.clinic_phone
    course.start_date = data.start_date
    course.planned_sessions = data.planned_sessions
    course.status = data.status


def create_course(*, db: Session, owner_id: int, data: CourseInput) -> Course:
    course = Course(owner_id=owner_id, goal=data.goal, start_date=data.start_date)
    _apply_course(course, data)
    db.add(course)
    db.flush()
    user = get_patient(db=db, owner_id=owner_id)
    user.current_course_id = course.id  # a new course is the one the patient works on
    db.add(user)
    db.commit()
    return course


def update_course(*, db: Session, owner_id: int, course_id: object, data: CourseInput) -> Course:
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    _apply_course(course, data)
    db.add(course)
    db.commit()
    return course


def set_phase(*, db: Session, owner_id: int, course_id: object, phase: object) -> Course:
    """The patient's own phase ("my practitioner spaced my sessions out"); "" to infer it again."""
    chosen = validation.phase(phase)
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    course.phase_override = chosen or None
    db.add(course)
    db.commit()
    return course


def set_course_status(*, db: Session, owner_id: int, course_id: object, status: object) -> Course:
    if status not in catalog.COURSE_STATUSES:
        raise ValueError("unknown status")
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    course.status = status
    db.add(course)
    db.commit()
    return course


def delete_course(*, db: Session, owner_id: int, course_id: object) -> list[str]:
    """The course and, by ON DELETE CASCADE, its sessions, ratings, check-ins,
    measurements and photo rows. Returns the photos' storage keys: the caller
    removes their files."""
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    keys = list(db.exec(select(Photo.storage_key).where(Photo.owner_id == owner_id, Photo.course_id == course.id)))
    db.delete(course)
    db.commit()
    return keys


# --- sessions --------------------------------------------------------------


@dataclass
class VisitRecord:
    visit: TreatmentSession
    ratings: list[SideEffectRating]


def live_visits(owner_id: int, course: Course) -> tuple[ColumnElement[bool], ...]:
    """Where-conditions for the sessions of one patient's course that are not
    deleted (a deleted one waits out its undo window in the table)."""
    return (
        col(TreatmentSession.owner_id) == owner_id,
        col(TreatmentSession.course_id) == course.id,
        col(TreatmentSession.deleted_at).is_(None),
    )


NEWEST_FIRST = (col(TreatmentSession.performed_at).desc(), col(TreatmentSession.id).desc())


def get_visit(*, db: Session, owner_id: int, visit_id: object, deleted: bool = False) -> TreatmentSession:
    visit_id = parse_id(visit_id)
    row = db.exec(
        select(TreatmentSession).where(TreatmentSession.id == visit_id, TreatmentSession.owner_id == owner_id)
    ).first()
    if row is None or (row.deleted_at is not None) != deleted:
        raise NotFound
    return row


def _apply_visit(row: TreatmentSession, data: VisitInput) -> None:
    for name in (
        "performed_at", "areas", "substances", "product_and_dose", "depth_mm", "injections", "method",
        "numbing", "cost_cents", "currency", "pain", "nsaids_avoided", "downtime_hours", "notes",
    ):  # fmt: skip
        value = getattr(data, name)
        setattr(row, name, list(value) if isinstance(value, list) else value)


def _add_ratings(
    db: Session, owner_id: int, visit_id: int, data: VisitInput | CheckInInput, checkin_id: int | None = None
) -> None:
    for r in data.ratings:
        db.add(
            SideEffectRating(
                owner_id=owner_id,
                session_id=visit_id,
                checkin_id=checkin_id,
                effect=r.effect,
                other_name=r.other_name,
                severity=r.severity,
                days_lasted=r.days_lasted,
            )
        )


def create_visit(
    *, db: Session, owner_id: int, course_id: object, data: VisitInput, receipt: SentEntry | None = None
) -> TreatmentSession:
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    row = TreatmentSession(owner_id=owner_id, course_id=stored_id(course.id), performed_at=data.performed_at)
    _apply_visit(row, data)
    db.add(row)
    with _all_or_nothing(db):
        db.flush()
        _add_ratings(db, owner_id, stored_id(row.id), data)
        _sent(db, receipt, row.id)
    return row


def _sent(db: Session, receipt: SentEntry | None, record_id: int | None) -> None:
    """The phone's receipt for the record, committed with it (store/entries.py)."""
    if receipt is not None:
        receipt.record_id = stored_id(record_id)
        db.add(receipt)


def update_visit(*, db: Session, owner_id: int, visit_id: object, data: VisitInput) -> TreatmentSession:
    row = get_visit(db=db, owner_id=owner_id, visit_id=visit_id)
    _apply_visit(row, data)
    db.add(row)
    with _all_or_nothing(db):
        db.exec(
            delete(SideEffectRating).where(
                col(SideEffectRating.session_id) == row.id,
                col(SideEffectRating.owner_id) == owner_id,
                col(SideEffectRating.checkin_id).is_(None),
            )
        )
        _add_ratings(db, owner_id, stored_id(row.id), data)
    return row


def delete_visit(*, db: Session, owner_id: int, visit_id: object, now: datetime) -> TreatmentSession:
    """Hidden at once, restorable for UNDO_WINDOW, then purged: by the next
    delete, or by the maintenance sweep. Reads never purge (a read is not a write)."""
    row = get_visit(db=db, owner_id=owner_id, visit_id=visit_id)
    row.deleted_at = now
    db.add(row)
    db.exec(_expired_deletions(now).where(col(TreatmentSession.owner_id) == owner_id))
    db.commit()
    return row


def recently_deleted_visits(*, db: Session, owner_id: int, course_id: object, now: datetime) -> list[TreatmentSession]:
    """The course's sessions deleted within UNDO_WINDOW, newest deletion first: still restorable."""
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    return list(
        db.exec(
            select(TreatmentSession)
            .where(
                col(TreatmentSession.owner_id) == owner_id,
                col(TreatmentSession.course_id) == course.id,
                col(TreatmentSession.deleted_at) >= now - UNDO_WINDOW,
            )
            .order_by(col(TreatmentSession.deleted_at).desc())
            .limit(10)
        )
    )


def restore_visit(*, db: Session, owner_id: int, visit_id: object, now: datetime) -> TreatmentSession:
    """Only within UNDO_WINDOW of the delete: past it the session waits for the
    purge, and is gone for the patient (found attacking the app)."""
    row = get_visit(db=db, owner_id=owner_id, visit_id=visit_id, deleted=True)
    if row.deleted_at is None or row.deleted_at < now - UNDO_WINDOW:
        raise NotFound
    row.deleted_at = None
    db.add(row)
    db.commit()
    return row


def _expired_deletions(now: datetime) -> Delete:
    return delete(TreatmentSession).where(
        col(TreatmentSession.deleted_at).is_not(None), col(TreatmentSession.deleted_at) < now - UNDO_WINDOW
    )


def purge_deleted(*, db: Session, owner_id: int, now: datetime) -> int:
    """The patient's deleted visits whose undo window has passed, gone for good."""
    result = db.exec(_expired_deletions(now).where(col(TreatmentSession.owner_id) == owner_id))
    db.commit()
    return result.rowcount


def purge_all_deleted(*, db: Session, now: datetime) -> int:
    """Every patient's expired deletions: the maintenance sweep's, not a patient's."""
    result = db.exec(_expired_deletions(now))
    db.commit()
    return result.rowcount


def visit_ratings(*, db: Session, owner_id: int, visit_id: object) -> list[SideEffectRating]:
    row = get_visit(db=db, owner_id=owner_id, visit_id=visit_id)
    return list(
        db.exec(
            select(SideEffectRating)
            .where(
                SideEffectRating.session_id == row.id,
                SideEffectRating.owner_id == owner_id,
                col(SideEffectRating.checkin_id).is_(None),
            )
            .order_by(col(SideEffectRating.id))
        )
    )


def list_visits(
    *, db: Session, owner_id: int, course_id: object, offset: int = 0, limit: int | None = PAGE
) -> list[VisitRecord]:
    """Newest first, one page at a time (limit=None: all, for the course rules),
    with each session's own ratings."""
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    rows = list(
        db.exec(
            select(TreatmentSession)
            .where(*live_visits(owner_id, course))
            .order_by(*NEWEST_FIRST)
            .offset(max(0, offset))
            .limit(None if limit is None else min(limit, PAGE))
        )
    )
    ratings = _visit_ratings(db, owner_id, [stored_id(r.id) for r in rows])
    return [VisitRecord(r, ratings[stored_id(r.id)]) for r in rows]


def visit_days(*, db: Session, owner_id: int, course_id: object, limit: int = PAGE) -> list[tuple[int, datetime]]:
    """(id, performed_at) of the course's latest sessions, newest first: for a
    list to choose a session from, two columns instead of whole records."""
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    return [
        (stored_id(visit_id), performed_at)
        for visit_id, performed_at in db.exec(
            select(col(TreatmentSession.id), col(TreatmentSession.performed_at))
            .where(*live_visits(owner_id, course))
            .order_by(*NEWEST_FIRST)
            .limit(min(limit, PAGE))
        ).all()
    ]


def photo_areas(*, db: Session, owner_id: int, course_id: object) -> list[str]:
    """The areas a photo of this course may show, as the photo forms list
    them: the course's own, then any a session treated besides, then any an
    earlier photo names (an imported one may name an area no longer listed)."""
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    found: list[str] = list(course.areas)
    treated = select(col(TreatmentSession.areas)).where(*live_visits(owner_id, course))
    for areas in db.exec(treated.order_by(col(TreatmentSession.performed_at))):
        found += areas or []
    names = [catalog.label(catalog.AREAS, a) for a in found]
    named = select(Photo.area).where(Photo.owner_id == owner_id, Photo.course_id == course.id).distinct()
    return list(dict.fromkeys([*names, *sorted(db.exec(named))]))


def count_visits(*, db: Session, owner_id: int, course_id: object) -> int:
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    return db.exec(select(func.count()).select_from(TreatmentSession).where(*live_visits(owner_id, course))).one()


def last_visit(*, db: Session, owner_id: int, course_id: object) -> TreatmentSession | None:
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    return db.exec(
        select(TreatmentSession).where(*live_visits(owner_id, course)).order_by(*NEWEST_FIRST).limit(1)
    ).first()


# --- check-ins ---------------------------------------------------------------


@dataclass
class CheckInRecord:
    checkin: CheckIn
    ratings: list[SideEffectRating]


def get_checkin(*, db: Session, owner_id: int, checkin_id: object) -> CheckIn:
    checkin_id = parse_id(checkin_id)
    row = db.exec(select(CheckIn).where(CheckIn.id == checkin_id, CheckIn.owner_id == owner_id)).first()
    if row is None:
        raise NotFound
    return row


def latest_checkin(*, db: Session, owner_id: int, visit_id: object) -> CheckInRecord | None:
    """The session's most recent check-in with its ratings, or None."""
    visit = get_visit(db=db, owner_id=owner_id, visit_id=visit_id)
    row = db.exec(
        select(CheckIn)
        .where(CheckIn.owner_id == owner_id, CheckIn.session_id == visit.id)
        .order_by(col(CheckIn.checked_on).desc(), col(CheckIn.id).desc())
        .limit(1)
    ).first()
    return _with_ratings(db, owner_id, [row])[0] if row else None


def create_checkin(
    *, db: Session, owner_id: int, visit_id: object, data: CheckInInput, receipt: SentEntry | None = None
) -> CheckIn:
    parent = get_visit(db=db, owner_id=owner_id, visit_id=visit_id)
    parent_id = stored_id(parent.id)
    row = CheckIn(owner_id=owner_id, session_id=parent_id, checked_on=data.checked_on, note=data.note)
    db.add(row)
    with _all_or_nothing(db):
        db.flush()
        _add_ratings(db, owner_id, parent_id, data, checkin_id=row.id)
        _sent(db, receipt, row.id)
    return row


def delete_checkin(*, db: Session, owner_id: int, checkin_id: object) -> None:
    db.delete(get_checkin(db=db, owner_id=owner_id, checkin_id=checkin_id))
    db.commit()


def list_checkins(*, db: Session, owner_id: int, course_id: object, limit: int | None = PAGE) -> list[CheckInRecord]:
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    rows = list(
        db.exec(
            select(CheckIn)
            .join(TreatmentSession, col(TreatmentSession.id) == CheckIn.session_id)
            .where(
                CheckIn.owner_id == owner_id,
                *live_visits(owner_id, course),
            )
            .order_by(col(CheckIn.checked_on).desc(), col(CheckIn.id).desc())
            .limit(None if limit is None else min(limit, PAGE))
        )
    )
    return _with_ratings(db, owner_id, rows)


def _with_ratings(db: Session, owner_id: int, rows: list[CheckIn], reported_only: bool = False) -> list[CheckInRecord]:
    """Check-ins with their own side-effect ratings, in one query (reported_only: as in _visit_ratings)."""
    ratings: dict[int, list[SideEffectRating]] = {stored_id(r.id): [] for r in rows}
    if rows:
        for rating in db.exec(
            select(SideEffectRating).where(
                SideEffectRating.owner_id == owner_id,
                col(SideEffectRating.checkin_id).in_(list(ratings)),
                *([SideEffectRating.severity > 0] if reported_only else []),
            )
        ):
            assert rating.checkin_id is not None  # asked for: checkin_id IN (...)
            ratings[rating.checkin_id].append(rating)
    return [CheckInRecord(r, ratings[stored_id(r.id)]) for r in rows]


# --- the timeline: sessions and measurements, one page at a time -------------


@dataclass(frozen=True)
class TimelineCursor:
    """Where a page ended: the key of its last entry. Keys order the whole
    feed, newest first: the moment, then sessions before measurements of the
    same moment, then the newer row first. A cursor (not an offset) keeps
    every entry exactly once even when rows are added or deleted between pages."""

    at: datetime
    rank: int  # 1 a visit, 0 a measurement
    id: int

    def encode(self) -> str:
        return f"{self.at.isoformat()}|{self.rank}|{self.id}"

    @classmethod
    def decode(cls, raw: str) -> TimelineCursor | None:
        """None for anything that is not a cursor this module made (the caller starts over)."""
        try:
            at, rank, row_id = raw.split("|")
            cursor = cls(datetime.fromisoformat(at), int(rank), int(row_id))
        except (ValueError, TypeError):
            return None
        return cursor if cursor.rank in (0, 1) else None


@dataclass
class TimelineEntry:
    """A session with its check-ins and photos, or a measurement."""

    key: TimelineCursor
    visit: VisitRecord | None = None
    checkins: list[CheckInRecord] | None = None
    photos: list[Photo] | None = None
    measurement: Measurement | None = None


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    next: TimelineCursor | None  # None: this was the last page


TIMELINE_PAGE = 30


def _visit_after(c: TimelineCursor) -> ColumnElement[bool]:
    at = col(TreatmentSession.performed_at)
    if c.rank == 1:
        return or_(at < c.at, and_(at == c.at, col(TreatmentSession.id) < c.id))
    return at < c.at  # a measurement at this moment came after every session of it


def _measurement_after(c: TimelineCursor) -> ColumnElement[bool]:
    day = col(Measurement.measured_on)
    if c.rank == 1 or c.at.time() != time.min:
        # The day's measurements sit at its midnight: after any session of that day.
        return day <= c.at.date()
    return or_(day < c.at.date(), and_(day == c.at.date(), col(Measurement.id) < c.id))


def timeline_page(
    *,
    db: Session,
    owner_id: int,
    course_id: object,
    after: TimelineCursor | None = None,
    limit: int = TIMELINE_PAGE,
) -> TimelinePage:
    """The course's sessions (each with all its check-ins and photos) and the
    patient's measurements, merged newest first, `limit` entries from `after`.

    Walking page after page shows every visit, measurement, check-in and
    photo tied to a session exactly once (tests/unit/test_timeline_paging.py).
    """
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    limit = max(1, min(limit, PAGE))
    sessions = select(TreatmentSession).where(*live_visits(owner_id, course))
    measurements = select(Measurement).where(*of_course(owner_id, stored_id(course.id)))
    if after is not None:
        sessions = sessions.where(_visit_after(after))
        measurements = measurements.where(_measurement_after(after))
    session_rows = list(db.exec(sessions.order_by(*NEWEST_FIRST).limit(limit + 1)))
    measurement_rows = list(
        db.exec(measurements.order_by(col(Measurement.measured_on).desc(), col(Measurement.id).desc()).limit(limit + 1))
    )
    keyed: list[tuple[TimelineCursor, TreatmentSession | Measurement]] = [
        (TimelineCursor(r.performed_at, 1, stored_id(r.id)), r) for r in session_rows
    ]
    keyed += [
        (TimelineCursor(datetime.combine(m.measured_on, time.min), 0, stored_id(m.id)), m) for m in measurement_rows
    ]
    merged = sorted(
        keyed,
        key=lambda pair: (pair[0].at, pair[0].rank, pair[0].id),
        reverse=True,
    )
    shown, more = merged[:limit], len(merged) > limit
    page_sessions = [row for _, row in shown if isinstance(row, TreatmentSession)]
    ids = [stored_id(row.id) for row in page_sessions]
    # The feed shows the side effects that were there: "none" ratings stay in the database.
    ratings = _visit_ratings(db, owner_id, ids, reported_only=True)
    checkins = _checkins_of(db, owner_id, ids)
    photos: dict[int, list[Photo]] = {i: [] for i in ids}
    if ids:
        for photo in db.exec(
            select(Photo)
            .where(Photo.owner_id == owner_id, col(Photo.session_id).in_(ids))
            .order_by(col(Photo.taken_at), col(Photo.id))
        ):
            assert photo.session_id is not None  # asked for: session_id IN (...)
            photos[photo.session_id].append(photo)
    entries = [
        # key.id is the session's id (its cursor was made from it above).
        TimelineEntry(key, VisitRecord(row, ratings[key.id]), checkins[key.id], photos[key.id])
        if isinstance(row, TreatmentSession)
        else TimelineEntry(key, measurement=row)
        for key, row in shown
    ]
    return TimelinePage(entries, shown[-1][0] if more else None)


def _visit_ratings(
    db: Session, owner_id: int, visit_ids: list[int], reported_only: bool = False
) -> dict[int, list[SideEffectRating]]:
    """Each session's own ratings; reported_only leaves out the "none" ones
    (most rows: the form rates every side effect it lists)."""
    ratings: dict[int, list[SideEffectRating]] = {i: [] for i in visit_ids}
    if visit_ids:
        for rating in db.exec(
            select(SideEffectRating)
            .where(
                SideEffectRating.owner_id == owner_id,
                col(SideEffectRating.session_id).in_(visit_ids),
                col(SideEffectRating.checkin_id).is_(None),
                *([SideEffectRating.severity > 0] if reported_only else []),
            )
            .order_by(col(SideEffectRating.id))
        ):
            ratings[rating.session_id].append(rating)
    return ratings


def _checkins_of(db: Session, owner_id: int, visit_ids: list[int]) -> dict[int, list[CheckInRecord]]:
    """Every check-in of these sessions, oldest first, with its ratings."""
    out: dict[int, list[CheckInRecord]] = {i: [] for i in visit_ids}
    if not visit_ids:
        return out
    rows = list(
        db.exec(
            select(CheckIn)
            .where(CheckIn.owner_id == owner_id, col(CheckIn.session_id).in_(visit_ids))
            .order_by(col(CheckIn.checked_on), col(CheckIn.id))
        )
    )
    for record in _with_ratings(db, owner_id, rows, reported_only=True):
        out[record.checkin.session_id].append(record)
    return out


# --- measurements ------------------------------------------------------------


def get_measurement(*, db: Session, owner_id: int, measurement_id: object) -> Measurement:
    measurement_id = parse_id(measurement_id)
    row = db.exec(select(Measurement).where(Measurement.id == measurement_id, Measurement.owner_id == owner_id)).first()
    if row is None:
        raise NotFound
    return row


def add_measurement(
    *, db: Session, owner_id: int, course_id: object | None, data: MeasurementInput, receipt: SentEntry | None = None
) -> Measurement:
    course = None if course_id is None else get_course(db=db, owner_id=owner_id, course_id=course_id)
    row = Measurement(
        owner_id=owner_id,
        course_id=course.id if course else None,
        measured_on=data.measured_on,
        kind=data.kind,
        area=data.area,
        value=data.value,
        unit=data.unit,
    )
    db.add(row)
    with _all_or_nothing(db):
        db.flush()
        _sent(db, receipt, row.id)
    return row


def delete_measurement(*, db: Session, owner_id: int, measurement_id: object) -> None:
    db.delete(get_measurement(db=db, owner_id=owner_id, measurement_id=measurement_id))
    db.commit()


def of_course(owner_id: int, course_id: int | None) -> list[ColumnElement[bool]]:
    """The measurements shown with a course: its own, and those tied to no
    course (taken before any); None: all of the patient's. A waist measured
    during a fat course does not belong on the timeline of a face course."""
    where: list[ColumnElement[bool]] = [col(Measurement.owner_id) == owner_id]
    if course_id is not None:
        where.append(or_(col(Measurement.course_id) == course_id, col(Measurement.course_id).is_(None)))
    return where


def list_measurements(*, db: Session, owner_id: int, course_id: int | None, limit: int = PAGE) -> list[Measurement]:
    return list(
        db.exec(
            select(Measurement)
            .where(*of_course(owner_id, course_id))
            .order_by(col(Measurement.measured_on).desc(), col(Measurement.id).desc())
            .limit(min(limit, PAGE))
        )
    )


def set_units(*, db: Session, owner_id: int, length_unit: object, weight_unit: object) -> User:
    length, weight = validation.units(length_unit, weight_unit)
    user = get_patient(db=db, owner_id=owner_id)
    user.length_unit, user.weight_unit = length, weight
    db.add(user)
    db.commit()
    return user


# --- photos --------------------------------------------------------------------


def get_photo(*, db: Session, owner_id: int, photo_id: object) -> Photo:
    photo_id = parse_id(photo_id)
    row = db.exec(select(Photo).where(Photo.id == photo_id, Photo.owner_id == owner_id)).first()
    if row is None:
        raise NotFound
    return row


def add_photo(
    *,
    db: Session,
    owner_id: int,
    course_id: object,
    visit_id: object | None,
    area: str,
    taken_at: datetime,
    storage_key: str,
    width: int,
    height: int,
    upload_key: str | None = None,
) -> Photo:
    """upload_key: the phone's id for the file. Another photo of the patient's
    with the same key raises sqlalchemy's IntegrityError (a retry that raced
    the first try): nothing is added."""
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    parent = None if visit_id is None else get_visit(db=db, owner_id=owner_id, visit_id=visit_id)
    row = Photo(
        owner_id=owner_id,
        course_id=stored_id(course.id),
        session_id=parent.id if parent else None,
        area=area,
        taken_at=taken_at,
        storage_key=storage_key,
        width=width,
        height=height,
        upload_key=upload_key,
    )
    db.add(row)
    with _all_or_nothing(db):
        db.flush()
    return row


def uploaded(*, db: Session, owner_id: int, upload_key: str) -> bool:
    """Whether a photo with this upload key is stored already."""
    found = select(Photo.id).where(Photo.owner_id == owner_id, Photo.upload_key == upload_key)
    return db.exec(found).first() is not None


def photo_count(*, db: Session, owner_id: int) -> int:
    return db.exec(select(func.count()).select_from(Photo).where(col(Photo.owner_id) == owner_id)).one()


def photo_keys(*, db: Session, owner_id: int) -> set[str]:
    """The storage keys of every photo row the patient has (the orphan sweep keeps their files)."""
    return set(db.exec(select(Photo.storage_key).where(Photo.owner_id == owner_id)))


def list_photos(*, db: Session, owner_id: int, course_id: object, limit: int | None = PAGE) -> list[Photo]:
    """Newest first, one page (limit=None: all, for reports and exports)."""
    course = get_course(db=db, owner_id=owner_id, course_id=course_id)
    return list(
        db.exec(
            select(Photo)
            .where(Photo.owner_id == owner_id, Photo.course_id == course.id)
            .order_by(col(Photo.taken_at).desc(), col(Photo.id).desc())
            .limit(None if limit is None else min(limit, PAGE))
        )
    )


def update_photo(
    *, db: Session, owner_id: int, photo_id: object, area: str, taken_at: datetime, visit_id: object | None
) -> Photo:
    """A photo's area, day and visit, corrected after upload. The visit
    must belong to the photo's own course."""
    row = get_photo(db=db, owner_id=owner_id, photo_id=photo_id)
    parent = None if visit_id is None else get_visit(db=db, owner_id=owner_id, visit_id=visit_id)
    if parent is not None and parent.course_id != row.course_id:
        raise NotFound
    row.area, row.taken_at, row.session_id = area, taken_at, parent.id if parent else None
    db.add(row)
    db.commit()
    return row


def delete_photo(*, db: Session, owner_id: int, photo_id: object) -> str:
    """Deletes the row and returns its storage key: the caller removes the files."""
    row = get_photo(db=db, owner_id=owner_id, photo_id=photo_id)
    key = row.storage_key
    db.delete(row)
    db.commit()
    return key
