"""Fixtures the unit modules share: the photo folder, the doctor's-view
client and a course with one of everything. (The database and the people,
alice, bob and charlie, are in tests/conftest.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from meso_journal import clock, settings
from meso_journal.web import api, doctor_view, rate_limit
from tests import factories


@pytest.fixture(params=["folder", "database"])
def photo_dir(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway photo folder for this test (made on the first save). Every
    test that stores photos runs twice: with the folder backend, and with the
    photos' bytes in the database (MESO_PHOTO_STORAGE=database), where the
    folder stays empty (tests.clients.stored_files reads either)."""
    folder = tmp_path / "photos"
    monkeypatch.setattr(settings, "PHOTO_DIR", folder)
    monkeypatch.setattr(settings, "PHOTO_STORAGE", request.param)
    return folder


@pytest.fixture
def client(engine, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """A client of the app's routes for the doctor's view: nobody signed in, the
    guess limiter fresh, and the clock at factories.NOW. (Modules that want a
    plain client define their own `client`, which takes precedence.)"""
    monkeypatch.setattr(doctor_view, "guesses", rate_limit.WindowLimiter())
    # The view checks expiry against its clock: pinned, so the links these
    # tests make on fixed dates stay valid whatever day the suite runs.
    monkeypatch.setattr(clock, "now", lambda: factories.NOW)
    return TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)


@pytest.fixture
def course(db, alice):
    """alice's course with one of everything (factories.make_full_course)."""
    return factories.make_full_course(db, alice)
