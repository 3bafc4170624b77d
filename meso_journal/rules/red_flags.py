"""When to suggest contacting the practitioner. No diagnosis: a prompt.

Flags: an infection or scars reported at all; any side effect rated severe;
any side effect still present more than 7 days after its session (it lasted
more than 7 days, or the latest check-in after day 7 still reports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from meso_journal.rules.describe import day_label

ALWAYS_FLAG = ("infection", "scars")
SEVERE = 3
LINGERING_DAYS = 7


@dataclass(frozen=True)
class Rating:
    effect: str
    label: str
    severity: int
    days_lasted: int | None = None


@dataclass(frozen=True)
class CheckInRatings:
    day: date
    ratings: list[Rating]


@dataclass(frozen=True)
class VisitEffects:
    day: date
    ratings: list[Rating]
    checkins: list[CheckInRatings]


@dataclass(frozen=True)
class Flag:
    visit_day: date
    reason: str


def red_flags(sessions: list[VisitEffects]) -> list[Flag]:
    flags: list[Flag] = []
    for s in sessions:
        reasons: list[str] = []
        latest = max(s.checkins, key=lambda c: c.day) if s.checkins else None
        # Said with the session, or at a check-in (and then when): a flag must
        # not credit the session with what only a later check-in reported.
        said = [(r, "") for r in s.ratings]
        said += [
            (r, f" at the check-in of {day_label(c.day)}")
            for c in sorted(s.checkins, key=lambda c: c.day)
            for r in c.ratings
        ]
        flagged: set[tuple[str, str]] = set()
        for r, when in said:
            what = "reported" if r.effect in ALWAYS_FLAG else "rated severe"
            if not r.severity or (what == "rated severe" and r.severity < SEVERE) or (r.label, what) in flagged:
                continue
            flagged.add((r.label, what))
            reasons.append(f"{r.label} {what}{when}")
        for r in s.ratings:
            if r.severity and r.days_lasted is not None and r.days_lasted > LINGERING_DAYS:
                reasons.append(f"{r.label} lasted {r.days_lasted} days")
        if latest and (latest.day - s.day).days > LINGERING_DAYS:
            for r in latest.ratings:
                if r.severity:
                    reasons.append(f"{r.label} still there {(latest.day - s.day).days} days after the session")
        for reason in dict.fromkeys(reasons):  # each reason once, in order
            flags.append(Flag(s.day, reason))
    return flags
