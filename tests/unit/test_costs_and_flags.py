"""Costs per currency, and the red flags that prompt a call to the practitioner."""

from datetime import date

import pytest

from meso_journal.rules.costs import costs
from meso_journal.rules.evidence import EVIDENCE, UNPROVEN
from meso_journal.rules.red_flags import CheckInRatings, Rating, VisitEffects, red_flags


def test_it_gives_the_articles_range_before_any_cost_is_logged():
    c = costs([(None, "USD"), (None, "EUR")])
    assert c.totals == []
    assert (c.article_low_usd, c.article_high_usd) == (750, 9000)


def test_it_keeps_currencies_apart():
    c = costs([(35000, "EUR"), (30000, "EUR"), (None, "EUR"), (40000, "USD")])
    eur, usd = c.totals
    assert (eur.currency, eur.spent_cents, eur.sessions, eur.average_cents) == ("EUR", 65000, 2, 32500)
    assert (eur.typical_low_cents, eur.typical_high_cents) == (97500, 487500)
    assert (usd.currency, usd.spent_cents) == ("USD", 40000)


def test_it_counts_a_free_session_as_zero_not_as_missing():
    [t] = costs([(0, "GBP"), (10000, "GBP")]).totals
    assert t.sessions == 2 and t.average_cents == 5000


DAY = date(2026, 11, 1)


def r(effect, severity, days=None):
    return Rating(effect, effect.capitalize(), severity, days)


@pytest.mark.parametrize(
    ("session", "reasons"),
    [
        (VisitEffects(DAY, [r("infection", 1)], []), ["Infection reported"]),
        (VisitEffects(DAY, [r("scars", 2)], []), ["Scars reported"]),
        (VisitEffects(DAY, [r("bruising", 3)], []), ["Bruising rated severe"]),
        (VisitEffects(DAY, [r("swelling", 1, 8)], []), ["Swelling lasted 8 days"]),
        (
            VisitEffects(DAY, [r("redness", 1)], [CheckInRatings(date(2026, 11, 9), [r("redness", 1)])]),
            ["Redness still there 8 days after the session"],
        ),
        (
            VisitEffects(DAY, [], [CheckInRatings(date(2026, 11, 4), [r("infection", 1)])]),
            ["Infection reported at the check-in of 4 Nov 2026"],  # not credited to the session
        ),
    ],
)
def test_it_flags(session, reasons):
    assert [f.reason for f in red_flags([session])] == reasons


@pytest.mark.parametrize(
    "session",
    [
        VisitEffects(DAY, [r("infection", 0), r("scars", 0)], []),  # rated "none"
        VisitEffects(DAY, [r("bruising", 2)], []),  # moderate is not severe
        VisitEffects(DAY, [r("swelling", 1, 7)], []),  # exactly 7 days
        VisitEffects(DAY, [r("redness", 1)], [CheckInRatings(date(2026, 11, 8), [r("redness", 1)])]),  # day 7
        VisitEffects(  # present on day 3, gone by day 9: the latest check-in counts
            DAY,
            [r("redness", 1)],
            [
                CheckInRatings(date(2026, 11, 4), [r("redness", 1)]),
                CheckInRatings(date(2026, 11, 10), [r("redness", 0)]),
            ],
        ),
    ],
)
def test_it_does_not_flag_near_misses(session):
    assert red_flags([session]) == []


def test_it_names_each_reason_once():
    s = VisitEffects(DAY, [r("infection", 3)], [CheckInRatings(date(2026, 11, 3), [r("infection", 3)])])
    assert [f.reason for f in red_flags([s])] == ["Infection reported"]


def test_it_keeps_the_evidence_facts():
    text = " ".join(p for section in EVIDENCE for p in section.points)
    for fact in (
        "1952",
        "2012",
        "6 people",
        "2008",
        "20 women",
        "American Society of Plastic Surgeons",
        "FDA",
        "finasteride and minoxidil",
        "licensed",
    ):
        assert fact in text
    assert "unproven" in UNPROVEN
