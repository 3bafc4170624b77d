"""Passkeys through the store and the routes, with a software authenticator
making real signatures (tests/authenticator.py)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from meso_journal import clock, settings
from meso_journal.models import Passkey, PasskeyChallenge
from meso_journal.store import accounts, journal, passkeys
from meso_journal.web import api
from meso_journal.web import passkeys as passkey_routes
from meso_journal.web.cookies import COOKIE_NAME
from tests.authenticator import SoftAuthenticator
from tests.factories import PASSWORD

ORIGIN = settings.PUBLIC_ORIGIN


@pytest.fixture
def phone():
    rp_id, _ = passkeys.relying_party()
    return SoftAuthenticator(ORIGIN, rp_id)


def added(db, owner, phone, name="My phone"):
    options = passkeys.add_options(db=db, owner_id=owner.id, password=PASSWORD, client="1.2.3.4", now=clock.now())
    return passkeys.add(db=db, owner_id=owner.id, response_json=phone.create(options), name=name, now=clock.now())


def signed_in(db, phone, **kw):
    options = passkeys.sign_in_options(db=db, now=clock.now())
    return passkeys.sign_in(db=db, response_json=phone.get(options, **kw), now=clock.now())


def test_a_passkey_added_signs_its_patient_in(db, alice, phone):
    key = added(db, alice, phone)
    assert key.name == "My phone" and key.owner_id == alice.id
    assert signed_in(db, phone) == alice.id
    db.refresh(key)
    assert key.last_used_at is not None and key.sign_count == phone.count
    # Nothing secret is kept: the challenges are gone, the key is public.
    assert db.exec(select(PasskeyChallenge)).all() == []


def test_adding_asks_the_password(db, alice, phone):
    with pytest.raises(Exception) as refused:
        passkeys.add_options(db=db, owner_id=alice.id, password="not it at all", client="1.2.3.4", now=clock.now())
    assert refused.value.errors == {"passkey_password": "passkey_password_wrong"}


def test_a_replayed_sign_in_is_refused(db, alice, phone):
    added(db, alice, phone)
    options = passkeys.sign_in_options(db=db, now=clock.now())
    answer = phone.get(options)
    assert passkeys.sign_in(db=db, response_json=answer, now=clock.now()) == alice.id
    with pytest.raises(passkeys.PasskeyRefused, match="passkey_failed"):
        passkeys.sign_in(db=db, response_json=answer, now=clock.now())


def test_a_challenge_expires_after_two_minutes(db, alice, phone):
    added(db, alice, phone)
    options = passkeys.sign_in_options(db=db, now=clock.now())
    with pytest.raises(passkeys.PasskeyRefused, match="passkey_expired"):
        passkeys.sign_in(db=db, response_json=phone.get(options), now=clock.now() + timedelta(minutes=3))


def test_another_site_or_a_challenge_never_made_is_refused(db, alice, phone):
    added(db, alice, phone)
    options = passkeys.sign_in_options(db=db, now=clock.now())
    with pytest.raises(passkeys.PasskeyRefused):
        passkeys.sign_in(db=db, response_json=phone.get(options, origin="https://evil.example"), now=clock.now())
    made_up = json.dumps(
        {"challenge": "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE", "rpId": options and json.loads(options)["rpId"]}
    )
    with pytest.raises(passkeys.PasskeyRefused, match="passkey_failed"):
        passkeys.sign_in(db=db, response_json=phone.get(made_up), now=clock.now())


def test_a_passkey_claiming_another_account_is_refused(db, alice, bob, phone):
    added(db, alice, phone)
    bobs_handle = passkeys._user_handle(bob.id)
    with pytest.raises(passkeys.PasskeyRefused, match="passkey_failed"):
        signed_in(db, phone, user_handle=bobs_handle)


def test_an_unverified_user_cannot_add_a_passkey(db, alice, phone):
    options = passkeys.add_options(db=db, owner_id=alice.id, password=PASSWORD, client="1.2.3.4", now=clock.now())
    with pytest.raises(passkeys.PasskeyRefused):
        passkeys.add(
            db=db, owner_id=alice.id, response_json=phone.create(options, verified=False), name="x", now=clock.now()
        )


def test_an_add_challenge_is_only_for_the_patient_it_was_made_for(db, alice, bob, phone):
    options = passkeys.add_options(db=db, owner_id=alice.id, password=PASSWORD, client="1.2.3.4", now=clock.now())
    with pytest.raises(passkeys.PasskeyRefused):
        passkeys.add(db=db, owner_id=bob.id, response_json=phone.create(options), name="x", now=clock.now())
    assert db.exec(select(Passkey)).all() == []


def test_a_removed_passkey_no_longer_signs_in_and_only_its_owner_removes_it(db, alice, bob, phone):
    key = added(db, alice, phone)
    with pytest.raises(journal.NotFound):
        passkeys.remove(db=db, owner_id=bob.id, passkey_id=key.id)
    passkeys.remove(db=db, owner_id=alice.id, passkey_id=key.id)
    with pytest.raises(passkeys.PasskeyRefused, match="passkey_unknown"):
        signed_in(db, phone)


def test_a_new_password_ends_the_passkeys(db, alice, phone):
    added(db, alice, phone)
    accounts.change_password(
        db=db, owner_id=alice.id, current=PASSWORD, new="a brand new sentence", client="1.2.3.4", now=clock.now()
    )
    assert db.exec(select(Passkey)).all() == []


@pytest.mark.parametrize("name", ["x" * 61, "bad\u202ename", "line\nbreak"])
def test_a_name_that_cannot_be_shown_is_refused(db, alice, phone, name):
    options = passkeys.add_options(db=db, owner_id=alice.id, password=PASSWORD, client="1.2.3.4", now=clock.now())
    with pytest.raises(Exception) as refused:
        passkeys.add(db=db, owner_id=alice.id, response_json=phone.create(options), name=name, now=clock.now())
    assert "passkey_name" in refused.value.errors


# --- the routes, with hostile input ---------------------------------------------------


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setattr(
        passkey_routes, "asked", passkey_routes.rate_limit.WindowLimiter(limit=1000, window_seconds=600)
    )
    return TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"not json",
        b'{"credential": 5}',
        b'{"credential": "{}"}',
        b'{"credential": "' + b"a" * 40_000 + b'"}',
        json.dumps({"credential": json.dumps({"response": {"clientDataJSON": "!!!"}})}).encode(),
    ],
)
def test_a_forged_sign_in_is_refused_with_no_cookie(client, body):
    r = client.post("/api/passkeys/sign-in", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["to"].startswith("/sign-in?error=passkey_")
    assert "set-cookie" not in r.headers


def test_a_passkey_sign_in_sets_the_same_httponly_cookie(client, db, alice, phone):
    added(db, alice, phone)
    options = client.post("/api/passkeys/sign-in-options").text
    r = client.post("/api/passkeys/sign-in", json={"credential": phone.get(options)})
    assert r.status_code == 200 and r.json() == {"to": "/"}
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/api/export/sessions.csv").status_code == 200


def test_the_menu_form_from_a_browser_without_passkeys_is_told_so(client):
    client.post("/api/auth/sign-up", data={"email": "alice@example.com", "password": PASSWORD})
    r = client.post("/api/passkeys/add-options", data={"passkey_name": "x", "passkey_password": PASSWORD})
    assert r.headers["location"] == "/more?form=passkey&error=passkey_unsupported"


def test_signed_out_nobody_adds_or_removes_a_passkey(client):
    assert client.post("/api/passkeys/add-options", json={"name": "x", "password": PASSWORD}).status_code in (303, 401)
    assert client.post("/api/passkeys/add", json={}).status_code == 401
    assert client.post("/api/passkeys/1/remove").status_code == 303


# --- from the attack on passkeys -------------------------------------------------------


def test_one_answer_sent_many_times_at_once_signs_in_once(engine, db, alice, phone, monkeypatch):
    """Found attacking: 12 parallel sends of one assertion gave up to 3 sessions."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from meso_journal import database

    added(db, alice, phone)
    options = passkeys.sign_in_options(db=db, now=clock.now())
    answer = phone.get(options)
    # Every request reaches the database at the same moment, as they did.
    together = threading.Barrier(12)
    parse = passkeys.parse_client_data_json

    def parse_together(data):
        together.wait(timeout=10)
        return parse(data)

    monkeypatch.setattr(passkeys, "parse_client_data_json", parse_together)

    def attempt(_: int) -> bool:
        try:
            with database.session() as own:
                passkeys.sign_in(db=own, response_json=answer, now=clock.now())
            return True
        except Exception:  # refused, or SQLite busy: either way, not signed in
            return False

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(attempt, range(12)))
    assert results.count(True) == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c.pop("rawId"),
        lambda c: c["response"].pop("signature"),
        lambda c: c.update(type="xx"),
        lambda c: c.update(authenticatorAttachment="zz"),
        lambda c: c["response"].update(authenticatorData=5),
        lambda c: c["response"].update(signature={}),
    ],
)
def test_a_malformed_sign_in_answer_is_refused_not_a_500(client, db, alice, phone, tamper):
    added(db, alice, phone)
    options = client.post("/api/passkeys/sign-in-options").text
    answer = json.loads(phone.get(options))
    tamper(answer)
    r = client.post("/api/passkeys/sign-in", json={"credential": json.dumps(answer)})
    assert r.status_code == 422 and "set-cookie" not in r.headers


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c["response"].pop("attestationObject"),
        lambda c: c.update(type="xx"),
        lambda c: c.update(authenticatorAttachment="zz"),
        lambda c: c["response"].update(attestationObject=5),
    ],
)
def test_a_malformed_new_passkey_is_refused_not_a_500(db, alice, phone, tamper):
    options = passkeys.add_options(db=db, owner_id=alice.id, password=PASSWORD, client="1.2.3.4", now=clock.now())
    answer = json.loads(phone.create(options))
    tamper(answer)
    with pytest.raises(passkeys.PasskeyRefused):
        passkeys.add(db=db, owner_id=alice.id, response_json=json.dumps(answer), name="x", now=clock.now())


def test_a_recovery_code_ends_the_passkeys_too(db, alice, phone):
    """Found attacking: one added by whoever knew the old password outlived the owner's recovery."""
    added(db, alice, phone)
    codes = accounts.make_recovery_codes(
        db=db, owner_id=alice.id, password=PASSWORD, seen="none", client="1.2.3.4", now=clock.now()
    )
    accounts.recover(
        db=db, email=alice.email, code=codes[0], new="a brand new sentence", client="1.2.3.4", now=clock.now()
    )
    assert db.exec(select(Passkey)).all() == []
    with pytest.raises(passkeys.PasskeyRefused, match="passkey_unknown"):
        signed_in(db, phone)
