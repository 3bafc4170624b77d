"""The passkey routes (store/passkeys.py does the checking). assets/passkeys.js
calls them: it asks for options, lets the browser make or use the passkey
(fingerprint, face or PIN), and sends the result back. Every answer is JSON
naming the address to go to next, so a refusal ends on a page that shows it
the way every form does (?error=<code>, the error summary focused)."""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from meso_journal import clock, database, routes, settings, workers
from meso_journal.rules import credentials
from meso_journal.store import accounts, journal, passkeys
from meso_journal.web import rate_limit
from meso_journal.web.cookies import client, redirect, remembered
from meso_journal.web.gate import TO_SIGN_IN, UNAUTHORIZED, signed_in, start_signed_in

NO_STORE = {"Cache-Control": "no-store"}
MAX_BODY = 32 * 1024
ADD_REFUSED = routes.menu_form("passkey")

# Adding a passkey checks the password: limited like a sign-in.
asked = rate_limit.WindowLimiter(limit=settings.SIGN_INS_PER_10_MINUTES, window_seconds=600)
# Sign-in options are asked by every view of the sign-in page (its email
# field offers passkeys), signed out, and each is a row for two minutes:
# limited, but loosely, as a clinic's patients may share one address.
offered = rate_limit.WindowLimiter(limit=10 * settings.SIGN_INS_PER_10_MINUTES, window_seconds=600)


def go(to: str, status: int = 200) -> JSONResponse:
    return JSONResponse({"to": to}, status_code=status, headers=NO_STORE)


async def _body(request: Request) -> dict[str, object] | None:
    """The JSON object sent, or None (too large, or not one)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _refused(back_to: str, codes: object) -> JSONResponse:
    return go(routes.with_error(back_to, *(codes if isinstance(codes, list | tuple) else [codes])), status=422)


@signed_in(TO_SIGN_IN)
async def add_options(request: Request, owner_id: int) -> Response:
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/")):
        # The Menu's form sent by a browser without passkeys (passkeys.js did not take it).
        return redirect(routes.with_error(ADD_REFUSED, "passkey_unsupported"))
    who = client(request)
    if asked.blocked(who):
        return _refused(ADD_REFUSED, "too_many_sign_ins")
    asked.hit(who)
    data = await _body(request)
    if data is None:
        return _refused(ADD_REFUSED, "too_large")
    try:
        credentials.passkey_name(data.get("name"))  # said before the fingerprint, not after
    except credentials.FormError as e:
        return _refused(ADD_REFUSED, list(e.errors.values()))

    def options() -> str:
        with database.session() as db:
            return passkeys.add_options(
                db=db, owner_id=owner_id, password=data.get("password"), client=who, now=clock.now()
            )

    try:
        made = await workers.PASSWORDS.run(options)
    except credentials.FormError as e:
        return _refused(ADD_REFUSED, list(e.errors.values()))
    return Response(made, media_type="application/json", headers=NO_STORE)


@signed_in(UNAUTHORIZED)
async def add(request: Request, owner_id: int) -> Response:
    data = await _body(request)
    if data is None:
        return _refused(ADD_REFUSED, "passkey_failed")

    def store() -> None:
        with database.session() as db:
            passkeys.add(
                db=db, owner_id=owner_id, response_json=data.get("credential"), name=data.get("name"), now=clock.now()
            )

    try:
        await asyncio.to_thread(store)
    except passkeys.PasskeyRefused as e:
        return _refused(ADD_REFUSED, e.code)
    except credentials.FormError as e:
        return _refused(ADD_REFUSED, list(e.errors.values()))
    return go(f"{routes.MORE}?done=passkey_added")


async def sign_in_options(request: Request) -> Response:
    who = client(request)
    if offered.blocked(who):
        return _refused(routes.SIGN_IN, "too_many_sign_ins")
    offered.hit(who)

    def options() -> str:
        with database.session() as db:
            return passkeys.sign_in_options(db=db, now=clock.now())

    return Response(await asyncio.to_thread(options), media_type="application/json", headers=NO_STORE)


async def sign_in(request: Request) -> Response:
    """Sets the same HttpOnly session cookie as a password sign-in."""
    data = await _body(request)
    if data is None:
        return _refused(routes.SIGN_IN, "passkey_failed")

    def check() -> str:
        with database.session() as db:
            owner_id = passkeys.sign_in(db=db, response_json=data.get("credential"), now=clock.now())
            return accounts.start_login(db=db, owner_id=owner_id, now=clock.now())

    try:
        login = await asyncio.to_thread(check)
    except passkeys.PasskeyRefused as e:
        return _refused(routes.SIGN_IN, e.code)
    return start_signed_in(go(routes.TIMELINE), login)


@signed_in(TO_SIGN_IN)
async def remove(request: Request, owner_id: int) -> Response:
    def delete() -> None:
        with database.session() as db:
            passkeys.remove(db=db, owner_id=owner_id, passkey_id=request.path_params["passkey_id"])

    try:
        await asyncio.to_thread(delete)
    except journal.NotFound:
        return redirect(routes.MORE)
    remembered.forget_patient(owner_id)
    return redirect(f"{routes.MORE}?done=passkey_removed")
