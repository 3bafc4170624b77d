"""Each patient's journal version: a number on the patient's row that grows
in the same transaction as every write to their journal, whichever code
path writes (forms, uploads, imports, deletes, another server). A page
that loaded its data at version v, on the same day, for the same course,
shows what the journal holds as long as the version is still v: it skips
the reload (decision 10: reads cost what they must). The patient's row,
read anyway for the course picker, answers the question, on SQLite and
PostgreSQL alike (state/base.page_load).

The bump hooks SQLAlchemy's flush, so no store function can forget it.
Bulk statements (`delete(...)`) bypass the flush: the only ones on journal
tables run beside a flushed change of the same patient (a visit's ratings
replaced with the visit) or remove rows no page shows (undo entries past
their window)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

from meso_journal.models import CheckIn, Course, Measurement, Photo, ShareLink, SideEffectRating, TreatmentSession, User

# What a page of the journal shows. Logins and sign-in failures are not in
# it: a renewed login changes no page.
JOURNAL = (Course, TreatmentSession, CheckIn, SideEffectRating, Measurement, Photo, ShareLink)


@sa.event.listens_for(Session, "after_transaction_end")
def _transaction_ended(db: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the database's transaction, not a flush's own inner one
        db.info.pop("versions_bumped", None)


def _owners(db: Session) -> set[int]:
    owners: set[int] = set()
    for row in (*db.new, *db.dirty, *db.deleted):
        if isinstance(row, User):
            if row.id is not None:  # a new account starts at 0
                owners.add(row.id)
        elif isinstance(row, JOURNAL):
            owners.add(row.owner_id)
    return owners


@sa.event.listens_for(Session, "before_flush")
def _bump(db: Session, _context: object, _instances: object) -> None:
    # Once per transaction and patient: a save flushes several times (the
    # visit for its id, then its ratings), and one step is enough to differ
    # from every version read before it commits.
    bumped: set[int] = db.info.setdefault("versions_bumped", set())
    owners = _owners(db) - bumped
    if owners:
        bumped |= owners
        table = User.__table__  # type: ignore[attr-defined]
        db.connection().execute(
            sa.update(table).where(table.c.id.in_(sorted(owners))).values(journal_version=table.c.journal_version + 1)
        )
