"""Checking what a patient typed, before anything is stored.

Every function takes the raw form (whatever the browser sent: it may be any
JSON value) and `today`, and returns a clean, typed dataclass, or raises
Invalid with one plain message per field. Nothing here touches the database.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from meso_journal.rules import catalog, schedule

FIRST_YEAR = 1952  # mesotherapy was developed in France in 1952
MAX_NOTES = 5000
MAX_COST = 100_000
MAX_CUSTOM_AREAS = 10


class Invalid(ValueError):
    """One message per field name; "form" for problems with the whole form."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


SHAPE = "The form arrived in a shape the app does not understand. Reload the page and try again."


def form_of(raw: object) -> dict[str, str]:
    """Form data as the browser sends it: flat, string values (checkboxes may be booleans)."""
    if not isinstance(raw, dict) or len(raw) > 200:
        raise Invalid({"form": SHAPE})
    out = {}
    for k, v in raw.items():
        if not isinstance(k, str) or len(k) > 100:
            raise Invalid({"form": SHAPE})
        if v is None:
            # A field React unmounted or never filled (a hidden "Where" when
            # weight is picked) arrives as null: the same as not sent.
            continue
        if isinstance(v, bool):
            v = "on" if v else ""
        elif isinstance(v, (int, float)):
            v = str(v)
        elif not isinstance(v, str):
            raise Invalid({"form": SHAPE})
        out[k] = v
    return out


# Format characters that belong to the writing itself: the zero-width joiner
# and non-joiner (Persian words, emoji sequences like 👩‍⚕️). Other format
# characters (bidirectional overrides, invisible separators) are dropped.
_WRITING_JOINERS = "\u200c\u200d"


def plain_number(raw: object, *, max_digits: int = 10) -> int | None:
    """A whole number as an address or a form carries it ("42"), or None for
    anything else: empty, signs, spaces, too many digits, and digits of other
    scripts ("²", "٣"), which str.isdigit() accepts and int() refuses."""
    if isinstance(raw, str) and 0 < len(raw) <= max_digits and raw.isascii() and raw.isdigit():
        return int(raw)
    return None


def plain_id(raw: object) -> int | None:
    """A record id as the browser sends it: a plain number the database's
    integer can hold (PostgreSQL's ends at 2**31 - 1), never 0."""
    value = plain_number(raw)
    return value if value is not None and 0 < value < 2**31 else None


def clean_text(value: str, *, limit: int, multiline: bool = False) -> str:
    """Trimmed, NFC, control characters removed (newlines kept where allowed)."""
    value = unicodedata.normalize("NFC", value).strip()
    keep = _WRITING_JOINERS + ("\n" if multiline else "")
    value = "".join(c for c in value if c in keep or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    if len(value) > limit:
        raise ValueError(f"Keep this under {limit:,} characters (it has {len(value):,}).")
    return value


class _Checker:
    """Collects every problem of a form instead of stopping at the first."""

    def __init__(self, form: dict[str, str]):
        self.form = form
        self.errors: dict[str, str] = {}

    def get(self, name: str) -> str:
        return self.form.get(name, "").strip()

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, limit: int, *, multiline: bool = False) -> str:
        try:
            return clean_text(self.form.get(name, ""), limit=limit, multiline=multiline)
        except ValueError as e:
            self.fail(name, str(e))
            return ""

    def choice(self, name: str, allowed: Collection[str], default: str | None = None) -> str:
        value = self.get(name) or (default or "")
        if value not in allowed:
            self.fail(name, "Choose one of the options.")
            return default or next(iter(allowed))
        return value

    def integer(self, name: str, low: int, high: int, message: str) -> int | None:
        raw = self.get(name)
        if raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            self.fail(name, message)
            return None
        if not low <= value <= high:
            self.fail(name, message)
            return None
        return value

    def day(self, name: str, today: date, *, required: bool = True, future_days: int = 1) -> date | None:
        raw = self.get(name)
        if not raw:
            if required:
                self.fail(name, "Enter a date.")
            return None
        try:
            value = date.fromisoformat(raw[:10]) if len(raw) >= 10 else date.fromisoformat(raw)
        except ValueError:
            self.fail(name, "Enter a real date, like 2026-03-14.")
            return None
        self._check_range(name, value, today, future_days)
        return value

    def moment(self, name: str, today: date) -> datetime | None:
        raw = self.get(name)
        if not raw:
            self.fail(name, "Enter the date and time.")
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            self.fail(name, "Enter a real date and time, like 2026-03-14 10:30.")
            return None
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # kept as the patient's wall-clock time
        self._check_range(name, value.date(), today, 1)
        return value.replace(second=0, microsecond=0)

    def _check_range(self, name: str, value: date, today: date, future_days: int) -> None:
        if value.year < FIRST_YEAR:
            self.fail(name, f"Mesotherapy dates from {FIRST_YEAR}: check the year.")
        elif value > today + timedelta(days=future_days):
            self.fail(
                name,
                "This date is in the future."
                if future_days <= 1
                else f"This date is more than {future_days} days ahead: check the year.",
            )

    def flags(self, prefix: str, allowed: dict[str, str]) -> list[str]:
        picked = [
            k[len(prefix) :] for k, v in self.form.items() if k.startswith(prefix) and v not in ("", "false", "off")
        ]
        unknown = [p for p in picked if p not in allowed]
        if unknown:
            self.fail(prefix.rstrip(":"), "Choose from the list.")
        return [k for k in allowed if k in picked]  # catalogue order, no duplicates

    def custom_list(self, name: str) -> list[str]:
        raw = self.text(name, 400)
        items = [i.strip() for i in re.split(r"[,;\n]", raw) if i.strip()]
        if len(items) > MAX_CUSTOM_AREAS or any(len(i) > 60 for i in items):
            self.fail(name, f"Up to {MAX_CUSTOM_AREAS} areas, each under 60 characters.")
            return []
        return items

    def done(self) -> None:
        if self.errors:
            raise Invalid(self.errors)


