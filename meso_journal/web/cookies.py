"""Who a request comes from: the signed-in patient (the login cookie) and
the client address (for rate limits).

This is the one place a cookie becomes a patient. The HTTP gate (gate.py),
the websocket guard (state/base.LoginGuard), the edge's /_upload check and
the page gate all call signed_in_patient: one parser (Starlette's, the same
one request.cookies uses), one lookup, always off the event loop."""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.requests import Request, cookie_parser
from starlette.responses import RedirectResponse

from meso_journal import clock, database, settings
from meso_journal.rules import credentials
from meso_journal.store import accounts
from meso_journal.web.client_address import client_address

logger = logging.getLogger("meso_journal")

COOKIE_NAME = "__Host-meso_session" if settings.HTTPS else "meso_session"


def login_token(cookie_header: str | None) -> str | None:
    """The login cookie's value in a Cookie header (None when there is none)."""
    return cookie_parser(cookie_header or "").get(COOKIE_NAME) or None


def _patient_for(token: str) -> tuple[int | None, str]:
    with database.session() as db:
        user = accounts.resolve_login(db=db, token=token, now=clock.now())
        return (user.id, user.email) if user else (None, "")


class RememberedLogins:
    """Which patient a login cookie belongs to, remembered for RECHECK seconds.

    Every websocket event and every HTTP route asks; asking the database each
    time cost two queries per event, several per page open. Signing out,
    changing the password and deleting the account cut at once what this
    process remembers (forget_token, forget_patient), so an open socket is cut
    on its next event; a lookup that was already under way when the cut came
    does not count either. A login ended in another server process is noticed
    within RECHECK seconds, when the entry is looked up again; so is expiry.
    Lives on the event loop only: no lock."""

    RECHECK = 30.0
    MAX_ENTRIES = 50_000

    def __init__(self, monotonic=time.monotonic):
        self.monotonic = monotonic
        # token hash -> (patient id, email, when the lookup began); unknown tokens are not kept.
        self._entries: dict[str, tuple[int, str, float]] = {}
        # token hash or patient id -> when it was cut: older lookups do not count.
        self._cuts: dict[str | int, float] = {}

    def get(self, token: str) -> tuple[int, str] | None:
        key = credentials.token_hash(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        patient_id, email, asked_at = entry
        stale = self.monotonic() - asked_at >= self.RECHECK
        if stale or asked_at <= max(self._cuts.get(key, -1.0), self._cuts.get(patient_id, -1.0)):
            del self._entries[key]
            return None
        return patient_id, email

    def remember(self, token: str, patient_id: int, email: str, asked_at: float) -> None:
        if len(self._entries) >= self.MAX_ENTRIES:
            for key in list(self._entries)[: self.MAX_ENTRIES // 2]:  # the oldest half
                del self._entries[key]
        self._entries[credentials.token_hash(token)] = (patient_id, email, asked_at)

    def _cut(self, key: str | int) -> None:
        now_ = self.monotonic()
        if len(self._cuts) > 1_000:
            # A cut older than RECHECK is moot: every entry it could stop has gone stale.
            self._cuts = {k: at for k, at in self._cuts.items() if now_ - at < self.RECHECK}
        self._cuts[key] = now_

    def forget_token(self, token: str | None) -> None:
        if token:
            self._cut(credentials.token_hash(token))

    def forget_patient(self, patient_id: int) -> None:
        self._cut(patient_id)


remembered = RememberedLogins()


async def signed_in_patient(cookie_header: str | None) -> tuple[int | None, str]:
    """(id, email) of the patient the Cookie header's login belongs to, or (None, "")."""
    token = login_token(cookie_header)
    if token is None:
        return None, ""
    if (known := remembered.get(token)) is not None:
        return known
    asked_at = remembered.monotonic()
    patient_id, email = await asyncio.to_thread(_patient_for, token)
    if patient_id is not None:
        remembered.remember(token, patient_id, email, asked_at)
    return patient_id, email


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
