"""Shared fixtures. The named people follow healthchecks' convention:
alice is the patient, bob her doctor (a share link, later), charlie a
stranger who must never see anything of alice's."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

# settings.py reads the environment at import: point it at a throwaway data
# folder before anything imports the app, so tests never touch ./data.
os.environ.setdefault("MESO_DATA_DIR", tempfile.mkdtemp(prefix="meso-test-data-"))

import pytest  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from meso_journal import database, models  # noqa: E402, F401
from tests import factories  # noqa: E402

POSTGRES_URL = os.getenv("MESO_TEST_POSTGRES_URL")


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh database per test, with the app's engine pointed at it: SQLite
    by default, a throwaway PostgreSQL schema when MESO_TEST_POSTGRES_URL is set."""
    if POSTGRES_URL:
        import sqlalchemy as sa

        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.exec_driver_sql(f"CREATE SCHEMA {schema}")
        eng = sa.create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    else:
        eng = database.make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    SQLModel.metadata.create_all(eng)
    monkeypatch.setattr(database, "engine", eng)
    yield eng
    eng.dispose()
    if POSTGRES_URL:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def db(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def alice(db):
    return factories.make_user(db, email="alice@example.com")


@pytest.fixture
def bob(db):
    return factories.make_user(db, email="bob@example.com")


@pytest.fixture
def charlie(db):
    return factories.make_user(db, email="charlie@example.com")


@pytest.fixture(autouse=True)
def no_sign_ups_counted(monkeypatch: pytest.MonkeyPatch):
    """The sign-up limiter lives in memory for the whole process: each test
    starts with none counted (the test client's address is always the same)."""
    from meso_journal.web import api, rate_limit

    monkeypatch.setattr(api, "sign_ups", rate_limit.WindowLimiter(limit=api.sign_ups.limit, window_seconds=3600))
