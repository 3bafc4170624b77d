"""How far this process's resident memory rises while a block runs: sampled
every few milliseconds from /proc, so the figure is the block's own peak
(ru_maxrss only ever tells the peak of the whole test run)."""

from __future__ import annotations

import os
import threading
import time

_PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


class PeakRise:
    def __init__(self, every: float = 0.002):
        self.every = every
        self.rise = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.rise = max(self.rise, resident_bytes() - self.start)
            time.sleep(self.every)

    def __enter__(self) -> PeakRise:
        self.start = resident_bytes()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.rise = max(self.rise, resident_bytes() - self.start)
        self._stop.set()
        self._thread.join()

    @property
    def megabytes(self) -> float:
        return self.rise / 1024 / 1024
