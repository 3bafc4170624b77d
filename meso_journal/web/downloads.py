"""The signed-in patient's own downloads (PDF, CSV, FHIR, everything) and
the import of an archive. Cookie-checked like every route of ours; the
service worker never caches /api/."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from meso_journal import clock, database, photos, routes
from meso_journal.exports import archive, fhir, pdf, spreadsheet
from meso_journal.models import Photo, User
from meso_journal.store import journal, report, restore
from meso_journal.web.cookies import redirect
from meso_journal.web.gate import TO_SIGN_IN, UNAUTHORIZED, signed_in


def _attachment(data: bytes, media_type: str, name: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


def _scope(request: Request) -> tuple[int | None, bool] | None:
    """The course (None: all) and photos choice from the query; None if malformed."""
    raw = request.query_params.get("course", "all")
    photos_too = request.query_params.get("photos") in ("on", "1", "yes")
    if raw == "all":
        return None, photos_too
    if raw.isdigit() and len(raw) < 11:
        return int(raw), photos_too
    return None


def _build(owner_id: int, course_id: int | None, photos_too: bool, at: datetime) -> report.Report:
    with database.session() as db:
        return report.build(
            db=db, owner_id=owner_id, course_id=course_id, include_photos=photos_too, today=at.date(), now=at
        )


def _display_path(p: Photo):
    path = photos.path_for(p.owner_id, p.storage_key, "display")
    return path if path.exists() else None


def _display_bytes(p: Photo) -> bytes | None:
    path = _display_path(p)
    return path.read_bytes() if path else None


def _file_name(kind: str, at: datetime, ext: str) -> str:
    return f"meso-journal-{kind}-{at:%Y-%m-%d}.{ext}"


async def _report_download(request: Request, owner_id: int, render, media_type: str, kind: str, ext: str) -> Response:
    scope = _scope(request)
    if scope is None:
        return Response("Choose a course from the list.", status_code=400, media_type="text/plain")
    at = clock.now()

    def make() -> bytes | None:
        try:
            return render(_build(owner_id, scope[0], scope[1], at))
        except journal.NotFound:
            return None

    data = await asyncio.to_thread(make)
    if data is None:
        return Response("That course could not be found.", status_code=404, media_type="text/plain")
    return _attachment(data, media_type, _file_name(kind, at, ext))


async def _file_download(write: Callable[[BinaryIO], bool], media_type: str, name: str) -> Response:
    """Writes a large download to a private temporary file off the event loop
    and streams it from there, so a journal with hundreds of photos never sits
    in memory whole. The file has no name on disk (TemporaryFile): a server
    killed mid-download leaves nothing behind. write returns False for 404."""

    def make() -> BinaryIO | None:
        f = tempfile.TemporaryFile(prefix="meso-export-")  # noqa: SIM115  (closed by _chunks)
        try:
            if not write(f):
                f.close()
                return None
            f.seek(0)
            return f
        except BaseException:
            f.close()
            raise

    f = await asyncio.to_thread(make)
    if f is None:
        return Response("That course could not be found.", status_code=404, media_type="text/plain")
    size = os.fstat(f.fileno()).st_size

    def _chunks():
        with f:
            while chunk := f.read(256 * 1024):
                yield chunk

    return StreamingResponse(
        _chunks(),
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
            "Content-Length": str(size),
            "Cache-Control": "private, no-store",
        },
    )


@signed_in(UNAUTHORIZED)
async def report_pdf(request: Request, owner_id: int) -> Response:
    return await _report_download(
        request, owner_id, lambda r: pdf.report_pdf(r, photo_path=_display_path), "application/pdf", "report", "pdf"
    )


@signed_in(UNAUTHORIZED)
async def fhir_bundle(request: Request, owner_id: int) -> Response:
    scope = _scope(request)
    if scope is None:
        return Response("Choose a course from the list.", status_code=400, media_type="text/plain")
    at = clock.now()

    def write(out) -> bool:
        try:
            built = _build(owner_id, scope[0], scope[1], at)
        except journal.NotFound:
            return False
        fhir.write_json(built, out, photo_bytes=_display_bytes)
        return True

    return await _file_download(write, "application/fhir+json", _file_name("fhir", at, "json"))


@signed_in(UNAUTHORIZED)
async def csv_table(request: Request, owner_id: int) -> Response:
    table = request.path_params["table"]
    if table not in spreadsheet.TABLES:
        return Response("Not found.", status_code=404, media_type="text/plain")
    at = clock.now()
    data = await asyncio.to_thread(lambda: spreadsheet.TABLES[table](_build(owner_id, None, False, at)))
    return _attachment(data, "text/csv; charset=utf-8", _file_name(table, at, "csv"))


@signed_in(UNAUTHORIZED)
async def everything(request: Request, owner_id: int) -> Response:
    at = clock.now()

    def write(out) -> bool:
        with database.session() as db:
            user = db.get(User, owner_id)
        archive.write_zip(out, _build(owner_id, None, True, at), user, photo_bytes=_display_bytes)
        return True

    return await _file_download(write, "application/zip", _file_name("everything", at, "zip"))


@signed_in(TO_SIGN_IN)
async def import_archive(request: Request, owner_id: int) -> Response:
    try:
        form = await request.form(max_files=1, max_fields=5, max_part_size=16 * 1024)
    except Exception:
        return redirect(routes.with_error(routes.SHARE, "invalid"))
    upload = form.get("archive")
    if not isinstance(upload, UploadFile):
        return redirect(routes.with_error(routes.SHARE, "not_zip"))

    try:
        # Starlette has spooled the upload to a temporary file; the zip is read
        # from there, one photo at a time. (The edge has capped its size.)
        count = await restore.restore(owner_id=owner_id, raw=upload.file, today=clock.now().date())
    except archive.ImportRefused as e:
        return redirect(f"{routes.SHARE}?{archive.refusal_query(e)}")
    return redirect(f"{routes.SHARE}?imported={count}")
