"""Logging a session (new or edited), with its side effects and downtime."""

from __future__ import annotations

import reflex as rx

from meso_journal import clock, database, routes
from meso_journal.rules import catalog, validation
from meso_journal.state.base import AppState, FormState, off_loop, page_load, saves_form
from meso_journal.state.helpers import query_id
from meso_journal.store import journal


class LogState(FormState, AppState):
    editing_id: int = 0
    form_key: int = 0
    performed_at: str = ""  # empty for a new session: the browser fills in its local time
    areas: list[str] = []
    custom_areas: str = ""
    substances: list[str] = []
    product_and_dose: str = ""
    depth_mm: str = ""
    injections: str = ""
    method: str = "unknown"
    numbing: str = "unknown"
    cost: str = ""
    currency: str = "USD"
    pain: str = ""
    nsaids_avoided: str = "unsure"
    downtime: str = "none"
    downtime_amount: str = ""
    notes: str = ""
    ratings: dict[str, str] = {}
    days: dict[str, str] = {}
    other_effect_name: str = ""

    @rx.event
    @page_load
    def load(self):
        self._fresh_form()
        if not self.course_id:
            return
        visit_id = query_id(self.router.url.query_parameters, "edit")
        with database.session() as db:
            owner = self._owner()
            if visit_id is not None:
                try:
                    row = journal.get_visit(db=db, owner_id=owner, visit_id=visit_id)
                    ratings = journal.visit_ratings(db=db, owner_id=owner, visit_id=visit_id)
                except journal.NotFound:
                    return rx.redirect(routes.LOG, replace=True)
                self._fill(row, ratings)
                return
            course = journal.get_course(db=db, owner_id=owner, course_id=self.course_id)
            last = journal.last_visit(db=db, owner_id=owner, course_id=course.id)
        # "Same as last time": the areas and substances change least between visits.
        source = last.areas if last else course.areas
        self.areas = [a for a in source if a in catalog.AREAS]
        self.custom_areas = ", ".join(a for a in source if a not in catalog.AREAS)
        if last:
            self.substances = list(last.substances)
            self.product_and_dose = last.product_and_dose
            self.currency = last.currency

    def _fill(self, row, ratings) -> None:
        self.editing_id = row.id
        self.performed_at = row.performed_at.strftime("%Y-%m-%dT%H:%M")
        self.areas = [a for a in row.areas if a in catalog.AREAS]
        self.custom_areas = ", ".join(a for a in row.areas if a not in catalog.AREAS)
        self.substances = list(row.substances)
        self.product_and_dose = row.product_and_dose
        self.depth_mm = "" if row.depth_mm is None else f"{row.depth_mm:g}"
        self.injections = str(row.injections or "")
        self.method = row.method
        self.numbing = {True: "yes", False: "no", None: "unknown"}[row.numbing]
        self.cost = "" if row.cost_cents is None else f"{row.cost_cents / 100:.2f}"
        self.currency = row.currency
        self.pain = "" if row.pain is None else str(row.pain)
        self.nsaids_avoided = row.nsaids_avoided
        hours = row.downtime_hours or 0
        if hours == 0:
            self.downtime, self.downtime_amount = "none", ""
        elif hours % 24 == 0:
            self.downtime, self.downtime_amount = "days", str(hours // 24)
        else:
            self.downtime, self.downtime_amount = "hours", str(hours)
        self.notes = row.notes
        self.ratings = {r.effect: catalog.SEVERITIES[r.severity] for r in ratings}
        self.days = {r.effect: str(r.days_lasted) for r in ratings if r.days_lasted is not None}
        self.other_effect_name = next((r.other_name for r in ratings if r.effect == catalog.OTHER_EFFECT), "")

    def _stored_by_outbox(self):
        return rx.redirect(routes.AFTER_SAVE["session"])

    @rx.event
    @off_loop
    @saves_form(gone="This session or its course no longer exists.")
    def save(self, form_data: dict):
        data = validation.visit_input(form_data, today=clock.today())
        with database.session() as db:
            owner = self._owner()
            if self.editing_id:
                journal.update_visit(db=db, owner_id=owner, visit_id=self.editing_id, data=data)
            else:
                journal.create_visit(db=db, owner_id=owner, course_id=self.course_id, data=data)
        # Only now, after the commit, does the patient hear "saved".
        return rx.redirect(routes.AFTER_SAVE["session"])
