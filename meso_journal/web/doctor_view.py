"""The doctor's view of a share link: a read-only page with no sign-in, no
websocket and no Reflex state, rendered on the server (Jinja, autoescaped:
the patient's text is always text). Photos come through short-lived signed
addresses, so no cookie is involved and a revoked link stops them at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from meso_journal import clock, database, settings, workers
from meso_journal.models import Photo, ShareLink
from meso_journal.rules import sharing, validation
from meso_journal.store import journal, report, share_links
from meso_journal.web import photo_files, rate_limit
from meso_journal.web.cookies import client
from meso_journal.web.html_templates import templates

SHARE_PREFIX = "/s/"
PHOTO_PREFIX = "/s/photo"
# Tells search engines and the browser to keep these pages to themselves.
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow, noarchive",
}

# Unknown tokens per client. Only failures count and a valid link always
# opens, so a doctor behind the same network as a guesser is never locked
# out. With 256-bit tokens, guessing is hopeless anyway: this keeps a
# scanner from costing more than a few lookups.
guesses = rate_limit.WindowLimiter(limit=20, window_seconds=600)


def share_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{SHARE_PREFIX}{token}"


def signed_photo_url(link: ShareLink, photo: Photo, size: str, at: datetime) -> str:
    expires = int(at.timestamp()) + settings.SHARE_PHOTO_SECONDS
    sig = sharing.sign_photo(
        settings.SECRET_KEY,
        link_id=link.id,
        link_key=link.token_hash,
        photo_id=photo.id,
        photo_key=photo.storage_key,
        size=size,
        expires=expires,
    )
    return f"{PHOTO_PREFIX}/{link.id}/{photo.id}/{size}?expires={expires}&sig={sig}"


def _invalid(status: int = 404) -> HTMLResponse:
    # Unknown, expired and revoked tokens get one and the same page.
    html = templates.get_template("share_invalid.html").render(too_many=status == 429)
    return HTMLResponse(html, status_code=status, headers=PRIVATE_HEADERS)


def render_view(link: ShareLink, data: report.Report, at: datetime) -> str:
    def photo_url(photo: Photo, size: str) -> str:
        return signed_photo_url(link, photo, size, at)

    return templates.get_template("share_view.html").render(
        link=link,
        report=data,
        photo_url=photo_url,
        photo_minutes=settings.SHARE_PHOTO_SECONDS // 60,
        expires=link.expires_at.astimezone(UTC),
    )


_openings = workers.KeyedLocks()


def _opening(token: str) -> asyncio.Lock:
    return _openings(sharing.token_hash(token) if sharing.plausible_token(token) else "")


async def view(request: Request) -> Response:
    token = request.path_params["token"]
    at = clock.now()

    def build() -> str | None:
        with database.session() as db:
            link = share_links.open_link(db=db, token=token, now=at)
            if link is None:
                return None
            try:
                data = report.build(
                    db=db,
                    owner_id=link.owner_id,
                    course_id=link.course_id,
                    include_photos=link.include_photos,
                    today=at.date(),
                    now=at,
                )
            except journal.NotFound:
                return None
            return render_view(link, data, at)

    # The whole record is built for each opening: in the download pool, and one
    # at a time per link, so a flood of openings of one link delays that link
    # and the downloads, never the patients' own pages (found attacking the app).
    async with _opening(token):
        html = await workers.DOWNLOADS.run(build)
    if html is not None:
        return HTMLResponse(html, headers=PRIVATE_HEADERS)
    who = client(request)
    if guesses.blocked(who):
        return _invalid(429)
    guesses.hit(who)
    return _invalid()


async def photo(request: Request) -> Response:
    """A shared photo's bytes, for a valid signature of a link that is still
    active and shares photos of that photo's course; 404 for anything else."""
    p = request.path_params
    expires, sig = request.query_params.get("expires", ""), request.query_params.get("sig", "")
    expires_at = validation.plain_number(expires, max_digits=12)
    if expires_at is None:
        return photo_files.not_found(PRIVATE_HEADERS)
    at = clock.now()
    if not sharing.photo_address_current(p["size"], expires_at, at):
        return photo_files.not_found(PRIVATE_HEADERS)

    def find() -> Photo | None:
        # The link is checked again on every fetch: revoking it stops its photos at once.
        with database.session() as db:
            link = share_links.active_link(db=db, link_id=p["link_id"], now=at)
            if link is None or not link.include_photos:
                return None
            try:
                row = journal.get_photo(db=db, owner_id=link.owner_id, photo_id=p["photo_id"])
            except journal.NotFound:
                return None
            if link.course_id is not None and row.course_id != link.course_id:
                return None
            # Checked against the rows found, not only their ids (see sharing._photo_message).
            if not sharing.photo_signature_valid(
                settings.SECRET_KEY,
                link_id=link.id,
                link_key=link.token_hash,
                photo_id=row.id,
                photo_key=row.storage_key,
                size=p["size"],
                expires=int(expires),
                signature=sig,
                now=at,
            ):
                return None
            return row

    left = max(0, int(expires) - int(at.timestamp()))
    headers = {**PRIVATE_HEADERS, "Cache-Control": f"private, max-age={min(left, 3600)}"}
    return await photo_files.send(request, find, p["size"], headers, PRIVATE_HEADERS)
