"""The next-session window and NSAID pause as a calendar (.ics, RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from meso_journal import clock
from meso_journal.rules.schedule import Position

PRODID = "-//Meso Journal//Treatment journal//EN"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    out, current = [], b""
    for ch in line:
        b = ch.encode()
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += b
    out.append(current.decode())
    return "\r\n ".join(out)


def _event(uid: str, start: date, end_inclusive: date, summary: str, description: str, stamp: datetime) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end_inclusive + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_escape(summary)}",
        "TRIGGER;RELATED=START:PT9H",  # 9 in the morning of the first day
        "END:VALARM",
        "END:VEVENT",
    ]


def calendar(
    position: Position, *, course_id: int, course_label: str, clinic: str, now: datetime | None = None
) -> bytes:
    """The next-session window and the NSAID pause as all-day events.

    UIDs are stable per course and date, so importing again updates rather
    than duplicates them in most calendar apps."""
    stamp = (now or clock.now()).astimezone(UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if position.window:
        start, end = position.window
        where = f" at {clinic}" if clinic else ""
        lines += _event(
            f"window-{course_id}-{start:%Y%m%d}@meso-journal",
            start,
            end,
            "Mesotherapy session due",
            f"{course_label}: your next session is usually due between these days{where}. "
            "A typical schedule, not a prescription: follow your practitioner.",
            stamp,
        )
        lines += _event(
            f"nsaid-{course_id}-{position.nsaid_pause_from:%Y%m%d}@meso-journal",
            position.nsaid_pause_from,
            position.nsaid_pause_from,
            "Stop aspirin and other NSAIDs",
            "From today until your next mesotherapy session: no aspirin, ibuprofen or other NSAIDs, "
            "which raise the risk of bleeding and bruising. Ask your doctor before stopping anything prescribed.",
            stamp,
        )
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
