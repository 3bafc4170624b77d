"""The course position rules, table by table."""

from datetime import date, timedelta

import pytest

from meso_journal.rules import schedule as s

TODAY = date(2026, 11, 25)


def days_ago(*ns: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in ns]


def pos(visit_days, **kw):
    args = {"status": "active", "planned": None, "phase_override": None, "goal": "cellulite", "today": TODAY}
    return s.position(visit_days=visit_days, **{**args, **kw})


def test_it_has_nothing_due_before_the_first_session():
    p = pos([])
    assert p.count == 0 and p.window is None and p.phase is None and not p.overdue
    assert p.headline == "No sessions yet. A typical course is 3–15 sessions."


def test_it_starts_weekly_after_one_session():
    p = pos(days_ago(2))
    assert p.headline == "Session 1 of a typical 3–15"
    assert p.phase is s.WEEKLY
    assert p.window == (TODAY + timedelta(days=5), TODAY + timedelta(days=8))


@pytest.mark.parametrize(
    ("gaps_ago", "phase"),
    [
        ((21, 14, 7), s.WEEKLY),  # regular weekly
        ((17, 9, 0), s.WEEKLY),  # 8 and 9 days: still the 7–10 day phase
        ((30, 20, 8), s.WEEKLY),  # irregular, latest gap 12 days: a couple of days late
        ((40, 33, 26, 12), s.FORTNIGHTLY),  # switched to every two weeks
        ((40, 33, 26, 11), s.FORTNIGHTLY),  # 15 days, a day late
        ((90, 60, 30), s.MONTHLY),
        ((70, 47, 20), s.MONTHLY),  # 27 days
    ],
)
def test_it_infers_the_phase_from_the_latest_gap(gaps_ago, phase):
    assert pos(days_ago(*gaps_ago)).phase is phase


@pytest.mark.parametrize("override", ["weekly", "fortnightly", "monthly"])
def test_it_uses_the_phase_the_patient_set(override):
    p = pos(days_ago(21, 14, 7), phase_override=override)
    assert p.phase is s.PHASES[override] and p.phase_set_by_patient
    last = TODAY - timedelta(days=7)
    assert p.window == (last + timedelta(days=p.phase.min_days), last + timedelta(days=p.phase.max_days))


def test_it_ignores_an_unknown_override():
    assert pos(days_ago(21, 14, 7), phase_override="daily").phase is s.WEEKLY


@pytest.mark.parametrize(("last_ago", "overdue"), [(10, False), (11, True), (3, False)])
def test_it_is_overdue_only_after_the_window_closes(last_ago, overdue):
    assert pos(days_ago(last_ago)).overdue is overdue


@pytest.mark.parametrize("status", ["paused", "finished", "stopped"])
def test_it_gives_no_window_to_a_course_that_is_not_active(status):
    p = pos(days_ago(30, 20, 12), status=status)
    assert p.window is None and not p.overdue and p.nsaid_pause_from is None
    assert p.count == 3


def test_it_notes_a_course_beyond_the_typical_range_without_judging():
    assert not pos(days_ago(*range(15, 0, -1))).beyond_typical
    p = pos(days_ago(*range(16, 0, -1)))
    assert p.beyond_typical and p.headline == "Session 16 of a typical 3–15"


@pytest.mark.parametrize(
    ("last_ago", "pause_from_offset", "in_pause"),
    [
        (0, 0, True),  # window opens in 7 days: the pause starts today
        (1, -1, True),
        (10, -10, True),  # last day of the window: still no NSAIDs
        (11, -11, False),  # window closed (overdue): no running pause
    ],
)
def test_it_starts_the_nsaid_pause_seven_days_before_the_window(last_ago, pause_from_offset, in_pause):
    p = pos(days_ago(last_ago))
    assert p.nsaid_pause_from == TODAY + timedelta(days=pause_from_offset)
    assert p.nsaid_pause_from == p.window[0] - timedelta(days=7)
    assert p.in_nsaid_pause is in_pause


def test_it_does_not_pause_nsaids_the_day_before_the_pause():
    p = pos(days_ago(-1))  # a session logged for tomorrow (allowed: time zones)
    assert p.nsaid_pause_from == TODAY + timedelta(days=1)
    assert not p.in_nsaid_pause


def test_it_recognises_fat_treatments():
    assert pos([], goal="fat_removal").fat_goal and not pos([], goal="hair_loss").fat_goal
