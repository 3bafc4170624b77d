"""The photo gallery of the current course, and comparing two photos."""

from __future__ import annotations

import dataclasses

import reflex as rx

from meso_journal import clock, database, photos, routes
from meso_journal.rules import validation
from meso_journal.state.base import AppState, FormState, NotSignedIn, off_loop, page_load
from meso_journal.state.helpers import day_label
from meso_journal.store import journal


@dataclasses.dataclass
class PhotoItem:
    id: int
    area: str
    day: str
    thumb: str
    display: str
    taken_on: str  # YYYY-MM-DD, for the edit form
    visit: str  # the visit's id, or "" when not tied to one


@dataclasses.dataclass
class Choice:
    value: str
    label: str


# Which field of the upload form each of photos.MESSAGES' codes is about.
UPLOAD_FIELD = {
    "no_area": "area",
    "bad_date": "taken_on",
    "future_date": "taken_on",
    "bad_session": "session",
    "gone_session": "session",
    "no_course": "form",
}


class PhotosState(FormState, AppState):
    _shown_for: tuple = ()  # AppState._loaded_for() when items, areas and sessions were loaded
    items: list[PhotoItem] = []
    areas: list[Choice] = []
    sessions: list[Choice] = []
    notice: str = ""
    just_added: list[PhotoItem] = []  # shown at the top, where the patient is after an upload
    # The upload form's choices, handed back after a refusal (web.upload_photos).
    chosen_area: str = ""
    chosen_session: str = ""
    chosen_day: str = ""
    compare_ids: list[int] = []
    confirm_delete_id: int = 0
    reveal: int = 50  # the comparison slider, in percent
    area_filter: str = ""  # "" shows every area
    viewing_id: int = 0  # the photo open full screen
    detail_errors: dict[str, str] = {}  # the viewer's edit form (`errors` is the upload form's)
    detail_notice: str = ""

    def _refresh(self) -> None:
        self.items = []
        if not self.course_id:
            return
        with database.session() as db:
            owner = self._owner()
            course = journal.get_course(db=db, owner_id=owner, course_id=self.course_id)
            rows = journal.list_photos(db=db, owner_id=owner, course_id=course.id)
            recent = journal.visit_days(db=db, owner_id=owner, course_id=course.id)
            areas = journal.photo_areas(db=db, owner_id=owner, course_id=course.id)
        self.items = [
            PhotoItem(
                p.id,
                p.area,
                day_label(p.taken_at.date()),
                routes.photo_url(p.id, "thumb", p.storage_key),
                routes.photo_url(p.id, "display", p.storage_key),
                f"{p.taken_at:%Y-%m-%d}",
                str(p.session_id or ""),
            )
            for p in rows
        ]
        self.areas = [Choice(n, n) for n in areas]
        self.sessions = [Choice(str(visit_id), f"Session of {day_label(at.date())}") for visit_id, at in recent]

    def _start_afresh(self) -> None:
        """reset() but for the journal's data: every other var of this state, at its default."""
        self.notice, self.just_added, self.errors, self.refusals = "", [], {}, 0
        self.chosen_area, self.chosen_session, self.chosen_day = "", "", ""
        self.compare_ids, self.confirm_delete_id, self.reveal, self.area_filter = [], 0, 50, ""
        self.viewing_id, self.detail_errors, self.detail_notice = 0, {}, ""

    @rx.event
    @page_load
    def load(self):
        if self._shown_for == self._loaded_for():
            # Nothing written since this tab loaded the photos, areas and
            # sessions: they stay (and are not sent again); the rest starts afresh.
            self._start_afresh()
        else:
            self.reset()
        params = self.router.url.query_parameters
        added = validation.plain_number(params.get("added"), max_digits=2) or 0
        if added:
            self.notice = f"{added} photo{'s' if added != 1 else ''} added."
        errors: dict[str, str] = {}
        for code in params.get("error", "").split(",")[:6]:
            if code in photos.MESSAGES:
                name = UPLOAD_FIELD.get(code, "photos")
                errors[name] = " ".join(x for x in (errors.get(name, ""), photos.MESSAGES[code]) if x)
        if errors:
            self._refuse_form(errors)
        if self._shown_for != self._loaded_for():
            try:
                self._refresh()
            except journal.NotFound:
                self.items = []
            self._shown_for = self._loaded_for()
        # Only choices the form itself offers are taken back.
        if any(a.value == params.get("area") for a in self.areas):
            self.chosen_area = params["area"]
        if any(s.value == params.get("session") for s in self.sessions):
            self.chosen_session = params["session"]
        if validation.looks_like_a_date(params.get("taken_on")):
            self.chosen_day = params["taken_on"]
        if added:
            # Ids only grow: the newest ids are the photos just added, whatever day they show.
            self.just_added = sorted(self.items, key=lambda i: i.id)[-min(added, 4) :][::-1]

    @rx.event
    def set_area_filter(self, value: str):
        if not isinstance(value, str) or (value and not any(a.value == value for a in self.areas)):
            return self._refuse()
        self.area_filter = value

    @rx.event
    def view(self, photo_id: int):
        if not isinstance(photo_id, int) or not any(i.id == photo_id for i in self.items):
            return self._refuse()
        self.viewing_id, self.detail_errors, self.detail_notice = photo_id, {}, ""

    @rx.event
    def close_viewer(self):
        self.viewing_id, self.detail_errors, self.detail_notice = 0, {}, ""

    @rx.event
    @off_loop
    def save_details(self, form_data: dict):
        """Corrects the open photo's area, day and session."""
        self.detail_notice = ""
        item = next((i for i in self.items if i.id == self.viewing_id), None)
        if item is None:
            return self._refuse()
        try:
            data = validation.photo_input(
                form_data, today=clock.today(), day_required=True, areas=[a.value for a in self.areas]
            )
        except validation.Invalid as e:
            return self._refuse_details(e.errors)
        assert data.day is not None  # day_required
        try:
            with database.session() as db:
                owner = self._owner()
                try:
                    row = journal.get_photo(db=db, owner_id=owner, photo_id=item.id)
                except journal.NotFound:
                    self._refresh()
                    return self._refuse_details(
                        {"form": "This photo has been deleted (perhaps in another tab). Close it to see your photos."}
                    )
                # Keep the camera's time of day when only the area or session changed.
                when = row.taken_at if row.taken_at.date() == data.day else validation.photo_taken_at(data.day)
                journal.update_photo(
                    db=db, owner_id=owner, photo_id=item.id, area=data.area, taken_at=when, visit_id=data.visit_id
                )
            self._refresh()
        except (journal.NotFound, NotSignedIn):
            return self._refuse_details(
                {"session": "That session is no longer in this course (it may have been deleted). Choose another."}
            )
        self.detail_errors = {}
        self.detail_notice = "Photo details saved."

    def _refuse_details(self, errors: dict[str, str]) -> None:
        self.detail_errors = dict(errors)
        self.refusals += 1  # keys the viewer's error summary too

    @rx.var
    def shown(self) -> list[PhotoItem]:
        return [i for i in self.items if not self.area_filter or i.area == self.area_filter]

    @rx.var
    def viewing(self) -> list[PhotoItem]:
        return [i for i in self.items if i.id == self.viewing_id]

    @rx.event
    def toggle_compare(self, photo_id: int):
        if not isinstance(photo_id, int) or not any(i.id == photo_id for i in self.items):
            return self._refuse()
        if photo_id in self.compare_ids:
            self.compare_ids = [i for i in self.compare_ids if i != photo_id]
        else:
            self.compare_ids = [*self.compare_ids[-1:], photo_id]  # keep the last two picked

    @rx.event
    def set_reveal(self, value: int):
        # The range input sends its position as a number from 0 to 100.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            return self._refuse()
        self.reveal = int(value)

    @rx.event
    def ask_delete(self, photo_id: int):
        if not isinstance(photo_id, int) or not any(i.id == photo_id for i in self.items):
            return self._refuse()
        self.confirm_delete_id = photo_id

    @rx.event
    def cancel_delete(self):
        self.confirm_delete_id = 0

    @rx.event
    @off_loop
    def delete(self):
        try:
            owner = self._owner()
            with database.session() as db:
                key = journal.delete_photo(db=db, owner_id=owner, photo_id=self.confirm_delete_id)
            photos.remove(owner, key)
            self._refresh()
        except (journal.NotFound, NotSignedIn):
            return self._refuse()
        self.compare_ids = [i for i in self.compare_ids if i != self.confirm_delete_id]
        self.confirm_delete_id = 0
        self.notice = "Photo deleted."

    @rx.var
    def compared(self) -> list[PhotoItem]:
        by_id = {i.id: i for i in self.items}
        return [by_id[i] for i in self.compare_ids if i in by_id]

    @rx.var
    def compare_problem(self) -> str:
        picked = self.compared
        if len(picked) == 2 and picked[0].area != picked[1].area:
            return "Compare two photos of the same area: these show different areas."
        return ""
