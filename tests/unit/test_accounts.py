"""The pure account rules: emails, passwords, hashing, lockout."""

from datetime import timedelta

import pytest

from meso_journal.rules import credentials
from tests.factories import utc


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Alice@Example.COM", "alice@example.com"),
        ("  alice@example.com\n", "alice@example.com"),
        ("ålice@exämple.com", "ålice@exämple.com"),
    ],
)
def test_it_normalises_emails(raw, expected):
    assert credentials.normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "email_missing"),
        ("   ", "email_missing"),
        (None, "email_missing"),
        ({"$ne": ""}, "email_missing"),
        ("alice", "email_invalid"),
        ("alice@", "email_invalid"),
        ("@example.com", "email_invalid"),
        ("alice@@example.com", "email_invalid"),
        ("alice example@example.com", "email_invalid"),
        ("alice@example.com\x00", "email_invalid"),
        ("a" * 400 + "@example.com", "email_too_long"),
    ],
)
def test_it_rejects_malformed_emails(raw, code):
    with pytest.raises(ValueError) as e:
        credentials.normalize_email(raw)
    assert str(e.value) == code
    assert code in credentials.MESSAGES


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", "password_missing"),
        ("short", "password_short"),
        ("123456789", "password_short"),
        ("x" * 1025, "password_long"),
        ("good password\x00here", "password_control"),
        ("tab\tin the middle", "password_control"),
    ],
)
def test_it_rejects_bad_passwords(password, code):
    assert credentials.password_problem(password) == code


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",  # exactly the minimum
        "x" * 1024,  # exactly the maximum
        "пароль-довольно-длинный",
        "密码密码密码密码密码",  # ten CJK characters
        "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂",
        "  spaces at both ends  ",
        "مرحبا بالعالم كلمة",
    ],
)
def test_it_accepts_any_unicode_password_of_the_right_length(password):
    assert credentials.password_problem(credentials.normalize_password(password)) is None


def test_it_reports_every_bad_field_at_once():
    with pytest.raises(credentials.FormError) as e:
        credentials.check_sign_up("not-an-email", "short")
    assert e.value.errors == {"email": "email_invalid", "password": "password_short"}


def test_it_rejects_non_string_form_values():
    with pytest.raises(credentials.FormError) as e:
        credentials.check_sign_up(["a@b.co"], {"x": 1})
    assert set(e.value.errors) == {"email", "password"}


def test_it_hashes_with_argon2id_and_verifies():
    h = credentials.hash_password("correct horse battery")
    assert h.startswith("$argon2id$")
    assert "correct horse battery" not in h
    assert credentials.verify_password(h, "correct horse battery")
    assert not credentials.verify_password(h, "correct horse batterY")
    assert credentials.hash_password("correct horse battery") != h  # salted


def test_it_treats_unicode_forms_of_one_password_as_equal():
    composed, decomposed = "café au lait!", "cafe\u0301 au lait!"
    h = credentials.hash_password(credentials.normalize_password(composed))
    assert credentials.verify_password(h, credentials.normalize_password(decomposed))


def test_it_never_verifies_against_a_missing_or_broken_hash():
    assert not credentials.verify_password(None, "not a real password, only for timing")
    assert not credentials.verify_password("garbage", "anything at all")


def test_it_makes_long_random_tokens_and_stores_only_hashes():
    tokens = {credentials.new_token() for _ in range(100)}
    assert len(tokens) == 100
    token = tokens.pop()
    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert credentials.token_hash(token) != token
    assert len(credentials.token_hash(token)) == 64


NOW = utc(2026, 3, 10, 12, 0)


def test_it_locks_after_five_failures_in_fifteen_minutes():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert not credentials.lockout(failures, NOW).locked
    lock = credentials.lockout([*failures, NOW - timedelta(minutes=10)], NOW)
    assert lock.locked
    assert lock.until == NOW - timedelta(minutes=10) + timedelta(minutes=15)


def test_it_forgets_failures_older_than_the_window():
    old = [NOW - timedelta(minutes=16 + m) for m in range(10)]
    assert not credentials.lockout(old, NOW).locked


def test_it_renews_a_session_at_most_once_a_day():
    assert not credentials.needs_renewal(NOW - timedelta(hours=23), NOW)
    assert credentials.needs_renewal(NOW - timedelta(hours=24), NOW)
