"""A way back into a journal (#19): the confirmation mail, "forgot your
password?", recovery codes and a changed email, through the real routes and
a real SMTP server on loopback."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from meso_journal import clock, mail, settings
from meso_journal.models import AuthSession, EmailLink, RecoveryCode, User
from meso_journal.rules import credentials
from meso_journal.store import accounts
from meso_journal.web import api
from meso_journal.web.cookies import COOKIE_NAME
from tests.factories import PASSWORD
from tests.mailbox import Mailbox, link_in

NEW_PASSWORD = "a brand new sentence"


@pytest.fixture
def mailbox(monkeypatch):
    box = Mailbox().start()
    monkeypatch.setattr(settings, "SMTP", ("127.0.0.1", box.port, "", "", "none"))
    yield box
    box.stop()


@pytest.fixture
def client(engine, mailbox, monkeypatch):
    # Each test asks as often as it likes: the limiters are fresh.
    monkeypatch.setattr(api, "reset_requests", api.rate_limit.WindowLimiter(limit=1000, window_seconds=3600))
    monkeypatch.setattr(api, "sign_ins", api.rate_limit.WindowLimiter(limit=1000, window_seconds=600))
    return TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)


def sign_up(client, email="alice@example.com"):
    r = client.post("/api/auth/sign-up", data={"email": email, "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/"
    return r


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def confirm(client, mailbox, email="alice@example.com"):
    msg = mailbox.wait_for(email, "Confirm your email")
    return client.get(path_of(link_in(msg)))


def forgot(client, email):
    r = client.post("/api/auth/forgot-password", data={"email": email})
    mail.wait_until_sent()
    return r


def reset_link(mailbox, email="alice@example.com", after=0):
    return path_of(link_in(mailbox.wait_for(email, "Set a new password", after=after)))


def reset(client, link, password=NEW_PASSWORD, confirm=None):
    token = link.split("token=", 1)[1]
    return client.post(
        "/api/auth/reset-password",
        data={"token": token, "new_password": password, "confirm_password": confirm or password},
    )


def refused_with(r, *codes: str) -> bool:
    """The form shown again at once, saying each code's message (web/auth_pages.refused)."""
    from html import escape

    return r.status_code == 422 and all(escape(credentials.MESSAGES[c]) in r.text for c in codes)


def signs_in(email, password) -> bool:
    fresh = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    r = fresh.post("/api/auth/sign-in", data={"email": email, "password": password})
    return r.headers["location"] == "/"


# --- confirming the address ---------------------------------------------------


def test_sign_up_mails_a_confirmation_link_that_works_once(client, mailbox, db):
    sign_up(client)
    user = db.exec(select(User)).one()
    assert user.email_verified_at is None  # the journal works before the link is opened
    msg = mailbox.wait_for("alice@example.com", "Confirm your email")
    link = link_in(msg)
    assert link.startswith(f"{settings.PUBLIC_ORIGIN}/confirm-email?token=")
    r = client.get(path_of(link))
    assert r.headers["location"] == "/more?done=confirmed"
    db.refresh(user)
    assert user.email_verified_at is not None
    # Only its hash was ever stored, and now not even that.
    assert db.exec(select(EmailLink)).all() == []
    # Used up: opened again, it confirms nothing, and says all is well (it is).
    assert db.exec(select(EmailLink)).all() == []
    again = client.get(path_of(link))
    assert again.headers["location"] == "/more?done=confirmed"
    client.cookies.clear()
    assert client.get(path_of(link)).headers["location"] == "/sign-in?error=confirm_link_dead"


def test_a_link_is_built_from_the_configured_origin_not_the_host_header(client, mailbox):
    client.post(
        "/api/auth/sign-up",
        data={"email": "alice@example.com", "password": PASSWORD},
        headers={"host": "evil.example", "x-forwarded-host": "evil.example"},
    )
    link = link_in(mailbox.wait_for("alice@example.com", "Confirm your email"))
    assert link.startswith(settings.PUBLIC_ORIGIN) and "evil" not in link


def test_a_confirmation_link_opened_signed_out_says_so_on_the_sign_in_page(client, mailbox):
    sign_up(client)
    client.cookies.clear()
    assert confirm(client, mailbox).headers["location"] == "/sign-in?done=confirmed"


