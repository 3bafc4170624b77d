"""Every public event handler, called straight over the websocket with
arguments of the wrong type, changes nothing and answers with an error."""

import httpx
import pytest
from reflex_base.utils.format import format_event_handler

import meso_journal.meso_journal  # noqa: F401  (imports every state of the app)
from meso_journal.state.base import PROBLEM, AppState
from meso_journal.web import COOKIE_NAME
from tests.browser.conftest import unique_email
from tests.browser.reflex_socket import ReflexSocket, run_async
from tests.factories import PASSWORD

BAD_VALUES = {
    "dict": {"$gt": ""},
    "list": [1, 2, 3],
    "null": None,
    "1 MB string": "A" * 1_000_000,
}
# Fields that legitimately change between two hydrates of the same tree.
VOLATILE = ("is_hydrated", "rx_router", "problem")


def _handlers() -> list[tuple[str, str]]:
    out = []
    states = [AppState]
    while states:
        cls = states.pop()
        states.extend(cls.get_substates())
        for name, handler in cls.event_handlers.items():
            out.append((f"{cls.__name__}.{name}", format_event_handler(handler)))
    return sorted(set(out))


def _stable(state: dict) -> dict:
    return {
        s: {k: v for k, v in values.items() if not k.startswith(VOLATILE)} for s, values in state.items()
    }


@pytest.fixture(scope="module")
def alice_cookie(server):
    r = httpx.post(f"{server}/api/auth/sign-up", data={"email": unique_email("alice"), "password": PASSWORD})
    assert r.status_code == 303
    return f"{COOKIE_NAME}={r.cookies[COOKIE_NAME]}"


def test_it_knows_the_handlers_it_probes():
    names = [label for label, _ in _handlers()]
    assert "AppState.require_login" in names and "AppState.setvar" in names
    assert "AccountFormsState.load_messages" in names


@pytest.mark.parametrize(("label", "event_name"), _handlers())
@pytest.mark.parametrize("kind", list(BAD_VALUES))
def test_it_refuses_wrong_argument_types(server, alice_cookie, label, event_name, kind):
    value = BAD_VALUES[kind]

    async def probe():
        async with ReflexSocket(server, cookie=alice_cookie) as sock:
            before = _stable(await sock.hydrate())
            answer = await sock.send(event_name, {"value": value, "var_name": value, "x": value}, settle=1.0)
            still_connected = sock.connected
            after = _stable(await sock.hydrate()) if still_connected else before
            return before, answer, still_connected, after

    before, answer, still_connected, after = run_async(probe())
    assert after == before, f"{label} changed the state when called with a {kind}"
    if still_connected:
        # The answer is the error banner, never a state change.
        assert PROBLEM in str(answer), f"{label} gave no error for a {kind}: {answer!r:.300}"
    # else: the socket refused a frame over its size limit, which is an answer too.


# Runs after the probes above (pytest keeps file order).
def test_it_still_knows_alice_after_the_probes(server, alice_cookie):
    async def probe():
        async with ReflexSocket(server, cookie=alice_cookie) as sock:
            return await sock.hydrate()

    assert "alice-" in str(run_async(probe()))
