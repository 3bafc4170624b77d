"""Malformed websocket events are dropped before Reflex sees them and logged
once per connection with a count, never a traceback each; events Reflex can
run pass through untouched."""

from __future__ import annotations

import asyncio
import logging

import pytest
import reflex as rx
from reflex_base.registry import RegistrationContext
from reflex_base.utils.format import format_event_handler

from meso_journal.meso_journal import app
from meso_journal.state.base import AppState
from meso_journal.web import event_guard

HANDLERS = RegistrationContext.get().event_handlers
CHOOSE = format_event_handler(AppState.event_handlers["choose_course"])
HYDRATE = format_event_handler(rx.State.event_handlers["hydrate"])


def event(name: str = CHOOSE, payload: object = None, **more) -> dict:
    return {"name": name, "payload": {"value": "1"} if payload is None else payload, "router_data": {}, **more}


MALFORMED = {
    "a string": ("garbage", "not an object"),
    "a number": (12345, "not an object"),
    "a list": (["event", {}], "not an object"),
    "no name": ({"payload": {}}, "unknown handler"),
    "a name that is a number": (event(name=5), "unknown handler"),
    "an unknown handler": (event(name="reflex___state____state.nope"), "unknown handler"),
    "a private method": (event(name=CHOOSE.replace("choose_course", "_owner")), "unknown handler"),
    "a payload that is a string": (event(payload="x"), "payload not an object"),
    "router data that is a list": (event(router_data=[1]), "payload not an object"),
    "an argument the handler does not take": (event(payload={"value": "1", "evil": 1}), "unknown argument"),
    "no argument where one is needed": (event(payload={}), "missing argument"),
    # Found attacking the app: Reflex's built-in setter raised on every state (no set_<var> to call).
    "Reflex's setvar": (
        event(name=CHOOSE.replace("choose_course", "setvar"), payload={"var_name": "items", "value": "x"}),
        "setvar",
    ),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_it_names_what_reflex_could_not_run(name):
    data, why = MALFORMED[name]
    assert event_guard.problem(data, HANDLERS) == why


def test_it_lets_through_what_reflex_can_run():
    assert event_guard.problem(event(), HANDLERS) is None
    assert event_guard.problem(event(payload={"value": {"not": "a string"}}), HANDLERS) is None  # the handler checks
    assert event_guard.problem({"name": HYDRATE, "payload": {}, "router_data": {}}, HANDLERS) is None


def test_it_can_read_every_handler_of_the_app():
    assert app.event_namespace.on_event.__name__ == "checked_on_event"  # installed on the app's own socket
    ours = [h for h in HANDLERS.values() if h.handler.fn.__module__.startswith("meso_journal")]
    assert len(ours) > 30
    assert all(event_guard._parameters(h.handler.fn) is not None for h in HANDLERS.values())


class Namespace:
    def __init__(self):
        self.events, self.closed = [], []

    async def on_event(self, sid, data):
        self.events.append((sid, data))

    def on_disconnect(self, sid):
        self.closed.append(sid)


def test_it_logs_one_line_per_connection_with_the_count(caplog):
    namespace = Namespace()
    event_guard.install(namespace, HANDLERS)

    async def connection():
        for data in ["garbage", 1, event(name="nope"), event(), event(payload={})] * 10:
            await namespace.on_event("sid-1", data)
        namespace.on_disconnect("sid-1", "client disconnect")
        namespace.on_disconnect("sid-2")

    with caplog.at_level(logging.INFO, logger="meso_journal"):
        asyncio.run(connection())
    assert namespace.events == [("sid-1", event())] * 10  # only the event Reflex can run
    assert namespace.closed == ["sid-1", "sid-2"]
    lines = [r for r in caplog.records if r.name == "meso_journal"]
    assert len(lines) == 1 and lines[0].exc_info is None
    assert "sid-1 closed after 40 malformed events" in lines[0].getMessage()
    assert "not an object: 20" in lines[0].getMessage()
