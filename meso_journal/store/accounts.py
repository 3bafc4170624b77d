"""Accounts and logins (signed-in browsers; the table is `authsession`):
sign-up, sign-in attempts counted per email and per client, logins kept per
patient, password change and account deletion. Keyword-only functions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from meso_journal import settings
from meso_journal.models import AuthSession, SignInFailure, User
from meso_journal.rules import credentials


class SignInRefused(ValueError):
    """code is credentials.MESSAGES' wrong_credentials or locked: never which part was wrong."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


WRONG_CREDENTIALS = "wrong_credentials"
LOGINS_KEPT = 20


def create_user(*, db: Session, email: str, password: str) -> User:
    """email and password must already be normalised (credentials.check_sign_up)."""
    user = User(email=email, password_hash=credentials.hash_password(password))
    db.add(user)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise credentials.FormError({"email": "email_taken"}) from None
    db.refresh(user)
    return user


def _locked(db: Session, key: str, client: str, now: datetime) -> bool:
    """Too many recent failures for this email from this client, or from this
    client at all, counting the attempt being made (see _count_attempt)."""
    since = now - credentials.LOCKOUT_WINDOW
    rows = db.exec(
        select(SignInFailure.email_key, SignInFailure.at).where(
            SignInFailure.client_key == client, SignInFailure.at > since
        )
    ).all()
    for_email = [at for email, at in rows if email == key]
    from_client = [at for _, at in rows]
    # +1: the attempt itself is among the rows.
    return (
        credentials.lockout(for_email, now, limit=credentials.LOCKOUT_FAILURES + 1).locked
        or credentials.lockout(from_client, now, limit=credentials.CLIENT_FAILURES + 1).locked
    )


def _count_attempt(db: Session, key: str, client: str, now: datetime) -> SignInFailure | None:
    """Records the attempt as a failure *before* the slow password check, then
    counts: the n-th attempt to commit sees at least n rows, so guesses sent
    all at once cannot each pass the count before any is recorded. None: locked
    (the attempt is not kept, so waiting out the lock is enough). The caller
    deletes the returned row if the password was right."""
    attempt = SignInFailure(email_key=key, client_key=client, at=now)
    db.add(attempt)
    db.commit()
    if _locked(db, key, client, now):
        db.delete(attempt)
        db.commit()
        return None
    return attempt


def authenticate(*, db: Session, email: object, password: object, client: str, now: datetime) -> User:
    """The user, or SignInRefused. client: the address the attempt came from."""
    try:
        norm_email = credentials.normalize_email(email)
        norm_password = credentials.normalize_password(password)
    except ValueError:
        raise SignInRefused(WRONG_CREDENTIALS) from None
    if len(norm_password) > credentials.PASSWORD_MAX:
        raise SignInRefused(WRONG_CREDENTIALS)
    key = credentials.email_key(norm_email, settings.SECRET_KEY)
    client_key = credentials.client_key(client, settings.SECRET_KEY)
    if _count_attempt(db, key, client_key, now) is None:
        raise SignInRefused("locked")
    user = db.exec(select(User).where(User.email == norm_email)).first()
    if not credentials.verify_password(user.password_hash if user else None, norm_password):
        # The attempt stays counted. Old failures never matter again; keep the table small.
        db.exec(delete(SignInFailure).where(col(SignInFailure.at) < now - credentials.LOCKOUT_WINDOW))
        db.commit()
        raise SignInRefused(WRONG_CREDENTIALS)
    assert user is not None  # verify_password accepts no password for a missing user
    db.exec(
        delete(SignInFailure).where(col(SignInFailure.email_key) == key, col(SignInFailure.client_key) == client_key)
    )
    db.commit()
    return user


