"""Accounts and sign-in sessions in the database."""

import time
from datetime import timedelta

import pytest
from sqlmodel import select

from meso_journal.models import AuthSession, Course, SignInFailure, User
from meso_journal.rules import credentials
from meso_journal.store import accounts
from tests.factories import PASSWORD, make_user, utc

HOME = "203.0.113.7"  # the address alice signs in from
NOW = utc(2026, 3, 10, 12, 0)


def test_it_refuses_a_second_account_for_the_same_email(db, alice):
    with pytest.raises(credentials.FormError) as e:
        make_user(db, email="alice@example.com")
    assert e.value.errors == {"email": "email_taken"}
    assert len(db.exec(select(User)).all()) == 1


def test_it_signs_in_with_a_normalised_email(db, alice):
    user = accounts.authenticate(db=db, client=HOME, email="  ALICE@example.com ", password=PASSWORD, now=NOW)
    assert user.id == alice.id


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("alice@example.com", "wrong password!"),
        ("nobody@example.com", PASSWORD),
        ("alice@example.com", None),
        ({"email": 1}, PASSWORD),
        ("alice@example.com", "x" * 5000),
    ],
)
def test_it_gives_one_answer_for_wrong_email_and_wrong_password(db, alice, email, password):
    with pytest.raises(accounts.SignInRefused) as e:
        accounts.authenticate(db=db, client=HOME, email=email, password=password, now=NOW)
    assert e.value.code == "wrong_credentials"


def sign_in(db, email: str, password: str, *, minutes: float = 0, client: str = HOME):
    return accounts.authenticate(
        db=db, client=client, email=email, password=password, now=NOW + timedelta(minutes=minutes)
    )


def test_it_locks_an_email_from_one_address_after_five_failures_even_with_the_right_password(db, alice):
    for i in range(5):
        with pytest.raises(accounts.SignInRefused):
            sign_in(db, "alice@example.com", "nope nope nope", minutes=i / 60)
    with pytest.raises(accounts.SignInRefused) as e:
        sign_in(db, "alice@example.com", PASSWORD, minutes=1)
    assert e.value.code == "locked"
    # Another patient is not affected.
    make_user(db, email="dana@example.com")
    sign_in(db, "dana@example.com", PASSWORD, minutes=1)
    # The lock lifts once the failures are fifteen minutes old.
    assert sign_in(db, "alice@example.com", PASSWORD, minutes=16).id == alice.id


def test_the_owner_signs_in_from_another_address_while_a_guesser_is_locked_out(db, alice):
    guesser = "198.51.100.66"
    for i in range(10):
        with pytest.raises(accounts.SignInRefused):
            sign_in(db, "alice@example.com", "nope nope nope", minutes=i / 60, client=guesser)
    with pytest.raises(accounts.SignInRefused) as e:
        sign_in(db, "alice@example.com", PASSWORD, minutes=1, client=guesser)
    assert e.value.code == "locked"
    assert sign_in(db, "alice@example.com", PASSWORD, minutes=1).id == alice.id


