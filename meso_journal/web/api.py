"""Our own HTTP routes, mounted in front of Reflex through api_transformer.

Account forms post here as plain HTML forms: the password never travels over
Reflex's websocket or sits in a state var, the session cookie can be HttpOnly,
and every answer is a redirect, so signing in or out always ends with a full
page load and a fresh websocket.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy.exc import IntegrityError
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from meso_journal import clock, database, mail, photos, routes, settings, workers
from meso_journal.exports import ics
from meso_journal.models import Photo
from meso_journal.rules import catalog, credentials, validation
from meso_journal.store import accounts, journal, summaries
from meso_journal.web import auth_pages, doctor_view, downloads, entries, passkeys, photo_files, pwa, rate_limit
from meso_journal.web.cookies import client, login_token, redirect, remembered, signed_in_patient
from meso_journal.web.gate import (
    NOT_FOUND,
    TO_SIGN_IN,
    UNAUTHORIZED,
    signed_in,
    signed_out_redirect,
    start_signed_in,
    wants_json,
)
from meso_journal.web.html_templates import templates

_FORM_LIMITS = dict(max_files=0, max_fields=10, max_part_size=16 * 1024)


def _signed_in(url: str, token: str) -> Response:
    return start_signed_in(redirect(url), token)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(**_FORM_LIMITS)
    return {k: v for k, v in form.items() if isinstance(v, str)}


# Sign-up tells whether an email has an account ("already exists"): every
# attempt counts, so a client can only ask slowly.
sign_ups = rate_limit.WindowLimiter(limit=settings.SIGN_UPS_PER_HOUR, window_seconds=3600)


async def sign_up(request: Request) -> Response:
    who = client(request)
    if sign_ups.blocked(who):
        return redirect(routes.with_error(routes.SIGN_UP, "too_many_sign_ups"))
    sign_ups.hit(who)
    form = await _form(request)
    try:
        email, password = credentials.check_sign_up(form.get("email"), form.get("password"))
        # Argon2 takes tens of milliseconds and 64 MiB: in the password pool.
        token = await workers.PASSWORDS.run(_create_and_sign_in, email, password)
    except credentials.FormError as e:
        return redirect(routes.with_error(routes.SIGN_UP, *e.errors.values()))
    return _signed_in(routes.TIMELINE, token)


def _mailed_link(path: str, token: str) -> str:
    # From the configured origin, never the request's Host header: whoever
    # asks for a reset link chooses that header.
    return f"{settings.PUBLIC_ORIGIN}{path}?token={token}"


def _create_and_sign_in(email: str, password: str) -> str:
    with database.session() as db:
        user = accounts.create_user(db=db, email=email, password=password)
        login = accounts.start_login(db=db, owner_id=user.id, now=clock.now())
        # The journal works at once; the mail asks to confirm the address.
        if (link := accounts.confirmation_link(db=db, owner_id=user.id, now=clock.now())) is not None:
            mail.confirm_address(link[0], _mailed_link(routes.CONFIRM_EMAIL, link[1]), changed=False)
        return login


# Every sign-in is an argon2 hash, right password or wrong (wrong ones are
# also counted per email, store/accounts): a client can only ask so fast.
sign_ins = rate_limit.WindowLimiter(limit=settings.SIGN_INS_PER_10_MINUTES, window_seconds=600)


def _password_asked_too_often(request: Request, back_to: str) -> Response | None:
    """Counts an attempt that checks a password (the sign-in, and the Menu's
    forms, which a signed-in client could otherwise send without end); the
    answer to send once the address has had its share, else None."""
    who = client(request)
    if sign_ins.blocked(who):
        return redirect(routes.with_error(back_to, "too_many_sign_ins"))
    sign_ins.hit(who)
    return None


async def sign_in(request: Request) -> Response:
    if refused := _password_asked_too_often(request, routes.SIGN_IN):
        return refused
    who = client(request)
    form = await _form(request)

    def attempt() -> str:
        with database.session() as db:
            user = accounts.authenticate(
                db=db, email=form.get("email"), password=form.get("password"), client=who, now=clock.now()
            )
            return accounts.start_login(db=db, owner_id=user.id, now=clock.now())

    try:
        token = await workers.PASSWORDS.run(attempt)
    except accounts.SignInRefused as e:
        return redirect(routes.with_error(routes.SIGN_IN, e.code))
    return _signed_in(routes.TIMELINE, token)


async def sign_out(request: Request) -> Response:
    token = login_token(request.headers.get("cookie"))

    def end() -> None:
        with database.session() as db:
            accounts.end_login(db=db, token=token)

    await asyncio.to_thread(end)
    remembered.forget_token(token)
    return signed_out_redirect(routes.SIGN_IN)


@signed_in(TO_SIGN_IN)
async def change_password(request: Request, owner_id: int) -> Response:
    if refused := _password_asked_too_often(request, routes.menu_form("password")):
        return refused
    form = await _form(request)
    if form.get("new_password") != form.get("confirm_password"):
        return redirect(routes.with_error(routes.menu_form("password"), "password_mismatch"))

    def change() -> str:
        with database.session() as db:
            return accounts.change_password(
                db=db,
                owner_id=owner_id,
                current=form.get("current_password"),
                new=form.get("new_password"),
                client=client(request),
                now=clock.now(),
            )

    try:
        token = await workers.PASSWORDS.run(change)
    except credentials.FormError as e:
        return redirect(routes.with_error(routes.menu_form("password"), *e.errors.values()))
    _, email = await signed_in_patient(request.headers.get("cookie"))
    mail.password_changed(email, "changed")
    remembered.forget_patient(owner_id)  # every other browser is signed out
    return _signed_in(f"{routes.MORE}?done=password", token)


@signed_in(TO_SIGN_IN)
async def delete_account(request: Request, owner_id: int) -> Response:
    if refused := _password_asked_too_often(request, routes.menu_form("delete")):
        return refused
    form = await _form(request)

    def delete() -> None:
        with database.session() as db:
            accounts.delete_account(
                db=db, owner_id=owner_id, password=form.get("password"), client=client(request), now=clock.now()
            )
        photos.remove_all(owner_id)

    try:
        await workers.PASSWORDS.run(delete)
    except credentials.FormError as e:
        return redirect(routes.with_error(routes.menu_form("delete"), *e.errors.values()))
    remembered.forget_patient(owner_id)
    return signed_out_redirect(f"{routes.SIGN_IN}?done=deleted")


# --- a way back into a journal (store/accounts: links and recovery codes) -------

# "Forgot your password?" asks nothing secret, so it is limited per client
# (and each address gets at most RESETS_PER_HOUR links, store/accounts).
reset_requests = rate_limit.WindowLimiter(limit=settings.SIGN_UPS_PER_HOUR, window_seconds=3600)


async def forgot_password(request: Request) -> Response:
    """Always the same answer, at once: whether the address has an account,
    a confirmed one, or has had its share of links this hour is never told,
    not even by the time the answer takes (the looking up and the mail
    happen after it, in the mail thread)."""
    who = client(request)
    if reset_requests.blocked(who):
        return redirect(routes.with_error(routes.FORGOT_PASSWORD, "too_many_resets"))
    reset_requests.hit(who)
    form = await _form(request)
    try:
        credentials.normalize_email(form.get("email"))
    except ValueError as e:  # a typing slip, not an account question: said at once
        return auth_pages.refused(auth_pages.FORGOT, [str(e)], form)

    def look_up_and_send() -> None:
        with database.session() as db:
            found = accounts.reset_link(db=db, email=form.get("email"), now=clock.now())
        if found is not None:
            mail.reset_password(found[0], _mailed_link(routes.RESET_PASSWORD, found[1]))

    mail.in_background(look_up_and_send)
    return redirect(f"{routes.FORGOT_PASSWORD}?done=reset_sent")


def _new_passwords_differ(form: dict[str, str]) -> bool:
    return form.get("new_password") != form.get("confirm_password")


async def reset_password(request: Request) -> Response:
    form = await _form(request)
    token = form.get("token", "")
    again = f"{routes.RESET_PASSWORD}?{urlencode({'token': token})}&error="
    if refused := _password_asked_too_often(request, routes.FORGOT_PASSWORD):
        return refused
    if _new_passwords_differ(form):
        return redirect(again + "password_mismatch")

    def reset() -> tuple[int, str, str]:
        with database.session() as db:
            return accounts.reset_password(db=db, token=token, new=form.get("new_password"), now=clock.now())

    try:
        owner_id, email, login = await workers.PASSWORDS.run(reset)
    except credentials.FormError as e:
        if "link_used" in e.errors.values():
            return redirect(routes.with_error(routes.FORGOT_PASSWORD, "link_used"))
        return redirect(again + ",".join(e.errors.values()))
    mail.password_changed(email, "reset")
    remembered.forget_patient(owner_id)  # every other browser is signed out
    return _signed_in(f"{routes.MORE}?done=password_reset", login)


async def recover(request: Request) -> Response:
    if refused := _password_asked_too_often(request, routes.RECOVER):
        return refused
    form = await _form(request)
    if _new_passwords_differ(form):
        return auth_pages.refused(auth_pages.RECOVER, ["password_mismatch"], form)

    def use_code() -> tuple[int, str, str]:
        with database.session() as db:
            return accounts.recover(
                db=db,
                email=form.get("email"),
                code=form.get("code"),
                new=form.get("new_password"),
                client=client(request),
                now=clock.now(),
            )

    try:
        owner_id, email, login = await workers.PASSWORDS.run(use_code)
    except credentials.FormError as e:
        return auth_pages.refused(auth_pages.RECOVER, list(e.errors.values()), form)
    mail.password_changed(email, "code")
    remembered.forget_patient(owner_id)
    return _signed_in(f"{routes.MORE}?done=recovered", login)


async def confirm_email(request: Request) -> Response:
    """The mailed confirmation link. Opening it is the confirmation (a mail
    scanner opening it first proves as much: the mail reached the mailbox)."""
    token = request.query_params.get("token", "")

    def confirm() -> int | None:
        with database.session() as db:
            return accounts.confirm_email(db=db, token=token, now=clock.now())

    owner_id = await asyncio.to_thread(confirm)
    here = (await signed_in_patient(request.headers.get("cookie")))[0]
    page = routes.MORE if here is not None else routes.SIGN_IN

    def confirmed_here() -> bool:
        with database.session() as db:
            return here is not None and accounts.email_confirmed(db=db, owner_id=here)

    if owner_id is None:
        # An old link opened after the address was confirmed: nothing is wrong.
        if await asyncio.to_thread(confirmed_here):
            return redirect(f"{page}?done=confirmed")
        return redirect(routes.with_error(page, "confirm_link_dead"))
    # Opened on a phone where someone else is signed in: said, not taken for theirs.
    return redirect(f"{page}?done={'confirmed_other' if here not in (None, owner_id) else 'confirmed'}")


@signed_in(TO_SIGN_IN)
async def confirm_again(request: Request, owner_id: int) -> Response:
    def send() -> None:
        with database.session() as db:
            link = accounts.confirmation_link(db=db, owner_id=owner_id, now=clock.now())
        if link is not None:
            mail.confirm_address(link[0], _mailed_link(routes.CONFIRM_EMAIL, link[1]), changed=False)

    try:
        await asyncio.to_thread(send)
    except credentials.FormError as e:
        return redirect(routes.with_error(routes.menu_form("confirm"), *e.errors.values()))
    return redirect(f"{routes.MORE}?done=confirm_sent")


@signed_in(TO_SIGN_IN)
async def change_email(request: Request, owner_id: int) -> Response:
    if refused := _password_asked_too_often(request, routes.menu_form("email")):
        return refused
    form = await _form(request)

    def change() -> tuple[str, str, str]:
        with database.session() as db:
            return accounts.change_email(
                db=db,
                owner_id=owner_id,
                new_email=form.get("email"),
                password=form.get("email_password"),
                client=client(request),
                now=clock.now(),
            )

    try:
        old, new, token = await workers.PASSWORDS.run(change)
    except credentials.FormError as e:
        return redirect(routes.with_error(routes.menu_form("email"), *e.errors.values()))
    # The old address first: the one alert a patient whose account was taken over gets.
    mail.address_changed(old, new)
    mail.confirm_address(new, _mailed_link(routes.CONFIRM_EMAIL, token), changed=True)
    remembered.forget_patient(owner_id)  # looked up afresh: the Menu shows the new address
    return redirect(f"{routes.MORE}?done=email_changed")


@signed_in(TO_SIGN_IN)
async def recovery_codes(request: Request, owner_id: int) -> Response:
    """Ten new codes, on a page of their own: shown this once, never stored
    in clear, never in a URL, never over the websocket."""
    if refused := _password_asked_too_often(request, routes.menu_form("codes")):
        return refused
    form = await _form(request)

    def make() -> list[str]:
        with database.session() as db:
            return accounts.make_recovery_codes(
                db=db,
                owner_id=owner_id,
                password=form.get("codes_password"),
                seen=form.get("codes_seen"),
                client=client(request),
                now=clock.now(),
            )

    try:
        codes = await workers.PASSWORDS.run(make)
    except credentials.FormError as e:
        return redirect(routes.with_error(routes.menu_form("codes"), *e.errors.values()))
    _, email = await signed_in_patient(request.headers.get("cookie"))
    page = templates.get_template("recovery_codes.html").render(
        codes=codes,
        email=email,
        done=f"{routes.MORE}?done=codes_made",
        recover_url=f"{settings.PUBLIC_ORIGIN}{routes.RECOVER}",
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@signed_in(UNAUTHORIZED)
async def calendar(request: Request, owner_id: int) -> Response:
    """The current course's next-session window and NSAID pause, for the phone's calendar."""

    def build() -> bytes | None:
        with database.session() as db:
            course = journal.current_course(db=db, owner_id=owner_id)
            if course is None:
                return None
            summary = summaries.summarize(db=db, owner_id=owner_id, course_id=course.id, today=clock.now().date())
            return ics.calendar(
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


@dataclass(frozen=True)
class _Uploaded:
    """What an upload came to: photos added, refusals (photos.MESSAGES
    codes), and the form's choices to hand back after a refusal."""

    added: int
    errors: list[str]
    choices: dict[str, str] | None = None


