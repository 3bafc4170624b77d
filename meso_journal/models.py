"""The tables. Plain SQLModel (rx.Model is deprecated).

Every patient table carries owner_id with ON DELETE CASCADE, so deleting an
account removes every row of that patient in one statement, and the store can
filter every query by owner. Timestamps are UTC-aware on every database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """Stores aware datetimes as UTC; SQLite drops the zone, so it is put back on read."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _ts(**kw) -> datetime:
    return Field(sa_type=UTCDateTime, **kw)


def _owner() -> int:
    return Field(foreign_key="user.id", ondelete="CASCADE", index=True)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=512)
    created_at: datetime = _ts(default_factory=utcnow)
    # Preferences. current_course_id is checked against owner_id on every use.
    current_course_id: int | None = None
    length_unit: str = Field(default="cm", max_length=2)
    weight_unit: str = Field(default="kg", max_length=2)
    # How the patient is named on what they share (reports, the doctor's view).
    display_name: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    # Grows with every write to this patient's journal (store/versions.py):
    # a page whose data was loaded at this version need not load it again.
    journal_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # When the patient opened the link mailed to this address; None until
    # then, and again after the email changes. Only a confirmed address is
    # sent password-reset links.
    email_verified_at: datetime | None = _ts(default=None, nullable=True)


class EmailLink(SQLModel, table=True):
    """A link mailed to a patient: confirm an address, or set a new password.
    Only a hash of its token is kept; it works once, until expires_at, and
    only for the address it was sent to."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    purpose: str = Field(max_length=10)  # "confirm" or "reset"
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()


class Passkey(SQLModel, table=True):
    """A passkey (WebAuthn credential) the patient added in Menu: its id and
    public key, never anything secret. Signing in with it checks a signature
    over a one-time challenge (store/passkeys.py)."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    credential_id: str = Field(max_length=1400, unique=True, index=True)  # base64url, as browsers send it
    public_key: bytes = Field(sa_type=sa.LargeBinary)
    sign_count: int = 0
    name: str = Field(max_length=60)
    created_at: datetime = _ts(default_factory=utcnow)
    last_used_at: datetime | None = _ts(default=None, nullable=True)


class PasskeyChallenge(SQLModel, table=True):
    """A challenge handed to a browser for one passkey ceremony: kept as a
    hash, for one use, for two minutes, in the database so that any app
    server can check it. owner_id: whose passkey is being added (None for a sign-in)."""

    id: int | None = Field(default=None, primary_key=True)
    challenge_hash: str = Field(max_length=64, unique=True, index=True)
    purpose: str = Field(max_length=10)  # "add" or "sign_in"
    owner_id: int | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE", index=True)
    expires_at: datetime = _ts(index=True)


class RecoveryCode(SQLModel, table=True):
    """One of a patient's one-time recovery codes, as a keyed hash only.
    Used: deleted. Made anew: all the old ones deleted."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    code_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _ts(default_factory=utcnow)


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only a hash of the cookie value is kept."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    renewed_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()


class SignInFailure(SQLModel, table=True):
    """One failed sign-in, keyed by keyed hashes of the email and of the
    client's address, so that neither is stored in the clear. Counted per
    (email, client) and per client: a guesser elsewhere never locks the owner out."""

    id: int | None = Field(default=None, primary_key=True)
    email_key: str = Field(max_length=64, index=True)
    client_key: str = Field(default="", max_length=64, index=True, sa_column_kwargs={"server_default": ""})
    at: datetime = _ts(default_factory=utcnow, index=True)


class Course(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    goal: str = Field(max_length=40)
    areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    clinic: str = Field(default="", max_length=200)
    practitioner: str = Field(default="", max_length=200)
    clinic_phone: str = Field(default="", max_length=40)
    start_date: date
    planned_sessions: int | None = None
    status: str = Field(default="active", max_length=20)
    # "My practitioner spaced my sessions out": overrides the inferred phase.
    phase_override: str | None = Field(default=None, max_length=20)
    created_at: datetime = _ts(default_factory=utcnow)


class TreatmentSession(SQLModel, table=True):
    """One visit to the practitioner. Soft-deleted first so it can be undone."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    course_id: int = Field(foreign_key="course.id", ondelete="CASCADE", index=True)
    # The patient's own wall-clock time at the clinic, as they entered it:
    # what a doctor reads, and what day counts (day 1, 3, 7) are based on.
    performed_at: datetime = Field(sa_type=sa.DateTime(timezone=False))
    areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    substances: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    product_and_dose: str = Field(default="", max_length=500)
    depth_mm: float | None = None
    injections: int | None = None
    method: str = Field(default="unknown", max_length=10)
    numbing: bool | None = None
    cost_cents: int | None = None
    currency: str = Field(default="USD", max_length=3)
    pain: int | None = None
    nsaids_avoided: str = Field(default="unsure", max_length=10)
    downtime_hours: int | None = None
    notes: str = Field(default="", max_length=5000)
    deleted_at: datetime | None = _ts(default=None, nullable=True)
    created_at: datetime = _ts(default_factory=utcnow)