def test_guesses_sent_all_at_once_get_no_more_tries_than_one_by_one(engine, db, alice, monkeypatch):
    """Ten wrong passwords sent at the same moment: the password check is slow,
    and a count taken before it let all ten through (found attacking the app)."""
    import threading

    from sqlmodel import Session

    slow_check = credentials.verify_password

    def verify(stored, typed):
        time.sleep(0.2)  # a real hash takes about this long on a phone-class server
        return slow_check(stored, typed)

    monkeypatch.setattr(credentials, "verify_password", verify)
    start, answers = threading.Barrier(10), []

    def guess(i: int) -> None:
        with Session(engine, expire_on_commit=False) as own:
            start.wait()
            try:
                accounts.authenticate(
                    db=own, client="198.51.100.66", email="alice@example.com", password=f"guess {i} guess", now=NOW
                )
            except accounts.SignInRefused as e:
                answers.append(e.code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 10
    assert answers.count("wrong_credentials") <= credentials.LOCKOUT_FAILURES
    assert answers.count("locked") >= 10 - credentials.LOCKOUT_FAILURES
    # Only the checked guesses stay counted; the refused ones do not lengthen the lock.
    assert len(db.exec(select(SignInFailure)).all()) == answers.count("wrong_credentials")


def test_it_locks_an_address_that_tries_many_emails(db, alice):
    sprayer = "198.51.100.66"
    for i in range(credentials.CLIENT_FAILURES):
        with pytest.raises(accounts.SignInRefused) as e:
            sign_in(db, f"patient{i}@example.com", "password123!", minutes=i / 60, client=sprayer)
        assert e.value.code == "wrong_credentials"
    with pytest.raises(accounts.SignInRefused) as e:
        sign_in(db, "alice@example.com", PASSWORD, minutes=1, client=sprayer)
    assert e.value.code == "locked"
    assert sign_in(db, "alice@example.com", PASSWORD, minutes=1).id == alice.id  # from her own address


def test_a_good_sign_in_clears_only_its_own_failures(db, alice):
    for i in range(4):
        with pytest.raises(accounts.SignInRefused):
            sign_in(db, "alice@example.com", "nope nope nope", minutes=i / 60)
    sign_in(db, "alice@example.com", PASSWORD, minutes=1)
    for _ in range(4):  # four more: the count started again
        with pytest.raises(accounts.SignInRefused) as e:
            sign_in(db, "alice@example.com", "nope nope nope", minutes=2)
        assert e.value.code == "wrong_credentials"


def test_it_keeps_no_plain_email_for_failed_sign_ins(db):
    with pytest.raises(accounts.SignInRefused):
        accounts.authenticate(db=db, client=HOME, email="unknown@example.com", password="whatever12345", now=NOW)
    failure = db.exec(select(SignInFailure)).one()
    assert "unknown" not in failure.email_key
    assert HOME not in failure.client_key and failure.client_key != failure.email_key


def test_it_stores_only_the_hash_of_a_session_token(db, alice):
    token = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    row = db.exec(select(AuthSession)).one()
    assert row.token_hash == credentials.token_hash(token)
    assert token not in row.token_hash
    assert row.expires_at == NOW + timedelta(days=30)


def test_it_resolves_a_session_and_slides_its_expiry(db, alice):
    token = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    later = NOW + timedelta(days=20)
    assert accounts.resolve_login(db=db, token=token, now=later).id == alice.id
    row = db.exec(select(AuthSession)).one()
    assert row.expires_at == later + timedelta(days=30)
    # Still valid 45 days after sign-in, because it was used on day 20.
    assert accounts.resolve_login(db=db, token=token, now=NOW + timedelta(days=45)).id == alice.id


def test_it_does_not_write_on_every_use(db, alice):
    token = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    accounts.resolve_login(db=db, token=token, now=NOW + timedelta(hours=2))
    assert db.exec(select(AuthSession)).one().expires_at == NOW + timedelta(days=30)


def test_it_expires_an_unused_session_after_thirty_days(db, alice):
    token = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    assert accounts.resolve_login(db=db, token=token, now=NOW + timedelta(days=30, seconds=1)) is None
    assert db.exec(select(AuthSession)).all() == []


@pytest.mark.parametrize("token", [None, "", "x" * 5000, "not-a-session"])
def test_it_resolves_nothing_for_unknown_tokens(db, alice, token):
    accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    assert accounts.resolve_login(db=db, token=token, now=NOW) is None


def test_it_revokes_a_session_on_sign_out(db, alice):
    token = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    other = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    accounts.end_login(db=db, token=token)
    assert accounts.resolve_login(db=db, token=token, now=NOW) is None
    assert accounts.resolve_login(db=db, token=other, now=NOW).id == alice.id


def test_it_changes_a_password_and_signs_out_every_other_browser(db, alice, bob):
    phone = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    bobs = accounts.start_login(db=db, owner_id=bob.id, now=NOW)
    fresh = accounts.change_password(
        db=db, owner_id=alice.id, current=PASSWORD, new="a brand new passphrase", client=HOME, now=NOW
    )
    assert accounts.resolve_login(db=db, token=phone, now=NOW) is None
    assert accounts.resolve_login(db=db, token=fresh, now=NOW).id == alice.id
    assert accounts.resolve_login(db=db, token=bobs, now=NOW).id == bob.id
    accounts.authenticate(db=db, client=HOME, email="alice@example.com", password="a brand new passphrase", now=NOW)
    with pytest.raises(accounts.SignInRefused):
        accounts.authenticate(db=db, client=HOME, email="alice@example.com", password=PASSWORD, now=NOW)


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [
        ("wrong current pw", "a brand new passphrase", "current_password"),
        (PASSWORD, "short", "new_password"),
        (PASSWORD, None, "new_password"),
        ([PASSWORD], "a brand new passphrase", "current_password"),
    ],
)
def test_it_changes_nothing_when_the_password_change_is_wrong(db, alice, current, new, field):
    token = accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    with pytest.raises(credentials.FormError) as e:
        accounts.change_password(db=db, owner_id=alice.id, current=current, new=new, client=HOME, now=NOW)
    assert set(e.value.errors) == {field}
    assert accounts.resolve_login(db=db, token=token, now=NOW).id == alice.id
    accounts.authenticate(db=db, client=HOME, email="alice@example.com", password=PASSWORD, now=NOW)


