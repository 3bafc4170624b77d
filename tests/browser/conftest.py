"""Browser journeys against the real production server.

One `reflex run --env prod --single-port` is started per test session, on a
free port, with its own throwaway data folder and SQLite database, after
`alembic upgrade head` — the same steps as `make run`. Chromium (Debian's
/usr/bin/chromium) is driven by Playwright at a 390×844 phone viewport.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.servers import MAIL_PORT, MAX_UPLOAD_MB, SHARE_PHOTO_SECONDS, AppServer, ClusterServer
from tests.factories import PASSWORD
from tests.mailbox import Mailbox

__all__ = ["MAX_UPLOAD_MB", "SHARE_PHOTO_SECONDS"]  # the tests import them from here

# The cluster's faults need the cluster: `make test-cluster` runs them. Left
# out of every other run, rather than skipped.
collect_ignore = [] if ClusterServer.wanted() else ["test_cluster.py"]

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    candidates = [os.getenv("MESO_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path:
        return path
    message = "Chromium not found (install Debian's `chromium`, or set MESO_CHROMIUM)"
    if os.getenv("CI", "").lower() == "true":
        pytest.fail(f"{message}: browser tests may not be skipped in CI")
    sys.stderr.write(f"\n\n*** SKIPPING BROWSER TESTS: {message} ***\n\n")
    pytest.skip(message)


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    """The SMTP server every app server of the session sends its mail to."""
    box = Mailbox(MAIL_PORT).start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def app_server(chromium_path, mailbox) -> AppServer | ClusterServer:
    """One production server, or with MESO_TEST_CLUSTER (make test-cluster)
    two behind nginx on PostgreSQL and Redis, for the whole test session."""
    if ClusterServer.wanted() and (lacking := ClusterServer.missing()):
        message = f"the cluster needs {lacking}"
        if os.getenv("CI", "").lower() == "true":
            pytest.fail(f"{message}: its tests may not be skipped in CI")
        sys.stderr.write(f"\n\n*** SKIPPING THE CLUSTER'S TESTS: {message} ***\n\n")
        pytest.skip(message)
    server = ClusterServer.for_tests() if ClusterServer.wanted() else AppServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if os.getenv("MESO_KEEP_TEST_DATA") is None:
            server.remove_data()
        else:
            sys.stderr.write(f"server logs and data kept in {server.data_dir}\n")


@pytest.fixture(scope="session")
def server(app_server) -> str:
    """The base URL of the production server started for this test session."""
    return app_server.url


@pytest.fixture(scope="session")
def playwright_driver():
    # One Playwright per test session: its sync API owns this thread's event loop.
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver, chromium_path) -> Browser:
    b = playwright_driver.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
    yield b
    b.close()


class Watched:
    """A page that remembers its JavaScript errors and every websocket frame."""

    def __init__(self, page: Page):
        self.page = page
        self.errors: list[str] = []
        self.frames: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("websocket", self._watch)

    def _watch(self, ws):
        ws.on("framereceived", lambda payload: self.frames.append(str(payload)))

    def received(self, text: str) -> bool:
        return any(text in f for f in self.frames)


@pytest.fixture
def new_context(browser: Browser, server: str):
    contexts: list[BrowserContext] = []

    def make(**kwargs) -> BrowserContext:
        ctx = browser.new_context(**{"viewport": PHONE, "base_url": server, **kwargs})
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def watched():
    return Watched


def unique_email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


def sign_up(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/sign-up")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Timeline").wait_for()


def expect_sign_in_page(page: Page) -> None:
    """At the server-rendered sign-in page (the app's redirect changes the
    address first, then loads the page from the server)."""
    expect(page).to_have_url(re.compile(r"/sign-in(\?done=signed_out)?$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def expect_refusal_seen(page: Page, *messages: str):
    """A refused form's error summary: on screen (its box inside the viewport,
    not merely in the page), holding the focus, and naming each problem.
    Returns the summary."""
    summary = page.locator("[data-error-summary]:visible")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    box, view = summary.bounding_box(), page.viewport_size
    assert box is not None and 0 <= box["y"] < view["height"] and box["x"] >= 0, box
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    for message in messages:
        expect(summary).to_contain_text(message)
    return summary
