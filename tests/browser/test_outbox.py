"""The phone's outbox (assets/outbox.js, POST /api/entries): a session, a
check-in or a measurement is saved on the phone first and sent from there,
with or without a connection, and arrives exactly once."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import sign_up, unique_email
from tests.browser.journeys import log_session, start_course

WAITING = "Saved on this phone. It will be sent when you're back online."

OUTBOX = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("meso-outbox", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("entries", { keyPath: "key" });
  open.onsuccess = () => {
    const get = open.result.transaction("entries").objectStore("entries").getAll();
    get.onsuccess = () => resolve(get.result);
    get.onerror = () => reject(get.error);
  };
})"""


def outbox(page) -> list[dict]:
    return page.evaluate(OUTBOX)


def fill_session(page, notes: str) -> None:
    page.goto("/log")
    expect(page.get_by_label("Thighs")).to_be_checked()
    page.get_by_label("Date and time").fill("2026-11-21T09:15")
    page.get_by_label("Vitamins and minerals").check()
    page.get_by_label("Time off normal activities").select_option("days")
    page.get_by_label("How many (hours or days)").fill("2")
    page.get_by_label("Notes").fill(notes)


def test_a_session_saved_online_goes_through_the_outbox_once(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-online"))
    start_course(page)
    fill_session(page, "sent straight away")
    with page.expect_response(re.compile(r"/api/entries$")) as sent:
        page.get_by_role("button", name="Save session").click()
    assert sent.value.status == 201
    expect(page.get_by_text("Session saved.")).to_be_visible()
    expect(page.get_by_text("sent straight away")).to_have_count(1)
    assert outbox(page) == []
    page.reload()
    expect(page.get_by_text("sent straight away")).to_have_count(1)
    expect(page.locator("[data-outbox-list]")).to_be_empty()


def wait_until_sent(page, seconds: float = 45) -> None:
    deadline = time.monotonic() + seconds
    while outbox(page):
        assert time.monotonic() < deadline, f"still waiting to send: {outbox(page)}"
        page.wait_for_timeout(500)


def test_a_session_saved_with_the_server_down_waits_on_the_phone_and_arrives_once(new_context, app_server):
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-offline"))
    start_course(page)
    fill_session(page, "logged in the basement")
    app_server.stop()
    try:
        expect(page.get_by_role("status").filter(has_text="Connection lost")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Save session").click()
        note = page.get_by_role("status").filter(has_text=WAITING)
        expect(note).to_be_in_viewport()
        expect(note).to_be_focused()
        expect(page.get_by_role("button", name="Save session")).to_be_hidden()  # no second entry by a second tap
        (entry,) = outbox(page)
        assert entry["kind"] == "session" and entry["fields"]["notes"] == "logged in the basement"
        assert entry["state"] == "waiting"
        # The timeline, still with no server, lists what waits.
        note.get_by_role("link", name="See what is waiting on the timeline").click()
        waiting = page.locator("[data-outbox-list]")
        expect(waiting.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()
        expect(waiting).to_contain_text("Session of 2026-11-21 09:15")
        expect(waiting).to_contain_text(WAITING)
    finally:
        app_server.start()
    # Back: the page sends it by itself, once, and the journal shows it.
    wait_until_sent(page)
    page.goto("/")
    expect(page.get_by_text("logged in the basement")).to_have_count(1)
    expect(page.locator("[data-outbox-list]")).to_be_empty()


def test_a_lost_answer_is_sent_again_and_stored_once(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-lost"))
    start_course(page)
    fill_session(page, "the answer never came")

    def commit_then_lose_the_answer(route):
        route.fetch()  # the server stores it...
        route.abort()  # ...and the phone never hears

    page.route(re.compile(r"/api/entries$"), commit_then_lose_the_answer)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    page.unroute(re.compile(r"/api/entries$"))
    with page.expect_response(re.compile(r"/api/entries$")) as again:
        page.evaluate("window.dispatchEvent(new Event('online'))")
    assert again.value.status == 200 and again.value.json()["replayed"] is True
    wait_until_sent(page)
    page.goto("/")
    expect(page.get_by_text("the answer never came")).to_have_count(1)


def test_a_refused_entry_is_shown_and_does_not_hold_back_the_next(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-refused"))
    start_course(page)
    log_session(page)
    fill_session(page, "sent after the refused one")
    page.route(re.compile(r"/api/entries$"), lambda route: route.abort())
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    # An older entry forged in IndexedDB, with a depth no form offers.
    (good,) = outbox(page)
    page.evaluate(
        """good => new Promise(resolve => {
          const open = indexedDB.open("meso-outbox", 1);
          open.onsuccess = () => {
            const tx = open.result.transaction("entries", "readwrite");
            const fields = {...good.fields, depth_mm: "40", notes: "forged"};
            tx.objectStore("entries").put({...good, key: crypto.randomUUID(), fields, created: good.created - 1,
                                           label: "Session forged"});
            tx.oncomplete = resolve;
          };
        })""",
        good,
    )
    page.unroute(re.compile(r"/api/entries$"))
    page.get_by_role("link", name="Timeline", exact=True).click()
    waiting = page.locator("[data-outbox-list]")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(waiting.get_by_role("heading", name="Waiting to send (1)")).to_be_visible(timeout=20_000)
    expect(waiting).to_contain_text("Session forged")
    expect(waiting).to_contain_text("Not saved:")
    page.goto("/")
    expect(page.get_by_text("sent after the refused one")).to_have_count(1)
    expect(page.get_by_text("forged")).to_have_count(1)  # the list only, not the journal
    page.locator("[data-outbox-list]").get_by_role("button", name="Remove").click()
    expect(page.locator("[data-outbox-list]")).to_be_empty()
    assert outbox(page) == []


def test_signing_out_warns_of_what_waits_and_leaves_nothing_behind(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-signout"))
    start_course(page)
    fill_session(page, "never sent")
    page.route(re.compile(r"/api/entries$"), lambda route: route.abort())
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    page.goto("/more")
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss() if len(messages) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # kept: the patient said no
    assert len(outbox(page)) == 1
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))
    assert messages[0].startswith("1 entry has not been sent yet.")
    assert outbox(page) == []
