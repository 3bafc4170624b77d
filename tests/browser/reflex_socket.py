"""A bare Reflex websocket client: what an attacker's script can do."""

from __future__ import annotations

import asyncio
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import socketio

HYDRATE = "reflex___state____state.hydrate_and_load"


def run_async(coro):
    # Playwright's sync API owns the main thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class ReflexSocket:
    def __init__(self, server: str, *, cookie: str | None = None, token: str | None = None):
        self.server = server
        self.cookie = cookie
        self.token = token or str(uuid.uuid4())
        self.received: list[dict] = []
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("event", self.received.append, namespace="/_event")

    async def __aenter__(self) -> ReflexSocket:
        headers = {"Origin": self.server}
        if self.cookie:
            headers["Cookie"] = self.cookie
        await self.client.connect(
            f"{self.server}?token={self.token}",
            socketio_path="/_event",
            transports=["websocket"],
            namespaces=["/_event"],
            headers=headers,
            wait_timeout=10,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.disconnect()

    @property
    def connected(self) -> bool:
        return self.client.connected

    async def send(self, name: str, payload, path: str = "/more", until=None, timeout: float = 3.0) -> list[dict]:
        """Send one event; returns what came back: everything until `until(updates)`
        is true, or until the server has been quiet for a moment after answering."""
        start = len(self.received)
        await self.client.emit(
            "event",
            {"name": name, "payload": payload, "router_data": {"pathname": path, "asPath": path}},
            namespace="/_event",
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        seen, quiet_since = start, loop.time()
        while loop.time() < deadline and self.connected:
            await asyncio.sleep(0.02)
            if len(self.received) != seen:
                seen, quiet_since = len(self.received), loop.time()
            got = self.received[start:]
            if until is not None and until(got):
                break
            if until is None and got and loop.time() - quiet_since > 0.15:
                break
        return self.received[start:]

    async def hydrate(self, path: str = "/more") -> dict:
        """The full state as the server sends it on (re)connect, merged."""

        def hydrated(updates):
            return any('"is_hydrated_rx_state_": true' in json.dumps(u) for u in updates)

        merged: dict = {}
        for update in await self.send(HYDRATE, {}, path, until=hydrated, timeout=5.0):
            for state, values in (update.get("delta") or {}).items():
                merged.setdefault(state, {}).update(values)
        return merged

    def text(self) -> str:
        return json.dumps(self.received)
