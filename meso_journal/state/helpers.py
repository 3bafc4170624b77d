"""Small helpers shared by the page states (no Reflex state here)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from meso_journal.rules.describe import day_label, money  # noqa: F401  (re-exported for the states)


def today() -> date:
    # The server's UTC date. Patients' dates are checked with a day's slack
    # either way (rules.validation), which covers every time zone.
    return datetime.now(UTC).date()


def now() -> datetime:
    return datetime.now(UTC)


def query_id(params, name: str) -> int | None:
    """A positive integer id from the query string, or None."""
    raw = params.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 11 else None
