import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.forms import error_of, error_summary, field, native_form, submit
from meso_journal.components.layout import layout, section
from meso_journal.rules import credentials
from meso_journal.state.account_forms import AccountFormsState
from meso_journal.state.base import AppState

PASSWORD_LABELS = {
    "current_password": "Current password",
    "new_password": "New password",
    "confirm_password": "New password again",
}
DELETE_LABELS = {"password": "Your password, to confirm"}


def more_page() -> rx.Component:
    return layout(
        rx.cond(
            AccountFormsState.notice != "",
            rx.callout(AccountFormsState.notice, icon="check", role="status", width="100%"),
        ),
        section(
            "Your record",
            rx.link("Courses", href=routes.COURSES, style=styles.tap_target, display="flex", align_items="center"),
            rx.link(
                "Measurements",
                href=routes.MEASUREMENTS,
                style=styles.tap_target,
                display="flex",
                align_items="center",
            ),
            rx.link(
                "About the evidence",
                href=routes.EVIDENCE,
                style=styles.tap_target,
                display="flex",
                align_items="center",
            ),
        ),
        section(
            "Account",
            rx.text("Signed in as ", rx.text.strong(AppState.email)),
            native_form(
                submit("Sign out", variant="outline"),
                action=routes.API_SIGN_OUT,
                method="post",
                width="100%",
            ),
        ),
        section(
            "Change password",
            rx.text("Every other device you use will be signed out.", size="2", color=styles.muted_text),
            native_form(
                rx.vstack(
                    error_summary(
                        AccountFormsState.password_errors,
                        labels=PASSWORD_LABELS,
                        refusals=AccountFormsState.refusals,
                        title="Your password was not changed",
                    ),
                    field(
                        PASSWORD_LABELS["current_password"],
                        name="current_password",
                        type="password",
                        autocomplete="current-password",
                        error=error_of(AccountFormsState.password_errors, "current_password"),
                        required=True,
                    ),
                    field(
                        PASSWORD_LABELS["new_password"],
                        name="new_password",
                        type="password",
                        autocomplete="new-password",
                        error=error_of(AccountFormsState.password_errors, "new_password"),
                        hint=f"At least {credentials.PASSWORD_MIN} characters.",
                        required=True,
                        min_length=credentials.PASSWORD_MIN,
                    ),
                    field(
                        PASSWORD_LABELS["confirm_password"],
                        name="confirm_password",
                        type="password",
                        autocomplete="new-password",
                        error=error_of(AccountFormsState.password_errors, "confirm_password"),
                        required=True,
                    ),
                    submit("Change password"),
                    spacing="3",
                    width="100%",
                ),
                action=routes.API_PASSWORD,
                method="post",
                width="100%",
            ),
        ),
        section(
            "Delete account",
            rx.text(
                "This deletes your account and everything in it, photos included. It cannot be undone.",
                size="2",
                color=styles.muted_text,
            ),
            native_form(
                rx.vstack(
                    error_summary(
                        AccountFormsState.delete_errors,
                        labels=DELETE_LABELS,
                        refusals=AccountFormsState.refusals,
                        title="Your account was not deleted",
                    ),
                    field(
                        DELETE_LABELS["password"],
                        name="password",
                        type="password",
                        autocomplete="current-password",
                        error=error_of(AccountFormsState.delete_errors, "password"),
                        required=True,
                    ),
                    submit("Delete my account and all my data", color_scheme="red"),
                    spacing="3",
                    width="100%",
                ),
                action=routes.API_DELETE_ACCOUNT,
                method="post",
                width="100%",
            ),
        ),
        title="Menu",
    )