class SideEffectRating(SQLModel, table=True):
    """A side effect as rated with the session, or at a later check-in."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    session_id: int = Field(foreign_key="treatmentsession.id", ondelete="CASCADE", index=True)
    checkin_id: int | None = Field(default=None, foreign_key="checkin.id", ondelete="CASCADE", index=True)
    effect: str = Field(max_length=40)
    other_name: str = Field(default="", max_length=100)
    severity: int  # 0 none, 1 mild, 2 moderate, 3 severe
    days_lasted: int | None = None


class CheckIn(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    session_id: int = Field(foreign_key="treatmentsession.id", ondelete="CASCADE", index=True)
    checked_on: date
    note: str = Field(default="", max_length=2000)
    created_at: datetime = _ts(default_factory=utcnow)


class Measurement(SQLModel, table=True):
    """Stored in cm or kg; the unit the patient typed is kept for display."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    course_id: int | None = Field(default=None, foreign_key="course.id", ondelete="CASCADE")
    measured_on: date
    kind: str = Field(max_length=20)  # circumference | weight
    area: str = Field(default="", max_length=60)
    value: float  # as entered, in `unit`
    unit: str = Field(max_length=4)
    created_at: datetime = _ts(default_factory=utcnow)


class Photo(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    course_id: int = Field(foreign_key="course.id", ondelete="CASCADE", index=True)
    session_id: int | None = Field(default=None, foreign_key="treatmentsession.id", ondelete="SET NULL")
    area: str = Field(max_length=60)
    # Wall-clock time, like sessions: from the camera's EXIF (which has no
    # zone) or the day the patient gives.
    taken_at: datetime = Field(sa_type=sa.DateTime(timezone=False))
    storage_key: str = Field(max_length=200, unique=True)
    width: int
    height: int
    created_at: datetime = _ts(default_factory=utcnow)
    # The phone's own id for the uploaded file: a retry after a lost answer
    # finds the photo stored and stores nothing twice. None for imports and
    # uploads without the page's script.
    upload_key: str | None = Field(default=None, max_length=64)

    __table_args__ = (sa.UniqueConstraint("owner_id", "upload_key", name="uq_photo_owner_upload_key"),)


class PhotoChunk(SQLModel, table=True):
    """A photo's bytes in the database (MESO_PHOTO_STORAGE=database;
    photo_storage.py): one size of one photo in order, a chunk per row, so
    that no step holds a whole photo. Keyed like the folder's files, by the
    photo's storage_key; gone with the account."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    storage_key: str = Field(max_length=64, index=True)
    size: str = Field(max_length=8)  # "display" | "thumb"
    seq: int
    data: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False))
    created_at: datetime = _ts(default_factory=utcnow)

    __table_args__ = (sa.UniqueConstraint("storage_key", "size", "seq", name="uq_photochunk_key_size_seq"),)


class ShareLink(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    course_id: int | None = Field(default=None, foreign_key="course.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    label: str = Field(default="", max_length=100)
    include_photos: bool = False
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()
    revoked_at: datetime | None = _ts(default=None, nullable=True)
    last_opened_at: datetime | None = _ts(default=None, nullable=True)
    open_count: int = 0


class SentEntry(SQLModel, table=True):
    """An entry the phone sent with its own id (the outbox's idempotency key,
    store/entries.py), written in the same transaction as the record it
    made: a second send of the key finds it and stores nothing again. The
    digest tells the same entry sent twice from another one reusing the key.
    Kept as long as the account: a phone may send an old entry weeks late."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = _owner()
    key: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=20)  # session | checkin | measurement
    digest: str = Field(max_length=64)  # SHA-256 of the entry as sent
    record_id: int
    created_at: datetime = _ts(default_factory=utcnow)
