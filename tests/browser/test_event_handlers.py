"""Every public event handler, called straight over the websocket with
arguments of the wrong type, changes nothing and answers with an error."""

import inspect
import sqlite3

import httpx
import pytest
from reflex_base.utils.format import format_event_handler

import meso_journal.meso_journal  # noqa: F401  (imports every state of the app)
from meso_journal.state.base import AppState
from meso_journal.web.cookies import COOKIE_NAME
from tests.browser.conftest import unique_email
from tests.browser.reflex_socket import ReflexSocket, run_async
from tests.factories import PASSWORD, course_form, visit_form

BAD_VALUES = {
    "dict": {"$gt": ""},
    "list": [1, 2, 3],
    "null": None,
    "1 MB string": "A" * 1_000_000,
}
# Vars that exist to carry an answer (or that Reflex itself changes).
ANSWERS = ("problem", "errors", "notice", "refusals")
VOLATILE = ("is_hydrated", "rx_router", *ANSWERS)


def _handlers() -> list[tuple[str, str, list[str]]]:
    out = []
    states = [AppState]
    while states:
        cls = states.pop()
        states.extend(cls.get_substates())
        for name, handler in cls.event_handlers.items():
            params = [p for p in inspect.signature(handler.fn).parameters if p != "self"]
            out.append((f"{cls.__name__}.{name}", format_event_handler(handler), params))
    return sorted(out)


def _stable(state: dict) -> dict:
    return {s: {k: v for k, v in values.items() if not k.startswith(VOLATILE)} for s, values in state.items()}


def _answered_with_error(updates: list[dict]) -> bool:
    for update in updates:
        for values in (update.get("delta") or {}).values():
            if any(k.startswith(("problem", "errors")) and v for k, v in values.items()):
                return True
    return False


def _database(app_server) -> list:
    db = sqlite3.connect(app_server.data_dir / "meso_journal.db")
    try:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table' order by name")]
        return [(t, db.execute(f'select * from "{t}" order by 1').fetchall()) for t in tables if t != "signinfailure"]
    finally:
        db.close()


def _count(app_server, table: str) -> int:
    db = sqlite3.connect(app_server.data_dir / "meso_journal.db")
    try:
        return db.execute(f'select count(*) from "{table}"').fetchone()[0]
    finally:
        db.close()


@pytest.fixture(scope="module")
def alice_cookie(app_server):
    server = app_server.url
    r = httpx.post(f"{server}/api/auth/sign-up", data={"email": unique_email("alice"), "password": PASSWORD})
    assert r.status_code == 303
    cookie = f"{COOKIE_NAME}={r.cookies[COOKIE_NAME]}"
    # Give alice a course and a session, so handlers get past their first checks.
    from meso_journal.state.courses import CourseFormState
    from meso_journal.state.log import LogState

    async def make_records():
        async with ReflexSocket(server, cookie=cookie) as sock:
            await sock.hydrate("/courses/edit")
            await sock.send(format_event_handler(CourseFormState.event_handlers["save"]), {"form_data": course_form()})
            await sock.hydrate("/log")
            await sock.send(format_event_handler(LogState.event_handlers["save"]), {"form_data": visit_form()})

    courses, sessions = _count(app_server, "course"), _count(app_server, "treatmentsession")
    run_async(make_records())
    assert _count(app_server, "course") == courses + 1
    assert _count(app_server, "treatmentsession") == sessions + 1
    return cookie


def test_it_knows_the_handlers_it_probes():
    names = [label for label, _, _ in _handlers()]
    for expected in (
        "AppState.choose_course",
        "AppState.setvar",
        "LogState.save",
        "TimelineState.delete_visit",
    ):
        assert expected in names


@pytest.mark.parametrize(("label", "event_name", "params"), _handlers(), ids=[h[0] for h in _handlers()])
@pytest.mark.parametrize("kind", list(BAD_VALUES))
def test_it_refuses_wrong_argument_types(app_server, alice_cookie, label, event_name, params, kind):
    value = BAD_VALUES[kind]
    # The handler's own parameters, all wrong; a handler without any gets one it does not take.
    payload = {p: value for p in params} or {"value": value}
    database_before = _database(app_server)

    async def probe():
        async with ReflexSocket(app_server.url, cookie=alice_cookie) as sock:
            before = _stable(await sock.hydrate())
            answer = await sock.send(event_name, payload)
            if not sock.connected:
                return before, answer, False, before
            return before, answer, True, _stable(await sock.hydrate())

    before, answer, still_connected, after = run_async(probe())
    assert after == before, f"{label} changed the state when called with a {kind}"
    assert _database(app_server) == database_before, f"{label} changed the database when called with a {kind}"
    # Reflex's built-in setvar is dropped by the event guard whatever it carries
    # (no page of ours sends it, and it raised on every state).
    dropped = label.endswith(".setvar")
    if still_connected and params and not dropped:
        assert _answered_with_error(answer), f"{label} gave no error for a {kind}: {answer!r:.300}"
    elif still_connected:
        # An argument the handler does not take: the event guard drops the
        # event before Reflex sees it (and counts it); nothing runs, nothing answers.
        assert answer == [], f"{label} ran with an argument it does not take: {answer!r:.300}"
    # else: the socket refused a frame over its size limit, which is an answer too.


# Runs after the probes above (pytest keeps file order).
def test_it_still_knows_alice_after_the_probes(server, alice_cookie):
    async def probe():
        async with ReflexSocket(server, cookie=alice_cookie) as sock:
            return await sock.hydrate()

    assert "alice-" in str(run_async(probe()))
