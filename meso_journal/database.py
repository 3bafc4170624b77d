"""The engine. SQLite gets WAL, full fsync and enforced foreign keys; any
other SQLAlchemy URL (PostgreSQL) is used as it is."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from meso_journal import settings

# Connections kept open: enough for every thread that may ask at once (the
# event handlers' worker threads, the routes' threads, the image pool), so
# none is opened and closed again under load (the default 5 made PostgreSQL
# open 134 connections in a 15-second benchmark run).
POOL_SIZE = 12


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 15}, pool_size=POOL_SIZE, max_overflow=8
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            # Off by default in SQLite: without it ON DELETE CASCADE does nothing.
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=8)


engine = make_engine(settings.DB_URL)


def session() -> Session:
    return Session(engine, expire_on_commit=False)
