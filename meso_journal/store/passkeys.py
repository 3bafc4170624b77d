"""Passkeys (WebAuthn, with the `webauthn` library): adding one in Menu and
signing in with it. Keyword-only functions.

Each ceremony starts with a challenge the server made: 32 random bytes,
stored only as a hash, usable once and for CHALLENGE_LIFETIME, in the
database so that any app server can finish what another began. The browser
signs it; the library checks the signature, the origin, the relying party
and that the patient was verified (fingerprint, face or the phone's PIN).
The relying party is the app's configured origin (settings.PUBLIC_ORIGIN),
never a request's Host header."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
import webauthn
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from meso_journal import settings
from meso_journal.models import Passkey, PasskeyChallenge, User
from meso_journal.rules import credentials
from meso_journal.store import accounts
from meso_journal.store.journal import NotFound, parse_id

CHALLENGE_LIFETIME = timedelta(minutes=2)

MAX_RESPONSE = 16 * 1024  # a browser's answer is a few kilobytes


class PasskeyRefused(ValueError):
    """code is a credentials.MESSAGES code: the ceremony did not prove anything."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def relying_party() -> tuple[str, list[str]]:
    """(rp id, origins a ceremony may come from): the public origin's host,
    and each allowed origin on that host or under it."""
    rp_id = urlsplit(settings.PUBLIC_ORIGIN).hostname or "localhost"
    origins = [
        o for o in settings.ALLOWED_ORIGINS if (h := urlsplit(o).hostname) and (h == rp_id or h.endswith("." + rp_id))
    ]
    return rp_id, origins


def _challenge_hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _new_challenge(db: Session, purpose: str, owner_id: int | None, now: datetime) -> bytes:
    # Challenges nobody finished go as new ones are made: the table stays small.
    db.exec(delete(PasskeyChallenge).where(col(PasskeyChallenge.expires_at) <= now))
    challenge = credentials.new_challenge()
    db.add(
        PasskeyChallenge(
            challenge_hash=_challenge_hash(challenge),
            purpose=purpose,
            owner_id=owner_id,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    )
    db.commit()
    return challenge


def _take_challenge(db: Session, response: dict[str, Any], purpose: str, owner_id: int | None, now: datetime) -> bytes:
    """The challenge the browser signed, if this server made it for this
    ceremony and it is still unused; it is used up now, whatever follows."""
    try:
        client_data = parse_client_data_json(base64url_to_bytes(response["response"]["clientDataJSON"]))
        challenge = client_data.challenge
    except Exception:
        raise PasskeyRefused("passkey_failed") from None
    # Taken by the DELETE itself: of two requests sending the same answer at
    # once, only the one whose DELETE removed the row goes on (a SELECT
    # first would let both through).
    table = PasskeyChallenge.__table__  # type: ignore[attr-defined]
    row = db.execute(
        sa.delete(table)
        .where(table.c.challenge_hash == _challenge_hash(challenge))
        .returning(table.c.purpose, table.c.owner_id, table.c.expires_at)
    ).first()
    db.commit()
    if row is None or row.purpose != purpose or row.owner_id != owner_id:
        raise PasskeyRefused("passkey_failed")
    if row.expires_at <= now:
        raise PasskeyRefused("passkey_expired")
    return challenge


def _parse(response_json: object) -> dict[str, Any]:
    if not isinstance(response_json, str) or len(response_json) > MAX_RESPONSE:
        raise PasskeyRefused("passkey_failed")
    try:
        response = json.loads(response_json)
    except (ValueError, RecursionError):
        raise PasskeyRefused("passkey_failed") from None
    if not isinstance(response, dict) or not isinstance(response.get("response"), dict):
        raise PasskeyRefused("passkey_failed")
    return response


def _user_handle(owner_id: int) -> bytes:
    return credentials.passkey_user_handle(owner_id, settings.SECRET_KEY)


# --- adding a passkey ---------------------------------------------------------


def add_options(*, db: Session, owner_id: int, password: object, client: str, now: datetime) -> str:
    """The options for navigator.credentials.create(), as JSON. The password is
    asked again (counted like a sign-in): a stolen cookie alone must not be
    able to give itself a lasting way in."""
    user = db.get(User, owner_id)
    if user is None:
        raise NotFound
    if not (isinstance(password, str) and password):
        raise credentials.FormError({"passkey_password": "passkey_password_missing"})
    if not accounts.password_confirmed(db=db, user=user, password=password, client=client, now=now):
        raise credentials.FormError({"passkey_password": "passkey_password_wrong"})
    mine = db.exec(select(Passkey.credential_id).where(Passkey.owner_id == owner_id)).all()
    if len(mine) >= credentials.PASSKEY_LIMIT:
        raise credentials.FormError({"form": "too_many_passkeys"})
    rp_id, _ = relying_party()
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name="Meso Journal",
        user_id=_user_handle(owner_id),
        user_name=user.email,
        user_display_name=user.display_name or user.email,
        challenge=_new_challenge(db, "add", owner_id, now),
        timeout=int(CHALLENGE_LIFETIME.total_seconds() * 1000),
        # A passkey, not a security key: kept on the device, found without
        # typing the email, and only used after a fingerprint, face or PIN.
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in mine],
    )
    return webauthn.options_to_json(options)


