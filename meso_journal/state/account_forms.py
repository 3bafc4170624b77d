"""Messages for the forms on the Menu page (change password, delete account).

The forms post to web.py, which redirects back with ?error=<codes> or
?done=<code>. Only codes travel; the text comes from accounts.MESSAGES, so
nothing a visitor puts in a URL is ever shown. (Sign-in and sign-up are
server-rendered pages: auth_pages.py.)
"""

from __future__ import annotations

import reflex as rx

from meso_journal import accounts
from meso_journal.state.base import AppState


class AccountFormsState(AppState):
    confirm_password_error: str = ""
    current_password_error: str = ""
    new_password_error: str = ""
    delete_password_error: str = ""
    form_error: str = ""
    notice: str = ""

    @rx.event
    def load_messages(self):
        self.reset()
        params = self.router.url.query_parameters
        for name, message in accounts.messages_for(params.get("error", ""), password_field="new_password").items():
            setattr(self, f"{name}_error", message)
        self.notice = accounts.NOTICES.get(params.get("done", ""), "")