def _uploaded_answer(outcome: _Uploaded, json: bool) -> Response:
    """Back to the Photos tab with what happened. After a refusal the form's
    choices travel back too (the page checks them again), so the patient sees
    what they chose and only has to pick the photo again. The phone's outbox
    (which asks for JSON) gets the same as JSON: 201, or 422 with the messages."""
    errors = list(dict.fromkeys(outcome.errors))
    if json:
        body = {"added": outcome.added, "errors": {code: photos.MESSAGES.get(code, code) for code in errors}}
        return JSONResponse(body, status_code=422 if errors else 201, headers={"Cache-Control": "no-store"})
    query: dict[str, str] = {"added": str(outcome.added)} if outcome.added else {}
    if errors:
        query["error"] = ",".join(errors)
        query |= {k: v for k, v in (outcome.choices or {}).items() if v}
    return redirect(f"{routes.PHOTOS}?{urlencode(query)}" if query else routes.PHOTOS)


MAX_PHOTOS_AT_ONCE = 10

# The phone's id for one chosen file (upload-progress.js): the same file sent
# again after a lost answer carries the same key.
UPLOAD_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _process_upload(upload: UploadFile) -> photos.Processed:
    return photos.process(upload.file.read(settings.MAX_UPLOAD_BYTES + 1))