def test_it_deletes_an_account_with_everything_it_owns(db, alice, charlie):
    accounts.start_login(db=db, owner_id=alice.id, now=NOW)
    db.add(Course(owner_id=alice.id, goal="cellulite", start_date=NOW.date()))
    db.add(Course(owner_id=charlie.id, goal="hair_loss", start_date=NOW.date()))
    db.commit()
    accounts.delete_account(db=db, owner_id=alice.id, password=PASSWORD, client=HOME, now=NOW)
    assert db.get(User, alice.id) is None
    assert db.exec(select(AuthSession).where(AuthSession.owner_id == alice.id)).all() == []
    courses = db.exec(select(Course)).all()
    assert [c.owner_id for c in courses] == [charlie.id]


def test_it_keeps_the_account_when_the_delete_password_is_wrong(db, alice):
    with pytest.raises(credentials.FormError):
        accounts.delete_account(db=db, owner_id=alice.id, password="not my password", client=HOME, now=NOW)
    assert db.get(User, alice.id) is not None


def test_retyping_the_password_on_the_account_page_is_throttled_like_a_sign_in(db, alice):
    # Whoever holds a stolen cookie gets no more guesses at the password here
    # than at the sign-in page.
    for _ in range(5):
        with pytest.raises(credentials.FormError) as e:
            accounts.delete_account(db=db, owner_id=alice.id, password="a wrong guess", client=HOME, now=NOW)
        assert e.value.errors == {"password": "password_wrong"}
    with pytest.raises(credentials.FormError) as e:
        accounts.change_password(
            db=db, owner_id=alice.id, current=PASSWORD, new="a brand new passphrase", client=HOME, now=NOW
        )
    assert e.value.errors == {"form": "locked"}  # even with the right password, until the window passes
    assert db.get(User, alice.id) is not None
    later = NOW + credentials.LOCKOUT_WINDOW + timedelta(minutes=1)
    accounts.change_password(
        db=db, owner_id=alice.id, current=PASSWORD, new="a brand new passphrase", client=HOME, now=later
    )


def test_a_password_form_sent_empty_names_every_field_and_counts_no_guess(db, alice):
    with pytest.raises(credentials.FormError) as e:
        accounts.change_password(db=db, owner_id=alice.id, current="", new="", client=HOME, now=NOW)
    assert e.value.errors == {"current_password": "current_password_missing", "new_password": "password_missing"}
    assert db.exec(select(SignInFailure)).all() == []  # an empty field is not a guess
