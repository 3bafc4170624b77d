"""Plain functions that make rows for tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from meso_journal.models import User
from meso_journal.store import accounts

PASSWORD = "correct horse battery"


def make_user(db: Session, *, email: str = "patient@example.com", password: str = PASSWORD) -> User:
    return accounts.create_user(db=db, email=email, password=password)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


TODAY = datetime(2026, 11, 25).date()


def course_form(**changes) -> dict:
    return {"goal": "cellulite", "area:thighs": "on", "start_date": "2026-11-01", **changes}


def visit_form(**changes) -> dict:
    return {
        "performed_at": "2026-11-20T10:30",
        "area:thighs": "on",
        "effect:bruising": "moderate",
        "days:bruising": "3",
        **changes,
    }


def make_course(db: Session, owner: User, **changes):
    from meso_journal.rules import validation
    from meso_journal.store import journal

    return journal.create_course(
        db=db, owner_id=owner.id, data=validation.course_input(course_form(**changes), today=TODAY)
    )


def make_visit(db: Session, owner: User, course, **changes):
    from meso_journal.rules import validation
    from meso_journal.store import journal

    return journal.create_visit(
        db=db,
        owner_id=owner.id,
        course_id=course.id,
        data=validation.visit_input(visit_form(**changes), today=TODAY),
    )
