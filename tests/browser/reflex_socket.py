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

    async def send(self, name: str, payload, path: str = "/more", settle: float = 0.5) -> list[dict]:
        """Send one event; returns what came back within `settle` seconds."""
        start = len(self.received)
        await self.client.emit(
            "event",
            {"name": name, "payload": payload, "router_data": {"pathname": path, "asPath": path}},
            namespace="/_event",
        )
        await asyncio.sleep(settle)
        return self.received[start:]

    async def hydrate(self, path: str = "/more") -> dict:
        """The full state as the server sends it on (re)connect, merged."""
        merged: dict = {}
        for update in await self.send(HYDRATE, {}, path, settle=1.0):
            for state, values in (update.get("delta") or {}).items():
                merged.setdefault(state, {}).update(values)
        return merged

    def text(self) -> str:
        return json.dumps(self.received)