def test_confirmation_can_be_sent_again_a_few_times_an_hour(client, mailbox, db):
    sign_up(client)
    mailbox.wait_for("alice@example.com", "Confirm your email")
    n = credentials.CONFIRMS_PER_HOUR
    answers = [client.post("/api/account/confirm-again").headers["location"] for _ in range(n)]
    assert answers[:-1] == ["/more?done=confirm_sent"] * (n - 1)
    assert answers[-1] == "/more?form=confirm&error=too_many_links"  # the sign-up's counts too
    mail.wait_until_sent()
    assert len(mailbox.to("alice@example.com")) == n


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 5000, "%00", "../../etc/passwd"])
def test_a_forged_confirmation_token_confirms_nothing(client, mailbox, db, token):
    sign_up(client)
    r = client.get("/confirm-email", params={"token": token})
    assert r.headers["location"] == "/more?error=confirm_link_dead"
    assert db.exec(select(User)).one().email_verified_at is None


# --- forgot your password ------------------------------------------------------


def test_forgot_password_answers_the_same_for_every_address_and_mails_only_a_confirmed_one(client, mailbox, db):
    sign_up(client, "alice@example.com")
    confirm(client, mailbox, "alice@example.com")
    client.cookies.clear()
    sign_up(client, "bob@example.com")  # never confirmed
    client.cookies.clear()
    answers = {
        email: forgot(client, email).headers["location"]
        for email in ("alice@example.com", "bob@example.com", "nobody@example.com")
    }
    assert set(answers.values()) == {"/forgot-password?done=reset_sent"}
    assert reset_link(mailbox)  # alice got one
    assert [m["Subject"] for m in mailbox.to("bob@example.com")] == ["Confirm your email for Meso Journal"]
    assert mailbox.to("nobody@example.com") == []


def test_a_reset_link_sets_a_new_password_once_and_ends_every_other_sign_in(client, mailbox, db):
    sign_up(client)
    confirm(client, mailbox)
    other_device = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    other_device.post("/api/auth/sign-in", data={"email": "alice@example.com", "password": PASSWORD})
    assert len(db.exec(select(AuthSession)).all()) == 2
    forgot(client, "alice@example.com")
    link = reset_link(mailbox)
    page = client.get(link)
    assert page.status_code == 200 and "Choose a new password" in page.text
    r = reset(client, link)
    assert r.headers["location"] == "/more?done=password_reset"
    assert "set-cookie" in r.headers  # signed in here with the new password
    assert len(db.exec(select(AuthSession)).all()) == 1
    assert other_device.get("/api/export/sessions.csv").status_code == 401
    assert signs_in("alice@example.com", NEW_PASSWORD) and not signs_in("alice@example.com", PASSWORD)
    # The link worked once.
    assert client.get(link).headers["location"] == "/forgot-password?error=link_used"
    assert reset(client, link, "yet another sentence").headers["location"] == "/forgot-password?error=link_used"
    assert signs_in("alice@example.com", NEW_PASSWORD)


