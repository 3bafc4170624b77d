"""The one way a photo's bytes leave the server, for both routes that serve
them: the patient's own (web/api.photo_file) and the doctor's signed
addresses (web/doctor_view.photo). Each route decides who may see the photo;
this module only finds the file and sends it, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

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
    try:
        path = photos.path_for(photo.owner_id, photo.storage_key, size)
    except ValueError:
        return not_found(not_found_headers)
    data = await asyncio.to_thread(lambda: path.read_bytes() if path.exists() else None)
    if data is None:
        return not_found(not_found_headers)
    return Response(data, media_type="image/jpeg", headers=headers)
