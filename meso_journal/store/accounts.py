"""Accounts and logins (signed-in browsers; the table is `authsession`):
sign-up, sign-in attempts counted per email and per client, logins kept per
patient, password change and account deletion. Keyword-only functions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from meso_journal import settings
from meso_journal.models import AuthSession, EmailLink, Passkey, RecoveryCode, SignInFailure, User
from meso_journal.rules import credentials
from meso_journal.store.journal import stored_id


class SignInRefused(ValueError):
    """code is credentials.MESSAGES' wrong_credentials or locked: never which part was wrong."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


WRONG_CREDENTIALS = "wrong_credentials"
LOGINS_KEPT = 20
# Each kind of mailed link: how long it works, how many one address is sent in an hour.
LINKS = {
    "confirm": (credentials.CONFIRM_LINK_LIFETIME, credentials.CONFIRMS_PER_HOUR),
    "reset": (credentials.RESET_LINK_LIFETIME, credentials.RESETS_PER_HOUR),
}


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


def password_confirmed(*, db: Session, user: User, password: object, client: str, now: datetime) -> bool:
    """The password re-typed to allow something lasting (a passkey), counted like a sign-in."""
    return _password_confirmed(db, user, password, client, now)


def change_password(*, db: Session, owner_id: int, current: object, new: object, client: str, now: datetime) -> str:
    """Checks the current password, stores the new one, signs out every other
    browser (and ends the reset links and recovery codes, _set_password) and
    returns a fresh cookie value for this one."""
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
    return _set_password(db, user, new_pw, now)


def delete_account(*, db: Session, owner_id: int, password: object, client: str, now: datetime) -> None:
    """Removes the patient and, through ON DELETE CASCADE, every row they own.
    The caller removes their files (photos.remove_all)."""
    user = db.get(User, owner_id)
    if user is None or not _password_confirmed(db, user, password, client, now):
        raise credentials.FormError({"password": "password_wrong"})
    db.delete(user)
    db.commit()


# --- a way back: links mailed to the patient, recovery codes ----------------


def _end_every_login(db: Session, owner_id: int) -> None:
    db.exec(delete(AuthSession).where(col(AuthSession.owner_id) == owner_id))


