"""The alembic migrations build exactly the tables models.py describes."""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from alembic import command
from meso_journal import database, models  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.getenv("MESO_TEST_POSTGRES_URL")


def _upgrade(engine: sa.Engine) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["quiet"] = True
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_it_has_migrations_that_match_the_models(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    _upgrade(engine)
    assert _differences(engine) == [], "models.py changed: run `alembic revision --autogenerate -m ...`"


def test_it_turns_on_wal_full_sync_and_foreign_keys_for_sqlite(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="set MESO_TEST_POSTGRES_URL to run the migrations on PostgreSQL")
def test_it_migrates_postgresql_too():
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql("DROP SCHEMA IF EXISTS meso_migration_test CASCADE")
        c.exec_driver_sql("CREATE SCHEMA meso_migration_test")
    engine = sa.create_engine(POSTGRES_URL, connect_args={"options": "-csearch_path=meso_migration_test"})
    try:
        _upgrade(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.exec_driver_sql("DROP SCHEMA IF EXISTS meso_migration_test CASCADE")