def start_login(*, db: Session, owner_id: int, now: datetime) -> str:
    """A new sign-in; returns the cookie value. Only its hash is stored."""
    token = credentials.new_token()
    db.add(
        AuthSession(
            owner_id=owner_id,
            token_hash=credentials.token_hash(token),
            created_at=now,
            renewed_at=now,
            expires_at=credentials.session_expiry(now, settings.SESSION_DAYS),
        )
    )
    db.flush()
    # At most LOGINS_KEPT browsers signed in at once: the oldest goes first.
    # Without a cap, signing in again and again grew the table without end.
    kept = db.exec(
        select(AuthSession.id)
        .where(AuthSession.owner_id == owner_id)
        .order_by(col(AuthSession.created_at).desc(), col(AuthSession.id).desc())
        .limit(LOGINS_KEPT)
    ).all()
    db.exec(delete(AuthSession).where(col(AuthSession.owner_id) == owner_id, col(AuthSession.id).not_in(list(kept))))
    db.commit()
    return token


def resolve_login(*, db: Session, token: str | None, now: datetime) -> User | None:
    """The signed-in user for a cookie value, sliding its expiry; None when unknown or expired."""
    if not token or len(token) > 100:
        return None
    auth = db.exec(select(AuthSession).where(AuthSession.token_hash == credentials.token_hash(token))).first()
    if auth is None:
        return None
    if auth.expires_at <= now:
        db.delete(auth)
        db.commit()
        return None
    if credentials.needs_renewal(auth.renewed_at, now):
        auth.renewed_at = now
        auth.expires_at = credentials.session_expiry(now, settings.SESSION_DAYS)
        db.add(auth)
        db.commit()
    return db.get(User, auth.owner_id)


def end_login(*, db: Session, token: str | None) -> None:
    if token:
        db.exec(delete(AuthSession).where(col(AuthSession.token_hash) == credentials.token_hash(token)))
        db.commit()


def _password_confirmed(db: Session, user: User, password: object, client: str, now: datetime) -> bool:
    """A signed-in patient re-typing the password (to change it, or to delete
    the account) is throttled like a sign-in: whoever holds a stolen cookie
    gets no more guesses here than at the sign-in page."""
    key = credentials.email_key(user.email, settings.SECRET_KEY)
    client_key = credentials.client_key(client, settings.SECRET_KEY)
    attempt = _count_attempt(db, key, client_key, now)
    if attempt is None:
        raise credentials.FormError({"form": "locked"})
    try:
        typed = credentials.normalize_password(password)
    except ValueError:
        typed = ""
    if credentials.verify_password(user.password_hash, typed):
        db.delete(attempt)
        db.commit()
        return True
    return False


def change_password(*, db: Session, owner_id: int, current: object, new: object, client: str, now: datetime) -> str:
    """Checks the current password, stores the new one, signs out every other
    browser and returns a fresh cookie value for this one."""
    user = db.get(User, owner_id)
    if user is None:
        raise SignInRefused(WRONG_CREDENTIALS)
    try:
        new_pw = credentials.normalize_password(new)
    except ValueError:
        new_pw = ""
    # Every problem the form shows at once; a form sent with the current
    # password left empty is not a guess and is not counted as one.
    errors = {}
    if not (isinstance(current, str) and current):
        errors["current_password"] = "current_password_missing"
    if problem := credentials.password_problem(new_pw):
        errors["new_password"] = problem
    if errors:
        raise credentials.FormError(errors)
    if not _password_confirmed(db, user, current, client, now):
        raise credentials.FormError({"current_password": "current_password_wrong"})
    user.password_hash = credentials.hash_password(new_pw)
    db.add(user)
    db.exec(delete(AuthSession).where(col(AuthSession.owner_id) == owner_id))
    db.commit()
    return start_login(db=db, owner_id=owner_id, now=now)


def delete_account(*, db: Session, owner_id: int, password: object, client: str, now: datetime) -> None:
    """Removes the patient and, through ON DELETE CASCADE, every row they own.
    The caller removes their files (photos.remove_all)."""
    user = db.get(User, owner_id)
    if user is None or not _password_confirmed(db, user, password, client, now):
        raise credentials.FormError({"password": "password_wrong"})
    db.delete(user)
    db.commit()
