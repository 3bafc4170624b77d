"""Everything a patient has, as one zip, and back.

The zip holds `meso-journal.json` (the records, schema below), `photos/N.jpg`
(each photo's display copy, metadata-free) and a README. Version 1 of the
schema, every id local to the file:

    {"format": "meso-journal-archive", "version": 1, "exported_at": ISO time,
     "account": {"email", "display_name", "length_unit", "weight_unit"},
     "courses": [{"id", "goal", "areas", "clinic", "practitioner", "clinic_phone",
                  "start_date", "planned_sessions", "status", "phase_override",
                  "sessions": [{"id", "performed_at" (local, no zone), "areas", "substances",
                                "product_and_dose", "depth_mm", "injections", "method", "numbing",
                                "cost_cents", "currency", "pain", "nsaids_avoided",
                                "downtime_hours", "notes",
                                "ratings": [{"effect", "other_name", "severity", "days_lasted"}],
                                "checkins": [{"checked_on", "note", "ratings": [...]}]}],
                  "photos": [{"file", "area", "taken_at", "session_id", "width", "height"}]}],
     "measurements": [{"course_id", "measured_on", "kind", "area", "value", "unit"}]}

Importing trusts nothing in the file: every field is checked against the
same limits as the forms, every photo goes through the photo pipeline again,
and it all lands in one transaction (or not at all), into an empty account.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, BinaryIO, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, select

from meso_journal import photos, settings
from meso_journal.models import CheckIn, Course, Measurement, Photo, SideEffectRating, TreatmentSession, User
from meso_journal.report import Report
from meso_journal.rules import catalog, schedule, validation

FORMAT = "meso-journal-archive"
VERSION = 1
RECORDS = "meso-journal.json"
MAX_RECORDS_BYTES = 50 * 1024 * 1024
PHOTO_FILE = re.compile(r"^photos/[0-9]{1,6}\.jpg$")

README = f"""Meso Journal: everything you recorded, as of the date in {RECORDS}.

