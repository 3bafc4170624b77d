"""Where a patient is in a course, and when the next session is due.

From the article: usually 3 to 15 sessions (fat treatments often 10 or more);
at first every 7 to 10 days, every two weeks once the skin improves, then
monthly. Aspirin and other NSAIDs are stopped for a week before a session
(bleeding and bruising). These are typical figures, never promises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

TYPICAL_MIN = 3
TYPICAL_MAX = 15
FAT_GOALS = ("fat_removal", "recontouring")
NSAID_PAUSE_DAYS = 7


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    min_days: int
    max_days: int


WEEKLY = Phase("weekly", "every 7–10 days", 7, 10)
FORTNIGHTLY = Phase("fortnightly", "every two weeks", 14, 17)
MONTHLY = Phase("monthly", "monthly", 28, 35)
PHASES = {p.key: p for p in (WEEKLY, FORTNIGHTLY, MONTHLY)}


def phase_for_gap(days: int) -> Phase:
    """A gap between two sessions, read with a day or two of slack either way."""
    if days <= 12:
        return WEEKLY
    if days <= 21:
        return FORTNIGHTLY
    return MONTHLY


def infer_phase(visit_days: list[date]) -> Phase:
    """From the most recent gap; a course with one session is in its first, weekly, phase."""
    days = sorted(visit_days)
    if len(days) < 2:
        return WEEKLY
    return phase_for_gap((days[-1] - days[-2]).days)


def _days_after(day: date, days: int) -> date | None:
    """None past the calendar's end: a stored date far in the future has no next window."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


@dataclass(frozen=True)
class Position:
    count: int
    planned: int | None
    beyond_typical: bool
    phase: Phase | None
    phase_set_by_patient: bool
    window: tuple[date, date] | None
    overdue: bool
    nsaid_pause_from: date | None
    in_nsaid_pause: bool
    fat_goal: bool

    @property
    def headline(self) -> str:
        if self.count == 0:
            return f"No sessions yet. A typical course is {TYPICAL_MIN}–{TYPICAL_MAX} sessions."
        return f"Session {self.count} of a typical {TYPICAL_MIN}–{TYPICAL_MAX}"


def position(
    *,
    visit_days: list[date],
    status: str,
    planned: int | None,
    phase_override: str | None,
    goal: str,
    today: date,
) -> Position:
    count = len(visit_days)
    phase, by_patient, window = None, False, None
    if status == "active" and count:
        if phase_override in PHASES:
            phase, by_patient = PHASES[phase_override], True
        else:
            phase = infer_phase(visit_days)
        last = max(visit_days)
        start, end = _days_after(last, phase.min_days), _days_after(last, phase.max_days)
        window = (start, end) if start and end else None
    pause_from = window[0] - timedelta(days=NSAID_PAUSE_DAYS) if window else None
    return Position(
        count=count,
        planned=planned,
        beyond_typical=count > TYPICAL_MAX,
        phase=phase,
        phase_set_by_patient=by_patient,
        window=window,
        overdue=bool(window and today > window[1]),
        nsaid_pause_from=pause_from,
        in_nsaid_pause=bool(window and pause_from and pause_from <= today <= window[1]),
        fat_goal=goal in FAT_GOALS,
    )