def _merge_areas(picked: list[str], custom: list[str]) -> list[str]:
    out = list(picked)
    for c in custom:
        key = c.lower().replace(" ", "_")
        if key in catalog.AREAS:
            c = key
        if c not in out:
            out.append(c)
    return out


# --- courses ---------------------------------------------------------------


@dataclass(frozen=True)
class CourseInput:
    goal: str
    areas: list[str]
    clinic: str
    practitioner: str
    clinic_phone: str
    start_date: date
    planned_sessions: int | None
    status: str


def course_input(raw: object, *, today: date) -> CourseInput:
    c = _Checker(form_of(raw))
    goal = c.choice("goal", catalog.GOALS)
    areas = _merge_areas(c.flags("area:", catalog.AREAS), c.custom_list("custom_areas"))
    if not areas and "area" not in c.errors and "custom_areas" not in c.errors:
        c.fail("area", "Pick at least one body area, or type your own.")
    clinic = c.text("clinic", 200)
    practitioner = c.text("practitioner", 200)
    phone = c.text("clinic_phone", 40)
    if phone and not re.fullmatch(r"[0-9+()./\- ]{3,40}", phone):
        c.fail("clinic_phone", "Use digits, spaces and + ( ) - only.")
    start = c.day("start_date", today, future_days=365)
    planned = c.integer("planned_sessions", 1, 30, "A number from 1 to 30, or leave it empty.")
    status = c.choice("status", catalog.COURSE_STATUSES, default="active")
    c.done()
    assert start is not None, "c.done() raised: day() fails the form for a missing required date"
    return CourseInput(goal, areas, clinic, practitioner, phone, start, planned, status)


# --- sessions and side effects ---------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    effect: str
    severity: int  # index into catalog.SEVERITIES
    days_lasted: int | None = None
    other_name: str = ""


@dataclass(frozen=True)
class VisitInput:
    performed_at: datetime
    areas: list[str]
    substances: list[str]
    product_and_dose: str
    depth_mm: float | None
    injections: int | None
    method: str
    numbing: bool | None
    cost_cents: int | None
    currency: str
    pain: int | None
    nsaids_avoided: str
    downtime_hours: int | None
    notes: str
    ratings: list[RatingInput] = field(default_factory=list)


def _depth(c: _Checker) -> float | None:
    raw = c.get("depth_mm")
    if raw in ("", "unknown"):
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (1 <= value <= 4) or (value * 2) % 1:
        c.fail("depth_mm", "Needle depth is between 1 and 4 mm, in steps of 0.5 (or choose “Not sure”).")
        return None
    return value


def _cost_cents(c: _Checker) -> int | None:
    raw = c.get("cost").replace(" ", "")
    if raw == "":
        return None
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")  # 250,50 as written in much of Europe
    raw = raw.replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        c.fail("cost", "Enter the cost as a number, like 350 or 350.50.")
        return None
    if not value.is_finite():
        c.fail("cost", "Enter the cost as a number, like 350 or 350.50.")
        return None
    if value < 0:
        c.fail("cost", "The cost cannot be negative.")
        return None
    if value > MAX_COST:
        c.fail("cost", f"That is over {MAX_COST:,}: enter the cost of this one session.")
        return None
    return int((value * 100).to_integral_value())


