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

Importing trusts nothing in the file. The schema below checks only its
shape; every value then goes through the forms' own rules
(rules.validation), as if the patient had typed it, and a value the forms
would refuse refuses the whole import, naming the field. Entries are read in
chunks with caps on what they really unpack to. Storing (photos first,
outside any transaction, then the rows through the store functions the forms
use) is store/restore.py's.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, BinaryIO
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from meso_journal import photos, settings
from meso_journal.models import Photo, User
from meso_journal.rules import catalog, validation
from meso_journal.store.report import Report

FORMAT = "meso-journal-archive"
VERSION = 1
RECORDS = "meso-journal.json"
PHOTO_FILE = re.compile(r"^photos/[0-9]{1,6}\.jpg$")
# A journal of a few hundred sessions is well under 1 MB of JSON; parsed, a
# file at this cap takes several times its size in memory.
MAX_RECORDS_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = photos.MAX_PER_JOURNAL
MAX_ENTRIES = MAX_PHOTOS + 10  # the zip's directory is read whole: cap it before opening
# How far an entry may unpack past its compressed size. JSON packs 5–20:1 and
# JPEG 1:1; deflate reaches about 1,000:1 on zeros (a "zip bomb"). Small
# entries are let off: they cannot amplify much.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024
CHUNK = 256 * 1024

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
    "field": "Nothing was imported: the archive holds a value the app's forms would not accept.",
    "photo": "A photo in the archive could not be read, so nothing was imported.",
    "not_empty": "Import only works into an account with no courses yet, so nothing was merged or overwritten.",
    "too_large": "That archive is too large to import here, so nothing was imported.",
    "busy": "An import into this account is already running. Wait for it to finish.",
}


