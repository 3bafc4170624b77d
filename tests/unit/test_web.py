"""The account routes: forms in, a cookie and a redirect out."""

from pathlib import Path

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from meso_journal import photo_storage, settings
from meso_journal.models import AuthSession, User
from meso_journal.web import api
from meso_journal.web.cookies import COOKIE_NAME
from tests.factories import PASSWORD


@pytest.fixture
def client(engine):
    return TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)


def sign_up(client, email="alice@example.com", password=PASSWORD):
    return client.post("/api/auth/sign-up", data={"email": email, "password": password})


def test_it_signs_up_and_sets_an_httponly_cookie(client, db):
    r = sign_up(client)
    assert r.status_code == 303
    assert r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on localhost
    assert db.exec(select(User)).one().email == "alice@example.com"


@pytest.mark.parametrize(
    ("email", "password", "codes"),
    [
        ("", PASSWORD, "email_missing"),
        ("alice", PASSWORD, "email_invalid"),
        ("alice@example.com", "short", "password_short"),
        ("alice@example.com", "", "password_missing"),
        ("bad", "bad", "email_invalid,password_short"),
        ("alice@example.com", "x" * 1025, "password_long"),
    ],
)
def test_it_sends_sign_up_errors_back_to_the_form_and_stores_nothing(client, db, email, password, codes):
    r = sign_up(client, email, password)
    assert r.status_code == 303
    assert r.headers["location"] == f"/sign-up?error={codes}"
    assert "set-cookie" not in r.headers
    assert db.exec(select(User)).all() == []


def test_it_refuses_a_duplicate_email_without_signing_in(client, db):
    sign_up(client)
    client.cookies.clear()
    r = sign_up(client, email="ALICE@example.com")
    assert r.headers["location"] == "/sign-up?error=email_taken"
    assert "set-cookie" not in r.headers


def test_it_refuses_a_form_with_a_huge_field(client, db):
    r = client.post("/api/auth/sign-up", data={"email": "a@b.co", "password": "x" * 100_000})
    assert r.status_code in (303, 400)
    assert db.exec(select(User)).all() == []


def test_it_signs_in_and_answers_wrong_credentials_the_same_way(client, db):
    sign_up(client)
    client.cookies.clear()
    wrong_pw = client.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": "nope nope nope"})
    wrong_email = client.post("/api/auth/sign-in", data={"email": "zed@example.com", "password": PASSWORD})
    assert wrong_pw.headers["location"] == wrong_email.headers["location"] == "/sign-in?error=wrong_credentials"
    ok = client.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": PASSWORD})
    assert ok.headers["location"] == "/"
    assert COOKIE_NAME in ok.headers["set-cookie"]
    # Whoever was signed in here before leaves no photo in the browser's cache.
    assert ok.headers["clear-site-data"] == '"cache"'
    assert "clear-site-data" not in wrong_pw.headers


def test_it_locks_sign_in_after_five_failures(client, db):
    sign_up(client)
    client.cookies.clear()
    for _ in range(5):
        client.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": "nope nope nope"})
    r = client.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": PASSWORD})
    assert r.headers["location"] == "/sign-in?error=locked"
    assert "set-cookie" not in r.headers


def test_it_signs_out_and_revokes_the_session_server_side(client, db):
    sign_up(client)
    token = client.cookies[COOKIE_NAME]
    r = client.post("/api/auth/sign-out")
    assert r.headers["location"] == "/sign-in"
    assert f'{COOKIE_NAME}=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    # The patient's photos, cached privately by the browser, go with the sign-in.
    assert r.headers["clear-site-data"] == '"cache"'
    assert db.exec(select(AuthSession)).all() == []
    # Replaying the old cookie value gets nowhere.
    client.cookies.set(COOKIE_NAME, token)
    r = client.post("/api/account/password", data={"current_password": PASSWORD})
    assert r.headers["location"] == "/sign-in"


def test_it_changes_the_password_and_keeps_this_browser_signed_in(client, db):
    sign_up(client)
    old = client.cookies[COOKIE_NAME]
    r = client.post(
        "/api/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "another good one",
            "confirm_password": "another good one",
        },
    )
    assert r.headers["location"] == "/more?done=password"
    new = client.cookies[COOKIE_NAME]
    assert new != old
    assert len(db.exec(select(AuthSession)).all()) == 1


@pytest.mark.parametrize(
    ("form", "code"),
    [
        (
            {
                "current_password": "wrong wrong",
                "new_password": "another good one",
                "confirm_password": "another good one",
            },
            "current_password_wrong",
        ),
        (
            {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
            "password_short",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "another good one",
                "confirm_password": "another good 1",
            },
            "password_mismatch",
        ),
    ],
)
def test_it_explains_a_failed_password_change(client, db, form, code):
    sign_up(client)
    r = client.post("/api/account/password", data=form)
    assert r.headers["location"] == f"/more?form=password&error={code}"


def test_it_deletes_the_account_its_sessions_and_its_files(client, db, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "PHOTO_DIR", tmp_path / "photos")
    sign_up(client)
    user = db.exec(select(User)).one()
    folder = photo_storage.Folder().owner_dir(user.id)
    folder.mkdir(parents=True)
    (folder / "a.webp").write_bytes(b"pretend photo")
    wrong = client.post("/api/account/delete", data={"password": "not my password"})
    assert wrong.headers["location"] == "/more?form=delete&error=password_wrong"
    assert folder.exists()
    r = client.post("/api/account/delete", data={"password": PASSWORD})
    assert r.headers["location"] == "/sign-in?done=deleted"
    assert r.headers["clear-site-data"] == '"cache"' and "clear-site-data" not in wrong.headers
    db.expire_all()
    assert db.exec(select(User)).all() == []
    assert db.exec(select(AuthSession)).all() == []
    assert not Path(folder).exists()


def test_it_needs_a_session_to_change_or_delete_anything(client, db):
    for path in ("/api/account/password", "/api/account/delete"):
        r = client.post(path, data={"password": PASSWORD})
        assert r.headers["location"] == "/sign-in"


@pytest.mark.parametrize("path", ["/api/auth/sign-in", "/api/auth/sign-up", "/api/auth/sign-out"])
def test_it_refuses_get_on_form_routes(client, path):
    assert client.get(path).status_code == 405
