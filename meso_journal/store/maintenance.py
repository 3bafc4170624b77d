"""Housekeeping that runs with the server (a lifespan task of the app).

A photo's files are written before its row is committed (DESIGN.md,
decision 5), and an import processes all its photos before writing any row:
a server killed in between leaves files that no row points at. They are
removed at start-up, and every half hour after, once they are an hour old.
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import partial

from meso_journal import clock, database, photos
from meso_journal.store import journal, restore

ORPHAN_AGE = 3600  # seconds: far longer than any upload, and than an import's photos of a few hundred
SWEEP_EVERY = 1800

logger = logging.getLogger("meso_journal.store.maintenance")


def _keys(owner_id: int) -> set[str]:
    with database.session() as db:
        return journal.photo_keys(db=db, owner_id=owner_id)


def sweep_orphans(*, now: float | None = None) -> int:
    """Removes photo files with no row older than ORPHAN_AGE; returns how many."""
    now = time.time() if now is None else now
    removed = 0
    for owner_id in photos.owners():
        if owner_id in restore.running():
            continue  # its files get their rows when its photos are all done
        removed += photos.remove_orphans(owner_id, partial(_keys, owner_id), older_than=ORPHAN_AGE, now=now)
    return removed


def purge_deleted_visits() -> int:
    """Deleted visits past their undo window, for every patient (reads never purge)."""
    with database.session() as db:
        return journal.purge_all_deleted(db=db, now=clock.now())


async def sweep_forever() -> None:
    while True:
        try:
            if removed := await asyncio.to_thread(sweep_orphans):
                logger.warning("removed %d photo files that no photo row points at", removed)
            await asyncio.to_thread(purge_deleted_visits)
        except Exception:
            logger.exception("the maintenance sweep failed")
        await asyncio.sleep(SWEEP_EVERY)
