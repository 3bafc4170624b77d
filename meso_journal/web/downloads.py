"""The signed-in patient's own downloads (PDF, CSV, FHIR, everything) and
the import of an archive. Cookie-checked like every route of ours; the
service worker never caches /api/."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from meso_journal import clock, database, photos, routes, settings, workers
from meso_journal.exports import archive, fhir, pdf, spreadsheet
from meso_journal.models import Photo
from meso_journal.rules import validation
from meso_journal.store import journal, report, restore
from meso_journal.web.cookies import redirect
from meso_journal.web.gate import TO_SIGN_IN, UNAUTHORIZED, signed_in


def _scope(request: Request) -> tuple[int | None, bool] | None:
    """The course (None: all) and photos choice from the query; None if malformed."""
    raw = request.query_params.get("course", "all")
    photos_too = request.query_params.get("photos") in ("on", "1", "yes")
    if raw == "all":
        return None, photos_too
    if (course_id := validation.plain_id(raw)) is not None:
        return course_id, photos_too
    return None


def _build(owner_id: int, course_id: int | None, photos_too: bool, at: datetime) -> report.Report:
    with database.session() as db:
        return report.build(
            db=db, owner_id=owner_id, course_id=course_id, include_photos=photos_too, today=at.date(), now=at
        )


def _display_bytes(p: Photo) -> bytes | None:
    return photos.read(p.owner_id, p.storage_key, "display")


def _file_name(kind: str, at: datetime, ext: str) -> str:
    return f"meso-journal-{kind}-{at:%Y-%m-%d}.{ext}"


class DownloadSlots:
    """Who has a download being made or sent. One at a time per patient, and
    at most DOWNLOADS_AT_ONCE on the server: each holds a thread of the
    download pool or a temporary file of up to hundreds of MB (found attacking
    the app: a dozen at once from one account filled /tmp with 1.8 GB and held
    other patients' downloads for most of a minute). A slot is given back when
    the file is sent or the client goes away; one held past HOLD seconds (a
    client that stalls mid-download) is taken back anyway."""

    HOLD = 600.0

    def __init__(self, at_once: int, monotonic: Callable[[], float] = time.monotonic):
        self.at_once, self.monotonic = at_once, monotonic
        self._taken: dict[int, float] = {}

    def take(self, owner_id: int) -> Response | None:
        """None when the slot is the patient's; else the answer to send."""
        now_ = self.monotonic()
        self._taken = {o: at for o, at in self._taken.items() if now_ - at < self.HOLD}
        if owner_id in self._taken:
            return _busy(429, "Your other download is still being prepared. Try again when it has finished.")
        if len(self._taken) >= self.at_once:
            return _busy(503, "The journal is preparing other downloads right now. Try again in a minute.")
        self._taken[owner_id] = now_
        return None

    def give_back(self, owner_id: int) -> None:
        self._taken.pop(owner_id, None)


def _busy(status: int, message: str) -> Response:
    return Response(message, status_code=status, media_type="text/plain", headers={"Retry-After": "30"})


slots = DownloadSlots(settings.DOWNLOADS_AT_ONCE)
NOT_FOUND = "That course could not be found."


async def _report_download(request: Request, owner_id: int, render, media_type: str, kind: str, ext: str) -> Response:
    scope = _scope(request)
    if scope is None:
        return Response("Choose a course from the list.", status_code=400, media_type="text/plain")
    at = clock.now()

    def write(out: BinaryIO) -> bool:
        try:
            out.write(render(_build(owner_id, scope[0], scope[1], at)))
        except journal.NotFound:
            return False
        return True

    # Through the same file and slot as the large downloads: the slot is held
    # until the bytes are sent, so a slow reader cannot pile up PDFs in memory.
    return await _file_download(owner_id, write, media_type, _file_name(kind, at, ext))


async def _file_download(owner_id: int, write: Callable[[BinaryIO], bool], media_type: str, name: str) -> Response:
    """Writes a large download to a private temporary file in the download
    pool and streams it from there, so a journal with hundreds of photos never
    sits in memory whole. The file has no name on disk (TemporaryFile): a
    server killed mid-download leaves nothing behind. write returns False for 404."""

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

    if refused := slots.take(owner_id):
        return refused
    try:
        f = await workers.DOWNLOADS.run(make)
    except BaseException:
        slots.give_back(owner_id)
        raise
    if f is None:
        slots.give_back(owner_id)
        return Response(NOT_FOUND, status_code=404, media_type="text/plain")
    size = os.fstat(f.fileno()).st_size

    async def _chunks():
        # Closed, and the slot given back, when the last chunk is sent or the
        # client goes away (the response task is cancelled at an await here).
        try:
            while chunk := await asyncio.to_thread(f.read, 256 * 1024):
                yield chunk
        finally:
            f.close()
            slots.give_back(owner_id)

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
        request, owner_id, lambda r: pdf.report_pdf(r, photo_bytes=_display_bytes), "application/pdf", "report", "pdf"
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

    return await _file_download(owner_id, write, "application/fhir+json", _file_name("fhir", at, "json"))


@signed_in(UNAUTHORIZED)
async def csv_table(request: Request, owner_id: int) -> Response:
    table = request.path_params["table"]
    if table not in spreadsheet.TABLES:
        return Response("Not found.", status_code=404, media_type="text/plain")
    at = clock.now()

    def write(out: BinaryIO) -> bool:
        # The whole journal's report is built for a CSV too: in the download pool
        # and a slot like any download (24 at once stalled others for 8 s).
        out.write(spreadsheet.TABLES[table](_build(owner_id, None, False, at)))
        return True

    return await _file_download(owner_id, write, "text/csv; charset=utf-8", _file_name(table, at, "csv"))


@signed_in(UNAUTHORIZED)
async def everything(request: Request, owner_id: int) -> Response:
    at = clock.now()

    def write(out) -> bool:
        with database.session() as db:
            user = journal.get_patient(db=db, owner_id=owner_id)
        archive.write_zip(out, _build(owner_id, None, True, at), user, photo_bytes=_display_bytes)
        return True

    return await _file_download(owner_id, write, "application/zip", _file_name("everything", at, "zip"))


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
        async with photos.writing(owner_id):  # no upload of this patient's alongside
            count = await restore.restore(owner_id=owner_id, raw=upload.file, today=clock.now().date())
    except archive.ImportRefused as e:
        return redirect(f"{routes.SHARE}?{archive.refusal_query(e)}")
    return redirect(f"{routes.SHARE}?imported={count}")
