import reflex as rx

from meso_journal import accounts, routes, styles
from meso_journal.components.forms import field, native_form, submit
from meso_journal.components.layout import auth_layout
from meso_journal.state.account_forms import AccountFormsState as S


def sign_up_page() -> rx.Component:
    return auth_layout(
        rx.heading("Create your account", as_="h1", size="7"),
        rx.text(
            "Your journal is private: only you see it, until you choose to share it with your doctor.",
            color=styles.muted_text,
        ),
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
                    autocomplete="new-password",
                    error=S.password_error,
                    hint=f"At least {accounts.PASSWORD_MIN} characters. A short sentence works well.",
                    required=True,
                    min_length=accounts.PASSWORD_MIN,
                    max_length=accounts.PASSWORD_MAX,
                ),
                rx.cond(
                    S.form_error != "",
                    rx.callout(S.form_error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
                ),
                submit("Create account"),
                spacing="3",
                width="100%",
            ),
            action=routes.API_SIGN_UP,
            method="post",
            width="100%",
        ),
        rx.text("Already have an account? ", rx.link("Sign in", href=routes.SIGN_IN, underline="always"), "."),
    )
