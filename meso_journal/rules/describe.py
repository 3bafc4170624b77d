"""How records read as text: the same words on the timeline, in the doctor's
view, the PDF and the CSV. Plain functions, no Reflex, no database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from meso_journal.rules import catalog, costs, schedule


class Rating(Protocol):
    """What these words need of a side-effect rating (a SideEffectRating row)."""

    effect: str
    other_name: str
    severity: int
    days_lasted: int | None


class Visit(Protocol):
    """What visit_details needs of a session (a TreatmentSession row)."""

    substances: list[str]
    depth_mm: float | None
    injections: int | None
    method: str
    numbing: bool | None
    pain: int | None
    cost_cents: int | None
    currency: str
    downtime_hours: int | None


def day_label(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def money(cents: int | None, currency: str) -> str:
    if cents is None:
        return ""
    return f"{currency} {cents / 100:,.2f}".replace(".00", "")


def effect_name(rating: Rating) -> str:
    return effect_label(rating.effect, rating.other_name)


def effect_label(effect: str, other_name: str) -> str:
    """A side effect as the patient reads it: the catalogue's name, or the one they gave "Other"."""
    return other_name or catalog.label(catalog.SIDE_EFFECTS, effect)


def effect_chips(ratings: Iterable[Rating]) -> list[str]:
    """ "Swelling: mild · 2 days" for each side effect that was there."""
    chips = []
    for r in ratings:
        if not r.severity:
            continue
        days = f" · {r.days_lasted} day{'s' if r.days_lasted != 1 else ''}" if r.days_lasted is not None else ""
        chips.append(f"{effect_name(r)}: {catalog.severity_word(r.severity)}{days}")
    return chips


def downtime(hours: int | None) -> str:
    if not hours:
        return ""
    if hours % 24 == 0:
        return f"{hours // 24} day{'s' if hours != 24 else ''} off"
    return f"{hours} hours off"


def visit_details(s: Visit) -> str:
    """What was done, in one line: substances, depth, injections, method, numbing, pain, cost, time off."""
    parts = [
        ", ".join(catalog.label(catalog.SUBSTANCES, x) for x in s.substances),
        f"{s.depth_mm:g} mm deep" if s.depth_mm is not None else "",
        f"about {s.injections} injections" if s.injections else "",
        catalog.label(catalog.METHODS, s.method).lower() if s.method != "unknown" else "",
        {True: "numbed", False: "no numbing", None: ""}[s.numbing],
        f"pain {s.pain}/10" if s.pain is not None else "",
        money(s.cost_cents, s.currency),
        downtime(s.downtime_hours),
    ]
    return " · ".join(p for p in parts if p)


def areas(keys: list[str]) -> str:
    return ", ".join(catalog.label(catalog.AREAS, a) for a in keys)


def cost_lines(c: costs.Costs) -> list[str]:
    """What the course has cost per currency, and a typical course at that price;
    before any cost is logged, the article's range."""
    return [
        f"Spent so far: {money(x.spent_cents, x.currency)} over {x.sessions} "
        f"session{'s' if x.sessions != 1 else ''} (about {money(x.average_cents, x.currency)} each). "
        "A typical course of "
        f"{schedule.TYPICAL_MIN}–{schedule.TYPICAL_MAX} sessions at that price: "
        f"{money(x.typical_low_cents, x.currency)} to {money(x.typical_high_cents, x.currency)}."
        for x in c.totals
    ] or [
        f"No costs logged yet. Sessions usually cost about ${costs.ARTICLE_PER_SESSION_USD[0]} to "
        f"${costs.ARTICLE_PER_SESSION_USD[1]}, so a typical course comes to ${c.article_low_usd:,} to "
        f"${c.article_high_usd:,}."
    ]


def measurement_name(area: str) -> str:
    """What a measurement is of: its place, or "Weight" (a weight has no area)."""
    return area or "Weight"