class ImportRefused(ValueError):
    """code is one of MESSAGES; detail names the record and field at fault."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{MESSAGES[code]} {detail}".strip())
        self.code, self.detail = code, detail


# What the share page shows comes back through a redirect. The detail (which
# record, which field, the form's own words) is signed, so a link made
# elsewhere cannot put its own text on the page.
def _signature(detail: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), detail.encode(), hashlib.sha256).hexdigest()[:32]


def refusal_query(e: ImportRefused) -> str:
    fields = {"error": e.code}
    if e.detail:
        fields.update(detail=e.detail, sig=_signature(e.detail))
    return urlencode(fields)


def refusal_message(code: str, detail: str = "", sig: str = "") -> str:
    """The message for ?error=code (with its detail if the signature holds); "" for an unknown code."""
    if code not in MESSAGES:
        return ""
    if detail and len(detail) <= 500 and hmac.compare_digest(_signature(detail), sig):
        return f"{MESSAGES[code]} {detail}"
    return MESSAGES[code]


# --- the schema: shape only ----------------------------------------------------------

# Generous bounds on what is parsed; the forms' own limits are checked after.
Text = Annotated[str, Field(max_length=10_000)]
Keys = Annotated[list[Text], Field(max_length=100)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RatingV1(_Shape):
    effect: Text
    other_name: Text = ""
    severity: int
    days_lasted: int | None = None


class CheckInV1(_Shape):
    checked_on: date
    note: Text = ""
    ratings: Annotated[list[RatingV1], Field(max_length=50)] = []


class SessionV1(_Shape):
    id: int
    performed_at: datetime
    areas: Keys = []
    substances: Keys = []
    product_and_dose: Text = ""
    depth_mm: float | None = None
    injections: int | None = None
    method: Text = "unknown"
    numbing: bool | None = None
    cost_cents: int | None = None
    currency: Text = "USD"
    pain: int | None = None
    nsaids_avoided: Text = "unsure"
    downtime_hours: int | None = None
    notes: Text = ""
    ratings: Annotated[list[RatingV1], Field(max_length=50)] = []
    checkins: Annotated[list[CheckInV1], Field(max_length=100)] = []


class PhotoV1(_Shape):
    file: Annotated[str, Field(pattern=PHOTO_FILE.pattern)]
    area: Text
    taken_at: datetime
    session_id: int | None = None
    width: int  # recomputed from the photo itself
    height: int


class CourseV1(_Shape):
    id: int
    goal: Text
    areas: Keys = []
    clinic: Text = ""
    practitioner: Text = ""
    clinic_phone: Text = ""
    start_date: date
    planned_sessions: int | None = None
    status: Text = "active"
    phase_override: Text | None = None
    sessions: Annotated[list[SessionV1], Field(max_length=1000)] = []
    photos: Annotated[list[PhotoV1], Field(max_length=MAX_PHOTOS)] = []


class MeasurementV1(_Shape):
    course_id: int | None = None
    measured_on: date
    kind: Text
    area: Text = ""
    value: float
    unit: Text


class AccountV1(_Shape):
    email: Text = ""
    display_name: Text = ""
    length_unit: Text = "cm"
    weight_unit: Text = "kg"


class ArchiveV1(_Shape):
    format: Text
    version: int
    exported_at: datetime
    account: AccountV1
    courses: Annotated[list[CourseV1], Field(max_length=200)]
    measurements: Annotated[list[MeasurementV1], Field(max_length=20_000)] = []


# --- export -----------------------------------------------------------------------

# A session's own fields, as the archive writes them (besides id and time).
# fmt: off
SESSION_FIELDS = (
    "areas", "substances", "product_and_dose", "depth_mm", "injections", "method",
    "numbing", "cost_cents", "currency", "pain", "nsaids_avoided", "downtime_hours", "notes",
)
# fmt: on


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
            t = s.visit
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
        session_ids = {s.visit.id for s in c.sessions}
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


# --- import: reading --------------------------------------------------------------


class Entries:
    """The zip's entries, read in chunks. Each is capped on the bytes it
    really unpacks to (its header may lie), on how far it unpacks past its
    compressed size, and all of them together: a "zip bomb" is refused after
    reading a little of it, never held in memory."""

    def __init__(self, z: zipfile.ZipFile):
        self.z, self.total = z, 0

    def read(self, name: str, limit: int) -> bytes:
        """Raises KeyError for a missing entry, ImportRefused past a cap."""
        info = self.z.getinfo(name)
        if info.file_size > limit:
            raise ImportRefused("too_large")
        out = bytearray()
        with self.z.open(info) as f:
            while chunk := f.read(CHUNK):
                out += chunk
                self.total += len(chunk)
                if len(out) > limit or self.total > settings.MAX_IMPORT_BYTES * 2:
                    raise ImportRefused("too_large")
                if len(out) > RATIO_FROM and len(out) > MAX_RATIO * max(info.compress_size, 1):
                    raise ImportRefused("too_large")
        return bytes(out)


def open_zip(raw: bytes | BinaryIO) -> Entries:
    f = io.BytesIO(raw) if isinstance(raw, bytes) else raw
    try:
        # ZipFile reads the whole directory into memory: count it first, from
        # the end record, so a file of millions of tiny entries is not parsed.
        # (zipfile's own reader of that record: there is no public one; a
        # test feeds it one entry too many.)
        end = zipfile._EndRecData(f)
        if end is None:
            raise ImportRefused("not_zip")
        if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ENTRIES:
            raise ImportRefused("too_large")
        f.seek(0)
        z = zipfile.ZipFile(f)
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportRefused("not_zip") from None
    # Only the two methods our own archives use. zipfile hands bzip2 and lzma
    # entries no output limit: one read of a 2 KB bzip2 entry can unpack
    # gigabytes before any cap below looks at it.
    if any(i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for i in z.infolist()):
        raise ImportRefused("invalid")
    # What the headers declare is only a first, cheap check: reading is
    # capped on what the entries really unpack to.
    if sum(i.file_size for i in z.infolist()) > settings.MAX_IMPORT_BYTES * 2:
        raise ImportRefused("too_large")
    return Entries(z)


# How the parts of the file are named to the patient.
_PARTS = {
    "courses": "course",
    "sessions": "session",
    "checkins": "check-in",
    "ratings": "side effect",
    "photos": "photo",
    "measurements": "measurement",
}


def _where(loc: tuple, field: str | None = None) -> str:
    """('courses', 0, 'sessions', 2), 'pain' → 'course 1, session 3, “pain”'."""
    parts = []
    for i, part in enumerate(loc):
        following = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(part, int):
            continue
        if part in _PARTS and isinstance(following, int):
            parts.append(f"{_PARTS[part]} {following + 1}")
        elif part == "account":
            parts.append("account")
        else:
            parts.append(_field(part))
    if field:
        parts.append(_field(field))
    return ", ".join(parts)


def _field(name: str) -> str:
    # A name the file made up (an unknown field) is not repeated to the patient.
    return f"“{name}”" if re.fullmatch(r"[a-z_]{1,30}", name) else "a field the app does not know"


def _refused(loc: tuple, field: str | None, message: str) -> ImportRefused:
    return ImportRefused("field", f"In the archive: {_where(loc, field)}: {message}")


# --- import: every value through the forms' rules -------------------------------------

# The archive's field for each form field, for the message.
_FORM_FIELDS = {
    "area": "areas",
    "custom_areas": "areas",
    "substance": "substances",
    "cost": "cost_cents",
    "downtime": "downtime_hours",
    "downtime_amount": "downtime_hours",
    "other_effect_name": "ratings",
    "form": "ratings",  # an unknown side effect
    "taken_on": "taken_at",
}
_PHOTO_FIELDS = {"taken_on": "taken_at"}


def _checked(check: Callable[[], object], loc: tuple, fields: dict[str, str] = _FORM_FIELDS):
    """Runs a form's check; a refusal names the record and the archive's field
    (`fields`: the form's field names that the archive spells otherwise)."""
    try:
        return check()
    except validation.Invalid as e:
        key, message = next(iter(e.errors.items()))
        field = "ratings" if key.startswith(("effect:", "days:")) else fields.get(key, key)
        raise _refused(loc, field, message) from None


def _areas(keys: list[str]) -> dict[str, str]:
    custom = [k for k in keys if k not in catalog.AREAS]
    return {**{f"area:{k}": "on" for k in keys if k in catalog.AREAS}, "custom_areas": ", ".join(custom)}


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _money(cents: int | None) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _downtime(hours: int | None) -> dict[str, str]:
    # The form's choice: none, some hours (1–23), or whole days.
    if not hours:
        return {"downtime": "none"}
    if hours % 24 == 0:
        return {"downtime": "days", "downtime_amount": str(hours // 24)}
    return {"downtime": "hours", "downtime_amount": str(hours)}


def _ratings_form(ratings: list[RatingV1], loc: tuple, *, with_days: bool) -> dict[str, str]:
    if len({r.effect for r in ratings}) != len(ratings):
        raise _refused(loc, "ratings", "Each side effect can be rated once.")
    form = {}
    for r in ratings:
        severity = catalog.SEVERITIES[r.severity] if 0 <= r.severity < len(catalog.SEVERITIES) else str(r.severity)
        form[f"effect:{r.effect}"] = severity
        if with_days and r.days_lasted is not None:
            form[f"days:{r.effect}"] = str(r.days_lasted)
        if r.effect == catalog.OTHER_EFFECT:
            form["other_effect_name"] = r.other_name
    return form


def _course_form(c: CourseV1) -> dict[str, str]:
    return {
        "goal": c.goal,
        **_areas(c.areas),
        "clinic": c.clinic,
        "practitioner": c.practitioner,
        "clinic_phone": c.clinic_phone,
        "start_date": c.start_date.isoformat(),
        "planned_sessions": _number(c.planned_sessions),
        "status": c.status,
    }


def _session_form(s: SessionV1, loc: tuple) -> dict[str, str]:
    return {
        "performed_at": s.performed_at.isoformat(),
        **_areas(s.areas),
        **{f"substance:{k}": "on" for k in s.substances},
        "product_and_dose": s.product_and_dose,
        "depth_mm": _number(s.depth_mm),
        "injections": _number(s.injections),
        "method": s.method,
        "numbing": {True: "yes", False: "no", None: "unknown"}[s.numbing],
        "cost": _money(s.cost_cents),
        "currency": s.currency,
        "pain": _number(s.pain),
        "nsaids_avoided": s.nsaids_avoided,
        **_downtime(s.downtime_hours),
        "notes": s.notes,
        **_ratings_form(s.ratings, loc, with_days=True),
    }


def _measurement_form(m: MeasurementV1) -> dict[str, str]:
    return {
        "measured_on": m.measured_on.isoformat(),
        "kind": m.kind,
        "area": m.area,
        "value": repr(m.value),
        "unit": m.unit,
    }


@dataclass(frozen=True)
class SessionPlan:
    id: int  # the file's own id
    data: validation.VisitInput
    checkins: list[validation.CheckInInput]


@dataclass(frozen=True)
class PhotoPlan:
    file: str
    area: str
    taken_at: datetime
    session_id: int | None  # the file's own session id


@dataclass(frozen=True)
class CoursePlan:
    id: int
    data: validation.CourseInput
    phase: str  # "" when the app infers it
    sessions: list[SessionPlan]
    photos: list[PhotoPlan]


@dataclass(frozen=True)
class MeasurementPlan:
    course_id: int | None  # the file's own course id
    data: validation.MeasurementInput


@dataclass(frozen=True)
class Plan:
    """What the archive holds, every value checked as the forms check it."""

    display_name: str
    length_unit: str
    weight_unit: str
    courses: list[CoursePlan]
    measurements: list[MeasurementPlan]

    @property
    def photos(self) -> list[PhotoPlan]:
        return [p for c in self.courses for p in c.photos]


def _session_plan(s: SessionV1, loc: tuple, today: date) -> SessionPlan:
    data = _checked(lambda: validation.visit_input(_session_form(s, loc), today=today), loc)
    checkins, day = [], data.performed_at.date()
    for i, ci in enumerate(s.checkins):
        here = (*loc, "checkins", i)
        form = {
            "checked_on": ci.checked_on.isoformat(),
            "note": ci.note,
            **_ratings_form(ci.ratings, here, with_days=False),
        }
        checkins.append(_checked(lambda f=form: validation.checkin_input(f, visit_day=day, today=today), here))
    return SessionPlan(s.id, data, checkins)


def _photo_plan(p: PhotoV1, loc: tuple, today: date) -> PhotoPlan:
    # The upload form's own checks: an area is required, and the day is a real one.
    form = {"area": p.area, "taken_on": p.taken_at.date().isoformat()}
    data = _checked(lambda: validation.photo_input(form, today=today, day_required=True), loc, _PHOTO_FIELDS)
    return PhotoPlan(p.file, data.area, p.taken_at.replace(tzinfo=None, microsecond=0), p.session_id)


def _course_plan(c: CourseV1, loc: tuple, today: date) -> CoursePlan:
    data = _checked(lambda: validation.course_input(_course_form(c), today=today), loc)
    _checked(lambda: validation.phase(c.phase_override or ""), loc)
    sessions = [_session_plan(s, (*loc, "sessions", i), today) for i, s in enumerate(c.sessions)]
    photos = [_photo_plan(p, (*loc, "photos", i), today) for i, p in enumerate(c.photos)]
    return CoursePlan(c.id, data, c.phase_override or "", sessions, photos)


def _check_references(archive: ArchiveV1) -> None:
    """References inside the file must point at things in the file."""
    course_ids = {c.id for c in archive.courses}
    if len(course_ids) != len(archive.courses):
        raise ImportRefused("invalid")
    for c in archive.courses:
        session_ids = {s.id for s in c.sessions}
        if len(session_ids) != len(c.sessions):
            raise ImportRefused("invalid")
        if any(p.session_id is not None and p.session_id not in session_ids for p in c.photos):
            raise ImportRefused("invalid")
    # Each photo is its own file: one small file listed thousands of times
    # would keep the image workers busy for hours and fill the disk.
    files = [p.file for c in archive.courses for p in c.photos]
    if len(set(files)) != len(files):
        raise ImportRefused("invalid")
    if any(m.course_id is not None and m.course_id not in course_ids for m in archive.measurements):
        raise ImportRefused("invalid")


def plan(archive: ArchiveV1, *, today: date) -> Plan:
    """Every value through the forms' rules, as if typed on `today`; raises
    ImportRefused naming the first record and field they refuse."""
    _check_references(archive)
    if sum(len(c.photos) for c in archive.courses) > MAX_PHOTOS:
        raise ImportRefused("too_large")
    account = archive.account
    display_name = _checked(lambda: validation.display_name(account.display_name), ("account",))
    _checked(lambda: validation.units(account.length_unit, account.weight_unit), ("account",))
    courses = [_course_plan(c, ("courses", i), today) for i, c in enumerate(archive.courses)]
    measurements = [
        MeasurementPlan(
            m.course_id,
            _checked(lambda m=m: validation.measurement_input(_measurement_form(m), today=today), ("measurements", i)),
        )
        for i, m in enumerate(archive.measurements)
    ]
    return Plan(display_name, account.length_unit, account.weight_unit, courses, measurements)


def read_archive(raw: bytes | BinaryIO, *, today: date) -> tuple[Plan, Entries]:
    """Opens the zip, reads and checks its records (nothing stored); the
    photos are left in the zip, to be read one at a time. Raises ImportRefused."""
    entries = open_zip(raw)
    try:
        parsed = json.loads(entries.read(RECORDS, MAX_RECORDS_BYTES))
    except KeyError:
        raise ImportRefused("not_zip") from None
    except ImportRefused:
        raise
    except (ValueError, zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error):
        raise ImportRefused("invalid") from None
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        raise ImportRefused("not_zip")
    if parsed.get("version") != VERSION:
        raise ImportRefused("version")
    try:
        archive = ArchiveV1.model_validate(parsed)
    except ValidationError as e:
        first = e.errors()[0]
        raise _refused(tuple(first["loc"]), None, first["msg"]) from None
    return plan(archive, today=today), entries
