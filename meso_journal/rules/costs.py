"""What the course has cost, and what a typical course might cost, with the
article's figures for context. Money is kept per currency, never converted."""

from __future__ import annotations

from dataclasses import dataclass

from meso_journal.rules.schedule import TYPICAL_MAX, TYPICAL_MIN

ARTICLE_PER_SESSION_USD = (250, 600)
CONTEXT = [
    "Health insurance usually does not pay for mesotherapy.",
    "For comparison, liposuction cost about $3,200 on average in 2016, with up to six weeks of recovery.",
]


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    spent_cents: int
    sessions: int
    average_cents: int
    typical_low_cents: int  # TYPICAL_MIN sessions at the patient's own average
    typical_high_cents: int  # TYPICAL_MAX sessions


@dataclass(frozen=True)
class Costs:
    totals: list[CurrencyTotal]
    # Before any cost is logged: the article's range for a typical course, in dollars.
    article_low_usd: int = ARTICLE_PER_SESSION_USD[0] * TYPICAL_MIN
    article_high_usd: int = ARTICLE_PER_SESSION_USD[1] * TYPICAL_MAX


def costs(session_costs: list[tuple[int | None, str]]) -> Costs:
    """session_costs: (cost in cents or None when not logged, currency) per session."""
    by_currency: dict[str, list[int]] = {}
    for cents, currency in session_costs:
        if cents is not None:
            by_currency.setdefault(currency, []).append(cents)
    totals = []
    for currency, values in sorted(by_currency.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        average = round(sum(values) / len(values))
        totals.append(
            CurrencyTotal(currency, sum(values), len(values), average, average * TYPICAL_MIN, average * TYPICAL_MAX)
        )
    return Costs(totals)
