"""The one way a photo's bytes leave the server, for both routes that serve
them: the patient's own (web/api.photo_file) and the doctor's signed
addresses (web/doctor_view.photo). Each route decides who may see the photo;
this module only finds the file and sends it, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from meso_journal import photos
from meso_journal.models import Photo

SIZES = ("display", "thumb")


def not_found(headers: dict[str, str] | None = None) -> Response:
    """The same answer for a photo that does not exist and one that is not yours."""
    return Response("Not found.", status_code=404, media_type="text/plain", headers=headers)


async def send(
    request: Request,
    find: Callable[[], Photo | None],
    size: str,
    headers: dict[str, str],
    not_found_headers: dict[str, str] | None = None,
) -> Response:
    """find: the route's own access check and lookup (it runs in a worker
    thread, like every database call); None for "not found"."""
    if size not in SIZES:
        return not_found(not_found_headers)
    photo = await asyncio.to_thread(find)
    if photo is None:
        return not_found(not_found_headers)
    etag = f'"{photo.storage_key}-{size}"'
    headers = {**headers, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    # A piece at a time, from whichever storage holds it (photo_storage.py);
    # Starlette reads the pieces in its thread pool.
    pieces = await asyncio.to_thread(photos.chunks, photo.owner_id, photo.storage_key, size)
    if pieces is None:
        return not_found(not_found_headers)
    return StreamingResponse(pieces, media_type="image/jpeg", headers=headers)
