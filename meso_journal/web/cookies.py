"""Who a request comes from: the signed-in patient (the login cookie) and
the client address (for rate limits).

This is the one place a cookie becomes a patient. The HTTP gate (gate.py),
the websocket guard (state/base.SessionGuard), the edge's /_upload check and
the page gate all call signed_in_patient: one parser (Starlette's, the same
one request.cookies uses), one lookup, always off the event loop."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from starlette.requests import Request, cookie_parser
from starlette.responses import RedirectResponse

from meso_journal import database, settings
from meso_journal.store import accounts
from meso_journal.web.client_address import client_address

logger = logging.getLogger("meso_journal")

COOKIE_NAME = "__Host-meso_session" if settings.HTTPS else "meso_session"


def now() -> datetime:
    return datetime.now(UTC)


def login_token(cookie_header: str | None) -> str | None:
    """The login cookie's value in a Cookie header (None when there is none)."""
    return cookie_parser(cookie_header or "").get(COOKIE_NAME) or None


def _patient_for(token: str) -> tuple[int | None, str]:
    with database.session() as db:
        user = accounts.resolve_login(db=db, token=token, now=now())
        return (user.id, user.email) if user else (None, "")


async def signed_in_patient(cookie_header: str | None) -> tuple[int | None, str]:
    """(id, email) of the patient the Cookie header's login belongs to, or (None, "")."""
    token = login_token(cookie_header)
    if token is None:
        return None, ""
    return await asyncio.to_thread(_patient_for, token)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


_warned = False


def client(request: Request) -> str:
    """The address rate limits count by: behind a trusted proxy, the one it forwarded for."""
    global _warned
    peer = request.client.host if request.client else None
    # Every X-Forwarded-For line, in order: a proxy that adds its own line
    # instead of appending to the client's must not leave the client's
    # (forgeable) line the only one read.
    forwarded = ", ".join(request.headers.getlist("x-forwarded-for")) or None
    if forwarded and not settings.TRUSTED_PROXIES and not _warned:
        # Behind a proxy nobody declared, every patient counts as the proxy:
        # one guesser could lock all of them out of signing in.
        _warned = True
        logger.warning("X-Forwarded-For arrives from %s: list the proxy in MESO_TRUSTED_PROXIES", peer)
    return client_address(peer, forwarded, settings.TRUSTED_PROXIES)
