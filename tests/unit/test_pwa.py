"""The service worker's source (web/pwa.py): what it keeps for a phone with
no signal."""

import json
import re

from meso_journal import routes
from meso_journal.web import pwa


def _constant(source: str, name: str):
    return json.loads(re.search(rf"const {name} = (.+);\n", source).group(1))


def test_every_script_the_pages_load_is_kept_for_a_page_opened_offline():
    from meso_journal.meso_journal import app

    scripts = [str(c.src).strip('"') for c in app.head_components if getattr(c, "src", None) is not None]
    assert "/outbox.js" in scripts and "/drafts.js" in scripts
    precache = _constant(pwa.service_worker_source.__wrapped__(), "PRECACHE")
    assert [s for s in scripts if s not in precache] == []


def test_the_pages_that_work_offline_are_kept_and_served_by_their_built_file():
    source = pwa.service_worker_source.__wrapped__()
    pages = _constant(source, "OFFLINE_PAGES")
    assert pages == {routes.LOG: "/log.html", routes.PHOTOS: "/photos.html", routes.MEASUREMENTS: "/measurements.html"}
    precache = _constant(source, "PRECACHE")
    assert set(pages.values()) <= set(precache)
    # Nothing of the API or a patient's photos is ever kept.
    assert not [p for p in precache if p.startswith(("/api", "/_upload", "/_event"))]
