"""Each way around the session cookie that Reflex's defaults leave open,
proven closed against the running server."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import socketio
from playwright.sync_api import expect

from meso_journal.web.cookies import COOKIE_NAME
from tests.browser.conftest import expect_sign_in_page, sign_up, unique_email

EVIL = "https://evil.example"


def _signed_up(new_context, name="alice"):
    ctx = new_context()
    page = ctx.new_page()
    email = unique_email(name)
    sign_up(page, email)
    page.get_by_role("link", name="Menu").click()
    expect(page.get_by_text(email)).to_be_visible()
    token = page.evaluate("sessionStorage.getItem('token')")
    cookie = next(c["value"] for c in ctx.cookies() if c["name"] == COOKIE_NAME)
    return ctx, page, email, token, cookie


def _with_token(ctx, token):
    ctx.add_init_script(f"window.sessionStorage.setItem('token', {token!r})")
    return ctx


def _close(page):
    # Reflex gives a second socket that presents a token still in use a new
    # token; the dangerous case is a tab that has been closed, whose state
    # tree lives on in the server for an hour.
    page.close()
    time.sleep(0.5)


def test_it_gives_nothing_to_a_stolen_client_token_without_the_cookie(new_context, watched):
    _, alice, email, token, _ = _signed_up(new_context)
    _close(alice)
    thief = watched(_with_token(new_context(), token).new_page())
    # Without a cookie the server sends app pages to sign-in before the app
    # even loads, so the thief uses a public page of the app to get a socket.
    thief.page.goto("/more")
    expect_sign_in_page(thief.page)
    assert not thief.frames
    thief.page.goto("/evidence")
    expect(thief.page.get_by_role("heading", name="About the evidence")).to_be_visible()
    thief.page.wait_for_timeout(500)
    assert thief.page.evaluate("sessionStorage.getItem('token')") == token  # the attack really ran
    assert thief.frames, "the thief's page never talked to the server"
    assert not thief.received(email)


def test_it_gives_a_stolen_token_with_another_patients_cookie_only_that_patients_data(new_context, watched):
    _, alice, alice_email, alice_token, _ = _signed_up(new_context, "alice")
    _close(alice)
    bob_ctx, bobs_first_tab, bob_email, _, _ = _signed_up(new_context, "bob")
    bobs_first_tab.close()
    bob = watched(_with_token(bob_ctx, alice_token).new_page())
    bob.page.goto("/more")
    expect(bob.page.get_by_text(bob_email)).to_be_visible()
    assert bob.page.evaluate("sessionStorage.getItem('token')") == alice_token
    assert not bob.received(alice_email)


def test_it_answers_nothing_on_an_open_socket_after_sign_out(new_context, watched):
    ctx, _, email, _, _ = _signed_up(new_context)
    open_tab = watched(ctx.new_page())
    # The server's guarantee, not the page's: this tab ignores the sign-out
    # mark the app's other tabs follow to the sign-in page (outbox.js), as
    # a tab on another device, or one whose scripts were tampered with, would.
    open_tab.page.add_init_script(
        "window.addEventListener = (add => function (type, ...rest) {"
        " if (type !== 'storage') return add.call(this, type, ...rest); })(window.addEventListener);"
    )
    open_tab.page.goto("/more")
    expect(open_tab.page.get_by_text(email)).to_be_visible()

    # Sign out in another tab: this tab's socket still carries the old cookie.
    other = ctx.new_page()
    other.goto("/more")
    other.get_by_role("button", name="Sign out").click()
    expect_sign_in_page(other)

    seen = len(open_tab.frames)
    open_tab.page.get_by_role("link", name="Timeline").click()
    expect_sign_in_page(open_tab.page)
    expect(open_tab.page.get_by_text("You were signed out, in another tab or on another device.")).to_be_visible()
    assert len(open_tab.frames) > seen, "the open socket was never exercised"
    assert not any(email in f for f in open_tab.frames[seen:])
    expect(open_tab.page.get_by_text(email)).to_have_count(0)


async def _socket_connects(server: str, headers: dict) -> bool:
    client = socketio.AsyncClient(reconnection=False)
    try:
        await client.connect(
            f"{server}?token=probe-{unique_email('x')}",
            socketio_path="/_event",
            transports=["websocket"],
            namespaces=["/_event"],
            headers=headers,
            wait_timeout=5,
        )
    except socketio.exceptions.ConnectionError:
        return False
    await client.disconnect()
    return True


def run_async(coro):
    # Playwright's sync API owns this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_it_refuses_a_websocket_opened_by_another_site(server):
    assert run_async(_socket_connects(server, {"Origin": server}))  # the probe itself works
    assert not run_async(_socket_connects(server, {"Origin": EVIL}))


def test_it_refuses_credentialed_requests_from_another_site(new_context, server):
    ctx, page, email, _, cookie = _signed_up(new_context)
    r = httpx.post(
        f"{server}/api/auth/sign-out",
        headers={"Origin": EVIL, "Cookie": f"{COOKIE_NAME}={cookie}"},
    )
    assert r.status_code == 403
    assert "access-control-allow-origin" not in r.headers
    page.reload()
    expect(page.get_by_text(email)).to_be_visible()  # still signed in


@pytest.mark.parametrize("who", ["nobody", "bob"])
def test_it_refuses_an_upload_in_another_patients_name(new_context, server, who):
    _, _, _, alice_token, alice_cookie = _signed_up(new_context, "alice")
    headers = {"Reflex-Client-Token": alice_token, "Reflex-Event-Handler": "x.y"}
    if who == "bob":
        _, _, _, _, bob_cookie = _signed_up(new_context, "bob")
        headers["Cookie"] = f"{COOKIE_NAME}={bob_cookie}"
    files = {"files": ("a.jpg", b"\xff\xd8\xff", "image/jpeg")}
    assert httpx.post(f"{server}/_upload", headers=headers, files=files).status_code == 403
    # The same request with alice's own cookie gets past the guard.
    headers["Cookie"] = f"{COOKIE_NAME}={alice_cookie}"
    assert httpx.post(f"{server}/_upload", headers=headers, files=files).status_code != 403
