"""Messages for the forms on the Menu page (email, password, recovery codes,
delete account).

The forms post to web/api.py, which redirects back with ?error=<codes> (and
?form=<which form>) or ?done=<code>. Only codes travel; the text comes from
credentials.MESSAGES, so nothing a visitor puts in a URL is ever shown.
(Sign-in, sign-up and the pages of a way back in are server-rendered:
web/auth_pages.py.)
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from meso_journal import database, routes
from meso_journal.rules import credentials, describe
from meso_journal.state.base import AppState, page_load
from meso_journal.store import accounts, passkeys
from meso_journal.store.journal import stored_id

# The fields of each form, as credentials.messages_for names them. A
# problem with the form as a whole ("form": too many tries) goes to the form
# that ?form= names.
FORMS = {
    "email": ("email", "email_password"),
    "confirm": ("confirm",),
    "codes": ("codes_password",),
    "passkey": ("passkey_name", "passkey_password"),
    "password": ("current_password", "new_password", "confirm_password"),
    "delete": ("delete_password",),
}


@dataclasses.dataclass
class PasskeyRow:
    id: int
    name: str
    added: str
    used: str  # "" when never
    remove_url: str


class AccountFormsState(AppState):
    # Keyed by field name, as the error summaries and fields expect.
    email_errors: dict[str, str] = {}
    confirm_error: str = ""
    codes_errors: dict[str, str] = {}
    password_errors: dict[str, str] = {}
    delete_errors: dict[str, str] = {}
    refusals: int = 0
    notice: str = ""
    codes_left: int = 0
    codes_stamp: str = ""  # sent back by the codes form (accounts.recovery_codes_stamp)
    passkey_errors: dict[str, str] = {}
    passkeys: list[PasskeyRow] = []

    @rx.event
    @page_load
    def load(self):
        self.reset()
        params = self.router.url.query_parameters
        found = credentials.messages_for(params.get("error", ""), password_field="new_password")
        by_form: dict[str, dict[str, str]] = {name: {} for name in FORMS}
        named = params.get("form", "")
        for name, message in found.items():
            form = next((f for f, fields in FORMS.items() if name in fields), named if named in FORMS else "password")
            by_form[form][name] = message
        self.email_errors = by_form["email"]
        self.confirm_error = next(iter(by_form["confirm"].values()), "")
        self.codes_errors = by_form["codes"]
        self.passkey_errors = by_form["passkey"]
        self.password_errors = by_form["password"]
        # The delete form's one field is called "password" in the page.
        self.delete_errors = {"password" if k == "delete_password" else k: v for k, v in by_form["delete"].items()}
        if found:
            self.refusals += 1
        self.notice = credentials.NOTICES.get(params.get("done", ""), "")
        with database.session() as db:
            self.codes_left = accounts.recovery_codes_left(db=db, owner_id=self._owner())
            self.codes_stamp = accounts.recovery_codes_stamp(db=db, owner_id=self._owner())
            self.passkeys = [
                PasskeyRow(
                    id=stored_id(p.id),
                    name=p.name,
                    added=describe.day_label(p.created_at.date()),
                    used=describe.day_label(p.last_used_at.date()) if p.last_used_at else "",
                    remove_url=routes.remove_passkey(stored_id(p.id)),
                )
                for p in passkeys.list_passkeys(db=db, owner_id=self._owner())
            ]
