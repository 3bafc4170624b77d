"""Signed-out page requests are sent to sign in before the app downloads;
everything else passes through untouched."""

import asyncio

import pytest

from meso_journal import routes
from meso_journal.web.page_gate import PageGate

ALICE_COOKIE = "meso_session=alice"


async def _owner(cookie_header: str | None) -> int | None:
    # Stands in for the session table: one valid cookie, belonging to patient 1.
    return 1 if cookie_header == ALICE_COOKIE else None


def request(path: str, *, method: str = "GET", cookie: str | None = None, kind: str = "http", sent_back=None):
    """What the gate sends back: the status, and the location if it redirected
    (and in `sent_back`, if given, the response's headers)."""
    reached: list[str] = []
    sent: list[dict] = []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    headers = [(b"cookie", cookie.encode())] if cookie else []
    scope = {"type": kind, "method": method, "path": path, "headers": headers}
    asyncio.run(PageGate(app, cookie_owner=_owner)(scope, receive, send))
    if reached:
        return "passed", None
    start = sent[0]
    if sent_back is not None:
        sent_back.update(dict(start["headers"]))
    return start["status"], dict(start["headers"]).get(b"location")


@pytest.mark.parametrize("path", [*routes.SIGNED_IN_PAGES, "/log/", "/courses/edit/"])
def test_it_sends_a_signed_out_visitor_to_sign_in(path):
    assert request(path) == (303, b"/sign-in")
    assert request(path, method="HEAD") == (303, b"/sign-in")
    assert request(path, cookie="meso_session=forged") == (303, b"/sign-in")


@pytest.mark.parametrize("path", routes.SIGNED_IN_PAGES)
def test_it_lets_a_signed_in_patient_through(path):
    assert request(path, cookie=ALICE_COOKIE) == ("passed", None)


@pytest.mark.parametrize(
    "path",
    ["/sign-in", "/sign-up", "/evidence", "/no-such-page", "/assets/root-abc.js", "/api/photos/1/thumb", "/sw.js"],
)
def test_it_leaves_everything_else_alone(path):
    assert request(path) == ("passed", None)


def test_it_leaves_forms_and_the_websocket_alone():
    assert request("/more", method="POST") == ("passed", None)
    assert request("/_event", kind="websocket") == ("passed", None)


def test_it_gates_every_page_that_checks_the_session_on_load():
    from meso_journal.meso_journal import app

    checked = {
        "/" if route == "index" else f"/{route}"
        for route, events in app._load_events.items()
        if any(getattr(getattr(e, "fn", None), "opens_signed_in_page", False) for e in events)
    }
    assert checked == set(routes.SIGNED_IN_PAGES)
    # One event of ours per page open (issue 16): the page's load checks the sign-in itself.
    assert all(len(events) <= 1 for events in app._load_events.values())


def test_a_login_that_ran_out_takes_its_photos_out_of_the_browsers_cache():
    stale, nobody = {}, {}
    assert request("/", cookie="meso_session=ran-out", sent_back=stale) == (303, b"/sign-in")
    assert stale[b"clear-site-data"] == b'"cache"'
    # A first visit has nothing of anyone to clear (and keeps its cache).
    assert request("/", sent_back=nobody) == (303, b"/sign-in")
    assert b"clear-site-data" not in nobody