def _new_link(db: Session, user: User, purpose: str, now: datetime) -> str | None:
    """A link token for the patient's current address (only its hash is kept),
    or None when this address was sent its hourly share of this kind already:
    enough for a mail that got lost, too few to flood a mailbox. Earlier
    links keep working until they expire; using one ends them all."""
    owner_id = stored_id(user.id)
    lifetime, per_hour = LINKS[purpose]
    hour_ago = now - timedelta(hours=1)
    mine = (col(EmailLink.owner_id) == owner_id, col(EmailLink.purpose) == purpose)
    # Dead links are kept for the hour they count in, then go.
    db.exec(delete(EmailLink).where(*mine, col(EmailLink.expires_at) <= now, col(EmailLink.created_at) <= hour_ago))
    recent = db.exec(select(EmailLink.id).where(*mine, col(EmailLink.created_at) > hour_ago)).all()
    if len(recent) >= per_hour:
        db.commit()
        return None
    token = credentials.new_token()
    db.add(
        EmailLink(
            owner_id=owner_id,
            purpose=purpose,
            email=user.email,
            token_hash=credentials.token_hash(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    db.commit()
    return token


def confirmation_link(*, db: Session, owner_id: int, now: datetime) -> tuple[str, str] | None:
    """(address, token) for a mail asking the patient to confirm their address;
    None when it is confirmed already. FormError (too_many_links) when enough
    were sent this hour."""
    user = db.get(User, owner_id)
    if user is None or user.email_verified_at is not None:
        return None
    token = _new_link(db, user, "confirm", now)
    if token is None:
        raise credentials.FormError({"confirm": "too_many_links"})
    return user.email, token


def _take_link(db: Session, token: object, purpose: str, now: datetime) -> User | None:
    """The patient a live link belongs to, or None (unknown, expired, used, or
    sent to an address that is no longer the account's). Does not use it up."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = db.exec(
        select(EmailLink).where(EmailLink.token_hash == credentials.token_hash(token), EmailLink.purpose == purpose)
    ).first()
    # A used link is deleted; an expired one is kept a while only to be counted.
    if link is None or link.expires_at <= now:
        return None
    user = db.get(User, link.owner_id)
    if user is None or user.email != link.email:
        return None
    return user


def email_confirmed(*, db: Session, owner_id: int) -> bool:
    user = db.get(User, owner_id)
    return user is not None and user.email_verified_at is not None


def confirm_email(*, db: Session, token: object, now: datetime) -> int | None:
    """Marks the address a confirmation link was sent to as the patient's own;
    the patient's id, or None for a link that does not work (any more)."""
    user = _take_link(db, token, "confirm", now)
    if user is None:
        return None
    user.email_verified_at = now
    db.add(user)
    db.exec(delete(EmailLink).where(col(EmailLink.owner_id) == user.id, col(EmailLink.purpose) == "confirm"))
    db.commit()
    return user.id


def reset_link(*, db: Session, email: object, now: datetime) -> tuple[str, str] | None:
    """(address, token) for a password-reset mail; None, and nothing sent, for
    an unknown address, an unconfirmed one, or one sent enough links this hour.
    The caller answers the same whichever it is."""
    try:
        norm = credentials.normalize_email(email)
    except ValueError:
        return None
    user = db.exec(select(User).where(User.email == norm)).first()
    if user is None or user.email_verified_at is None:
        return None
    token = _new_link(db, user, "reset", now)
    return None if token is None else (user.email, token)


def reset_link_works(*, db: Session, token: object, now: datetime) -> bool:
    return _take_link(db, token, "reset", now) is not None


def _set_password(db: Session, user: User, new: object, now: datetime, *, keep_codes: bool = False) -> str:
    """Stores a new password and starts this browser's login. Whatever else
    could get into the account ends with the old password: every other login,
    every reset link, every passkey, and the recovery codes (unless
    keep_codes: the patient's own, when one of those codes set this
    password), as whoever knew the old password may have made them."""
    try:
        new_pw = credentials.normalize_password(new)
    except ValueError:
        new_pw = ""
    if problem := credentials.password_problem(new_pw):
        raise credentials.FormError({"new_password": problem})
    owner_id = stored_id(user.id)
    user.password_hash = credentials.hash_password(new_pw)
    db.add(user)
    _end_every_login(db, owner_id)
    db.exec(delete(EmailLink).where(col(EmailLink.owner_id) == owner_id, col(EmailLink.purpose) == "reset"))
    # Passkeys too after a recovery code: one added by whoever knew the old
    # password (found attacking), or one on the phone that was lost.
    db.exec(delete(Passkey).where(col(Passkey.owner_id) == owner_id))
    if not keep_codes:
        db.exec(delete(RecoveryCode).where(col(RecoveryCode.owner_id) == owner_id))
    db.commit()
    return start_login(db=db, owner_id=owner_id, now=now)


def reset_password(*, db: Session, token: object, new: object, now: datetime) -> tuple[int, str, str]:
    """(patient id, address, new login cookie value) once the link's new password is
    set; FormError for a dead link (form: link_used) or a bad password. The
    link is used up only when the password is set."""
    user = _take_link(db, token, "reset", now)
    if user is None:
        raise credentials.FormError({"form": "link_used"})
    login = _set_password(db, user, new, now)
    # Getting the mail proves the address, as a confirmation link would.
    if user.email_verified_at is None:
        user.email_verified_at = now
    db.exec(delete(EmailLink).where(col(EmailLink.owner_id) == user.id))
    db.add(user)
    db.commit()
    return stored_id(user.id), user.email, login


def recovery_codes_stamp(*, db: Session, owner_id: int) -> str:
    """Names the patient's current set of codes ("none" before the first):
    the Menu's form sends it back, so a request sent again (a reload of the
    page that showed the codes) cannot silently replace the codes just saved."""
    made = db.exec(select(RecoveryCode.created_at).where(RecoveryCode.owner_id == owner_id)).all()
    return max(made).isoformat() if made else "none"


def make_recovery_codes(
    *, db: Session, owner_id: int, password: object, seen: object, client: str, now: datetime
) -> list[str]:
    """Ten new codes, shown once (only keyed hashes are kept); every older code
    stops working. seen: the stamp of the codes the form was shown with. The
    password is asked again, counted like a sign-in: a stolen cookie alone
    must not be able to make itself a way back in."""
    user = db.get(User, owner_id)
    if user is None:
        raise SignInRefused(WRONG_CREDENTIALS)
    if seen != recovery_codes_stamp(db=db, owner_id=owner_id):
        raise credentials.FormError({"codes_password": "codes_already_made"})
    if not (isinstance(password, str) and password):
        raise credentials.FormError({"codes_password": "codes_password_missing"})
    if not _password_confirmed(db, user, password, client, now):
        raise credentials.FormError({"codes_password": "codes_password_wrong"})
    db.exec(delete(RecoveryCode).where(col(RecoveryCode.owner_id) == owner_id))
    codes = [credentials.new_recovery_code() for _ in range(credentials.RECOVERY_CODES)]
    for code in codes:
        db.add(
            RecoveryCode(
                owner_id=owner_id,
                code_hash=credentials.recovery_code_hash(code, settings.SECRET_KEY),
                created_at=now,
            )
        )
    db.commit()
    return codes


def recovery_codes_left(*, db: Session, owner_id: int) -> int:
    return len(db.exec(select(RecoveryCode.id).where(RecoveryCode.owner_id == owner_id)).all())


def recover(
    *, db: Session, email: object, code: object, new: object, client: str, now: datetime
) -> tuple[int, str, str]:
    """Sets a new password with a recovery code: (patient id, address, login
    cookie value). Throttled like a sign-in (per email and client, and per
    client); a wrong email and a wrong code get the same refusal. The code is
    used up; the other codes stay, as they are the patient's own."""
    errors: dict[str, str] = {}
    try:
        norm_email = credentials.normalize_email(email)
    except ValueError as e:
        norm_email = ""
        errors["email"] = str(e)
    if not (isinstance(code, str) and code.strip()):
        errors["code"] = "code_missing"
    try:
        new_pw = credentials.normalize_password(new)
    except ValueError:
        new_pw = ""
    if problem := credentials.password_problem(new_pw):
        errors["new_password"] = problem
    if errors:
        raise credentials.FormError(errors)
    key = credentials.email_key(norm_email, settings.SECRET_KEY)
    client_key = credentials.client_key(client, settings.SECRET_KEY)
    attempt = _count_attempt(db, key, client_key, now)
    if attempt is None:
        raise credentials.FormError({"form": "locked"})
    user = db.exec(select(User).where(User.email == norm_email)).first()
    normalized = credentials.normalize_recovery_code(code)
    found = None
    if user is not None and normalized is not None:
        found = db.exec(
            select(RecoveryCode).where(
                RecoveryCode.owner_id == user.id,
                RecoveryCode.code_hash == credentials.recovery_code_hash(normalized, settings.SECRET_KEY),
            )
        ).first()
    if user is None or found is None:
        raise credentials.FormError({"form": "code_wrong"})
    db.delete(found)
    db.delete(attempt)
    db.commit()
    return stored_id(user.id), user.email, _set_password(db, user, new_pw, now, keep_codes=True)


def change_email(
    *, db: Session, owner_id: int, new_email: object, password: object, client: str, now: datetime
) -> tuple[str, str, str]:
    """(old address, new address, confirmation token) once the account's email
    is the new one, unconfirmed until its link is opened. Links sent to the
    old address stop working. FormError too_many_changes past
    CONFIRMS_PER_HOUR confirmation mails in an hour."""
    user = db.get(User, owner_id)
    if user is None:
        raise SignInRefused(WRONG_CREDENTIALS)
    errors = {}
    try:
        norm = credentials.normalize_email(new_email)
        if norm == user.email:
            errors["email"] = "email_same"
    except ValueError as e:
        norm = ""
        errors["email"] = str(e)
    if not (isinstance(password, str) and password):
        errors["email_password"] = "email_password_missing"
    if errors:
        raise credentials.FormError(errors)
    if not _password_confirmed(db, user, password, client, now):
        raise credentials.FormError({"email_password": "email_password_wrong"})
    if db.exec(select(User.id).where(User.email == norm)).first() is not None:
        raise credentials.FormError({"email": "email_taken"})
    # Each change mails both addresses: counted with the confirmation links,
    # so switching back and forth cannot flood someone else's mailbox.
    hour_ago = now - timedelta(hours=1)
    recent = db.exec(
        select(EmailLink.id).where(
            EmailLink.owner_id == owner_id, EmailLink.purpose == "confirm", col(EmailLink.created_at) > hour_ago
        )
    ).all()
    if len(recent) >= credentials.CONFIRMS_PER_HOUR:
        raise credentials.FormError({"email": "too_many_changes"})
    old = user.email
    user.email = norm
    user.email_verified_at = None
    db.add(user)
    # Links sent to the old address stop working by themselves: a link works
    # only for the address it was sent to (_take_link).
    try:
        db.commit()
    except IntegrityError:  # taken meanwhile
        db.rollback()
        raise credentials.FormError({"email": "email_taken"}) from None
    token = _new_link(db, user, "confirm", now)
    assert token is not None  # counted above
    return old, norm, token
