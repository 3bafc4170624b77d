"""The one clock: what time it is on the server, in UTC. Everything reads the
time here (clock.now(), clock.today()), so a test sets it in one place."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    # The server's UTC date. Patients' dates are checked with a day's slack
    # either way (rules.validation), which covers every time zone.
    return now().date()