def _uploaded(owner_id: int, upload_key: str) -> bool:
    with database.session() as db:
        return journal.uploaded(db=db, owner_id=owner_id, upload_key=upload_key)


def _add_photo(owner_id: int, key: str, processed: photos.Processed, row: dict) -> None:
    with database.session() as db:
        journal.add_photo(
            db=db, owner_id=owner_id, storage_key=key, width=processed.width, height=processed.height, **row
        )


@signed_in(TO_SIGN_IN)
async def upload_photos(request: Request, owner_id: int) -> Response:
    # From the phone's outbox (it names whose photo it is): only under that patient's cookie.
    if entries.OWNER_HEADER in request.headers and await entries.saved_by_someone_else(request):
        return entries.not_yours()
    async with photos.writing(owner_id):
        return _uploaded_answer(await _upload_photos(request, owner_id), wants_json(request))


async def _upload_photos(request: Request, owner_id: int) -> _Uploaded:
    """Photos from the camera or the gallery, through our own cookie-checked
    route (never Reflex's public upload folder). Each file is checked and
    processed on its own; a bad one is reported and leaves nothing behind."""
    try:
        # Up to 10 photos, each with the capture time the browser read
        # (taken_hint) and the phone's id for it (upload_key).
        form = await request.form(max_files=MAX_PHOTOS_AT_ONCE, max_fields=30, max_part_size=16 * 1024)
    except Exception as e:
        return _Uploaded(0, ["too_many" if "Too many files" in str(e) else "damaged"])
    files = [f for f in form.getlist("photos") if isinstance(f, UploadFile) and (f.filename or f.size)]
    details = {k: v for k in ("area", "taken_on", "session") if isinstance(v := form.get(k), str)}
    course_id = validation.plain_id(form.get("course"))
    hints = [h if isinstance(h, str) else "" for h in form.getlist("taken_hint")]
    keys = [k if isinstance(k, str) else "" for k in form.getlist("upload_key")]
    # What the form said, handed back after a refusal (the page checks it again).
    choices = {
        "area": details.get("area", "")[:60],
        "session": details.get("session", "")[:10],
        "taken_on": details["taken_on"] if validation.looks_like_a_date(details.get("taken_on")) else "",
    }
    if not files:
        return _Uploaded(0, ["no_file"], choices)
    today = clock.today()

    def areas() -> list[str]:
        with database.session() as db:
            return journal.photo_areas(db=db, owner_id=owner_id, course_id=course_id)

    try:
        data = validation.photo_input(details, today=today, areas=await asyncio.to_thread(areas))
    except journal.NotFound:
        return _Uploaded(0, ["no_course"])
    except validation.Invalid as e:
        future = choices["taken_on"] > today.isoformat()
        codes = {"area": "no_area", "taken_on": "future_date" if future else "bad_date", "session": "bad_session"}
        return _Uploaded(0, [codes[field] for field in e.errors if field in codes] or ["damaged"], choices)

    def visit_in_course(visit_id: int) -> bool:
        with database.session() as db:
            try:
                return journal.get_visit(db=db, owner_id=owner_id, visit_id=visit_id).course_id == course_id
            except journal.NotFound:
                return False

    if data.visit_id is not None and not await asyncio.to_thread(visit_in_course, data.visit_id):
        # Deleted since the form was opened (another tab), or never this course's.
        return _Uploaded(0, ["gone_session"], {**choices, "session": ""})

    def count() -> int:
        with database.session() as db:
            return journal.photo_count(db=db, owner_id=owner_id)

    already = await asyncio.to_thread(count)
    if already + len(files) > photos.MAX_PER_JOURNAL:
        return _Uploaded(0, ["journal_full"], choices)

    # Counted from the headers alone, before anything is decoded.
    total = await photos.run_job(owner_id, lambda: sum(photos.pixels(f.file) for f in files))
    if total > settings.MAX_UPLOAD_PIXELS:
        return _Uploaded(0, ["upload_pixels"], choices)

    added, errors = 0, []
    for index, upload in enumerate(files):
        upload_key = keys[index] if index < len(keys) and UPLOAD_KEY.fullmatch(keys[index]) else None
        if upload_key and await asyncio.to_thread(_uploaded, owner_id, upload_key):
            added += 1  # stored by an earlier try whose answer never arrived
            continue
        try:
            # Read in the image pool too: a waiting request holds no photo in memory.
            processed = await photos.run_job(owner_id, _process_upload, upload)
        except photos.PhotoRejected as e:
            errors.append(e.code)
            continue
        # The day the patient typed; else the camera's EXIF date (the server's
        # own reading); else the browser's reading from before it shrank the
        # photo; else today.
        hint = validation.photo_time_hint(hints[index] if index < len(hints) else "", today=today)
        taken_at = (
            validation.photo_taken_at(data.day)
            if data.day
            else processed.taken_at or hint or clock.now().replace(tzinfo=None, microsecond=0)
        )
        if already + added >= photos.MAX_PER_JOURNAL:  # counted under photos.writing: exact
            errors.append("journal_full")
            break
        key = await photos.run_job(owner_id, photos.save, owner_id, processed)
        row = dict(
            course_id=course_id, visit_id=data.visit_id, area=data.area, taken_at=taken_at, upload_key=upload_key
        )
        try:
            await asyncio.to_thread(_add_photo, owner_id, key, processed, row)
        except journal.NotFound:
            photos.remove(owner_id, key)
            return _Uploaded(added, ["no_course"])
        except IntegrityError:
            photos.remove(owner_id, key)  # a retry running alongside stored it first
        except BaseException:
            photos.remove(owner_id, key)  # no file without its row
            raise
        added += 1
    return _Uploaded(added, errors, choices)


