"""POST /api/entries: where the phone's outbox sends a session, a check-in or
a measurement (store/entries.py says how each is stored exactly once).

The answers are JSON, made for a script that retries, and each tells it
what to do next:

- 201 stored, or 200 stored by an earlier send of the same entry: done,
  take it out of the outbox. The body names the record and the page that
  shows it.
- 422 refused by the form's rules, or its course or session is gone: show
  the messages, never send it again as it is.
- 409 the key was used for another entry: refused likewise.
- 401 not signed in (an expired cookie, a signed-out tab): keep it and ask
  the patient to sign in.
- 403 saved by another patient than the one signed in (a shared phone: one
  patient's sign-in ended and another's began): keep it for its patient.
- 413, 415: not something the outbox makes.

Cross-site senders are stopped before this (web/edge.py checks Origin), and
JSON cannot be posted by a plain cross-site form.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from meso_journal import clock, database, routes
from meso_journal.rules import validation
from meso_journal.store import entries, journal
from meso_journal.web.cookies import signed_in_patient
from meso_journal.web.gate import UNAUTHORIZED, signed_in

MAX_BYTES = 64 * 1024  # a session with every field at its longest is under 20 KB

# Where the patient finds each kind once it is in, with the page's "saved" note.
NO_STORE = {"Cache-Control": "no-store"}

# The patient the page said saved the entry (its data-owner, URL-encoded).
OWNER_HEADER = "x-meso-owner"
NOT_YOURS = "This entry was saved by another account on this phone. It waits for that account to sign in."


async def saved_by_someone_else(request: Request) -> bool:
    """True unless the outbox names the patient whose cookie came with the
    entry. Without this, an entry one patient left waiting on a shared phone
    would be stored in the journal of whoever signed in next."""
    named = request.headers.get(OWNER_HEADER)
    _, email = await signed_in_patient(request.headers.get("cookie"))
    return named is None or unquote(named) != email


def not_yours() -> Response:
    return JSONResponse({"errors": {"form": NOT_YOURS}}, status_code=403, headers=NO_STORE)


def _refused(status: int, errors: dict[str, str]) -> Response:
    return JSONResponse({"errors": errors}, status_code=status, headers=NO_STORE)


@signed_in(UNAUTHORIZED)
async def receive(request: Request, owner_id: int) -> Response:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return _refused(415, {"form": "Entries are sent as JSON."})
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BYTES:
            return _refused(413, {"form": "This entry is too large to be a form."})
    if await saved_by_someone_else(request):
        return not_yours()
    try:
        entry = entries.entry_of(json.loads(body))
    except (ValueError, UnicodeDecodeError, RecursionError) as e:  # validation.Invalid is a ValueError
        return _refused(422, e.errors if isinstance(e, validation.Invalid) else {"form": validation.SHAPE})

    def store() -> entries.Receipt:
        with database.session() as db:
            return entries.receive(db=db, owner_id=owner_id, entry=entry, today=clock.today())

    try:
        receipt = await asyncio.to_thread(store)
    except validation.Invalid as e:
        return _refused(422, e.errors)
    except journal.NotFound:
        return _refused(422, {"form": entries.GONE[entry.kind]})
    except entries.KeyTaken as e:
        return _refused(409, {"form": str(e)})
    return JSONResponse(
        {
            "kind": receipt.kind,
            "id": receipt.record_id,
            "replayed": receipt.replayed,
            "shown_at": routes.AFTER_SAVE[receipt.kind],
        },
        status_code=200 if receipt.replayed else 201,
        headers=NO_STORE,
    )
