"""The installable-app files that need more than static serving: the
manifest (its own content type) and the service worker (its version and
precache list come from the build being served, so each deployment
replaces the old cache)."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from meso_journal import routes

ASSETS = Path(__file__).resolve().parents[2] / "assets"
# The offline page and what it needs with no connection (the outbox's list,
# the copy of the last timeline, the app's stylesheet), every script the
# app's pages load (head_components in meso_journal.py: a page opened offline needs
# them all, the outbox and drafts first), and the photo shrinker.
SHELL = [
    "/offline.html",
    "/drafts.js",
    "/outbox-core.js",
    "/outbox.js",
    "/offline-timeline.js",
    "/local-now.js",
    "/choices.js",
    "/focus.js",
    "/upload-progress.js",
    "/register-sw.js",
    "/share-link.js",
    "/passkeys.js",
    "/theme.css",
    "/shrink-worker.js",
    "/manifest.webmanifest",
    "/icon-192.png",
    "/icon-512.png",
    "/favicon.ico",
]


# Pages that work with no signal (components/offline.py), by the build's file
# of each: kept at install, served for the page when the network fails.
OFFLINE_PAGES = {routes.LOG: "/log.html", routes.PHOTOS: "/photos.html", routes.MEASUREMENTS: "/measurements.html"}


def _build_dir() -> Path:
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


@functools.cache
def service_worker_source() -> str:
    built = _build_dir() / "assets"
    hashed = (
        sorted(f"/assets/{p.name}" for p in built.glob("*") if p.is_file() and p.suffix in (".js", ".css", ".woff2"))
        if built.exists()
        else []
    )
    template = (ASSETS / "sw.js").read_text()
    version = hashlib.sha256("\n".join([template, *hashed]).encode()).hexdigest()[:16]
    return (
        template.replace("__VERSION__", version)
        .replace("__PRECACHE__", json.dumps(SHELL + list(OFFLINE_PAGES.values()) + hashed))
        .replace("__OFFLINE_PAGES__", json.dumps(OFFLINE_PAGES))
    )


async def service_worker(request: Request) -> Response:
    return Response(
        service_worker_source(),
        media_type="text/javascript",
        # Browsers check for a new worker on navigation; never serve a stale one.
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


async def manifest(request: Request) -> Response:
    return Response(
        (ASSETS / "manifest.webmanifest").read_bytes(),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )
