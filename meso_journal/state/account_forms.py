"""Messages for the account forms (sign in, sign up, password, delete).

The forms post to web.py, which redirects back with ?error=<codes> or
?done=<code>. Only codes travel; the text comes from accounts.MESSAGES, so
nothing a visitor puts in a URL is ever shown.
"""

from __future__ import annotations

import reflex as rx

from meso_journal import accounts, routes
from meso_journal.state.base import AppState

_FIELD = {
    "email_missing": "email",
    "email_too_long": "email",
    "email_invalid": "email",
    "email_taken": "email",
    "password_missing": "password",
    "password_short": "password",
    "password_long": "password",
    "password_control": "password",
    "password_mismatch": "confirm_password",
    "wrong_credentials": "form",
    "locked": "form",
    "too_large": "form",
    "current_password_wrong": "current_password",
    "password_wrong": "delete_password",
}

NOTICES = {
    "deleted": "Your account and everything in it have been deleted.",
    "password": "Password changed. Every other device has been signed out.",
}


class AccountFormsState(AppState):
    email_error: str = ""
    password_error: str = ""
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
        on_account_page = self.router.url.path.rstrip("/") == routes.MORE
        for code in params.get("error", "").split(",")[:5]:
            if code not in accounts.MESSAGES:
                continue
            name = _FIELD[code]
            if on_account_page and name == "password":
                name = "new_password"
            setattr(self, f"{name}_error", accounts.MESSAGES[code])
        self.notice = NOTICES.get(params.get("done", ""), "")
