"""The current course's record, newest first, with delete and undo."""

from __future__ import annotations

import dataclasses
from datetime import date

import reflex as rx

from meso_journal import clock, database, routes
from meso_journal.models import User
from meso_journal.rules import catalog, charts, costs, schedule
from meso_journal.rules.describe import cost_lines, day_label, effect_chips, measurement_name, visit_details
from meso_journal.rules.units import convert, shown
from meso_journal.state.base import AppState, NotSignedIn, off_loop, page_load
from meso_journal.store import journal, summaries

NOTICES = {
    "session": "Session saved.",
    "checkin": "Check-in saved.",
    "course": "Course saved.",
}


@dataclasses.dataclass
class CheckInItem:
    id: int
    day: str
    effects: list[str]
    note: str


@dataclasses.dataclass
class FeedItem:
    """A session (with its check-ins and photos) or a measurement."""

    kind: str  # "session" | "measurement"
    id: int
    when: str
    areas: str
    details: str
    effects: list[str]
    notes: str
    checkins: list[CheckInItem]
    photos: list[str]  # thumbnail URLs of the first photos tied to the session
    more_photos: int  # how many more there are (on the Photos tab)
    edit_url: str
    checkin_url: str


@dataclasses.dataclass
class DeletedVisit:
    id: int
    day: str
    until: float  # when its undo window closes (a Unix time)


EMPTY_CHART = charts.line_chart([], [])
PHOTOS_SHOWN = 4  # per session on the timeline; the rest are a tap away
# One colour per measured place, in the order they were first measured.
MEASURE_COLOURS = ["teal", "orange", "iris", "crimson", "grass", "amber"]


def _short(d) -> str:
    return f"{d.day} {d:%b}"


def _chart_of(values: dict[str, dict[date, float]]) -> charts.Chart:
    """A line per series, on a time axis, in the order they were first measured."""
    shown_series = list(values.items())[: len(MEASURE_COLOURS)]
    days = sorted({day for _, by_day in shown_series for day in by_day})
    return charts.line_chart(
        [_short(day) for day in days],
        [
            (name, colour, [by_day.get(day) for day in days])
            for (name, by_day), colour in zip(shown_series, MEASURE_COLOURS, strict=False)
        ],
        xs=[day.toordinal() for day in days],
    )


