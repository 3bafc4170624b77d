"""Throttles that slow the guesser and never lock out the right person, through
the routes: sign-in counts per (email, address) and per address, sign-up per
address, and the share-link limit counts only failures."""

from __future__ import annotations

from starlette.testclient import TestClient

from meso_journal import clock
from meso_journal.rules import sharing
from meso_journal.web import api, doctor_view, rate_limit
from tests.factories import NOW, PASSWORD, make_link, make_user, utc

GUESSER, OWNER = "198.51.100.66", "203.0.113.7"


def from_address(address: str) -> TestClient:
    return TestClient(api.api, base_url="http://localhost:3000", client=(address, 50000), follow_redirects=False)


def sign_in(client: TestClient, password: str, email: str = "alice@example.com") -> str:
    return client.post("/api/auth/sign-in", data={"email": email, "password": password}).headers["location"]


def test_the_owner_signs_in_from_a_second_address_while_the_first_is_locked_out(engine, db):
    make_user(db, email="alice@example.com")
    guesser = from_address(GUESSER)
    assert [sign_in(guesser, f"guess number {i}") for i in range(5)] == ["/sign-in?error=wrong_credentials"] * 5
    assert sign_in(guesser, PASSWORD) == "/sign-in?error=locked"  # even the right password, from there
    owner = from_address(OWNER)
    assert sign_in(owner, PASSWORD) == "/"
    assert owner.cookies.get("meso_session")


def test_spraying_emails_from_one_address_meets_a_limit(engine, db):
    make_user(db, email="alice@example.com")
    sprayer = from_address(GUESSER)
    answers = [sign_in(sprayer, "password1234", f"patient{i}@example.com") for i in range(21)]
    assert answers[:20] == ["/sign-in?error=wrong_credentials"] * 20 and answers[20] == "/sign-in?error=locked"
    assert sign_in(sprayer, PASSWORD) == "/sign-in?error=locked"
    assert sign_in(from_address(OWNER), PASSWORD) == "/"


def test_sign_up_is_throttled_per_address(engine, db, monkeypatch):
    monkeypatch.setattr(api, "sign_ups", rate_limit.WindowLimiter(limit=3, window_seconds=3600))
    asker = from_address(GUESSER)

    def sign_up(client: TestClient, email: str) -> str:
        return client.post("/api/auth/sign-up", data={"email": email, "password": PASSWORD}).headers["location"]

    make_user(db, email="alice@example.com")
    answers = [sign_up(asker, "alice@example.com") for _ in range(3)]
    assert answers == ["/sign-up?error=email_taken"] * 3  # whether an email has an account: asked slowly
    assert sign_up(asker, "alice@example.com") == "/sign-up?error=too_many_sign_ups"
    assert sign_up(from_address(OWNER), "bob@example.com") == "/"


def test_a_doctor_behind_the_guessers_network_opens_a_valid_link(engine, db, monkeypatch):
    monkeypatch.setattr(doctor_view, "guesses", rate_limit.WindowLimiter())
    monkeypatch.setattr(clock, "now", lambda: NOW)
    alice = make_user(db, email="alice@example.com")
    same_network = from_address(GUESSER)
    codes = [same_network.get(f"/s/{sharing.new_token()}").status_code for _ in range(22)]
    assert codes[:20] == [404] * 20 and codes[20:] == [429, 429]
    good = make_link(db, alice, now=utc(2026, 11, 24)).token
    assert same_network.get(f"/s/{good}").status_code == 200
    assert same_network.get(f"/s/{sharing.new_token()}").status_code == 429
