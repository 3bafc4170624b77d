"""Account rules and credentials: pure functions, no database, no Reflex.

`now` is passed in wherever time matters, so tests need no clock tricks.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email

PASSWORD_MIN = 10
PASSWORD_MAX = 1024
# Failed sign-ins in LOCKOUT_WINDOW: per email from one client address, and
# per client address whatever the email (spraying many accounts). Nobody
# elsewhere can lock an owner out of their own account.
LOCKOUT_FAILURES = 5
CLIENT_FAILURES = 20
LOCKOUT_WINDOW = timedelta(minutes=15)
RENEW_AFTER = timedelta(days=1)
# Links mailed to a patient (store/accounts): a password-reset link is short
# lived, as anyone who reads the mailbox later could use it; a confirmation
# link may wait for a patient who reads mail once a week... or almost.
RESET_LINK_LIFETIME = timedelta(minutes=30)
CONFIRM_LINK_LIFETIME = timedelta(days=3)
# Reset links one email may be sent in an hour: enough for a lost mail,
# too few to flood a mailbox.
RESETS_PER_HOUR = 3
# Confirmation mails (sign-up, "send again", each change of address) an hour.
CONFIRMS_PER_HOUR = 5
RECOVERY_CODES = 10
# 16 characters of Crockford base32: 80 random bits each. Written in groups
# of four; read back ignoring case, spaces, dashes, and I/L/O for 1/1/0.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_CODE_LENGTH = 16
PASSKEY_NAME_MAX = 60
PASSKEY_LIMIT = 20

# argon2id with argon2-cffi's defaults (64 MiB, 3 passes): memory-hard.
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both failures take as long.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


# Every message an account form can show, by code. Codes travel in the
# redirect back to the form (?error=...); the page looks the text up here, so
# no user-supplied text is ever echoed.
MESSAGES = {
    "email_missing": "Enter your email address.",
    "email_too_long": "That email address is too long.",
    "email_invalid": "Enter an email address like name@example.com.",
    "email_taken": "An account with this email already exists. Sign in instead.",
    "password_missing": "Enter a password.",
    "password_short": f"Use at least {PASSWORD_MIN} characters.",
    "password_long": f"Use at most {PASSWORD_MAX:,} characters.",
    "password_control": "Passwords cannot contain control characters.",
    "password_blank": "A password cannot be only spaces.",
    "password_mismatch": "The two passwords are not the same.",
    "wrong_credentials": "Wrong email or password.",
    "locked": "Too many failed sign-ins from here. Wait 15 minutes, then try again.",
    "too_many_sign_ups": "Too many sign-ups from here. Wait an hour, then try again.",
    "too_many_sign_ins": "Too many sign-ins from here. Wait 10 minutes, then try again.",
    "current_password_wrong": "Your current password is not right.",
    "current_password_missing": "Enter your current password.",
    "password_wrong": "Your password is not right.",
    "too_large": "That was more than a form can hold.",
    "link_used": "This link has already been used or has expired. Ask for a new one below.",
    "code_wrong": "Wrong email or recovery code. Each code works once.",
    "code_missing": "Enter one of your recovery codes.",
    "too_many_resets": "Too many requests from here. Wait an hour, then try again.",
    "email_same": "That is already your email address.",
    "codes_already_made": (
        "Those codes were made and shown already (the page was sent again). If you did not save them, make new ones."
    ),
    "confirm_link_dead": (
        "This confirmation link has already been used or has expired. Sign in, then send a new one from Menu, Account."
    ),
    "too_many_links": "We have sent you 5 links this hour. Look for them in your spam folder, or wait an hour.",
    "too_many_changes": "You have changed your email several times this hour. Wait an hour, then try again.",
    "email_password_missing": "Enter your current password.",
    "email_password_wrong": "Not right. Type the password you sign in with.",
    "codes_password_missing": "Enter your current password.",
    "passkey_password_missing": "Enter your current password.",
    "passkey_password_wrong": "Not right. Type the password you sign in with.",
    "passkey_name_long": f"Use at most {PASSKEY_NAME_MAX} characters.",
    "passkey_name_control": "Use letters, numbers and spaces.",
    "too_many_passkeys": f"You have {PASSKEY_LIMIT} passkeys already. Remove one you no longer use first.",
    "passkey_failed": ("That passkey did not work here. Try again, or sign in with your email and password."),
    "passkey_expired": "That took too long. Try again.",
    "passkey_cancelled": "No passkey was added: it was cancelled, or the phone did not answer in time.",
    "passkey_unsupported": "This browser cannot make passkeys. Try the phone's own browser, up to date.",
    "passkey_unknown": (
        "This passkey no longer works for this journal: it was removed, or ended when the password changed. "
        "Sign in with your email and password, then add it again in Menu if you like."
    ),
    "passkey_not_used": "No passkey was used. Sign in with your email and password, or try again.",
    "passkey_exists": "This phone or browser already has a passkey for your journal.",
    "codes_password_wrong": "Not right. Type the password you sign in with.",
}


# The form field each code belongs to ("form": the form as a whole).
FIELD_OF = {
    "email_missing": "email",
    "email_too_long": "email",
    "email_invalid": "email",
    "email_taken": "email",
    "password_missing": "password",
    "password_short": "password",
    "password_long": "password",
    "password_control": "password",
    "password_blank": "password",
    "password_mismatch": "confirm_password",
    "wrong_credentials": "form",
    "locked": "form",
    "too_many_sign_ups": "form",
    "too_many_sign_ins": "form",
    "too_large": "form",
    "current_password_wrong": "current_password",
    "current_password_missing": "current_password",
    "password_wrong": "delete_password",
    "link_used": "form",
    "code_wrong": "form",
    "code_missing": "code",
    "too_many_resets": "form",
    "email_same": "email",
    "codes_already_made": "form",
    "confirm_link_dead": "confirm",
    "too_many_links": "confirm",
    "too_many_changes": "email",
    "email_password_missing": "email_password",
    "email_password_wrong": "email_password",
    "codes_password_missing": "codes_password",
    "passkey_password_missing": "passkey_password",
    "passkey_password_wrong": "passkey_password",
    "passkey_name_long": "passkey_name",
    "passkey_name_control": "passkey_name",
    "too_many_passkeys": "form",
    "passkey_failed": "form",
    "passkey_expired": "form",
    "passkey_cancelled": "form",
    "passkey_not_used": "form",
    "passkey_exists": "form",
    "passkey_unsupported": "form",
    "passkey_unknown": "form",
    "codes_password_wrong": "codes_password",
}

# What ?done=<code> says after a redirect.
NOTICES = {
    "deleted": "Your account and everything in it have been deleted.",
    "password": (
        "Password changed. Every other device has been signed out, and any passkeys and recovery codes you had "
        "no longer work: add new ones below if you want them."
    ),
    "signed_out": "You were signed out, in another tab or on another device. Sign in to go on.",
    "reset_sent": (
        "If an account with a confirmed email exists for this address, we have sent it a link to set a new "
        "password. It works for 30 minutes. Check your spam folder if it has not arrived in a few minutes."
    ),
    "password_reset": (
        "Your new password is set. Every other device has been signed out, and any passkeys and recovery codes "
        "you had no longer work. Welcome back."
    ),
    "recovered": (
        "Your new password is set. Every other device has been signed out and any passkeys removed. That "
        "recovery code is now used: make new codes below if you are running low."
    ),
    "confirmed": "Thank you: your email address is confirmed.",
    "confirmed_other": "That link confirmed the email of another account, not of the one signed in here.",
    "confirm_sent": "We have sent you a new link. It works for 3 days.",
    "email_changed": "Your email is changed. We have sent a link to the new address: open it to confirm it.",
    "codes_made": "You have new recovery codes. The old ones no longer work.",
    "passkey_added": "Passkey added. Next time, tap \u201cSign in with a passkey\u201d on the sign-in page.",
    "passkey_removed": "Passkey removed. It no longer signs in to this journal.",
}


def messages_for(codes: str, *, password_field: str = "password") -> dict[str, str]:
    """The messages for ?error=code,code by field name. Unknown codes are
    ignored, and at most five are read. password_field renames "password"
    (the account page's new-password field)."""
    found: dict[str, str] = {}
    for code in codes.split(",")[:5]:
        if code in MESSAGES:
            name = FIELD_OF[code]
            found[password_field if name == "password" else name] = MESSAGES[code]
    return found


class FormError(ValueError):
    """Problems keyed by form field, each a code from MESSAGES."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}={v}" for k, v in errors.items()))
        self.errors = errors


def normalize_email(raw: object) -> str:
    """The canonical form of an address, or ValueError with a message for the patient."""
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("email_missing")
    if len(raw) > 320:
        raise ValueError("email_too_long")
    # "=?...?=" is a MIME encoded word: a mail header would decode it into
    # other addresses (x=40evil.com becomes x@evil.com). No real address needs it.
    if "=?" in raw:
        raise ValueError("email_invalid")
    try:
        info = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("email_invalid") from None
    # Domains are case-insensitive; in practice no mail provider treats the
    # local part's case as significant either, and patients mistype it.
    return info.normalized.lower()


def normalize_password(raw: object) -> str:
    """NFKC, so the same password typed on two keyboards is the same password."""
    if not isinstance(raw, str):
        raise ValueError("password_missing")
    return unicodedata.normalize("NFKC", raw)


def password_problem(password: str) -> str | None:
    """A MESSAGES code, or None when the password is acceptable."""
    if not password:
        return "password_missing"
    if len(password) < PASSWORD_MIN:
        return "password_short"
    if len(password) > PASSWORD_MAX:
        return "password_long"
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in password):
        return "password_control"
    if not password.strip():
        return "password_blank"
    return None


def check_sign_up(email: object, password: object) -> tuple[str, str]:
    """Normalised (email, password), or FormError naming each bad field."""
    errors: dict[str, str] = {}
    norm_email = norm_password = ""
    try:
        norm_email = normalize_email(email)
    except ValueError as e:
        errors["email"] = str(e)
    try:
        norm_password = normalize_password(password)
        if problem := password_problem(norm_password):
            errors["password"] = problem
    except ValueError as e:
        errors["password"] = str(e)
    if errors:
        raise FormError(errors)
    return norm_email, norm_password


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """256 random bits, URL-safe: session cookies and share links."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # A fast hash is enough: the token itself has 256 bits of entropy.
    return hashlib.sha256(token.encode()).hexdigest()


def new_recovery_code() -> str:
    """XXXX-XXXX-XXXX-XXXX: 80 random bits, easy to read aloud and copy by hand."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def normalize_recovery_code(raw: object) -> str | None:
    """The code's 16 characters as stored, or None when it cannot be one of ours."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    text = raw.upper().translate(str.maketrans("ILO", "110", " -\t"))
    if len(text) != RECOVERY_CODE_LENGTH or any(c not in _CODE_ALPHABET for c in text):
        return None
    return text


def recovery_code_hash(code: str, secret_key: str) -> str:
    """Keyed, so a copy of the database alone cannot even try codes."""
    normalized = normalize_recovery_code(code)
    if normalized is None:
        raise ValueError("not a recovery code")
    return email_key(f"recovery {normalized}", secret_key)


def new_challenge() -> bytes:
    """A passkey ceremony's challenge: 256 random bits."""
    return secrets.token_bytes(32)


def passkey_user_handle(owner_id: int, secret_key: str) -> bytes:
    """The account id a passkey carries: stable, and meaningless elsewhere
    (neither the email nor the row id leaves the server)."""
    return hmac.new(secret_key.encode(), f"passkey user {owner_id}".encode(), hashlib.sha256).digest()


def passkey_name(raw: object) -> str:
    """The patient's name for a passkey ("Pixel 9", "iPad"), or FormError."""
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else "").strip()
    if len(text) > PASSKEY_NAME_MAX:
        raise FormError({"passkey_name": "passkey_name_long"})
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in text):
        raise FormError({"passkey_name": "passkey_name_control"})
    return text or "Passkey"


def email_key(email: str, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), email.encode(), hashlib.sha256).hexdigest()


def client_key(address: str, secret_key: str) -> str:
    return email_key(f"client {address}", secret_key)  # the prefix keeps it apart from any email's


@dataclass(frozen=True)
class Lockout:
    locked: bool
    until: datetime | None = None


def lockout(failures: list[datetime], now: datetime, limit: int = LOCKOUT_FAILURES) -> Lockout:
    """Locked once `limit` failures fall inside the window; lifts as they age out."""
    recent = sorted(f for f in failures if now - f < LOCKOUT_WINDOW)
    if len(recent) < limit:
        return Lockout(False)
    # The lock lifts when enough failures have aged out to drop below the limit.
    return Lockout(True, recent[-limit] + LOCKOUT_WINDOW)


def session_expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


def needs_renewal(renewed_at: datetime, now: datetime) -> bool:
    return now - renewed_at >= RENEW_AFTER