def _ratings(c: _Checker, *, with_days: bool) -> list[RatingInput]:
    ratings = []
    for key in [*catalog.SIDE_EFFECTS, catalog.OTHER_EFFECT]:
        name = f"effect:{key}"
        raw = c.get(name) or "none"
        if raw not in catalog.SEVERITIES:
            c.fail(name, "Choose none, mild, moderate or severe.")
            continue
        severity = catalog.SEVERITIES.index(raw)
        days = None
        if with_days:
            days = c.integer(f"days:{key}", 0, 365, "A whole number of days from 0 to 365, or leave it empty.")
        other_name = ""
        if key == catalog.OTHER_EFFECT:
            other_name = c.text("other_effect_name", 100)
            if severity and not other_name:
                c.fail("other_effect_name", "Name the other side effect.")
            if not severity:
                continue
        ratings.append(RatingInput(key, severity, days if severity else None, other_name))
    extra = [k for k in c.form if k.startswith("effect:") and k[7:] not in catalog.SIDE_EFFECTS and k[7:] != "other"]
    if extra:
        c.fail("form", "Unknown side effect in the form.")
    return ratings


def visit_input(raw: object, *, today: date) -> VisitInput:
    c = _Checker(form_of(raw))
    performed_at = c.moment("performed_at", today)
    areas = _merge_areas(c.flags("area:", catalog.AREAS), c.custom_list("custom_areas"))
    substances = c.flags("substance:", catalog.SUBSTANCES)
    product = c.text("product_and_dose", 500)
    depth = _depth(c)
    injections = c.integer("injections", 1, 10_000, "A whole number from 1 to 10,000, or leave it empty.")
    method = c.choice("method", catalog.METHODS, default="unknown")
    numbing = {"yes": True, "no": False, "unknown": None}[c.choice("numbing", catalog.NUMBING, default="unknown")]
    cost = _cost_cents(c)
    currency = c.choice("currency", catalog.CURRENCIES, default="USD")
    pain = c.integer("pain", 0, 10, "Pain is a number from 0 (none) to 10 (worst).")
    nsaids = c.choice("nsaids_avoided", catalog.NSAID_ANSWERS, default="unsure")
    downtime = c.choice("downtime", catalog.DOWNTIME, default="none")
    hours = None
    if downtime == "hours":
        hours = c.integer("downtime_amount", 1, 23, "Hours: a whole number from 1 to 23.")
        if hours is None and "downtime_amount" not in c.errors:
            c.fail("downtime_amount", "How many hours?")
    elif downtime == "days":
        days = c.integer("downtime_amount", 1, 60, "Days: a whole number from 1 to 60.")
        if days is None and "downtime_amount" not in c.errors:
            c.fail("downtime_amount", "How many days?")
        hours = days * 24 if days else None
    else:
        hours = 0
    notes = c.text("notes", MAX_NOTES, multiline=True)
    ratings = _ratings(c, with_days=True)
    c.done()
    assert performed_at is not None, "c.done() raised: moment() fails the form whenever it gives None"
    return VisitInput(
        performed_at, areas, substances, product, depth, injections, method, numbing,
        cost, currency, pain, nsaids, hours, notes, ratings,
    )  # fmt: skip


# --- check-ins ---------------------------------------------------------------


@dataclass(frozen=True)
class CheckInInput:
    checked_on: date
    note: str
    ratings: list[RatingInput]


def checkin_input(raw: object, *, visit_day: date, today: date) -> CheckInInput:
    c = _Checker(form_of(raw))
    checked_on = c.day("checked_on", today)
    if checked_on and checked_on < visit_day:
        c.fail("checked_on", "A check-in comes after its session.")
    note = c.text("note", 2000, multiline=True)
    ratings = _ratings(c, with_days=False)
    c.done()
    assert checked_on is not None, "c.done() raised: day() fails the form for a missing required date"
    return CheckInInput(checked_on, note, ratings)


# --- measurements --------------------------------------------------------------

# Plausible human ranges, in cm and kg: wider than any real body, narrow
# enough to catch a slip of the finger.
CIRCUMFERENCE_CM = (5.0, 300.0)
WEIGHT_KG = (20.0, 400.0)


@dataclass(frozen=True)
class MeasurementInput:
    measured_on: date
    kind: str
    area: str
    value: float
    unit: str