class TimelineState(AppState):
    _shown_for: tuple = ()  # AppState._loaded_for() when the data below was loaded
    course_title: str = ""
    course_detail: list[str] = []  # status, clinic, practitioner: shown apart, each isolated
    session_count: int = 0
    # Where the course stands (rules.schedule), as sentences.
    headline: str = ""
    course_notes: list[str] = []
    phase_text: str = ""
    phase_override: str = ""
    window_text: str = ""
    overdue: bool = False
    nsaid_text: str = ""
    in_nsaid_pause: bool = False
    has_calendar: bool = False
    # Red flags (rules.red_flags) and whom to call.
    flags: list[str] = []
    clinic: str = ""
    clinic_phone: str = ""
    # Costs (rules.costs).
    cost_lines: list[str] = []
    cost_context: list[str] = []
    # Drawn as SVG from rules.charts; only shown with two points or more.
    # Side effects (0–3) and pain (0–10) each on its own scale: on one axis
    # the severities looked flat.
    effects_chart: charts.Chart = EMPTY_CHART
    pain_chart: charts.Chart = EMPTY_CHART
    measure_chart: charts.Chart = EMPTY_CHART  # tape measurements
    weight_chart: charts.Chart = EMPTY_CHART
    items: list[FeedItem] = []
    # Where the shown feed ends (journal.TimelineCursor, encoded): "Load more" goes on from there.
    _next: str = ""
    has_more: bool = False
    notice: str = ""
    undo_id: int = 0
    undo_text: str = ""
    # Sessions deleted within the undo window: restorable after the undo
    # notice has gone (it lasts only while the page stays open).
    recently_deleted: list[DeletedVisit] = []
    confirm_delete_id: int = 0  # the session whose delete is being asked about
    confirm_checkin_id: int = 0  # the check-in whose delete is being asked about

    def _page(self, db, user: User, after: journal.TimelineCursor | None) -> list[FeedItem]:
        """The next page of the feed (journal.timeline_page); remembers where it ended."""
        page = journal.timeline_page(db=db, owner_id=user.id, course_id=self.course_id, after=after)
        self._next = page.next.encode() if page.next else ""
        self.has_more = page.next is not None
        return [self._item(entry, user) for entry in page.entries]

    @staticmethod
    def _item(entry: journal.TimelineEntry, user: User) -> FeedItem:
        if entry.measurement is not None:
            m = entry.measurement
            return FeedItem(
                kind="measurement",
                id=m.id,
                when=day_label(m.measured_on),
                areas=measurement_name(m.area),
                details=shown(m.value, m.unit, length_unit=user.length_unit, weight_unit=user.weight_unit),
                effects=[], notes="", checkins=[], photos=[], more_photos=0, edit_url="", checkin_url="",
            )  # fmt: skip
        r = entry.visit
        thumbs = [routes.photo_url(p.id, "thumb", p.storage_key) for p in entry.photos]
        return FeedItem(
            kind="session",
            id=r.visit.id,
            when=f"{day_label(r.visit.performed_at.date())}, {r.visit.performed_at:%H:%M}",
            areas=", ".join(catalog.label(catalog.AREAS, a) for a in r.visit.areas),
            details=visit_details(r.visit),
            effects=effect_chips(r.ratings),
            notes=r.visit.notes,
            checkins=[
                CheckInItem(
                    c.checkin.id,
                    day_label(c.checkin.checked_on),
                    effect_chips(c.ratings) or ["No side effects"],
                    c.checkin.note,
                )
                for c in entry.checkins
            ],
            photos=thumbs[:PHOTOS_SHOWN],
            more_photos=max(0, len(thumbs) - PHOTOS_SHOWN),
            edit_url=routes.edit_visit(r.visit.id),
            checkin_url=routes.checkin(r.visit.id),
        )

    def _measure_chart(self, db, user: User) -> None:
        """One line per measured area, and weight on a chart of its own, in the
        patient's own units: on one scale a thigh's few centimetres looked flat
        beside a weight in pounds (found walking the app)."""
        tape: dict[str, dict[date, float]] = {}
        weight: dict[str, dict[date, float]] = {}
        for m in reversed(journal.list_measurements(db=db, owner_id=user.id, course_id=self.course_id)):
            unit = user.length_unit if m.kind == "circumference" else user.weight_unit
            into = tape if m.kind == "circumference" else weight
            name = f"{measurement_name(m.area)} ({unit})"
            into.setdefault(name, {})[m.measured_on] = round(convert(m.value, m.unit, unit), 1)
        self.measure_chart = _chart_of(tape)
        self.weight_chart = _chart_of(weight)

    def _refresh(self) -> None:
        self.items, self.course_title, self.session_count = [], "", 0
        if not self.course_id:
            return
        with database.session() as db:
            owner = self._owner()
            course = journal.get_course(db=db, owner_id=owner, course_id=self.course_id)
            self.course_title = catalog.course_label(course.goal, course.areas)
            self.course_detail = [
                x for x in (catalog.COURSE_STATUSES[course.status], course.clinic, course.practitioner) if x
            ]
            # Held here for the whole refresh: the session's identity map keeps
            # objects only while something refers to them.
            user = journal.get_patient(db=db, owner_id=owner)
            self.items = self._page(db, user, None)
            self._measure_chart(db, user)
            gone = journal.recently_deleted_visits(db=db, owner_id=owner, course_id=course.id, now=clock.now())
            self.recently_deleted = [
                DeletedVisit(
                    journal.stored_id(v.id),
                    day_label(v.performed_at.date()),
                    (v.deleted_at + journal.UNDO_WINDOW).timestamp() if v.deleted_at else 0.0,
                )
                for v in gone
            ]
            summary = summaries.summarize(db=db, owner_id=owner, course_id=course.id, today=clock.today())
            self.session_count = len(summary.chart)  # one point per session
            self._summarize(summary)

    def _summarize(self, summary: summaries.CourseSummary) -> None:
        p, course, t = summary.position, summary.course, clock.today()
        self.headline = p.headline
        notes = []
        if p.planned:
            notes.append(f"Your practitioner planned {p.planned} sessions.")
        if p.beyond_typical:
            notes.append(f"{p.count} sessions so far: more than the typical {schedule.TYPICAL_MAX}; courses vary.")
        elif p.fat_goal:
            notes.append("Fat treatments often take 10 sessions or more.")
        self.course_notes = notes
        self.phase_override = course.phase_override or ""
        self.phase_text = ""
        if p.phase and p.phase_set_by_patient:
            self.phase_text = f"Sessions {p.phase.label}, as you set it."
        elif p.phase and p.count < 2:
            self.phase_text = f"Sessions {p.phase.label}: the usual start of a course."
        elif p.phase:
            self.phase_text = f"Sessions {p.phase.label}, going by the gap between your last two sessions."
        self.window_text, self.overdue, self.nsaid_text = "", p.overdue, ""
        if p.window:
            start, end = p.window
            if p.overdue:
                self.window_text = f"The usual window for your next session closed on {_short(end)}."
            else:
                self.window_text = f"Next session usually due between {_short(start)} and {_short(end)}."
            if p.in_nsaid_pause:
                self.nsaid_text = (
                    f"No aspirin or other NSAIDs from now until your next session (due {_short(start)}–{_short(end)})."
                )
            elif p.nsaid_pause_from > t:
                self.nsaid_text = f"Stop aspirin and other NSAIDs from {_short(p.nsaid_pause_from)}."
        elif course.status != "active":
            self.window_text = f"This course is {catalog.COURSE_STATUSES[course.status].lower()}: nothing is due."
        self.in_nsaid_pause = p.in_nsaid_pause
        self.has_calendar = p.window is not None and not p.overdue
        self.flags = [f"{f.reason} (session of {day_label(f.visit_day)})" for f in summary.flags]
        self.clinic, self.clinic_phone = course.clinic, course.clinic_phone
        self.cost_lines = cost_lines(summary.costs)
        self.cost_context = list(costs.CONTEXT)
        labels = [point.label for point in summary.chart]
        # Spaced by date, not by entry: a four-day gap and a six-month one must look different.
        xs = [float(point.day.toordinal()) for point in summary.chart if point.day is not None]
        when = xs if len(xs) == len(labels) else None
        self.effects_chart = charts.line_chart(
            labels,
            [("Worst side effect (0–3)", "orange", [point.worst for point in summary.chart])],
            y_range=(0, 3),
            xs=when,
        )
        self.pain_chart = charts.line_chart(
            labels, [("Pain (0–10)", "teal", [point.pain for point in summary.chart])], y_range=(0, 10), xs=when
        )

    @rx.event
    @page_load
    def load(self):
        self.notice = NOTICES.get(self.router.url.query_parameters.get("done", ""), "")
        self.undo_id, self.undo_text = 0, ""
        if self._shown_for == self._loaded_for():
            # Nothing written and the same day since this tab last loaded it;
            # only the restorable list moves with the clock.
            now = clock.now().timestamp()
            if any(d.until <= now for d in self.recently_deleted):
                self.recently_deleted = [d for d in self.recently_deleted if d.until > now]
            return
        try:
            self._refresh()
        except journal.NotFound:
            self.items = []
        self._shown_for = self._loaded_for()

    @rx.event
    @off_loop
    def set_phase(self, value: str):
        try:
            with database.session() as db:
                journal.set_phase(db=db, owner_id=self._owner(), course_id=self.course_id, phase=value)
            self._refresh()
        except (ValueError, TypeError, journal.NotFound, NotSignedIn):
            return self._refuse()

    @rx.event
    @off_loop
    def load_more(self):
        after = journal.TimelineCursor.decode(self._next)
        if after is None:
            self.has_more = False
            return
        try:
            with database.session() as db:
                self.items = self.items + self._page(db, journal.get_patient(db=db, owner_id=self._owner()), after)
        except (journal.NotFound, NotSignedIn):
            self.has_more = False

    @rx.event
    def ask_delete(self, session_id: int):
        if not isinstance(session_id, int) or not any(i.kind == "session" and i.id == session_id for i in self.items):
            return self._refuse()
        self.confirm_delete_id = session_id

    @rx.event
    def cancel_delete(self):
        self.confirm_delete_id, self.confirm_checkin_id = 0, 0

    @rx.event
    def ask_delete_checkin(self, checkin_id: int):
        if not isinstance(checkin_id, int) or not any(c.id == checkin_id for i in self.items for c in i.checkins):
            return self._refuse()
        self.confirm_checkin_id = checkin_id

    @rx.event
    @off_loop
    def delete_checkin(self):
        checkin_id, self.confirm_checkin_id = self.confirm_checkin_id, 0
        try:
            with database.session() as db:
                journal.delete_checkin(db=db, owner_id=self._owner(), checkin_id=checkin_id)
            self._refresh()
        except (journal.NotFound, NotSignedIn):
            self.problem = "That check-in was already gone."
            return
        self.notice = "Check-in deleted."

    @rx.event
    @off_loop
    def delete_visit(self):
        session_id, self.confirm_delete_id = self.confirm_delete_id, 0
        try:
            with database.session() as db:
                row = journal.delete_visit(db=db, owner_id=self._owner(), visit_id=session_id, now=clock.now())
            self._refresh()
        except (journal.NotFound, NotSignedIn):
            self.problem = "That session was already gone."
            return
        self.notice = ""
        self.undo_id = row.id
        self.undo_text = f"Session of {day_label(row.performed_at.date())} deleted."

    @rx.event
    @off_loop
    def undo_delete(self):
        return self._restore(self.undo_id)

    @rx.event
    @off_loop
    def restore(self, visit_id: int):
        """From the "Deleted in the last hour" list: the id must be one it shows."""
        if not isinstance(visit_id, int) or not any(d.id == visit_id for d in self.recently_deleted):
            return self._refuse()
        return self._restore(visit_id)

    def _restore(self, visit_id: int):
        try:
            with database.session() as db:
                journal.restore_visit(db=db, owner_id=self._owner(), visit_id=visit_id, now=clock.now())
            self._refresh()
        except (journal.NotFound, NotSignedIn):
            self.problem = "That session can no longer be restored."
            return
        self.undo_id, self.undo_text = 0, ""
        self.notice = "Session restored."