@signed_in(NOT_FOUND)
async def photo_file(request: Request, owner_id: int) -> Response:
    """A photo's bytes, for its owner only. Anybody else, signed in or not, gets
    the same 404 as for a photo that does not exist."""

    version = request.query_params.get("v")

    def find() -> Photo | None:
        try:
            with database.session() as db:
                row = journal.get_photo(db=db, owner_id=owner_id, photo_id=request.path_params["photo_id"])
        except journal.NotFound:
            return None
        # An address made for another photo that had this id (routes.photo_url).
        return None if version is not None and version != row.storage_key else row

    # With the key in the address these bytes never change: cached for good.
    # Without it (an old address), the browser asks again each time and the
    # ETag, which names the key, decides.
    cache = "private, max-age=31536000, immutable" if version else "private, no-cache"
    return await photo_files.send(request, find, request.path_params["size"], {"Cache-Control": cache})


api = Starlette(
    routes=[
        Route(routes.SIGN_IN, auth_pages.sign_in, methods=["GET"]),
        Route(routes.SIGN_UP, auth_pages.sign_up, methods=["GET"]),
        Route(routes.SIGN_IN + "/", auth_pages.without_slash, methods=["GET"]),
        Route(routes.SIGN_UP + "/", auth_pages.without_slash, methods=["GET"]),
        Route(routes.API_SIGN_UP, sign_up, methods=["POST"]),
        Route(routes.API_SIGN_IN, sign_in, methods=["POST"]),
        Route(routes.API_SIGN_OUT, sign_out, methods=["POST"]),
        Route(routes.API_PASSWORD, change_password, methods=["POST"]),
        Route(routes.API_DELETE_ACCOUNT, delete_account, methods=["POST"]),
        Route(routes.FORGOT_PASSWORD, auth_pages.forgot_password, methods=["GET"]),
        Route(routes.RESET_PASSWORD, auth_pages.reset_password, methods=["GET"]),
        Route(routes.RECOVER, auth_pages.recover, methods=["GET"]),
        Route(routes.CONFIRM_EMAIL, confirm_email, methods=["GET"]),
        Route(routes.API_FORGOT_PASSWORD, forgot_password, methods=["POST"]),
        Route(routes.API_RESET_PASSWORD, reset_password, methods=["POST"]),
        Route(routes.API_RECOVER, recover, methods=["POST"]),
        Route(routes.API_EMAIL, change_email, methods=["POST"]),
        Route(routes.API_CONFIRM_AGAIN, confirm_again, methods=["POST"]),
        Route(routes.API_RECOVERY_CODES, recovery_codes, methods=["POST"]),
        Route(routes.API_PASSKEY_ADD_OPTIONS, passkeys.add_options, methods=["POST"]),
        Route(routes.API_PASSKEY_ADD, passkeys.add, methods=["POST"]),
        Route(routes.API_PASSKEY_SIGN_IN_OPTIONS, passkeys.sign_in_options, methods=["POST"]),
        Route(routes.API_PASSKEY_SIGN_IN, passkeys.sign_in, methods=["POST"]),
        Route(routes.API_PASSKEYS + "/{passkey_id:int}/remove", passkeys.remove, methods=["POST"]),
        Route(routes.API_CALENDAR, calendar, methods=["GET"]),
        Route(routes.API_PHOTOS, upload_photos, methods=["POST"]),
        Route(routes.API_PHOTOS + "/{photo_id:int}/{size}", photo_file, methods=["GET"]),
        Route(routes.API_REPORT_PDF, downloads.report_pdf, methods=["GET"]),
        Route(routes.API_FHIR, downloads.fhir_bundle, methods=["GET"]),
        Route(routes.API_EXPORT + "/{table}.csv", downloads.csv_table, methods=["GET"]),
        Route(routes.API_EVERYTHING, downloads.everything, methods=["GET"]),
        Route(routes.API_IMPORT, downloads.import_archive, methods=["POST"]),
        Route(routes.API_ENTRIES, entries.receive, methods=["POST"]),
        Route(doctor_view.PHOTO_PREFIX + "/{link_id:int}/{photo_id:int}/{size}", doctor_view.photo, methods=["GET"]),
        Route(doctor_view.SHARE_PREFIX + "{token}", doctor_view.view, methods=["GET"]),
        Route("/sw.js", pwa.service_worker, methods=["GET"]),
        Route("/manifest.webmanifest", pwa.manifest, methods=["GET"]),
    ]
)