def add(*, db: Session, owner_id: int, response_json: object, name: object, now: datetime) -> Passkey:
    """Stores the passkey the browser made for these options; PasskeyRefused
    or FormError (the name) otherwise."""
    label = credentials.passkey_name(name)
    response = _parse(response_json)
    challenge = _take_challenge(db, response, "add", owner_id, now)
    rp_id, origins = relying_party()
    try:
        verified = webauthn.verify_registration_response(
            credential=response,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise PasskeyRefused("passkey_failed") from None
    passkey = Passkey(
        owner_id=owner_id,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=label,
        created_at=now,
    )
    db.add(passkey)
    try:
        db.commit()
    except IntegrityError:  # this credential is already someone's
        db.rollback()
        raise PasskeyRefused("passkey_failed") from None
    return passkey


# --- signing in ------------------------------------------------------------------


def sign_in_options(*, db: Session, now: datetime) -> str:
    """Options for navigator.credentials.get() with no email typed: the
    device offers the passkeys it holds for this site."""
    rp_id, _ = relying_party()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        challenge=_new_challenge(db, "sign_in", None, now),
        timeout=int(CHALLENGE_LIFETIME.total_seconds() * 1000),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return webauthn.options_to_json(options)


def sign_in(*, db: Session, response_json: object, now: datetime) -> int:
    """The patient whose passkey signed this sign-in challenge; PasskeyRefused
    for anything else: an unknown or removed passkey, another site's, a
    challenge already used (a replay) or expired, a bad signature."""
    response = _parse(response_json)
    challenge = _take_challenge(db, response, "sign_in", None, now)
    credential_id = response.get("id")
    if not isinstance(credential_id, str) or len(credential_id) > 1400:
        raise PasskeyRefused("passkey_failed")
    passkey = db.exec(select(Passkey).where(Passkey.credential_id == credential_id)).first()
    if passkey is None:
        raise PasskeyRefused("passkey_unknown")
    # The device names the account the passkey was made for: it must be the
    # account that stored it.
    handle = response["response"].get("userHandle")
    if handle is not None:
        try:
            if base64url_to_bytes(handle) != _user_handle(passkey.owner_id):
                raise PasskeyRefused("passkey_failed")
        except (ValueError, TypeError):
            raise PasskeyRefused("passkey_failed") from None
    rp_id, origins = relying_party()
    try:
        verified = webauthn.verify_authentication_response(
            credential=response,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise PasskeyRefused("passkey_failed") from None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = now
    db.add(passkey)
    db.commit()
    return passkey.owner_id


# --- the Menu's list ----------------------------------------------------------------


def list_passkeys(*, db: Session, owner_id: int) -> list[Passkey]:
    return list(
        db.exec(select(Passkey).where(Passkey.owner_id == owner_id).order_by(col(Passkey.created_at), col(Passkey.id)))
    )


def remove(*, db: Session, owner_id: int, passkey_id: object) -> None:
    """Another patient's passkey is as missing as one that never existed."""
    passkey = db.get(Passkey, parse_id(passkey_id))
    if passkey is None or passkey.owner_id != owner_id:
        raise NotFound
    db.delete(passkey)
    db.commit()
