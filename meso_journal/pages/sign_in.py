import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.forms import field, native_form, submit
from meso_journal.components.layout import auth_layout
from meso_journal.state.account_forms import AccountFormsState as S


def notice() -> rx.Component:
    return rx.cond(
        S.notice != "",
        rx.callout(S.notice, icon="info", role="status", width="100%"),
    )


def sign_in_page() -> rx.Component:
    return auth_layout(
        rx.heading("Sign in", as_="h1", size="7"),
        rx.text("Your private record of mesotherapy sessions, side effects and photos.", color=styles.muted_text),
        notice(),
        native_form(
            rx.vstack(
                field(
                    "Email",
                    name="email",
                    type="email",
                    autocomplete="email",
                    error=S.email_error,
                    required=True,
                ),
                field(
                    "Password",
                    name="password",
                    type="password",
                    autocomplete="current-password",
                    error=S.password_error,
                    required=True,
                ),
                rx.cond(
                    S.form_error != "",
                    rx.callout(S.form_error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
                ),
                submit("Sign in"),
                spacing="3",
                width="100%",
            ),
            action=routes.API_SIGN_IN,
            method="post",
            width="100%",
        ),
        rx.text("New here? ", rx.link("Create an account", href=routes.SIGN_UP, underline="always"), "."),
    )
