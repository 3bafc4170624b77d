"""CSV for spreadsheets (RFC 4180, UTF-8): one file a table. Text cells that
a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from meso_journal.rules import catalog, describe
from meso_journal.store.report import Report

# Cells starting with these are formulas to Excel, LibreOffice and Sheets
# (tab and carriage return too, per OWASP's CSV injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A byte order mark, so Excel opens UTF-8 as UTF-8 (names with accents).
BOM = "\ufeff"


def neutralise(value: object) -> object:
    """A leading apostrophe turns a would-be formula into plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: list[str], rows: Iterable[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[value]


def sessions(report: Report) -> bytes:
    # fmt: off
    return _csv(
        [
            "course", "session", "date", "time", "areas", "substances", "product and dose", "depth mm",
            "injections", "method", "numbing", "cost", "currency", "pain 0-10", "NSAIDs avoided",
            "downtime hours", "notes",
        ],
        (
            [
                c.label, s.number, f"{t.performed_at:%Y-%m-%d}", f"{t.performed_at:%H:%M}", describe.areas(t.areas),
                ", ".join(catalog.label(catalog.SUBSTANCES, x) for x in t.substances), t.product_and_dose,
                t.depth_mm, t.injections, t.method, _yes_no(t.numbing),
                None if t.cost_cents is None else f"{t.cost_cents / 100:.2f}", t.currency, t.pain,
                t.nsaids_avoided, t.downtime_hours, t.notes,
            ]
            for c in report.courses
            for s in c.sessions
            for t in [s.visit]
        ),
    )
    # fmt: on


def side_effects(report: Report) -> bytes:
    def rows():
        for c in report.courses:
            for s in c.sessions:
                day = f"{s.visit.performed_at:%Y-%m-%d}"
                for r in s.ratings:
                    yield [c.label, s.number, day, "with the session", "", describe.effect_name(r),
                           catalog.severity_word(r.severity), r.days_lasted]  # fmt: skip
                for ci in s.checkins:
                    for r in ci.ratings:
                        yield [c.label, s.number, day, "check-in", f"{ci.checkin.checked_on:%Y-%m-%d}",
                               describe.effect_name(r), catalog.severity_word(r.severity), r.days_lasted]  # fmt: skip

    return _csv(
        ["course", "session", "session date", "rated", "check-in date", "side effect", "severity", "days lasted"],
        rows(),
    )


def checkins(report: Report) -> bytes:
    # fmt: off
    return _csv(
        ["course", "session", "session date", "check-in date", "days after", "side effects", "note"],
        (
            [
                c.label, s.number, f"{s.visit.performed_at:%Y-%m-%d}", f"{ci.checkin.checked_on:%Y-%m-%d}",
                (ci.checkin.checked_on - s.visit.performed_at.date()).days,
                "; ".join(describe.effect_chips(ci.ratings)) or "none", ci.checkin.note,
            ]
            for c in report.courses
            for s in c.sessions
            for ci in s.checkins
        ),
    )
    # fmt: on


def measurements(report: Report) -> bytes:
    return _csv(
        ["date", "kind", "where", "value", "unit"],
        ([f"{m.measured_on:%Y-%m-%d}", m.kind, m.area, m.value, m.unit] for m in report.measurements),
    )


TABLES = {"sessions": sessions, "side-effects": side_effects, "check-ins": checkins, "measurements": measurements}
