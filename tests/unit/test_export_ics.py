"""The calendar export, parsed back with icalendar."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from meso_journal.exports.ics import calendar
from meso_journal.rules.schedule import position

TODAY = date(2026, 11, 25)


def _position(**kw):
    args = {
        "visit_days": [date(2026, 11, 20)],
        "status": "active",
        "planned": None,
        "phase_override": None,
        "goal": "cellulite",
        "today": TODAY,
    }
    return position(**{**args, **kw})


def test_it_writes_the_window_and_the_nsaid_pause_as_all_day_events():
    data = calendar(
        _position(),
        course_id=7,
        course_label="Cellulite · Thighs",
        clinic="Clinique Lumière, Paris; 2nd floor",
        now=datetime(2026, 11, 25, tzinfo=UTC),
    )
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))
    cal = Calendar.from_ical(data)
    window, pause = cal.walk("VEVENT")
    assert window["SUMMARY"] == "Mesotherapy session due"
    assert window.decoded("DTSTART") == date(2026, 11, 27)
    assert window.decoded("DTEND") == date(2026, 11, 30) + timedelta(days=1)  # exclusive end
    assert "Clinique Lumière, Paris; 2nd floor" in window["DESCRIPTION"]
    assert pause["SUMMARY"] == "Stop aspirin and other NSAIDs"
    assert pause.decoded("DTSTART") == date(2026, 11, 20)
    assert window.walk("VALARM") and pause.walk("VALARM")
    assert window["UID"] != pause["UID"]


def test_it_writes_an_empty_calendar_when_nothing_is_due():
    cal = Calendar.from_ical(calendar(_position(status="paused"), course_id=7, course_label="x", clinic=""))
    assert cal.walk("VEVENT") == []
