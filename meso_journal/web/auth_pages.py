"""Sign-in and sign-up, rendered on the server as plain HTML.

These pages need no state and no websocket: their forms post to api.py and
every answer is a redirect. As Reflex pages they made a patient download the
whole app (about 360 KB) before seeing two fields; as HTML they are a few
kilobytes, so the first thing a patient sees on a weak connection arrives at
once. The app itself loads after signing in (and the service worker has it
cached by then)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from meso_journal import routes
from meso_journal.rules import credentials
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


@dataclass(frozen=True)
class AuthPage:
    title: str
    heading: str
    intro: str
    action: str
    fields: tuple[Field, ...]
    submit: str
    other_text: str
    other_link: str
    other_url: str
    refused: str  # the error summary's heading


EMAIL = Field("Email", "email", "email", "email")
SIGN_IN = AuthPage(
    title="Sign in",
    heading="Sign in",
    intro="Your private record of mesotherapy sessions, side effects and photos.",
    action=routes.API_SIGN_IN,
    fields=(EMAIL, Field("Password", "password", "password", "current-password")),
    submit="Sign in",
    other_text="New here?",
    other_link="Create an account",
    other_url=routes.SIGN_UP,
    refused="You are not signed in",
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
    other_text="Already have an account?",
    other_link="Sign in",
    other_url=routes.SIGN_IN,
    refused="Your account was not created",
)


def render(page: AuthPage, query: dict[str, str]) -> str:
    """The page with the messages that ?error=… and ?done=… name (codes only)."""
    return templates.get_template("auth.html").render(
        page=page,
        errors=credentials.messages_for(query.get("error", "")),
        labels={f.name: f.label for f in page.fields},
        notice=credentials.NOTICES.get(query.get("done", ""), ""),
    )


def _serve(page: AuthPage):
    async def endpoint(request: Request) -> Response:
        if (await signed_in_patient(request.headers.get("cookie")))[0] is not None:
            return redirect(routes.TIMELINE)
        # Errors depend on the query and a signed-in visit redirects: never cache.
        return HTMLResponse(render(page, dict(request.query_params)), headers={"Cache-Control": "no-store"})

    return endpoint


async def without_slash(request: Request) -> Response:
    """/sign-in/ → /sign-in (the static build would otherwise answer it)."""
    url = request.url.path.rstrip("/") + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(url, status_code=308)


sign_in = _serve(SIGN_IN)
sign_up = _serve(SIGN_UP)
