"""The one sign-in gate of our HTTP routes.

Every route that reads or writes a patient's data is wrapped in signed_in:
the endpoint then receives the patient's id and never looks at the cookie
itself. Whoever is not signed in gets the one answer that suits the kind of
route, named at the route:

- TO_SIGN_IN: forms and pages. 303 to the sign-in page (a stale cookie is
  cleared); 401 to a script that asked for JSON (the phone's outbox), which
  must not take the sign-in page for an answer.
- UNAUTHORIZED: files a page links to (reports, calendar). 401, plain text.
- NOT_FOUND: photo bytes. The same 404 as a photo that does not exist, so
  an address says nothing about whether it is in use.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from enum import Enum

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from meso_journal import routes, settings
from meso_journal.web.cookies import COOKIE_NAME, redirect, signed_in_patient


class SignedOut(Enum):
    TO_SIGN_IN = "to_sign_in"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"


TO_SIGN_IN, UNAUTHORIZED, NOT_FOUND = SignedOut.TO_SIGN_IN, SignedOut.UNAUTHORIZED, SignedOut.NOT_FOUND


CLEAR_CACHE = '"cache"'


def signed_out_redirect(url: str) -> RedirectResponse:
    """A redirect that also clears the login cookie (after sign-out, or a stale one)
    and the browser's HTTP cache of this site: a patient's photos are cached
    privately for a year (web/photo_files.py), and must not outlive the
    sign-in on a shared phone. (The app's own files are in the service
    worker's cache, which this leaves alone.)"""
    response = redirect(url)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=settings.HTTPS)
    response.headers["Clear-Site-Data"] = CLEAR_CACHE
    return response


def start_signed_in(response: Response, token: str) -> Response:
    """Sets a new login's cookie on response (a password's redirect, a
    passkey's JSON answer alike). Whoever used this phone before (a login
    that ran out, never signed out): their photos leave the browser's cache
    too (see signed_out_redirect)."""
    response.headers["Clear-Site-Data"] = CLEAR_CACHE
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=settings.SESSION_DAYS * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.HTTPS,
    )
    return response


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _answer(kind: SignedOut, json: bool) -> Response:
    if kind is TO_SIGN_IN and json:
        return Response("Sign in first.", status_code=401, media_type="text/plain")
    if kind is TO_SIGN_IN:
        return signed_out_redirect(routes.SIGN_IN)
    if kind is UNAUTHORIZED:
        return Response("Sign in first.", status_code=401, media_type="text/plain")
    return Response("Not found.", status_code=404, media_type="text/plain")


Endpoint = Callable[[Request, int], Awaitable[Response]]


def signed_in(signed_out: SignedOut) -> Callable[[Endpoint], Callable[[Request], Awaitable[Response]]]:
    def wrap(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(endpoint)
        async def gated(request: Request) -> Response:
            owner_id, _ = await signed_in_patient(request.headers.get("cookie"))
            if owner_id is None:
                return _answer(signed_out, wants_json(request))
            return await endpoint(request, owner_id)

        return gated

    return wrap
