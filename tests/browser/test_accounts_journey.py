"""A patient signs up, comes back, signs out and in, on a phone."""

import re

import httpx
from playwright.sync_api import expect

from meso_journal.web.cookies import COOKIE_NAME
from tests.browser.conftest import (
    MAX_UPLOAD_MB,
    expect_refusal_seen,
    expect_sign_in_page,
    sign_in,
    sign_up,
    unique_email,
)
from tests.factories import PASSWORD

PROTECTED = ["/", "/log", "/photos", "/share", "/more"]


def test_it_signs_up_and_stays_signed_in(new_context, watched):
    ctx = new_context()
    w = watched(ctx.new_page())
    page = w.page
    email = unique_email("alice")
    sign_up(page, email)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Results of mesotherapy are unproven", exact=False)).to_be_visible()

    page.reload()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()

    # The session cookie is HttpOnly: scripts on the page cannot read it...
    assert COOKIE_NAME not in page.evaluate("document.cookie")
    cookie = next(c for c in ctx.cookies() if c["name"] == COOKIE_NAME)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # ...and Reflex never echoes it back over the websocket.
    page.get_by_role("link", name="Menu").click()
    expect(page.get_by_text(email)).to_be_visible()
    assert not w.received(cookie["value"])
    assert w.errors == []


def test_it_signs_out_and_guards_every_page(new_context, watched):
    ctx = new_context()
    w = watched(ctx.new_page())
    page = w.page
    sign_up(page, unique_email("alice"))
    page.get_by_role("link", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect_sign_in_page(page)
    assert not any(c["name"] == COOKIE_NAME for c in ctx.cookies())
    for path in PROTECTED:
        # The server answers with a redirect before any of the app downloads
        # (asked directly: the service worker hides redirects from page.goto).
        answer = page.request.get(path, max_redirects=0)
        assert (answer.status, answer.headers.get("location")) == (303, "/sign-in"), path
        page.goto(path)
        expect_sign_in_page(page)
    # Inside the app (the session ends while it is open), the app's own
    # redirect hands over to the server-rendered sign-in page.
    page.goto("/evidence")
    page.get_by_role("link", name="Back to your journal").click()
    expect_sign_in_page(page)
    assert w.errors == []


def test_it_says_when_an_address_leads_nowhere(new_context, watched):
    w = watched(new_context().new_page())
    page = w.page
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/no-such-page$"))  # no reload loop
    page.get_by_role("link", name="Back to your journal").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert w.errors == []


def test_it_signs_back_in_and_gives_one_error_for_any_wrong_credential(new_context):
    ctx = new_context()
    page = ctx.new_page()
    email = unique_email("alice")
    sign_up(page, email)
    ctx.clear_cookies()

    sign_in(page, email, "not the password")
    expect_refusal_seen(page, "Wrong email or password.")
    sign_in(page, unique_email("nobody"), PASSWORD)
    expect_refusal_seen(page, "Wrong email or password.")

    sign_in(page, email.upper())
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()


def test_it_explains_sign_up_mistakes_next_to_the_fields(new_context):
    page = new_context().new_page()
    page.goto("/sign-up")
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("Password").fill("tiny")
    # The browser's own checks would stop these; the server must explain too.
    page.evaluate("document.querySelectorAll('input').forEach(i => i.removeAttribute('minlength'))")
    page.evaluate("document.querySelector('form').noValidate = true")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#field-email-error")).to_have_text("Enter an email address like name@example.com.")
    expect(page.locator("#field-password-error")).to_have_text("Use at least 10 characters.")
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    expect_refusal_seen(page, "Email: Enter an email address like name@example.com.", "Password: Use at least 10")
    # Each problem in the summary is a link that takes the patient to its field.
    page.get_by_role("link", name="Password: Use at least 10 characters.").click()
    expect(page.get_by_label("Password")).to_be_focused()


def test_it_shows_nothing_to_a_second_browser_without_the_cookie(new_context, watched):
    alice = new_context().new_page()
    email = unique_email("alice")
    sign_up(alice, email)

    w = watched(new_context().new_page())
    for path in PROTECTED:
        w.page.goto(path)
        expect_sign_in_page(w.page)
    assert not w.received(email)
    assert email not in w.page.content()


def test_it_changes_the_password_and_deletes_the_account(new_context):
    ctx = new_context()
    page = ctx.new_page()
    email = unique_email("alice")
    sign_up(page, email)
    page.goto("/more")
    page.get_by_label("Current password", exact=True).fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a new long passphrase")
    page.get_by_label("New password again").fill("a new long passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Password changed")

    page.get_by_label("Your password, to confirm").fill("a new long passphrase")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_role("status")).to_contain_text("deleted")
    sign_in(page, email, "a new long passphrase")
    expect_refusal_seen(page, "Wrong email or password.")


def test_it_never_serves_the_upload_folder(server):
    assert httpx.get(f"{server}/_upload/x").status_code == 404
    assert httpx.get(f"{server}/_upload/photos/1/a.jpg").status_code == 404


def test_it_refuses_an_oversized_body(server):
    big = b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1)
    r = httpx.post(f"{server}/api/auth/sign-in", content=big)
    assert r.status_code == 413


def test_it_sends_security_headers(server):
    r = httpx.get(f"{server}/sign-in")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-content-type-options"] == "nosniff"
