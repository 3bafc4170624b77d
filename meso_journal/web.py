"""Our own HTTP routes, mounted in front of Reflex through api_transformer.

Account forms post here as plain HTML forms: the password never travels over
Reflex's websocket or sits in a state var, the session cookie can be HttpOnly,
and every answer is a redirect, so signing in or out always ends with a full
page load and a fresh websocket.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from meso_journal import accounts, course_summary, database, exports, photos, pwa, records, routes, settings, store
from meso_journal.rules import catalog

COOKIE_NAME = "__Host-meso_session" if settings.HTTPS else "meso_session"
_FORM_LIMITS = dict(max_files=0, max_fields=10, max_part_size=16 * 1024)


def now() -> datetime:
    return datetime.now(UTC)


def session_cookie(request_or_headers) -> str | None:
    return request_or_headers.cookies.get(COOKIE_NAME)


def current_user_id(request: Request) -> int | None:
    with database.session() as db:
        user = store.resolve_session(session=db, token=session_cookie(request), now=now())
        return user.id if user else None


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def _signed_in(url: str, token: str) -> RedirectResponse:
    response = _redirect(url)
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


def _signed_out(url: str) -> RedirectResponse:
    response = _redirect(url)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=settings.HTTPS)
    return response


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(**_FORM_LIMITS)
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def sign_up(request: Request) -> Response:
    form = await _form(request)
    try:
        email, password = accounts.check_sign_up(form.get("email"), form.get("password"))
        # Argon2 takes tens of milliseconds and 64 MiB: keep it off the event loop.
        token = await asyncio.to_thread(_create_and_sign_in, email, password)
    except accounts.FormError as e:
        return _redirect(routes.with_error(routes.SIGN_UP, *e.errors.values()))
    return _signed_in(routes.TIMELINE, token)


def _create_and_sign_in(email: str, password: str) -> str:
    with database.session() as db:
        user = store.create_user(session=db, email=email, password=password)
        return store.start_session(session=db, owner_id=user.id, now=now())


async def sign_in(request: Request) -> Response:
    form = await _form(request)

    def attempt() -> str:
        with database.session() as db:
            user = store.authenticate(session=db, email=form.get("email"), password=form.get("password"), now=now())
            return store.start_session(session=db, owner_id=user.id, now=now())

    try:
        token = await asyncio.to_thread(attempt)
    except store.SignInRefused as e:
        return _redirect(routes.with_error(routes.SIGN_IN, e.code))
    return _signed_in(routes.TIMELINE, token)


async def sign_out(request: Request) -> Response:
    with database.session() as db:
        store.end_session(session=db, token=session_cookie(request))
    return _signed_out(routes.SIGN_IN)


async def change_password(request: Request) -> Response:
    if (owner_id := current_user_id(request)) is None:
        return _signed_out(routes.SIGN_IN)
    form = await _form(request)
    if form.get("new_password") != form.get("confirm_password"):
        return _redirect(routes.with_error(routes.MORE, "password_mismatch"))

    def change() -> str:
        with database.session() as db:
            return store.change_password(
                session=db,
                owner_id=owner_id,
                current=form.get("current_password"),
                new=form.get("new_password"),
                now=now(),
            )

    try:
        token = await asyncio.to_thread(change)
    except accounts.FormError as e:
        return _redirect(routes.with_error(routes.MORE, *e.errors.values()))
    return _signed_in(f"{routes.MORE}?done=password", token)


async def delete_account(request: Request) -> Response:
    if (owner_id := current_user_id(request)) is None:
        return _signed_out(routes.SIGN_IN)
    form = await _form(request)

    def delete() -> None:
        with database.session() as db:
            store.delete_account(session=db, owner_id=owner_id, password=form.get("password"))
        photos.remove_all(owner_id)

    try:
        await asyncio.to_thread(delete)
    except accounts.FormError as e:
        return _redirect(routes.with_error(routes.MORE, *e.errors.values()))
    return _signed_out(f"{routes.SIGN_IN}?done=deleted")


async def calendar(request: Request) -> Response:
    """The current course's next-session window and NSAID pause, for the phone's calendar."""
    if (owner_id := current_user_id(request)) is None:
        return Response("Sign in first.", status_code=401, media_type="text/plain")

    def build() -> bytes | None:
        with database.session() as db:
            course = records.current_course(session=db, owner_id=owner_id)
            if course is None:
                return None
            summary = course_summary.summarize(session=db, owner_id=owner_id, course_id=course.id, today=now().date())
            return exports.calendar(
                summary.position,
                course_id=course.id,
                course_label=catalog.course_label(course.goal, course.areas),
                clinic=course.clinic,
            )

    data = await asyncio.to_thread(build)
    if data is None:
        return Response("Start a course first.", status_code=404, media_type="text/plain")
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="meso-journal.ics"',
            "Cache-Control": "private, no-store",
        },
    )


api = Starlette(
    routes=[
        Route(routes.API_SIGN_UP, sign_up, methods=["POST"]),
        Route(routes.API_SIGN_IN, sign_in, methods=["POST"]),
        Route(routes.API_SIGN_OUT, sign_out, methods=["POST"]),
        Route(routes.API_PASSWORD, change_password, methods=["POST"]),
        Route(routes.API_DELETE_ACCOUNT, delete_account, methods=["POST"]),
        Route(routes.API_CALENDAR, calendar, methods=["GET"]),
        Route("/sw.js", pwa.service_worker, methods=["GET"]),
        Route("/manifest.webmanifest", pwa.manifest, methods=["GET"]),
    ]
)
