"""Bounded thread pools, one per kind of heavy work, so that no kind can take
the threads another needs (found attacking the app: six large PDFs at once
held a CSV of another patient's for 48 s, and a flood of sign-ins, each an
argon2 hash of 64 MiB, slowed everyone's events to seconds).

Short database calls use asyncio's default pool (asyncio.to_thread,
state/base.off_loop); photos have their own (photos.run_job); these are the
others."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from meso_journal import settings

T = TypeVar("T")


class Pool:
    def __init__(self, name: str, workers: int):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)

    async def run(self, job: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, job, *args)


# Checking or setting a password: sign-in, sign-up, the Menu's password forms.
PASSWORDS = Pool("meso-passwords", 2)
# Building a download (PDF, FHIR, everything): seconds each for a large journal.
DOWNLOADS = Pool("meso-downloads", settings.DOWNLOAD_WORKERS)
