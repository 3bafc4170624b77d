"""Limits per client address, in memory."""

from __future__ import annotations

import threading
import time


class WindowLimiter:
    """Counts events per client in a sliding window (unknown share tokens,
    sign-ups) and says when a client has had its limit. Kept in memory: with
    several workers each worker counts on its own."""

    def __init__(self, limit: int = 20, window_seconds: float = 600.0, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window_seconds, clock
        self._hits: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str) -> list[float]:
        cutoff = self.clock() - self.window
        recent = [t for t in self._hits.get(client, []) if t > cutoff]
        if recent:
            self._hits[client] = recent
        else:
            self._hits.pop(client, None)
        return recent

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client)) >= self.limit

    def hit(self, client: str) -> None:
        with self._lock:
            if client not in self._hits and len(self._hits) >= 10_000:
                # A flood from many addresses: forget the oldest half rather than grow.
                for key in list(self._hits)[:5_000]:
                    del self._hits[key]
            self._hits[client] = [*self._recent(client), self.clock()]
