"""The session cookie as our HTTP routes read it: who is signed in."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse

from meso_journal import database, settings, store

COOKIE_NAME = "__Host-meso_session" if settings.HTTPS else "meso_session"


def now() -> datetime:
    return datetime.now(UTC)


def session_cookie(request_or_headers) -> str | None:
    return request_or_headers.cookies.get(COOKIE_NAME)


def current_user_id(request: Request) -> int | None:
    with database.session() as db:
        user = store.resolve_session(session=db, token=session_cookie(request), now=now())
        return user.id if user else None


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
