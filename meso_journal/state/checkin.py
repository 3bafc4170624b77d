"""A follow-up check-in on a session: how each side effect is doing today."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import reflex as rx

from meso_journal import clock, database, routes
from meso_journal.rules import catalog, validation
from meso_journal.state.base import AppState, FormState, NotSignedIn, off_loop, page_load, saves_form
from meso_journal.state.helpers import day_label, query_id
from meso_journal.store import journal


@dataclasses.dataclass
class DayChoice:
    label: str
    value: str


class CheckInState(FormState, AppState):
    visit_id: int = 0
    session_label: str = ""
    checked_on: str = ""
    suggestions: list[DayChoice] = []
    ratings: dict[str, str] = {}
    other_effect_name: str = ""
    filled_from: str = ""  # where the starting ratings came from, said on the form
    form_key: int = 0

    @rx.event
    @page_load
    def load(self):
        self._fresh_form()
        visit_id = query_id(self.router.url.query_parameters, "session")
        try:
            with database.session() as db:
                row = journal.get_visit(db=db, owner_id=self._owner(), visit_id=visit_id)
                before = journal.latest_checkin(db=db, owner_id=self._owner(), visit_id=row.id)
                latest = (
                    before.ratings if before else journal.visit_ratings(db=db, owner_id=self._owner(), visit_id=row.id)
                )
        except (journal.NotFound, NotSignedIn):
            return rx.redirect(routes.TIMELINE, replace=True)
        self.visit_id = row.id
        day = row.performed_at.date()
        self.session_label = day_label(day)
        # Day 1, 3 and 7 after the session: when swelling and bruising usually
        # settle. Offered up to tomorrow (the phone's day may be ahead of the
        # server's), but the form starts on a day that has come.
        today = clock.today()
        self.suggestions = [
            DayChoice(f"Day {n} · {day_label(day + timedelta(days=n))}", (day + timedelta(days=n)).isoformat())
            for n in (1, 3, 7)
            if day + timedelta(days=n) <= today + timedelta(days=1)
        ]
        past = [s.value for s in self.suggestions if s.value <= today.isoformat()]
        self.checked_on = past[-1] if past else min(day, today).isoformat()
        # Start from what the patient last reported (the latest check-in, else
        # the session), and say so: saved untouched, it is today's answer.
        self.ratings = {r.effect: catalog.SEVERITIES[r.severity] for r in latest if r.severity}
        source = f"your check-in of {day_label(before.checkin.checked_on)}" if before else "your session"
        self.filled_from = (
            f"Filled in from {source}. Change what is different today; set what has gone to None."
            if self.ratings
            else ""
        )
        # "Other" comes with its name, or the pre-filled rating could not be saved as it is.
        self.other_effect_name = next((r.other_name for r in latest if r.effect == catalog.OTHER_EFFECT), "")

    def _stored_by_outbox(self):
        return rx.redirect(routes.AFTER_SAVE["checkin"])

    @rx.event
    @off_loop
    @saves_form(gone="That session no longer exists.")
    def save(self, form_data: dict):
        with database.session() as db:
            row = journal.get_visit(db=db, owner_id=self._owner(), visit_id=self.visit_id)
            data = validation.checkin_input(form_data, visit_day=row.performed_at.date(), today=clock.today())
            journal.create_checkin(db=db, owner_id=self._owner(), visit_id=row.id, data=data)
        return rx.redirect(routes.AFTER_SAVE["checkin"])
