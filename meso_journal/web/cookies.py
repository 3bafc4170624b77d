"""Who a request comes from, as our HTTP routes read it: the signed-in
patient (the session cookie) and the client address (for rate limits)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse

from meso_journal import database, settings
from meso_journal.store import accounts
from meso_journal.web.client_address import client_address

logger = logging.getLogger("meso_journal")

COOKIE_NAME = "__Host-meso_session" if settings.HTTPS else "meso_session"


def now() -> datetime:
    return datetime.now(UTC)


def session_cookie(request_or_headers) -> str | None:
    return request_or_headers.cookies.get(COOKIE_NAME)


def current_user_id(request: Request) -> int | None:
    with database.session() as db:
        user = accounts.resolve_login(db=db, token=session_cookie(request), now=now())
        return user.id if user else None


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


_warned = False


def client(request: Request) -> str:
    """The address rate limits count by: behind a trusted proxy, the one it forwarded for."""
    global _warned
    peer = request.client.host if request.client else None
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and not settings.TRUSTED_PROXIES and not _warned:
        # Behind a proxy nobody declared, every patient counts as the proxy:
        # one guesser could lock all of them out of signing in.
        _warned = True
        logger.warning("X-Forwarded-For arrives from %s: list the proxy in MESO_TRUSTED_PROXIES", peer)
    return client_address(peer, forwarded, settings.TRUSTED_PROXIES)
