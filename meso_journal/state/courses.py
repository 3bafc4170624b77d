"""Courses: the list, and the form to start or edit one."""

from __future__ import annotations

import dataclasses

import reflex as rx

from meso_journal import clock, database, photos, routes
from meso_journal.rules import catalog, validation
from meso_journal.state.base import AppState, FormState, NotSignedIn, off_loop, page_load, saves_form
from meso_journal.state.helpers import day_label, query_id
from meso_journal.store import journal


@dataclasses.dataclass
class CourseRow:
    id: int
    label: str
    detail: str
    status: str
    edit_url: str


class CoursesState(AppState):
    rows: list[CourseRow] = []

    @rx.event
    @page_load
    def load(self):
        with database.session() as db:
            self.rows = [
                CourseRow(
                    c.id,
                    catalog.course_label(c.goal, c.areas),
                    " · ".join(x for x in (f"Started {day_label(c.start_date)}", c.clinic) if x),
                    catalog.COURSE_STATUSES[c.status],
                    routes.edit_course(c.id),
                )
                for c in journal.list_courses(db=db, owner_id=self._owner())
            ]


class CourseFormState(FormState, AppState):
    editing_id: int = 0
    form_key: int = 0  # bumped on load so the uncontrolled inputs take new defaults
    goal: str = "cellulite"
    areas: list[str] = []
    custom_areas: str = ""
    clinic: str = ""
    practitioner: str = ""
    clinic_phone: str = ""
    start_date: str = ""
    planned_sessions: str = ""
    status: str = "active"
    confirming_delete: bool = False

    @rx.event
    @page_load
    def load(self):
        self._fresh_form()
        self.start_date = clock.today().isoformat()
        course_id = query_id(self.router.url.query_parameters, "id")
        if course_id is None:
            return
        with database.session() as db:
            try:
                c = journal.get_course(db=db, owner_id=self._owner(), course_id=course_id)
            except journal.NotFound:
                return rx.redirect(routes.COURSES, replace=True)
        self.editing_id = c.id
        self.goal, self.status = c.goal, c.status
        self.areas = [a for a in c.areas if a in catalog.AREAS]
        self.custom_areas = ", ".join(a for a in c.areas if a not in catalog.AREAS)
        self.clinic, self.practitioner, self.clinic_phone = c.clinic, c.practitioner, c.clinic_phone
        self.start_date = c.start_date.isoformat()
        self.planned_sessions = str(c.planned_sessions or "")

    @rx.event
    @off_loop
    @saves_form(gone="This course no longer exists.")
    def save(self, form_data: dict):
        data = validation.course_input(form_data, today=clock.today())
        with database.session() as db:
            if self.editing_id:
                journal.update_course(db=db, owner_id=self._owner(), course_id=self.editing_id, data=data)
            else:
                journal.create_course(db=db, owner_id=self._owner(), data=data)
        return rx.redirect(f"{routes.TIMELINE}?done=course")

    @rx.event
    def ask_delete(self):
        self.confirming_delete = True

    @rx.event
    def cancel_delete(self):
        self.confirming_delete = False

    @rx.event
    @off_loop
    def delete(self):
        if not self.confirming_delete or not self.editing_id:
            return
        try:
            owner = self._owner()
            with database.session() as db:
                keys = journal.delete_course(db=db, owner_id=owner, course_id=self.editing_id)
            for key in keys:
                photos.remove(owner, key)
        except (journal.NotFound, NotSignedIn):
            pass
        return rx.redirect(f"{routes.COURSES}?done=deleted")
