"""Bounded thread pools, one per kind of heavy work, so that no kind can take
the threads another needs (found attacking the app: six large PDFs at once
held a CSV of another patient's for 48 s, and a flood of sign-ins, each an
argon2 hash of 64 MiB, slowed everyone's events to seconds).

Short database calls use asyncio's default pool (asyncio.to_thread,
state/base.off_loop); everything heavier has a pool here. KeyedLocks gives
"one at a time per patient (or per link)"."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from meso_journal import settings

T = TypeVar("T")


class Pool:
    def __init__(self, name: str, workers: int):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)

    async def run(self, job: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, job, *args)


class KeyedLocks:
    """One asyncio lock per key (a patient, a link), made on first use and
    forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[tuple[int, Hashable], asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, key: Hashable) -> asyncio.Lock:
        # Keyed by the running loop too: a lock belongs to one event loop.
        return self._locks.setdefault((id(asyncio.get_running_loop()), key), asyncio.Lock())


# Decoding and encoding photos, for uploads and imports together (photos.run_job).
IMAGES = Pool("meso-photos", settings.IMAGE_WORKERS)
# Checking or setting a password: sign-in, sign-up, the Menu's password forms.
PASSWORDS = Pool("meso-passwords", 2)
# Building a download (PDF, FHIR, everything): seconds each for a large journal.
DOWNLOADS = Pool("meso-downloads", settings.DOWNLOAD_WORKERS)
