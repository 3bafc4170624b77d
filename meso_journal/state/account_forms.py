"""Messages for the forms on the Menu page (change password, delete account).

The forms post to web/api.py, which redirects back with ?error=<codes> or
?done=<code>. Only codes travel; the text comes from credentials.MESSAGES, so
nothing a visitor puts in a URL is ever shown. (Sign-in and sign-up are
server-rendered pages: web/auth_pages.py.)
"""

from __future__ import annotations

import reflex as rx

from meso_journal.rules import credentials
from meso_journal.state.base import AppState, page_load


class AccountFormsState(AppState):
    # Keyed by field name, as the error summaries and fields expect.
    password_errors: dict[str, str] = {}
    delete_errors: dict[str, str] = {}
    refusals: int = 0
    notice: str = ""

    @rx.event
    @page_load
    def load(self):
        self.reset()
        params = self.router.url.query_parameters
        found = credentials.messages_for(params.get("error", ""), password_field="new_password")
        # The delete form's one field is called "password" in the page.
        if "delete_password" in found:
            self.delete_errors = {"password": found.pop("delete_password")}
        self.password_errors = found
        if self.password_errors or self.delete_errors:
            self.refusals += 1
        self.notice = credentials.NOTICES.get(params.get("done", ""), "")
