"""Entries the phone sends from its outbox: a session, a check-in or a
measurement, each under an id the phone made for it (the key).

They go through the forms' validation rules and the same store functions,
so there is one write path. The key makes sending exactly-once: the receipt
(models.SentEntry) is committed with the record it made, so a second send of
the same entry finds the receipt and stores nothing. That holds whether the
first answer was lost on the way or the two sends arrive together (the
key's unique index lets one of them commit). A key sent again with other
content, or by another patient, is refused: the phone has a bug or someone
is replaying, and either way storing it would be a guess.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from meso_journal.models import SentEntry
from meso_journal.rules import validation
from meso_journal.store import journal

KINDS = ("session", "checkin", "measurement")
# crypto.randomUUID() on the phone; anything of this shape is accepted.
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")

# Said when the record the entry belongs to is gone (deleted in another tab
# while the entry waited): the same sentences as the forms'.
GONE = {
    "session": "This session's course no longer exists.",
    "checkin": "That session no longer exists.",
    "measurement": "Your course could not be found.",
}
KEY_TAKEN = "This entry was already sent with other content. It was not saved again."


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str
    # The course a session or a measurement goes in, the session a check-in is about.
    parent: int | None
    fields: dict[str, str]

    @property
    def digest(self) -> str:
        """The same for the same entry however its JSON was laid out."""
        canonical = json.dumps([self.kind, self.parent, self.fields], sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Receipt:
    kind: str
    record_id: int
    replayed: bool  # stored by an earlier send of the same entry


class KeyTaken(Exception):
    """The key was sent before with other content, or by another patient."""


def entry_of(raw: object) -> Entry:
    """An entry as the outbox sends it: {"key", "kind", "parent", "fields": {name: text}}.
    Anything else is refused as a whole, as a form in the wrong shape is."""
    shape = validation.Invalid({"form": validation.SHAPE})
    if not isinstance(raw, dict) or set(raw) - {"key", "kind", "parent", "fields"}:
        raise shape
    key, kind, parent, fields = raw.get("key"), raw.get("kind"), raw.get("parent"), raw.get("fields")
    if not isinstance(key, str) or not KEY.fullmatch(key) or kind not in KINDS:
        raise shape
    if parent is not None and (isinstance(parent, bool) or not isinstance(parent, int)):
        raise shape
    if kind != "measurement" and parent is None:  # a measurement may belong to no course
        raise shape
    # Read as the forms' fields are (validation.form_of), so a send and its
    # replay are compared in one shape.
    return Entry(key, kind, parent, validation.form_of(fields))


def receive(*, db: Session, owner_id: int, entry: Entry, today: date) -> Receipt:
    """Stores the entry once. Raises validation.Invalid (the form's messages),
    journal.NotFound (its course or session is gone or not the patient's) or
    KeyTaken; in each case nothing is stored."""
    if (earlier := _earlier(db, entry.key)) is not None:
        return _again(earlier, owner_id, entry)
    receipt = SentEntry(owner_id=owner_id, key=entry.key, kind=entry.kind, digest=entry.digest, record_id=0)
    try:
        record_id = _store(db, owner_id, entry, today, receipt)
    except IntegrityError:
        # Another send of this key committed between our look and our write;
        # else the course or session was deleted between our look and our write.
        if (earlier := _earlier(db, entry.key)) is None:
            raise journal.NotFound from None
        return _again(earlier, owner_id, entry)
    return Receipt(entry.kind, record_id, replayed=False)


def _earlier(db: Session, key: str) -> SentEntry | None:
    return db.exec(select(SentEntry).where(col(SentEntry.key) == key)).first()


def _again(earlier: SentEntry, owner_id: int, entry: Entry) -> Receipt:
    if earlier.owner_id != owner_id or earlier.kind != entry.kind or earlier.digest != entry.digest:
        raise KeyTaken(KEY_TAKEN)
    return Receipt(entry.kind, earlier.record_id, replayed=True)


def _store(db: Session, owner_id: int, entry: Entry, today: date, receipt: SentEntry) -> int:
    """The record's id, stored by the forms' own rules and store functions."""
    if entry.kind == "session":
        visit = validation.visit_input(entry.fields, today=today)
        return journal.stored_id(
            journal.create_visit(db=db, owner_id=owner_id, course_id=entry.parent, data=visit, receipt=receipt).id
        )
    if entry.kind == "checkin":
        parent = journal.get_visit(db=db, owner_id=owner_id, visit_id=entry.parent)
        data = validation.checkin_input(entry.fields, visit_day=parent.performed_at.date(), today=today)
        return journal.stored_id(
            journal.create_checkin(db=db, owner_id=owner_id, visit_id=parent.id, data=data, receipt=receipt).id
        )
    measured = validation.measurement_input(entry.fields, today=today)
    return journal.stored_id(
        journal.add_measurement(db=db, owner_id=owner_id, course_id=entry.parent, data=measured, receipt=receipt).id
    )