{RECORDS} holds your courses, sessions, side effects, check-ins and
measurements (format "{FORMAT}", version {VERSION}); photos/ holds your
progress photos. You can import this file into a new Meso Journal account
from the Share tab, or open the JSON in any text editor.
"""

MESSAGES = {
    "not_zip": "That file is not a Meso Journal archive (a .zip made by “Download everything”).",
    "version": "That archive comes from a newer version of Meso Journal, or from another app.",
    "invalid": "The archive is damaged or was changed by hand, so nothing was imported.",
    "photo": "A photo in the archive could not be read, so nothing was imported.",
    "not_empty": "Import only works into an account with no courses yet, so nothing was merged or overwritten.",
    "too_large": "That archive is too large to import here.",
}


class ImportRefused(ValueError):
    def __init__(self, code: str):
        super().__init__(MESSAGES[code])
        self.code = code


# --- the schema ----------------------------------------------------------------------


# A session's own fields, as the archive writes them (besides id and time).
# fmt: off
SESSION_FIELDS = (
    "areas", "substances", "product_and_dose", "depth_mm", "injections", "method",
    "numbing", "cost_cents", "currency", "pain", "nsaids_avoided", "downtime_hours", "notes",
)
# fmt: on


def _line(value: str) -> str:
    # The same cleaning as the forms: no control characters, NFC.
    return validation.clean_text(value, limit=5000)


def _lines(value: str) -> str:
    return validation.clean_text(value, limit=5000, multiline=True)


def Line(limit: int, minimum: int = 0):  # noqa: N802  (a type)
    return Annotated[str, AfterValidator(_line), Field(min_length=minimum, max_length=limit)]


def Lines(limit: int):  # noqa: N802  (a type)
    return Annotated[str, AfterValidator(_lines), Field(max_length=limit)]


Text = Line(200)
Keys = Annotated[list[Line(60, 1)], Field(max_length=30)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class RatingV1(_Strict):
    effect: Line(40)
    other_name: Line(100) = ""
    severity: Annotated[int, Field(ge=0, le=3)]
    days_lasted: Annotated[int, Field(ge=0, le=365)] | None = None

    @field_validator("effect")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in catalog.SIDE_EFFECTS and v != catalog.OTHER_EFFECT:
            raise ValueError("unknown side effect")
        return v


class CheckInV1(_Strict):
    checked_on: date
    note: Lines(2000) = ""
    ratings: Annotated[list[RatingV1], Field(max_length=50)] = []


class SessionV1(_Strict):
    id: int
    performed_at: datetime
    areas: Keys = []
    substances: Keys = []
    product_and_dose: Lines(500) = ""
    depth_mm: Annotated[float, Field(ge=1, le=4)] | None = None
    injections: Annotated[int, Field(ge=1, le=10_000)] | None = None
    method: Literal["hand", "gun", "unknown"] = "unknown"
    numbing: bool | None = None
    cost_cents: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    currency: Literal[tuple(catalog.CURRENCIES)] = "USD"
    pain: Annotated[int, Field(ge=0, le=10)] | None = None
    nsaids_avoided: Literal["yes", "no", "unsure"] = "unsure"
    downtime_hours: Annotated[int, Field(ge=0, le=24 * 365)] | None = None
    notes: Lines(5000) = ""
    ratings: Annotated[list[RatingV1], Field(max_length=50)] = []
    checkins: Annotated[list[CheckInV1], Field(max_length=100)] = []

    @field_validator("performed_at")
    @classmethod
    def _wall_clock(cls, v: datetime) -> datetime:
        if v.tzinfo is not None:
            raise ValueError("a session's time is local, with no zone")
        return v


class PhotoV1(_Strict):
    file: Annotated[str, Field(pattern=PHOTO_FILE.pattern)]
    area: Line(60, 1)
    taken_at: datetime
    session_id: int | None = None
    width: Annotated[int, Field(ge=1, le=100_000)]
    height: Annotated[int, Field(ge=1, le=100_000)]


class CourseV1(_Strict):
    id: int
    goal: Line(40)
    areas: Keys = []
    clinic: Text = ""
    practitioner: Text = ""
    clinic_phone: Line(40) = ""
    start_date: date
    planned_sessions: Annotated[int, Field(ge=1, le=100)] | None = None
    status: Literal["active", "paused", "finished", "stopped"] = "active"
    phase_override: Literal[tuple(schedule.PHASES)] | None = None
    sessions: Annotated[list[SessionV1], Field(max_length=1000)] = []
    photos: Annotated[list[PhotoV1], Field(max_length=5000)] = []

    @field_validator("goal")
    @classmethod
    def _goal(cls, v: str) -> str:
        if v not in catalog.GOALS:
            raise ValueError("unknown goal")
        return v


class MeasurementV1(_Strict):
    course_id: int | None = None
    measured_on: date
    kind: Literal["circumference", "weight"]
    area: Line(60) = ""
    value: Annotated[float, Field(gt=0, lt=10_000)]
    unit: Literal["cm", "in", "kg", "lb"]


class AccountV1(_Strict):
    email: Line(254) = ""
    display_name: Line(100) = ""
    length_unit: Literal["cm", "in"] = "cm"
    weight_unit: Literal["kg", "lb"] = "kg"


class ArchiveV1(_Strict):
    format: Literal["meso-journal-archive"]
    version: Literal[1]
    exported_at: datetime
    account: AccountV1
    courses: Annotated[list[CourseV1], Field(max_length=200)]
    measurements: Annotated[list[MeasurementV1], Field(max_length=20_000)] = []


# --- export -----------------------------------------------------------------------


def _ratings(rows) -> list[dict]:
    return [
        {"effect": r.effect, "other_name": r.other_name, "severity": r.severity, "days_lasted": r.days_lasted}
        for r in rows
    ]


def records_json(report: Report, user: User) -> tuple[dict, list[tuple[str, Photo]]]:
    """The records as the schema above, and which photo goes to which file name."""
    files: list[tuple[str, Photo]] = []
    courses = []
    for c in report.courses:
        sessions = []
        for s in c.sessions:
            t = s.session
            sessions.append(
                {
                    "id": t.id,
                    "performed_at": t.performed_at.isoformat(),
                    **{k: getattr(t, k) for k in SESSION_FIELDS},
                    "ratings": _ratings(s.ratings),
                    "checkins": [
                        {
                            "checked_on": ci.checkin.checked_on.isoformat(),
                            "note": ci.checkin.note,
                            "ratings": _ratings(ci.ratings),
                        }
                        for ci in s.checkins
                    ],
                }
            )
        shown = []
        session_ids = {s.session.id for s in c.sessions}
        for p in sorted(c.photos, key=lambda p: (p.taken_at, p.id)):
            name = f"photos/{len(files) + 1}.jpg"
            files.append((name, p))
            shown.append(
                {
                    "file": name,
                    "area": p.area,
                    "taken_at": p.taken_at.isoformat(),
                    "session_id": p.session_id if p.session_id in session_ids else None,
                    "width": p.width,
                    "height": p.height,
                }
            )
        course = c.course
        courses.append(
            {
                "id": course.id,
                "goal": course.goal,
                "areas": course.areas,
                "clinic": course.clinic,
                "practitioner": course.practitioner,
                "clinic_phone": course.clinic_phone,
                "start_date": course.start_date.isoformat(),
                "planned_sessions": course.planned_sessions,
                "status": course.status,
                "phase_override": course.phase_override,
                "sessions": sessions,
                "photos": shown,
            }
        )
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": report.made_at.isoformat(timespec="seconds"),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "length_unit": user.length_unit,
            "weight_unit": user.weight_unit,
        },
        "courses": courses,
        "measurements": [
            {
                "course_id": m.course_id,
                "measured_on": m.measured_on.isoformat(),
                "kind": m.kind,
                "area": m.area,
                "value": m.value,
                "unit": m.unit,
            }
            for m in report.measurements
        ],
    }
    return data, files


def write_zip(out: BinaryIO, report: Report, user: User, *, photo_bytes: Callable[[Photo], bytes | None]) -> None:
    """Writes the archive to a file, one photo at a time (a journal with
    hundreds of photos never sits in memory whole). report must be of every
    course, photos included."""
    data, files = records_json(report, user)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.txt", README)
        z.writestr(RECORDS, json.dumps(data, ensure_ascii=False, indent=1))
        for name, photo in files:
            content = photo_bytes(photo)
            if content is not None:
                z.writestr(name, content, compress_type=zipfile.ZIP_STORED)  # JPEG is compressed already


def build_zip(report: Report, user: User, *, photo_bytes: Callable[[Photo], bytes | None]) -> bytes:
    out = io.BytesIO()
    write_zip(out, report, user, photo_bytes=photo_bytes)
    return out.getvalue()


# --- import -----------------------------------------------------------------------


def read_archive(raw: bytes | BinaryIO) -> tuple[ArchiveV1, zipfile.ZipFile]:
    """Parses and checks the archive (bytes, or a file: photos are then read
    one at a time); raises ImportRefused."""
    try:
        z = zipfile.ZipFile(io.BytesIO(raw) if isinstance(raw, bytes) else raw)
        info = z.getinfo(RECORDS)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused("not_zip") from None
    if info.file_size > MAX_RECORDS_BYTES:
        raise ImportRefused("too_large")
    total = sum(i.file_size for i in z.infolist())
    if total > settings.MAX_IMPORT_BYTES * 2:  # a "zip bomb": far more inside than was sent
        raise ImportRefused("too_large")
    try:
        parsed = json.loads(z.read(info)[: MAX_RECORDS_BYTES + 1])
    except (ValueError, zipfile.BadZipFile, OSError, RuntimeError):
        raise ImportRefused("invalid") from None
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        raise ImportRefused("not_zip")
    if parsed.get("version") != VERSION:
        raise ImportRefused("version")
    try:
        archive = ArchiveV1.model_validate(parsed)
    except ValidationError:
        raise ImportRefused("invalid") from None
    # References inside the file must point at things in the file.
    course_ids = {c.id for c in archive.courses}
    if len(course_ids) != len(archive.courses):
        raise ImportRefused("invalid")
    for c in archive.courses:
        session_ids = {s.id for s in c.sessions}
        if len(session_ids) != len(c.sessions):
            raise ImportRefused("invalid")
        if any(p.session_id is not None and p.session_id not in session_ids for p in c.photos):
            raise ImportRefused("invalid")
    if any(m.course_id is not None and m.course_id not in course_ids for m in archive.measurements):
        raise ImportRefused("invalid")
    return archive, z


def _rating_rows(owner_id: int, session_id: int, ratings: list[RatingV1], checkin_id: int | None = None):
    return [
        SideEffectRating(owner_id=owner_id, session_id=session_id, checkin_id=checkin_id, **r.model_dump())
        for r in ratings
    ]


def import_archive(*, session: Session, owner_id: int, raw: bytes | BinaryIO) -> int:
    """Restores an archive into an empty account; returns the number of sessions.
    All or nothing: on any failure no row stays and no photo file either."""
    archive, z = read_archive(raw)
    if session.exec(select(Course.id).where(Course.owner_id == owner_id)).first() is not None:
        raise ImportRefused("not_empty")
    saved: list[str] = []
    try:
        user = session.get(User, owner_id)
        user.display_name = archive.account.display_name
        user.length_unit, user.weight_unit = archive.account.length_unit, archive.account.weight_unit
        session.add(user)
        course_map: dict[int, int] = {}
        count = 0
        for c in archive.courses:
            course = Course(owner_id=owner_id, **c.model_dump(exclude={"id", "sessions", "photos"}))
            session.add(course)
            session.flush()
            course_map[c.id] = course.id
            session_map: dict[int, int] = {}
            for s in c.sessions:
                row = TreatmentSession(
                    owner_id=owner_id, course_id=course.id, **s.model_dump(exclude={"id", "ratings", "checkins"})
                )
                session.add(row)
                session.flush()
                session_map[s.id] = row.id
                count += 1
                session.add_all(_rating_rows(owner_id, row.id, s.ratings))
                for ci in s.checkins:
                    checkin = CheckIn(owner_id=owner_id, session_id=row.id, checked_on=ci.checked_on, note=ci.note)
                    session.add(checkin)
                    session.flush()
                    session.add_all(_rating_rows(owner_id, row.id, ci.ratings, checkin.id))
            for p in c.photos:
                try:
                    processed = photos.process(z.read(p.file))
                except (KeyError, photos.PhotoRejected, zipfile.BadZipFile, OSError, RuntimeError):
                    raise ImportRefused("photo") from None
                key = photos.save(owner_id, processed)
                saved.append(key)
                session.add(
                    Photo(
                        owner_id=owner_id,
                        course_id=course.id,
                        session_id=session_map.get(p.session_id) if p.session_id is not None else None,
                        area=p.area,
                        taken_at=p.taken_at.replace(tzinfo=None),
                        storage_key=key,
                        width=processed.width,
                        height=processed.height,
                    )
                )
        for m in archive.measurements:
            data = m.model_dump(exclude={"course_id"})
            session.add(Measurement(owner_id=owner_id, course_id=course_map.get(m.course_id), **data))
        session.commit()
        return count
    except BaseException:
        session.rollback()
        for key in saved:
            photos.remove(owner_id, key)
        raise
