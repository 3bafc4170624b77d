"""Plain functions that make rows for tests."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import Session

from meso_journal import store
from meso_journal.models import User

PASSWORD = "correct horse battery"


def make_user(db: Session, *, email: str = "patient@example.com", password: str = PASSWORD) -> User:
    return store.create_user(session=db, email=email, password=password)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