def measurement_input(raw: object, *, today: date) -> MeasurementInput:
    c = _Checker(form_of(raw))
    measured_on = c.day("measured_on", today)
    kind = c.choice("kind", ("circumference", "weight"), default="circumference")
    units = catalog.LENGTH_UNITS if kind == "circumference" else catalog.WEIGHT_UNITS
    unit = c.choice("unit", units, default=next(iter(units)))
    area = ""
    if kind == "circumference":
        area = c.text("area", 60)
        if not area and "area" not in c.errors:
            c.fail("area", "Which area did you measure?")
    value = math.nan
    try:
        value = float(c.get("value").replace(",", "."))
    except ValueError:
        pass
    low, high = CIRCUMFERENCE_CM if kind == "circumference" else WEIGHT_KG
    factor = units.get(unit, 1.0)
    if not math.isfinite(value) or not low <= value * factor <= high:
        lo, hi = round(low / factor), round(high / factor)
        c.fail("value", f"Enter a number between {lo} and {hi} {unit}.")
    c.done()
    assert measured_on is not None, "c.done() raised: day() fails the form for a missing required date"
    return MeasurementInput(measured_on, kind, area, round(value, 1), unit)


_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def looks_like_a_date(raw: object) -> bool:
    """YYYY-MM-DD in shape (not checked as a real day): safe to hand back to a date field."""
    return isinstance(raw, str) and _PLAIN_DATE.fullmatch(raw) is not None


@dataclass(frozen=True)
class PhotoInput:
    area: str
    day: date | None  # None: not given (an upload then takes the camera's date)
    visit_id: int | None  # the session the photo belongs to, if any


def photo_input(
    raw: object, *, today: date, day_required: bool = False, areas: Collection[str] | None = None
) -> PhotoInput:
    """A photo's details, the same for the upload form, the viewer's edit
    form and an imported archive: the body area (required, and one of
    `areas` where the form offers a list), the day it was taken (optional on
    upload, where the camera's date stands in) and the session, if any."""
    c = _Checker(form_of(raw))
    area = c.text("area", 60)
    if not area:
        c.fail("area", "Choose the body area the photo shows.")
    elif areas is not None and area not in areas:
        c.fail("area", "Choose the body area from the list.")
    if day_required and not c.get("taken_on"):
        c.fail("taken_on", "Give the day the photo was taken.")
    day = c.day("taken_on", today, required=False)
    visit_id = c.integer("session", 1, 2**31 - 1, "Choose the session from the list, or none.")
    c.done()
    return PhotoInput(area, day, visit_id)


def photo_taken_at(day: date) -> datetime:
    """A photo given only a day is placed at noon: in the middle of that day
    whatever the time zone, so it never slips to the day before or after."""
    return datetime.combine(day, time(12))


_HINT = re.compile(r"^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})(?: ?(Z|[+-]\d{2}:\d{2}))?$")


def photo_time_hint(raw: object, *, today: date) -> datetime | None:
    """The capture time the browser read from a photo's EXIF before shrinking
    it ("2026:03:14 09:30:00", maybe with "+01:00"). Only a hint: anything
    malformed or absurd gives None, and the upload date is used instead."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    m = _HINT.match(raw.strip())
    if not m:
        return None
    try:
        year, month, day, hour, minute, second = (int(x) for x in m.groups()[:6])
        when = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if when.year < FIRST_YEAR or when.date() > today + timedelta(days=1):
        return None
    return when  # the wall-clock time the camera showed, like the rest of the journal


def display_name(raw: object) -> str:
    """The name a patient puts on shared reports ("" for none)."""
    try:
        return clean_text(raw if isinstance(raw, str) else "", limit=100)
    except ValueError:
        raise Invalid({"display_name": "Keep your name to 100 characters."}) from None


def units(length_unit: object, weight_unit: object) -> tuple[str, str]:
    """The units a patient reads measurements in."""
    errors = {}
    if length_unit not in catalog.LENGTH_UNITS:
        errors["length_unit"] = "Choose cm or in."
    if weight_unit not in catalog.WEIGHT_UNITS:
        errors["weight_unit"] = "Choose kg or lb."
    if errors:
        raise Invalid(errors)
    return str(length_unit), str(weight_unit)


def phase(raw: object) -> str:
    """The patient's own phase for a course (rules.schedule.PHASES), or "" to infer it."""
    if raw != "" and raw not in schedule.PHASES:
        raise Invalid({"phase_override": "Choose one of the options."})
    return str(raw)
