"""The current course's record, newest first, with delete and undo."""

from __future__ import annotations

import dataclasses

import reflex as rx

from meso_journal import database, records, routes
from meso_journal.rules import catalog
from meso_journal.state.base import AppState, NotSignedIn, course_label
from meso_journal.state.helpers import day_label, money, now

NOTICES = {
    "session": "Session saved.",
    "checkin": "Check-in saved.",
    "course": "Course saved.",
}


@dataclasses.dataclass
class CheckInItem:
    day: str
    effects: list[str]
    note: str


@dataclasses.dataclass
class SessionItem:
    id: int
    when: str
    areas: str
    details: str
    effects: list[str]
    notes: str
    checkins: list[CheckInItem]
    edit_url: str
    checkin_url: str


def _effect_chips(ratings) -> list[str]:
    chips = []
    for r in ratings:
        if not r.severity:
            continue
        name = r.other_name or catalog.label(catalog.SIDE_EFFECTS, r.effect)
        days = (
            f" · {r.days_lasted} day{'s' if r.days_lasted != 1 else ''}" if r.days_lasted is not None else ""
        )
        chips.append(f"{name}: {catalog.SEVERITIES[r.severity]}{days}")
    return chips


def _details(s) -> str:
    parts = [
        ", ".join(catalog.label(catalog.SUBSTANCES, x) for x in s.substances),
        f"{s.depth_mm:g} mm deep" if s.depth_mm is not None else "",
        f"about {s.injections} injections" if s.injections else "",
        catalog.METHODS[s.method].lower() if s.method != "unknown" else "",
        {True: "numbed", False: "no numbing", None: ""}[s.numbing],
        f"pain {s.pain}/10" if s.pain is not None else "",
        money(s.cost_cents, s.currency),
        f"{s.downtime_hours // 24} day(s) off" if s.downtime_hours and s.downtime_hours % 24 == 0 else "",
        f"{s.downtime_hours} hours off" if s.downtime_hours and s.downtime_hours % 24 else "",
    ]
    return " · ".join(p for p in parts if p)


class TimelineState(AppState):
    course_title: str = ""
    course_detail: str = ""
    session_count: int = 0
    items: list[SessionItem] = []
    has_more: bool = False
    notice: str = ""
    undo_id: int = 0
    undo_text: str = ""

    def _page(self, db, offset: int) -> list[SessionItem]:
        owner = self._owner()
        page = records.list_sessions(session=db, owner_id=owner, course_id=self.course_id, offset=offset)
        checkins: dict[int, list[CheckInItem]] = {}
        for c in records.list_checkins(session=db, owner_id=owner, course_id=self.course_id):
            checkins.setdefault(c.checkin.session_id, []).append(
                CheckInItem(
                    day_label(c.checkin.checked_on),
                    _effect_chips(c.ratings) or ["No side effects"],
                    c.checkin.note,
                )
            )
        self.has_more = len(page) == records.PAGE
        return [
            SessionItem(
                id=r.session.id,
                when=f"{day_label(r.session.performed_at.date())}, {r.session.performed_at:%H:%M}",
                areas=", ".join(catalog.label(catalog.AREAS, a) for a in r.session.areas),
                details=_details(r.session),
                effects=_effect_chips(r.ratings),
                notes=r.session.notes,
                checkins=checkins.get(r.session.id, []),
                edit_url=routes.edit_session(r.session.id),
                checkin_url=routes.checkin(r.session.id),
            )
            for r in page
        ]

    def _refresh(self) -> None:
        self.items, self.course_title, self.session_count = [], "", 0
        if not self.course_id:
            return
        with database.session() as db:
            owner = self._owner()
            records.purge_deleted(session=db, owner_id=owner, now=now())
            course = records.get_course(session=db, owner_id=owner, course_id=self.course_id)
            self.course_title = course_label(course)
            self.course_detail = " · ".join(
                x for x in (catalog.COURSE_STATUSES[course.status], course.clinic, course.practitioner) if x
            )
            self.session_count = records.count_sessions(session=db, owner_id=owner, course_id=course.id)
            self.items = self._page(db, 0)

    @rx.event
    def load(self):
        if self._user_id is None:
            return
        self.notice = NOTICES.get(self.router.url.query_parameters.get("done", ""), "")
        self.undo_id, self.undo_text = 0, ""
        try:
            self._refresh()
        except records.NotFound:
            self.items = []

    @rx.event
    def load_more(self):
        try:
            with database.session() as db:
                self.items = self.items + self._page(db, len(self.items))
        except (records.NotFound, NotSignedIn):
            self.has_more = False

    @rx.event
    def delete_session(self, session_id: int):
        try:
            with database.session() as db:
                row = records.delete_session(
                    session=db, owner_id=self._owner(), session_id=session_id, now=now()
                )
            self._refresh()
        except (records.NotFound, NotSignedIn):
            self.problem = "That session was already gone."
            return
        self.notice = ""
        self.undo_id = row.id
        self.undo_text = f"Session of {day_label(row.performed_at.date())} deleted."

    @rx.event
    def undo_delete(self):
        try:
            with database.session() as db:
                records.restore_session(session=db, owner_id=self._owner(), session_id=self.undo_id)
            self._refresh()
        except (records.NotFound, NotSignedIn):
            self.problem = "That session can no longer be restored."
            return
        self.undo_id, self.undo_text = 0, ""
        self.notice = "Session restored."
