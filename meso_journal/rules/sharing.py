"""Share links and signed photo addresses, as pure rules: what a link may be,
when it is still valid, how a photo address is signed, and what changed since
the previous session. No Reflex, no database; `now` is passed in."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeGuard

from meso_journal.rules import catalog, validation

# Re-exported ("as"): links use the sessions' tokens (256 bits, stored hashed).
from meso_journal.rules.credentials import new_token as new_token
from meso_journal.rules.credentials import token_hash as token_hash

EXPIRY_DAYS = (1, 7, 30)
DEFAULT_EXPIRY_DAYS = 7
PHOTO_SIZES = ("display", "thumb")


def plausible_token(token: object) -> TypeGuard[str]:
    """Shape only: lets obvious junk be refused before any database work."""
    return isinstance(token, str) and 40 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)


@dataclass(frozen=True)
class LinkInput:
    label: str
    course_id: int | None  # None: every course
    days: int
    include_photos: bool


def link_input(raw: object) -> LinkInput:
    """The Share tab's form. Raises validation.Invalid with a message per field."""
    form = validation.form_of(raw)
    errors: dict[str, str] = {}

    def text(name: str) -> str:
        return form.get(name, "")

    try:
        label = validation.clean_text(text("label"), limit=100)
    except ValueError:
        errors["label"] = "Keep the name to 100 characters, on one line."
        label = ""
    # Every field comes from the form itself: a form without them was not sent by our page.
    scope = text("scope")
    course_id = None
    if scope != "all":
        course_id = validation.plain_id(scope)
        if course_id is None:
            errors["scope"] = "Choose one of your courses, or all of them."
    days_raw = text("days")
    days = validation.plain_number(days_raw, max_digits=3) or 0
    if days not in EXPIRY_DAYS:
        errors["days"] = "Choose 1, 7 or 30 days."
    if errors:
        raise validation.Invalid(errors)
    return LinkInput(label=label, course_id=course_id, days=days, include_photos=text("photos") in ("on", "yes", "1"))


def expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


def link_status(*, expires_at: datetime, revoked_at: datetime | None, now: datetime) -> str:
    """ "active", "expired" or "revoked". A link is expired from its expiry instant on."""
    if revoked_at is not None:
        return "revoked"
    return "active" if now < expires_at else "expired"


# --- signed photo addresses ------------------------------------------------------


def _photo_message(link_id: int, link_key: str, photo_id: int, photo_key: str, size: str, expires: int) -> bytes:
    # The ids alone are not enough: SQLite hands a deleted row's id to the
    # next row, so an address signed for a deleted account's photo would
    # open whoever's photo took that id next. The link's token hash and the
    # photo's storage key are random and never reused.
    return f"share-photo:{link_id}:{link_key}:{photo_id}:{photo_key}:{size}:{expires}".encode()


def sign_photo(
    secret: str, *, link_id: int, link_key: str, photo_id: int, photo_key: str, size: str, expires: int
) -> str:
    """An HMAC over everything in the address and the identity of the link and
    photo it was made for: change any part, or the rows behind the ids, and it
    no longer fits."""
    message = _photo_message(link_id, link_key, photo_id, photo_key, size, expires)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def photo_address_current(size: str, expires: int, now: datetime) -> bool:
    """What can be checked before looking anything up: a known size, not expired."""
    return size in PHOTO_SIZES and now.timestamp() < expires


def photo_signature_valid(
    secret: str,
    *,
    link_id: int,
    link_key: str,
    photo_id: int,
    photo_key: str,
    size: str,
    expires: int,
    signature: str,
    now: datetime,
) -> bool:
    if not photo_address_current(size, expires, now):
        return False
    expected = sign_photo(
        secret, link_id=link_id, link_key=link_key, photo_id=photo_id, photo_key=photo_key, size=size, expires=expires
    )
    # compare_digest raises on non-ASCII text: a signature of ours is hex.
    if not (isinstance(signature, str) and signature.isascii() and len(signature) == len(expected)):
        return False
    return hmac.compare_digest(expected, signature)


# --- what changed since the previous session --------------------------------------


@dataclass(frozen=True)
class Effect:
    effect: str
    label: str
    severity: int  # 1 mild … 3 severe (0 is not reported)


def since_previous(previous: list[Effect], latest: list[Effect]) -> list[str]:
    """Side effects new after the latest session, or worse than after the one before."""
    before = {e.label: e.severity for e in previous if e.severity}
    changes = []
    for e in latest:
        if not e.severity:
            continue
        word = catalog.severity_word(e.severity)
        if e.label not in before:
            changes.append(f"New: {e.label.lower()} ({word})")
        elif e.severity > before[e.label]:
            changes.append(f"Worse: {e.label.lower()} ({catalog.severity_word(before[e.label])} → {word})")
    return changes