def test_a_reset_link_expires_after_30_minutes(client, mailbox, monkeypatch):
    sign_up(client)
    confirm(client, mailbox)
    forgot(client, "alice@example.com")
    link = reset_link(mailbox)
    later = clock.now() + timedelta(minutes=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get(link).headers["location"] == "/forgot-password?error=link_used"
    assert reset(client, link).headers["location"] == "/forgot-password?error=link_used"
    assert signs_in("alice@example.com", PASSWORD)


def test_a_refused_new_password_keeps_the_link_working(client, mailbox):
    sign_up(client)
    confirm(client, mailbox)
    forgot(client, "alice@example.com")
    link = reset_link(mailbox)
    token = link.split("token=", 1)[1]
    short = reset(client, link, "short")
    assert short.headers["location"] == f"/reset-password?token={token}&error=password_short"
    mismatch = reset(client, link, NEW_PASSWORD, confirm="something else entirely")
    assert mismatch.headers["location"].endswith("&error=password_mismatch")
    assert reset(client, link).headers["location"] == "/more?done=password_reset"


def test_a_confirmation_token_is_not_a_reset_token(client, mailbox):
    sign_up(client)
    link = link_in(mailbox.wait_for("alice@example.com", "Confirm your email"))
    token = link.split("token=", 1)[1]
    r = client.post(
        "/api/auth/reset-password",
        data={"token": token, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert r.headers["location"] == "/forgot-password?error=link_used"
    assert signs_in("alice@example.com", PASSWORD)


def test_an_address_gets_three_reset_links_an_hour(client, mailbox):
    sign_up(client)
    confirm(client, mailbox)
    for _ in range(5):
        assert forgot(client, "alice@example.com").headers["location"] == "/forgot-password?done=reset_sent"
    assert len([m for m in mailbox.to("alice@example.com") if "new password" in m["Subject"]]) == 3


def test_a_client_asking_too_often_is_told_to_wait(client, monkeypatch):
    monkeypatch.setattr(api, "reset_requests", api.rate_limit.WindowLimiter(limit=2, window_seconds=3600))
    answers = [forgot(client, f"n{i}@example.com").headers["location"] for i in range(3)]
    assert answers[2] == "/forgot-password?error=too_many_resets"


@pytest.mark.parametrize(
    ("email", "code"), [("", "email_missing"), ("x" * 400, "email_too_long"), ("nope", "email_invalid")]
)
def test_forgot_password_says_what_is_wrong_with_a_mistyped_address(client, email, code):
    r = forgot(client, email)
    assert refused_with(r, code)
    if email:  # what was typed is back in the field, to find the slip
        assert f'value="{email[:400]}"' in r.text


def test_a_changed_email_kills_the_reset_links_of_the_old_one(client, mailbox, db):
    sign_up(client)
    confirm(client, mailbox)
    forgot(client, "alice@example.com")
    link = reset_link(mailbox)
    r = client.post("/api/account/email", data={"email": "alice@new.example", "email_password": PASSWORD})
    assert r.headers["location"] == "/more?done=email_changed"
    assert reset(client, link).headers["location"] == "/forgot-password?error=link_used"


# --- changing the email -------------------------------------------------------------


def test_changing_the_email_asks_the_password_confirms_the_new_address_and_tells_the_old(client, mailbox, db):
    sign_up(client)
    confirm(client, mailbox)
    wrong = client.post("/api/account/email", data={"email": "alice@new.example", "email_password": "not it at all"})
    assert wrong.headers["location"] == "/more?form=email&error=email_password_wrong"
    taken_by = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    sign_up(taken_by, "bob@example.com")
    taken = client.post("/api/account/email", data={"email": "BOB@example.com", "email_password": PASSWORD})
    assert taken.headers["location"] == "/more?form=email&error=email_taken"
    r = client.post("/api/account/email", data={"email": "Alice@New.example", "email_password": PASSWORD})
    assert r.headers["location"] == "/more?done=email_changed"
    user = db.exec(select(User).where(User.email == "alice@new.example")).one()
    assert user.email_verified_at is None  # the new address is confirmed anew
    notice = mailbox.wait_for("alice@example.com", "was changed")
    assert "alice@new.example" in notice.get_content()
    assert confirm(client, mailbox, "alice@new.example").headers["location"] == "/more?done=confirmed"
    db.refresh(user)
    assert user.email_verified_at is not None
    assert signs_in("alice@new.example", PASSWORD) and not signs_in("alice@example.com", PASSWORD)


def test_a_confirmation_link_for_an_address_no_longer_the_account_s_does_nothing(client, mailbox, db):
    sign_up(client)
    old_link = link_in(mailbox.wait_for("alice@example.com", "Confirm your email"))
    client.post("/api/account/email", data={"email": "alice@new.example", "email_password": PASSWORD})
    assert client.get(path_of(old_link)).headers["location"] == "/more?error=confirm_link_dead"
    assert db.exec(select(User)).one().email_verified_at is None


# --- recovery codes -----------------------------------------------------------------


def make_codes(client, password=PASSWORD):
    """As the Menu's form sends it: with the stamp of the codes it was shown with."""
    from meso_journal import database

    token = credentials.token_hash(client.cookies[COOKIE_NAME])
    with database.session() as db:
        owner = db.exec(select(AuthSession.owner_id).where(AuthSession.token_hash == token)).one()
        seen = accounts.recovery_codes_stamp(db=db, owner_id=owner)
    r = client.post("/api/account/recovery-codes", data={"codes_password": password, "codes_seen": seen})
    if r.status_code != 200:
        return r, []
    import re

    return r, re.findall(r"<li>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</li>", r.text)


def recover(client, code, email="alice@example.com", password=NEW_PASSWORD):
    return client.post(
        "/api/auth/recover",
        data={"email": email, "code": code, "new_password": password, "confirm_password": password},
    )


def test_recovery_codes_are_shown_once_and_stored_only_as_keyed_hashes(client, db):
    sign_up(client)
    wrong, none = make_codes(client, "not my password")
    assert wrong.headers["location"] == "/more?form=codes&error=codes_password_wrong" and none == []
    r, codes = make_codes(client)
    assert len(codes) == 10 == len(set(codes))
    assert r.headers["cache-control"] == "no-store"
    stored = [row.code_hash for row in db.exec(select(RecoveryCode)).all()]
    assert len(stored) == 10
    for code in codes:
        plain = code.replace("-", "")
        assert not any(plain in h or code in h for h in stored)
        assert credentials.recovery_code_hash(code, settings.SECRET_KEY) in stored


def test_each_recovery_code_works_once(client, db):
    sign_up(client)
    _, codes = make_codes(client)
    client.cookies.clear()
    r = recover(client, codes[3].lower().replace("-", " "))  # as typed from paper
    assert r.headers["location"] == "/more?done=recovered" and "set-cookie" in r.headers
    assert signs_in("alice@example.com", NEW_PASSWORD) and not signs_in("alice@example.com", PASSWORD)
    assert len(db.exec(select(RecoveryCode)).all()) == 9
    client.cookies.clear()
    assert refused_with(recover(client, codes[3], password="third time lucky"), "code_wrong")
    assert recover(client, codes[4], password="third time lucky").headers["location"] == "/more?done=recovered"


def test_a_request_sent_again_does_not_replace_the_codes_just_shown(client, db):
    """Found walking it: reloading the page that showed the codes made new ones."""
    sign_up(client)
    _, codes = make_codes(client)
    again = client.post("/api/account/recovery-codes", data={"codes_password": PASSWORD, "codes_seen": "none"})
    assert again.headers["location"] == "/more?form=codes&error=codes_already_made"
    client.cookies.clear()
    assert recover(client, codes[0]).headers["location"] == "/more?done=recovered"


def test_new_codes_end_the_old_ones(client):
    sign_up(client)
    _, old = make_codes(client)
    _, new = make_codes(client)
    assert not set(old) & set(new)
    client.cookies.clear()
    assert refused_with(recover(client, old[0]), "code_wrong")
    assert recover(client, new[0]).headers["location"] == "/more?done=recovered"


def test_a_code_works_only_for_its_own_account(client):
    sign_up(client, "alice@example.com")
    _, alices = make_codes(client)
    client.cookies.clear()
    sign_up(client, "bob@example.com")
    client.cookies.clear()
    for email in ("bob@example.com", "nobody@example.com"):
        assert refused_with(recover(client, alices[0], email=email), "code_wrong")
    assert signs_in("bob@example.com", PASSWORD)


@pytest.mark.parametrize(
    ("form", "codes"),
    [
        ({"email": "alice@example.com", "code": ""}, "code_missing"),
        ({"email": "alice@example.com", "code": "Z" * 10_000}, "code_wrong"),
        ({"email": "x" * 400, "code": "ABCD-EFGH-JKMN-PQRS"}, "email_too_long"),
        ({"email": "alice@example.com", "code": "ABCD-EFGH-JKMN-PQRS", "new_password": "short"}, "password_short"),
    ],
)
def test_a_refused_recovery_changes_nothing(client, form, codes):
    sign_up(client)
    make_codes(client)
    client.cookies.clear()
    data = {"new_password": NEW_PASSWORD, **form}
    data["confirm_password"] = data["new_password"]
    assert refused_with(client.post("/api/auth/recover", data=data), codes)
    assert signs_in("alice@example.com", PASSWORD)


def test_guessing_codes_is_throttled_like_signing_in(client):
    sign_up(client)
    _, codes = make_codes(client)
    client.cookies.clear()
    answers = [recover(client, "AAAA-AAAA-AAAA-AAAA") for _ in range(credentials.LOCKOUT_FAILURES + 1)]
    assert refused_with(answers[0], "code_wrong") and refused_with(answers[-1], "locked")
    # Locked out for now, even with a right code.
    assert refused_with(recover(client, codes[0]), "locked")


# --- from the attack on this feature ------------------------------------------------


def test_whatever_the_old_password_allowed_ends_with_a_new_one(client, mailbox, db):
    """Found attacking: codes made by whoever signed up with someone else's
    address (or knew the password) outlived the owner's reset, and a reset
    link outlived a password change."""
    sign_up(client)  # the squatter, with alice's address
    _, squatters = make_codes(client)
    client.cookies.clear()
    confirm(client, mailbox)  # alice reads her mail...
    forgot(client, "alice@example.com")
    reset(client, reset_link(mailbox))  # ...and takes her account back
    squatter = TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)
    assert refused_with(recover(squatter, squatters[0]), "code_wrong")
    assert db.exec(select(RecoveryCode)).all() == []
    # A reset link mailed before a change of password no longer works after it.
    forgot(client, "alice@example.com")
    newest = mailbox.all_of("alice@example.com", "Set a new password")
    assert len(newest) == 2
    link = path_of(link_in(newest[-1]))
    assert client.get(link).status_code == 200  # it works...
    _, codes = make_codes(client, NEW_PASSWORD)
    form = {
        "current_password": NEW_PASSWORD,
        "new_password": "third sentence here",
        "confirm_password": "third sentence here",
    }
    assert client.post("/api/account/password", data=form).headers["location"] == "/more?done=password"
    assert reset(client, link).headers["location"] == "/forgot-password?error=link_used"
    assert db.exec(select(RecoveryCode)).all() == []  # the change ended the codes too


def test_a_recovery_keeps_the_other_codes_and_ends_reset_links(client, mailbox, db):
    sign_up(client)
    confirm(client, mailbox)
    _, codes = make_codes(client)
    forgot(client, "alice@example.com")
    link = reset_link(mailbox)
    client.cookies.clear()
    assert recover(client, codes[0]).headers["location"] == "/more?done=recovered"
    assert len(db.exec(select(RecoveryCode)).all()) == 9
    assert reset(client, link).headers["location"] == "/forgot-password?error=link_used"


def test_the_owner_is_told_by_mail_whenever_the_password_changes(client, mailbox):
    sign_up(client)
    confirm(client, mailbox)
    forgot(client, "alice@example.com")
    reset(client, reset_link(mailbox))
    assert "a link sent to this address" in mailbox.wait_for("alice@example.com", "password was changed").get_content()
    _, codes = make_codes(client, NEW_PASSWORD)
    client.cookies.clear()
    recover(client, codes[0], password="yet another sentence")
    mail.wait_until_sent()
    told = mailbox.all_of("alice@example.com", "password was changed")
    assert len(told) == 2 and "recovery codes" in told[-1].get_content()


@pytest.mark.parametrize(
    "email",
    ["=?utf-8?q?x=40evil.com=2c_y?=@example.com", "=?utf-8?q?=0d=0abcc=3a_x=40evil.com?=@example.com"],
)
def test_an_address_with_a_mime_encoded_word_is_refused(client, mailbox, db, email):
    """Found attacking: a header decodes it into other addresses (or a line break: a 500)."""
    r = client.post("/api/auth/sign-up", data={"email": email, "password": PASSWORD})
    assert r.headers["location"] == "/sign-up?error=email_invalid"
    assert db.exec(select(User)).all() == []
    sign_up(client)
    change = client.post("/api/account/email", data={"email": email, "email_password": PASSWORD})
    assert change.headers["location"] == "/more?form=email&error=email_invalid"


def test_a_stored_address_that_cannot_go_into_a_header_gets_no_mail(mailbox, monkeypatch, caplog):
    with caplog.at_level(logging.WARNING, logger="meso_journal"):
        mail.reset_password("=?utf-8?q?x=40evil.com?=@example.com", "http://localhost:3000/x")
        mail.reset_password("a@example.com\r\nBcc: x@evil.com", "http://localhost:3000/x")
        mail.wait_until_sent()
    assert mailbox.messages == []
    assert caplog.text.count("was not sent") == 2


def test_switching_addresses_back_and_forth_cannot_flood_a_mailbox(client, mailbox):
    sign_up(client)
    answers = []
    for i in range(8):
        target = "victim@example.com" if i % 2 == 0 else "alice@example.com"
        r = client.post("/api/account/email", data={"email": target, "email_password": PASSWORD})
        answers.append(r.headers["location"])
    mail.wait_until_sent()
    assert answers.count("/more?done=email_changed") == credentials.CONFIRMS_PER_HOUR - 1  # the sign-up's link counts
    assert "/more?form=email&error=too_many_changes" in answers
    assert len(mailbox.to("victim@example.com")) <= credentials.CONFIRMS_PER_HOUR


def test_a_link_of_another_account_says_whose_it_was(client, mailbox, db):
    sign_up(client, "alice@example.com")
    alices = link_in(mailbox.wait_for("alice@example.com", "Confirm your email"))
    client.cookies.clear()
    sign_up(client, "bob@example.com")
    assert client.get(path_of(alices)).headers["location"] == "/more?done=confirmed_other"
    bob = db.exec(select(User).where(User.email == "bob@example.com")).one()
    assert bob.email_verified_at is None


# --- with no mail server --------------------------------------------------------------


def test_with_no_mail_server_the_mail_goes_to_the_log(monkeypatch, caplog):
    monkeypatch.setattr(settings, "SMTP", None)
    with caplog.at_level(logging.WARNING, logger="meso_journal"):
        mail.announce()
        mail.reset_password("alice@example.com", "http://localhost:3000/reset-password?token=abc")
        mail.wait_until_sent()
    assert "No mail server configured" in caplog.text
    assert "http://localhost:3000/reset-password?token=abc" in caplog.text


def test_a_mail_server_that_is_down_breaks_nothing(client, monkeypatch, caplog):
    from tests.mailbox import free_port

    monkeypatch.setattr(settings, "SMTP", ("127.0.0.1", free_port(), "", "", "none"))
    with caplog.at_level(logging.ERROR, logger="meso_journal"):
        sign_up(client)
        mail.wait_until_sent()
    assert "could not send the mail" in caplog.text


# --- the mail settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"MESO_SMTP_URL": "smtp://me%40x.org:p%3Ass@mail.x.org"}, ("mail.x.org", 587, "me@x.org", "p:ss", "starttls")),
        ({"MESO_SMTP_URL": "smtps://u:p@mail.x.org"}, ("mail.x.org", 465, "u", "p", "tls")),
        ({"MESO_SMTP_URL": "smtp+insecure://127.0.0.1:2525"}, ("127.0.0.1", 2525, "", "", "none")),
        (
            {"MESO_SMTP_HOST": "mail.x.org", "MESO_SMTP_USER": "u", "MESO_SMTP_PASSWORD": "p"},
            ("mail.x.org", 587, "u", "p", "starttls"),
        ),
        ({"MESO_SMTP_HOST": "mail.x.org", "MESO_SMTP_TLS": "tls"}, ("mail.x.org", 465, "", "", "tls")),
    ],
)
def test_the_mail_server_is_read_from_the_environment(monkeypatch, env, expected):
    for name in ("MESO_SMTP_URL", "MESO_SMTP_HOST", "MESO_SMTP_USER", "MESO_SMTP_PASSWORD", "MESO_SMTP_TLS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert settings._smtp() == expected


@pytest.mark.parametrize(
    "env",
    [
        {"MESO_SMTP_URL": "http://mail.x.org"},
        {"MESO_SMTP_URL": "smtp://"},
        {"MESO_SMTP_URL": "smtp://mail.x.org:port"},
        {"MESO_SMTP_URL": "smtp://mail.x.org", "MESO_SMTP_HOST": "mail.x.org"},
        {"MESO_SMTP_HOST": "mail.x.org", "MESO_SMTP_TLS": "maybe"},
        {"MESO_SMTP_HOST": "mail.x.org", "MESO_SMTP_PORT": "99999"},
    ],
)
def test_a_wrong_mail_setting_stops_the_app_at_start_up(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(settings.ImproperlyConfigured):
        settings._smtp()


def test_every_code_has_a_message_and_a_field():
    """A code with no message shows nothing at all (found walking: a refusal that said nothing)."""
    assert set(credentials.FIELD_OF) == set(credentials.MESSAGES)
