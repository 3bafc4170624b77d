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
EMAIL_LABELS = {"email": "New email", "email_password": "Your current password"}
CODES_LABELS = {"codes_password": "Your current password"}
PASSKEY_LABELS = {"passkey_name": "Name this passkey", "passkey_password": "Your current password"}


def _passkey_row(row) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row.name, font_weight="500"),
            rx.text(
                "Added " + row.added + rx.cond(row.used != "", ", last used " + row.used, ", not used yet"),
                size="2",
                color=styles.muted_text,
            ),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        native_form(
            rx.button(
                "Remove",
                type="submit",
                variant="outline",
                color_scheme="red",
                style=styles.tap_target,
                aria_label="Remove the passkey " + row.name,
            ),
            action=row.remove_url,
            method="post",
            # passkeys.js asks "Remove the passkey …?" first.
            custom_attrs={"data-passkey-remove": row.name},
        ),
        align="center",
        width="100%",
        spacing="3",
    )


def _passkeys() -> rx.Component:
    return section(
        "Passkeys",
        rx.text(
            "Sign in with your fingerprint, face or the phone's PIN instead of typing your password. "
            "The passkey stays on your device; the journal keeps only what checks it.",
            size="2",
            color=styles.muted_text,
        ),
        rx.cond(
            AccountFormsState.passkeys.length() > 0,
            rx.vstack(rx.foreach(AccountFormsState.passkeys, _passkey_row), spacing="3", width="100%"),
            rx.text("You have no passkeys.", font_weight="500"),
        ),
        native_form(
            rx.vstack(
                error_summary(
                    AccountFormsState.passkey_errors,
                    labels=PASSKEY_LABELS,
                    refusals=AccountFormsState.refusals,
                    title="No passkey was added",
                ),
                field(
                    PASSKEY_LABELS["passkey_name"],
                    name="passkey_name",
                    error=error_of(AccountFormsState.passkey_errors, "passkey_name"),
                    hint="So you can tell your passkeys apart, for example \u201cMy phone\u201d.",
                    max_length=credentials.PASSKEY_NAME_MAX,
                ),
                field(
                    PASSKEY_LABELS["passkey_password"],
                    name="passkey_password",
                    type="password",
                    autocomplete="current-password",
                    error=error_of(AccountFormsState.passkey_errors, "passkey_password"),
                    required=True,
                ),
                submit("Add a passkey", variant="outline"),
                spacing="3",
                width="100%",
            ),
            # passkeys.js takes the form; a browser without passkeys posts it
            # and is told so (web/passkeys.add_options).
            action=routes.API_PASSKEY_ADD_OPTIONS,
            method="post",
            width="100%",
            custom_attrs={"data-passkey-add": "true"},
        ),
    )


def _email_status() -> rx.Component:
    """Confirmed, or how to confirm: only a confirmed address gets reset links."""
    return rx.cond(
        AppState.email_confirmed,
        rx.text("Your email is confirmed.", size="2", color=styles.muted_text),
        rx.vstack(
            rx.callout(
                "Your email is not confirmed yet. Open the link we sent to it, so that you can get a new "
                "password by email if you ever forget yours.",
                icon="mail",
                color_scheme="amber",
                high_contrast=True,  # amber's own text is under 4.5:1 on its background
                width="100%",
            ),
            native_form(
                rx.vstack(
                    rx.text(
                        AccountFormsState.confirm_error, id="field-confirm-error", size="2", color=rx.color("red", 11)
                    ),
                    submit("Send the link again", variant="outline"),
                    spacing="2",
                    width="100%",
                ),
                action=routes.API_CONFIRM_AGAIN,
                method="post",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
    )


def _change_email() -> rx.Component:
    return section(
        "Change email",
        rx.text(
            "We send a link to the new address to confirm it, and tell the old one.",
            size="2",
            color=styles.muted_text,
        ),
        native_form(
            rx.vstack(
                error_summary(
                    AccountFormsState.email_errors,
                    labels=EMAIL_LABELS,
                    refusals=AccountFormsState.refusals,
                    title="Your email was not changed",
                ),
                field(
                    EMAIL_LABELS["email"],
                    name="email",
                    type="email",
                    autocomplete="email",
                    error=error_of(AccountFormsState.email_errors, "email"),
                    required=True,
                    max_length=320,
                ),
                field(
                    EMAIL_LABELS["email_password"],
                    name="email_password",
                    type="password",
                    autocomplete="current-password",
                    error=error_of(AccountFormsState.email_errors, "email_password"),
                    required=True,
                ),
                submit("Change email"),
                spacing="3",
                width="100%",
            ),
            action=routes.API_EMAIL,
            method="post",
            width="100%",
        ),
    )


def _recovery_codes() -> rx.Component:
    return section(
        "Recovery codes",
        rx.text(
            "If you forget your password and cannot get our email, a recovery code lets you choose a new one. "
            "You get ten, each works once, and they are shown only when you make them. Making new codes ends "
            "the old ones.",
            size="2",
            color=styles.muted_text,
        ),
        rx.text(
            rx.cond(
                AccountFormsState.codes_left == 0,
                "You have no recovery codes.",
                rx.cond(
                    AccountFormsState.codes_left == 1,
                    "You have 1 unused recovery code.",
                    f"You have {AccountFormsState.codes_left} unused recovery codes.",
                ),
            ),
            font_weight="500",
        ),
        native_form(
            rx.vstack(
                error_summary(
                    AccountFormsState.codes_errors,
                    labels=CODES_LABELS,
                    refusals=AccountFormsState.refusals,
                    title="No codes were made",
                ),
                rx.el.input(type="hidden", name="codes_seen", value=AccountFormsState.codes_stamp),
                field(
                    CODES_LABELS["codes_password"],
                    name="codes_password",
                    type="password",
                    autocomplete="current-password",
                    error=error_of(AccountFormsState.codes_errors, "codes_password"),
                    required=True,
                ),
                submit(
                    rx.cond(
                        AccountFormsState.codes_left == 0,
                        "Make recovery codes",
                        "Make new codes (the old ones stop working)",
                    ),
                    variant="outline",
                ),
                spacing="3",
                width="100%",
            ),
            action=routes.API_RECOVERY_CODES,
            method="post",
            width="100%",
        ),
    )


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
            rx.text("Signed in as ", rx.text.strong(AppState.email), overflow_wrap="anywhere"),
            _email_status(),
            native_form(
                submit("Sign out", variant="outline"),
                action=routes.API_SIGN_OUT,
                method="post",
                width="100%",
            ),
        ),
        _passkeys(),
        _change_email(),
        _recovery_codes(),
        section(
            "Change password",
            rx.text(
                "Every other device you use will be signed out, and your passkeys and recovery codes stop working: "
                "you can add new ones afterwards.",
                size="2",
                color=styles.muted_text,
            ),
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
