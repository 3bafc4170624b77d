"""No account's downloads or sign-ins can hold up or crowd out another
patient (found attacking the app): downloads one at a time per patient and a
few at once on the server; sign-ins limited per address; a bounded number of
signed-in browsers per patient."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from meso_journal.models import AuthSession, User
from meso_journal.store import accounts
from meso_journal.web import api, downloads, rate_limit
from tests.factories import PASSWORD, make_course, make_user, make_visit


class Clock:
    t = 100.0

    def __call__(self) -> float:
        return self.t


def test_one_download_at_a_time_per_patient_and_a_few_on_the_server():
    clock = Clock()
    slots = downloads.DownloadSlots(at_once=2, monotonic=clock)
    assert slots.take(1) is None
    second = slots.take(1)
    assert second is not None and second.status_code == 429
    assert b"other download is still being prepared" in second.body
    assert slots.take(2) is None
    busy = slots.take(3)
    assert busy is not None and busy.status_code == 503 and busy.headers["retry-after"]
    slots.give_back(1)
    assert slots.take(3) is None  # a slot given back is free again
    clock.t += downloads.DownloadSlots.HOLD  # a client that stalled mid-download
    assert slots.take(4) is None and slots.take(5) is None


def test_a_finished_download_gives_its_slot_back(engine, db, monkeypatch):
    monkeypatch.setattr(downloads, "slots", downloads.DownloadSlots(at_once=1))
    client = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    client.post("/api/auth/sign-up", data={"email": "alice@example.com", "password": PASSWORD})
    alice = db.exec(select(User)).one()
    make_visit(db, alice, make_course(db, alice))
    downloads_ = (
        "/api/export/everything.zip",
        "/api/export/fhir.json?course=all",
        "/api/export/report.pdf?course=all",
        "/api/export/sessions.csv",  # a CSV builds the whole report too (24 at once stalled others)
    )
    for url in downloads_:
        for _ in range(2):  # twice in a row: the first gave its slot back
            assert client.get(url).status_code == 200, url
    assert downloads.slots._taken == {}


def test_sign_ins_are_limited_per_address_right_or_wrong(engine, db, monkeypatch):
    monkeypatch.setattr(api, "sign_ins", rate_limit.WindowLimiter(limit=3, window_seconds=600))
    make_user(db, email="alice@example.com")

    def sign_in(address: str) -> str:
        client = TestClient(api.api, base_url="http://localhost:3000", client=(address, 5000), follow_redirects=False)
        r = client.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": PASSWORD})
        return r.headers["location"]

    assert [sign_in("198.51.100.66") for _ in range(3)] == ["/"] * 3
    assert sign_in("198.51.100.66") == "/sign-in?error=too_many_sign_ins"
    assert sign_in("203.0.113.7") == "/"  # the owner elsewhere is not held up


def test_a_patient_keeps_at_most_twenty_signed_in_browsers(engine, db, monkeypatch):
    alice = make_user(db, email="alice@example.com")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    tokens = [accounts.start_login(db=db, owner_id=alice.id, now=start + timedelta(minutes=i)) for i in range(25)]
    assert len(db.exec(select(AuthSession).where(AuthSession.owner_id == alice.id)).all()) == accounts.LOGINS_KEPT
    now = start + timedelta(hours=1)
    assert accounts.resolve_login(db=db, token=tokens[0], now=now) is None  # the oldest went first
    assert accounts.resolve_login(db=db, token=tokens[-1], now=now).id == alice.id


def test_the_menus_password_forms_count_with_the_sign_ins(engine, db, monkeypatch):
    """Each is two argon2 hashes: unlimited, a signed-in client filled the
    password pool and other patients' sign-ins waited (found attacking the app)."""
    monkeypatch.setattr(api, "sign_ins", rate_limit.WindowLimiter(limit=2, window_seconds=600))
    client = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    client.post("/api/auth/sign-up", data={"email": "alice@example.com", "password": PASSWORD})
    form = {"current_password": "not it at all", "new_password": "x" * 12, "confirm_password": "x" * 12}
    answers = [client.post("/api/account/password", data=form).headers["location"] for _ in range(3)]
    assert "current_password_wrong" in answers[0] and "current_password_wrong" in answers[1]
    assert answers[2] == "/more?form=password&error=too_many_sign_ins"


def test_openings_of_one_share_link_are_built_one_at_a_time_in_the_download_pool(engine, db, monkeypatch):
    """Each opening builds the whole record: flooded, they held everyone's
    database threads (found attacking the app)."""
    import asyncio
    import threading
    import time

    import httpx

    from meso_journal.store import report
    from meso_journal.web import doctor_view
    from tests.factories import NOW, make_link

    monkeypatch.setattr(doctor_view, "guesses", rate_limit.WindowLimiter())
    alice = make_user(db, email="alice@example.com")
    make_course(db, alice)
    new = make_link(db, alice, now=NOW)
    monkeypatch.setattr(doctor_view.clock, "now", lambda: NOW)
    real_build, running, seen = report.build, [0], {"most": 0, "threads": set()}

    def slow_build(**kw):
        running[0] += 1
        seen["most"] = max(seen["most"], running[0])
        seen["threads"].add(threading.current_thread().name)
        time.sleep(0.05)
        running[0] -= 1
        return real_build(**kw)

    monkeypatch.setattr(report, "build", slow_build)

    async def open_many():
        transport = httpx.ASGITransport(app=api.api)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:3000") as client:
            url = doctor_view.share_url("", new.token)
            return await asyncio.gather(*(client.get(url) for _ in range(6)))

    answers = asyncio.run(open_many())
    assert [r.status_code for r in answers] == [200] * 6
    assert seen["most"] == 1
    assert all(name.startswith("meso-downloads") for name in seen["threads"])
