"""Sign-in and sign-up, rendered on the server as plain HTML.

These pages need no state and no websocket: their forms post to api.py and
every answer is a redirect. As Reflex pages they made a patient download the
whole app (about 360 KB) before seeing two fields; as HTML they are a few
kilobytes, so the first thing a patient sees on a weak connection arrives at
once. The app itself loads after signing in (and the service worker has it
cached by then)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from meso_journal import clock, database, routes
from meso_journal.rules import credentials
from meso_journal.store import accounts
from meso_journal.web.cookies import redirect, signed_in_patient
from meso_journal.web.html_templates import templates


@dataclass(frozen=True)
class Field:
    label: str
    name: str
    type: str
    autocomplete: str
    hint: str = ""
    minlength: int | None = None
    maxlength: int | None = None
    # Typed exactly as written: no capitals, corrections or spelling marks from the keyboard.
    verbatim: bool = False


@dataclass(frozen=True)
class AuthPage:
    title: str
    heading: str
    intro: str
    action: str
    fields: tuple[Field, ...]
    submit: str
    # Below the form: (sentence, link text, address) for each way elsewhere.
    links: tuple[tuple[str, str, str], ...]
    refused: str  # the error summary's heading
    # Sent along unseen (the reset link's token), filled per request.
    hidden: tuple[str, ...] = ()
    # The summary's heading when the form-level problem is one of these codes.
    refused_for: tuple[tuple[str, str], ...] = ()
    # "Sign in with a passkey", and the email field offering them (passkeys.js).
    passkeys: bool = False


EMAIL = Field("Email", "email", "email", "email")
SIGN_IN = AuthPage(
    title="Sign in",
    heading="Sign in",
    intro="Your private record of mesotherapy sessions, side effects and photos.",
    action=routes.API_SIGN_IN,
    # "webauthn": tapping the field offers this site's passkeys, where the browser can.
    fields=(
        Field("Email", "email", "email", "email webauthn"),
        Field("Password", "password", "password", "current-password"),
    ),
    submit="Sign in",
    links=(
        ("", "Forgot your password?", routes.FORGOT_PASSWORD),
        ("New here?", "Create an account", routes.SIGN_UP),
    ),
    refused="You are not signed in",
    passkeys=True,
)
SIGN_UP = AuthPage(
    title="Create account",
    heading="Create your account",
    intro="Your journal is private: only you see it, until you choose to share it with your doctor.",
    action=routes.API_SIGN_UP,
    fields=(
        EMAIL,
        Field(
            "Password",
            "password",
            "password",
            "new-password",
            hint=f"At least {credentials.PASSWORD_MIN} characters. A short sentence works well.",
            minlength=credentials.PASSWORD_MIN,
            maxlength=credentials.PASSWORD_MAX,
        ),
    ),
    submit="Create account",
    links=(("Already have an account?", "Sign in", routes.SIGN_IN),),
    refused="Your account was not created",
)


def _new_password(name: str = "new_password") -> Field:
    return Field(
        "New password",
        name,
        "password",
        "new-password",
        hint=f"At least {credentials.PASSWORD_MIN} characters. A short sentence works well.",
        minlength=credentials.PASSWORD_MIN,
        maxlength=credentials.PASSWORD_MAX,
    )


FORGOT = AuthPage(
    title="Forgot your password?",
    heading="Forgot your password?",
    intro=(
        "Enter the email of your account. If it is confirmed, we will send it a link to choose a new password. "
        "Nothing in your journal changes."
    ),
    action=routes.API_FORGOT_PASSWORD,
    fields=(EMAIL,),
    submit="Send me a link",
    links=(
        ("No access to that email, or never confirmed it?", "Use a recovery code", routes.RECOVER),
        ("Remembered it?", "Sign in", routes.SIGN_IN),
    ),
    refused="No link was sent",
    refused_for=(("link_used", "That link no longer works"),),
)
RESET = AuthPage(
    title="Choose a new password",
    heading="Choose a new password",
    intro="Your journal stays as it is. Every device where it is open will be signed out.",
    action=routes.API_RESET_PASSWORD,
    fields=(_new_password(), Field("New password again", "confirm_password", "password", "new-password")),
    submit="Set my new password",
    links=(("Remembered it?", "Sign in", routes.SIGN_IN),),
    refused="Your password was not changed",
    hidden=("token",),
)
RECOVER = AuthPage(
    title="Use a recovery code",
    heading="Use a recovery code",
    intro=(
        "If you made recovery codes in Menu, Account, one of them lets you choose a new password. Each code works once."
    ),
    action=routes.API_RECOVER,
    fields=(
        EMAIL,
        Field(
            "Recovery code",
            "code",
            "text",
            "off",
            hint="Like ABCD-EFGH-JKMN-PQRS. Dashes and case do not matter.",
            verbatim=True,
        ),
        _new_password(),
        Field("New password again", "confirm_password", "password", "new-password"),
    ),
    submit="Set my new password",
    links=(
        ("Your email is confirmed?", "Get a link by email instead", routes.FORGOT_PASSWORD),
        ("Remembered it?", "Sign in", routes.SIGN_IN),
    ),
    refused="Your password was not changed",
)


def render(
    page: AuthPage,
    query: dict[str, str],
    hidden: dict[str, str] | None = None,
    *,
    signed_in: bool = False,
    values: dict[str, str] | None = None,
) -> str:
    """The page with the messages that ?error=… and ?done=… name (codes only).
    values: what the patient typed, put back after a refusal (never a password)."""
    new_password = "new_password" if any(f.name == "new_password" for f in page.fields) else "password"
    codes = query.get("error", "").split(",")
    return templates.get_template("auth.html").render(
        page=page,
        refused=next((title for code, title in page.refused_for if code in codes), page.refused),
        errors=credentials.messages_for(query.get("error", ""), password_field=new_password),
        labels={f.name: f.label for f in page.fields},
        notice=credentials.NOTICES.get(query.get("done", ""), ""),
        hidden=hidden or {},
        values={f.name: (values or {}).get(f.name, "") for f in page.fields if f.type != "password"},
        # A signed-in patient's drafts and offline copy stay (auth_base.html).
        keep_local=signed_in,
    )


def refused(page: AuthPage, codes: list[str], typed: dict[str, str]) -> Response:
    """The form again, at once, with its refusal and what the patient typed
    (a redirect would lose it: a patient on a phone retyping an email and a
    16-character code to find the one slip). Nothing is stored, so sending
    it again on a reload changes nothing."""
    values = {k: v[:400] for k, v in typed.items() if isinstance(v, str)}
    body = render(page, {"error": ",".join(codes)}, values=values)
    return HTMLResponse(body, status_code=422, headers={"Cache-Control": "no-store"})


def _page(page: AuthPage, query: dict[str, str], hidden: dict[str, str] | None = None, **kw: bool) -> Response:
    # Errors depend on the query and a signed-in visit redirects: never cache.
    return HTMLResponse(render(page, query, hidden, **kw), headers={"Cache-Control": "no-store"})


def _serve(page: AuthPage, *, also_signed_in: bool = False):
    """also_signed_in: the page is shown to a signed-in patient too (an old
    reset link opened on a phone where the journal is open must still say
    why it no longer works), instead of going to the timeline."""

    async def endpoint(request: Request) -> Response:
        signed_in = (await signed_in_patient(request.headers.get("cookie")))[0] is not None
        if signed_in and not also_signed_in:
            return redirect(routes.TIMELINE)
        return _page(page, dict(request.query_params), signed_in=signed_in)

    return endpoint


async def reset_password(request: Request) -> Response:
    """The mailed link's page: a new password, or, for a link that no longer
    works, the request form again with the reason. Shown signed in too (the
    patient may be signed in here and have forgotten the password elsewhere).
    The token stays out of every other address (Referrer-Policy: no-referrer)."""
    token = request.query_params.get("token", "")

    def works() -> bool:
        with database.session() as db:
            return accounts.reset_link_works(db=db, token=token, now=clock.now())

    if not await asyncio.to_thread(works):
        return redirect(routes.with_error(routes.FORGOT_PASSWORD, "link_used"))
    signed_in = (await signed_in_patient(request.headers.get("cookie")))[0] is not None
    return _page(RESET, dict(request.query_params), {"token": token}, signed_in=signed_in)


async def without_slash(request: Request) -> Response:
    """/sign-in/ → /sign-in (the static build would otherwise answer it)."""
    url = request.url.path.rstrip("/") + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(url, status_code=308)


sign_in = _serve(SIGN_IN)
sign_up = _serve(SIGN_UP)
forgot_password = _serve(FORGOT, also_signed_in=True)
recover = _serve(RECOVER)
