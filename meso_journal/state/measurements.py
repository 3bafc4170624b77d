"""Tape-measure circumference and weight: objective figures beside the
patient's impressions (the one thigh study measured size)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from meso_journal import clock, database
from meso_journal.rules import validation
from meso_journal.rules.describe import measurement_name
from meso_journal.rules.units import shown
from meso_journal.state.base import AppState, FormState, NotSignedIn, off_loop, page_load, saves_form
from meso_journal.state.helpers import day_label
from meso_journal.store import journal


@dataclasses.dataclass
class MeasurementRow:
    id: int
    day: str
    what: str
    value: str


class MeasurementsState(FormState, AppState):
    rows: list[MeasurementRow] = []
    length_unit: str = "cm"
    weight_unit: str = "kg"
    kind: str = "circumference"
    notice: str = ""
    form_key: int = 0
    confirm_delete_id: int = 0  # the row whose delete is being asked about

    def _refresh(self, db) -> None:
        owner = self._owner()
        user = journal.get_patient(db=db, owner_id=owner)
        self.length_unit, self.weight_unit = user.length_unit, user.weight_unit
        self.rows = [
            MeasurementRow(
                m.id,
                day_label(m.measured_on),
                measurement_name(m.area),
                shown(m.value, m.unit, length_unit=self.length_unit, weight_unit=self.weight_unit),
            )
            for m in journal.list_measurements(db=db, owner_id=owner, course_id=self.course_id or None)
        ]

    @rx.event
    @page_load
    def load(self):
        self._fresh_form()
        with database.session() as db:
            self._refresh(db)

    @rx.event
    def set_kind(self, value: str):
        if not isinstance(value, str) or value not in ("circumference", "weight"):
            return self._refuse()
        self.kind = value

    def _stored_by_outbox(self):
        with database.session() as db:
            self._refresh(db)
        self.notice = "Measurement saved."
        self.form_key += 1

    @rx.event
    @off_loop
    @saves_form(gone="Your course could not be found.")
    def save(self, form_data: dict):
        self.notice = ""
        data = validation.measurement_input(form_data, today=clock.today())
        with database.session() as db:
            journal.add_measurement(db=db, owner_id=self._owner(), course_id=self.course_id or None, data=data)
            self._refresh(db)
        self.notice = "Measurement saved."
        self.form_key += 1

    @rx.event
    def ask_delete(self, measurement_id: int):
        if not isinstance(measurement_id, int) or not any(r.id == measurement_id for r in self.rows):
            return self._refuse()
        self.confirm_delete_id = measurement_id

    @rx.event
    def cancel_delete(self):
        self.confirm_delete_id = 0

    @rx.event
    @off_loop
    def delete(self):
        measurement_id, self.confirm_delete_id = self.confirm_delete_id, 0
        try:
            with database.session() as db:
                journal.delete_measurement(db=db, owner_id=self._owner(), measurement_id=measurement_id)
                self._refresh(db)
        except (journal.NotFound, NotSignedIn):
            self.problem = "That measurement was already gone."
            return
        self.notice = "Measurement deleted."

    @rx.event
    @off_loop
    def set_units(self, form_data: dict):
        try:
            with database.session() as db:
                journal.set_units(
                    db=db,
                    owner_id=self._owner(),
                    length_unit=form_data.get("length_unit") if isinstance(form_data, dict) else None,
                    weight_unit=form_data.get("weight_unit") if isinstance(form_data, dict) else None,
                )
                self._refresh(db)
        except (ValueError, NotSignedIn):
            self.problem = "Choose the units from the lists."
            return
        self.notice = "Units saved."
