"""The installable app: manifest, service worker, offline page, and every
page accessible (axe-core, WCAG 2.2 A/AA and best practice) and usable at
360 px in light and dark mode."""

import re
import tempfile

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_FLAGS, PHONE, sign_up, unique_email
from tests.browser.journeys import log_session, start_course

AXE_RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}
PUBLIC_PAGES = ["/sign-in", "/sign-up", "/forgot-password", "/recover", "/evidence", "/no-such-page"]
SIGNED_IN_PAGES = ["/", "/log", "/photos", "/share", "/more", "/courses", "/courses/edit", "/measurements"]


def test_it_serves_a_complete_manifest(server):
    r = httpx.get(f"{server}/manifest.webmanifest")
    assert r.headers["content-type"].startswith("application/manifest+json")
    m = r.json()
    assert m["display"] == "standalone" and m["start_url"] == "/" and m["scope"] == "/"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in m["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in m["icons"]:
        assert httpx.get(f"{server}{icon['src']}").headers["content-type"] == "image/png"


def test_it_never_lets_the_service_worker_cache_private_routes(server):
    source = httpx.get(f"{server}/sw.js").text
    assert "__VERSION__" not in source and "__PRECACHE__" not in source
    for private in ("_event", "_upload", "api"):
        assert re.search(rf"\^\\/{private}", source), private


def test_it_is_installable_and_works_offline(playwright_driver, chromium_path, server):
    # Chromium never calls an incognito profile installable: use a real one.
    ctx = playwright_driver.chromium.launch_persistent_context(
        tempfile.mkdtemp(), executable_path=chromium_path, args=CHROMIUM_FLAGS, viewport=PHONE, base_url=server
    )
    try:
        page = ctx.new_page()
        page.goto("/sign-in")
        page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        assert page.evaluate("navigator.serviceWorker.controller !== null"), "the worker does not control the page"
        cdp = ctx.new_cdp_session(page)
        assert cdp.send("Page.getAppManifest")["errors"] == []
        errors = None
        for _ in range(20):  # Chromium checks installability asynchronously
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            if not errors:
                break
            page.wait_for_timeout(250)
        assert errors == []

        ctx.set_offline(True)
        page.goto("/more")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        ctx.set_offline(False)
        page.get_by_role("button", name="Try again").click()
        expect(page).to_have_url(re.compile(r"/(sign-in|more)/?$"))
    finally:
        ctx.close()


def _check_page(page, axe, scheme, path, problems):
    page.goto(path)
    page.locator("main").wait_for()
    page.wait_for_timeout(400)  # let the page's data arrive
    for v in axe.run(page, options=AXE_RULES).response["violations"]:
        node = v["nodes"][0]
        problems.append(
            f"{scheme} {path}: {v['id']} ({v['impact']}) at {node['target']}: {node.get('failureSummary', '')[:160]}"
        )
    if page.evaluate("document.documentElement.scrollWidth") > 360:
        problems.append(f"{scheme} {path}: scrolls sideways at 360 px")
    small = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=checkbox]):not([type=radio]), select, textarea')]
                 .filter(e => parseFloat(getComputedStyle(e).fontSize) < 16).length"""
    )
    if small:
        problems.append(f"{scheme} {path}: {small} input(s) under 16 px (iOS would zoom)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_is_accessible_and_fits_360_px(new_context, scheme):
    ctx = new_context(color_scheme=scheme, viewport={"width": 360, "height": 780})
    page = ctx.new_page()
    axe, problems = Axe(), []
    for path in PUBLIC_PAGES:
        _check_page(page, axe, scheme, path, problems)
    sign_up(page, unique_email("alice"))
    start_course(page)
    log_session(page)
    for path in SIGNED_IN_PAGES:
        _check_page(page, axe, scheme, path, problems)
    assert problems == []


def test_it_has_a_named_dark_mode_toggle(new_context):
    ctx = new_context()
    page = ctx.new_page()
    sign_up(page, unique_email("alice"))
    toggle = page.get_by_role("button", name="Switch between light and dark mode")
    expect(toggle).to_be_visible()
    before = page.evaluate("document.documentElement.className")
    toggle.click()
    expect(page.locator("html")).not_to_have_class(before)
    chosen = page.evaluate("localStorage.getItem('theme')")
    assert chosen in ("light", "dark")
    # The server-rendered sign-in page follows the same choice.
    ctx.clear_cookies()
    page.goto("/sign-in")
    expect(page.locator("html")).to_have_class(chosen)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (chosen == "light")


def test_it_sends_brotli_and_only_the_colour_scales_it_uses(new_context, server):
    page = new_context().new_page()
    page.goto("/evidence")
    page.locator("main").wait_for()
    css = page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)")
    assert css, "no stylesheet"
    for href in css:
        r = httpx.get(href, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})  # what Chromium sends
        assert r.status_code == 200 and r.headers["content-encoding"] == "br", href
    colour = "getComputedStyle(document.documentElement).getPropertyValue('--{}-9').trim()"
    assert page.evaluate(colour.format("iris")) != ""  # a chart colour: imported
    assert page.evaluate(colour.format("plum")) == ""  # never used: left out


def test_it_tells_the_patient_when_the_connection_drops(new_context, app_server):
    page = new_context().new_page()
    sign_up(page, unique_email("alice"))
    app_server.stop()
    try:
        notice = page.get_by_role("status").filter(has_text="Connection lost. Reconnecting")
        expect(notice).to_be_visible(timeout=30_000)
        expect(notice).to_contain_text("What you already saved is safe")
    finally:
        app_server.start()
    expect(notice).to_have_count(0, timeout=30_000)
