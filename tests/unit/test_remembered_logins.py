"""The cookie's patient is looked up once and remembered for a short while,
not asked of the database on every event and request; ending a login cuts
what is remembered at once (issue 16: one lookup per connection)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import delete
from starlette.testclient import TestClient

from meso_journal.models import AuthSession
from meso_journal.web import api, cookies
from tests.factories import PASSWORD


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _fresh_memory(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(cookies, "remembered", cookies.RememberedLogins(monotonic=clock))
    monkeypatch.setattr(api, "remembered", cookies.remembered)
    return clock


def _sign_up(email: str) -> TestClient:
    client = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    assert client.post("/api/auth/sign-up", data={"email": email, "password": PASSWORD}).status_code == 303
    return client


def _queries(engine, run) -> int:
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def _signed_in(client: TestClient) -> bool:
    # The calendar route answers 401 to whoever is not signed in, and something else to a patient.
    return client.get("/api/calendar.ics").status_code != 401


def _who(client: TestClient):
    import asyncio

    header = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return asyncio.run(cookies.signed_in_patient(header))


def test_the_second_ask_within_the_bound_costs_no_query(engine, db, monkeypatch):
    clock = _fresh_memory(monkeypatch)
    alice = _sign_up("alice@example.com")
    first = _queries(engine, lambda: _who(alice))
    assert first >= 1
    assert _queries(engine, lambda: _who(alice)) == 0
    clock.t += cookies.RememberedLogins.RECHECK  # past the bound: asked again
    assert _queries(engine, lambda: _who(alice)) == first


def test_signing_out_cuts_at_once_and_a_login_ended_elsewhere_within_the_bound(engine, db, monkeypatch):
    clock = _fresh_memory(monkeypatch)
    alice, bob = _sign_up("alice@example.com"), _sign_up("bob@example.com")
    assert _signed_in(alice) and _signed_in(bob)
    # A second browser of alice's with the same cookie (an open tab) signs out: cut at once.
    tab = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    tab.cookies.update(alice.cookies)
    tab.post("/api/auth/sign-out")
    assert not _signed_in(alice)
    # Bob's login ended by another server process (a row gone, nothing told here):
    db.exec(delete(AuthSession))
    db.commit()
    assert _signed_in(bob)  # still remembered...
    clock.t += cookies.RememberedLogins.RECHECK - 0.1
    assert _signed_in(bob)
    clock.t += 0.1
    assert not _signed_in(bob)  # ...for at most RECHECK seconds


def test_a_password_change_cuts_every_remembered_browser_of_that_patient_only(engine, db, monkeypatch):
    _fresh_memory(monkeypatch)
    alice, bob = _sign_up("alice@example.com"), _sign_up("bob@example.com")
    phone = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    phone.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": PASSWORD})
    assert _signed_in(alice) and _signed_in(phone) and _signed_in(bob)
    new = "a new password for alice"
    r = alice.post(
        "/api/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert r.headers["location"].endswith("done=password")
    assert _signed_in(alice)  # the browser that changed it gets a fresh login
    assert not _signed_in(phone)
    assert _signed_in(bob)


def test_a_lookup_under_way_when_the_login_is_cut_does_not_count(monkeypatch):
    clock = _fresh_memory(monkeypatch)
    memory = cookies.remembered
    asked_at = clock()
    clock.t += 0.05
    memory.forget_patient(7)  # the sign-out lands while the lookup is in the database
    clock.t += 0.05
    memory.remember("token-of-patient-7", 7, "p7@example.com", asked_at)
    assert memory.get("token-of-patient-7") is None
    memory.remember("token-of-patient-7", 7, "p7@example.com", clock())  # a lookup after the cut
    assert memory.get("token-of-patient-7") == (7, "p7@example.com")
