"""The Share tab: links for the doctor (made, listed, revoked), the name on
reports, and the downloads. A new link's address exists only here, right
after it is made: the database keeps its hash."""

from __future__ import annotations

import dataclasses

import reflex as rx
import segno

from meso_journal import clock, database, settings
from meso_journal.exports import archive
from meso_journal.rules import catalog, sharing, validation
from meso_journal.state.base import AppState, FormState, NotSignedIn, off_loop, page_load, saves_form
from meso_journal.state.helpers import day_label
from meso_journal.store import journal, share_links
from meso_journal.web import doctor_view

STATUS_TEXT = {"active": "Active", "expired": "Expired", "revoked": "Revoked"}


@dataclasses.dataclass
class LinkRow:
    id: int
    label: str
    scope: str
    status: str
    expiry: str
    opened: str
    photos: bool


def _opened(when) -> str:
    if when is None:
        return "Not opened yet"
    return f"Last opened {day_label(when.date())}, {when:%H:%M} UTC"


class ShareState(FormState, AppState):
    links: list[LinkRow] = []
    display_name: str = ""
    # The link just made: shown once, then gone for good.
    new_url: str = ""
    new_qr: str = ""
    # `errors` (FormState) belongs to the link form; the page's two other forms have their own.
    name_errors: dict[str, str] = {}
    import_errors: dict[str, str] = {}
    confirm_revoke_id: int = 0  # the link whose revoking is being asked about
    notice: str = ""
    form_key: int = 0

    def _refresh(self, db) -> None:
        owner = self._owner()
        names = {c.id: catalog.course_label(c.goal, c.areas) for c in journal.list_courses(db=db, owner_id=owner)}
        at = clock.now()
        rows = []
        for link in share_links.list_links(db=db, owner_id=owner):
            status = sharing.link_status(expires_at=link.expires_at, revoked_at=link.revoked_at, now=at)
            until = f"until {day_label(link.expires_at.date())}" if status == "active" else ""
            rows.append(
                LinkRow(
                    id=link.id,
                    label=link.label or "Unnamed link",
                    scope=names.get(link.course_id, "All courses") if link.course_id else "All courses",
                    status=" ".join(x for x in (STATUS_TEXT[status], until) if x),
                    expiry=status,
                    opened=_opened(link.last_opened_at)
                    + (
                        f" · opened {link.open_count} time{'s' if link.open_count != 1 else ''}"
                        if link.open_count
                        else ""
                    ),
                    photos=link.include_photos,
                )
            )
        self.links = rows
        self.display_name = journal.get_patient(db=db, owner_id=owner).display_name

    def _origin(self) -> str:
        # The websocket's Origin header, which the edge guard has already
        # checked against the allowed origins.
        return self.router.headers.origin or settings.ALLOWED_ORIGINS[0]

    @rx.event
    @page_load
    def load(self):
        self._fresh_form()
        with database.session() as db:
            self._refresh(db)
        # What an import (a plain form post to our route) came back with.
        params = self.router.url.query_parameters
        imported = params.get("imported", "")
        if imported.isdigit():
            self.notice = f"Import done: {imported} session{'s' if imported != '1' else ''} restored, with photos."
        if message := archive.refusal_message(params.get("error", ""), params.get("detail", ""), params.get("sig", "")):
            self.import_errors = {"archive": message}
            self.refusals += 1

    @rx.event
    @off_loop
    @saves_form(gone="That course could not be found. Choose one from the list.", gone_field="scope")
    def create(self, form_data: dict):
        self.notice, self.new_url, self.new_qr = "", "", ""
        self.name_errors, self.import_errors = {}, {}
        data = sharing.link_input(form_data)
        with database.session() as db:
            new = share_links.create_link(db=db, owner_id=self._owner(), data=data, now=clock.now())
            self._refresh(db)
        self.new_url = doctor_view.share_url(self._origin(), new.token)
        self.new_qr = segno.make(self.new_url, error="m").svg_data_uri(scale=5, border=2)
        self.notice = "Link made."
        self.form_key += 1

    @rx.event
    def dismiss_new(self):
        self.new_url, self.new_qr, self.notice = "", "", ""

    @rx.event
    def ask_revoke(self, link_id: int):
        if not isinstance(link_id, int) or not any(r.id == link_id for r in self.links):
            return self._refuse()
        self.confirm_revoke_id = link_id

    @rx.event
    def cancel_revoke(self):
        self.confirm_revoke_id = 0

    @rx.event
    @off_loop
    def revoke(self):
        link_id, self.confirm_revoke_id = self.confirm_revoke_id, 0
        try:
            with database.session() as db:
                share_links.revoke_link(db=db, owner_id=self._owner(), link_id=link_id, now=clock.now())
                self._refresh(db)
        except (journal.NotFound, NotSignedIn):
            return self._refuse()
        self.notice = "Link revoked: it shows nothing any more."

    @rx.event
    @off_loop
    def remove(self, link_id: int):
        try:
            with database.session() as db:
                share_links.delete_link(db=db, owner_id=self._owner(), link_id=link_id)
                self._refresh(db)
        except (journal.NotFound, NotSignedIn):
            return self._refuse()
        self.notice = "Link removed from the list."

    @rx.event
    @off_loop
    def save_name(self, form_data: dict):
        name = form_data.get("display_name") if isinstance(form_data, dict) else None
        if not isinstance(name, str):
            return self._refuse()
        try:
            with database.session() as db:
                share_links.set_display_name(db=db, owner_id=self._owner(), name=name)
                self._refresh(db)
        except validation.Invalid as e:
            self.errors, self.import_errors = {}, {}
            self.name_errors = e.errors
            self.refusals += 1  # keys the summaries: the name form's comes back into view
            return
        except NotSignedIn:
            return self._refuse()
        self.errors, self.name_errors, self.import_errors = {}, {}, {}
        self.notice = "Name saved."
