"""The phone's outbox (assets/outbox.js, POST /api/entries): a session, a
check-in or a measurement is saved on the phone first and sent from there,
with or without a connection, and arrives exactly once."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_FLAGS, PHONE, expect_refusal_seen, sign_in, sign_up, unique_email
from tests.browser.journeys import fill_session_form, log_session, start_course
from tests.images import photo

WAITING = "Saved on this phone. It will be sent when you're back online."
NEXT_WINDOW = re.compile(r"your next session closed|Next session usually due")

OUTBOX = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("meso-outbox", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("entries", { keyPath: "key" });
  open.onsuccess = () => {
    const get = open.result.transaction("entries").objectStore("entries").getAll();
    get.onsuccess = () => resolve(get.result);
    get.onerror = () => reject(get.error);
  };
})"""


OFFLINE_COPY_KEPT = """() => new Promise(resolve => {
  const open = indexedDB.open("meso-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("pages");
  open.onsuccess = () => {
    const get = open.result.transaction("pages").objectStore("pages").get("timeline");
    get.onsuccess = () => { open.result.close(); resolve(!!get.result); };
  };
})"""


OFFLINE_COPY_SAYS = """text => new Promise(resolve => {
  const open = indexedDB.open("meso-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("pages");
  open.onsuccess = () => {
    const get = open.result.transaction("pages").objectStore("pages").get("timeline");
    get.onsuccess = () => { open.result.close(); resolve(!!get.result && get.result.html.includes(text)); };
  };
})"""


def outbox(page) -> list[dict]:
    return page.evaluate(OUTBOX)


def test_a_session_saved_online_goes_through_the_outbox_once(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-online"))
    start_course(page)
    fill_session_form(page, "sent straight away")
    with page.expect_response(re.compile(r"/api/entries$")) as sent:
        page.get_by_role("button", name="Save session").click()
    assert sent.value.status == 201
    expect(page.get_by_text("Session saved.")).to_be_visible()
    expect(page.get_by_text("sent straight away")).to_have_count(1)
    assert outbox(page) == []
    page.reload()
    expect(page.get_by_text("sent straight away")).to_have_count(1)
    expect(page.locator("[data-outbox-list]")).to_be_empty()


def wait_until(done, what: str, seconds: float = 45) -> None:
    """Polled from here: a predicate returning a Promise would count as true in wait_for_function."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.5)


def wait_until_sent(page, seconds: float = 45) -> None:
    wait_until(lambda: not outbox(page), "the outbox to empty", seconds)


def phone(playwright_driver, chromium_path, server):
    """One phone: each call opens the browser again on the same profile, with
    what the app kept there (IndexedDB, the service worker and its cache), as
    a patient opens the app again after putting the phone away."""
    profile = tempfile.mkdtemp()

    def open_again():
        ctx = playwright_driver.chromium.launch_persistent_context(
            profile, executable_path=chromium_path, args=CHROMIUM_FLAGS, viewport=PHONE, base_url=server
        )
        ctx.set_default_timeout(20_000)
        return ctx

    open_again.profile = profile
    return open_again


def test_a_session_saved_with_the_server_down_waits_on_the_phone_and_arrives_once(new_context, app_server):
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-offline"))
    start_course(page)
    fill_session_form(page, "logged in the basement")
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
        expect(waiting).to_contain_text("Session of 21 Nov 2026, 09:15")
        expect(waiting).to_contain_text(WAITING)
    finally:
        app_server.start()
    # Back: the page sends it by itself, once, and the journal shows it.
    wait_until_sent(page)
    page.goto("/")
    expect(page.get_by_text("logged in the basement")).to_have_count(1)
    expect(page.locator("[data-outbox-list]")).to_be_empty()


def test_a_lost_answer_is_sent_again_and_stored_once(new_context):
    context = new_context()
    page = context.new_page()
    sign_up(page, unique_email("outbox-lost"))
    start_course(page)
    fill_session_form(page, "the answer never came")

    def commit_then_lose_the_answer(route):
        route.fetch()  # the server stores it...
        route.abort()  # ...and the phone never hears

    # On the context, not the page: the service worker sends too (Background Sync).
    context.route(re.compile(r"/api/entries$"), commit_then_lose_the_answer)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    context.unroute(re.compile(r"/api/entries$"))
    with context.expect_event("response", lambda r: r.url.endswith("/api/entries")) as again:
        page.evaluate("window.dispatchEvent(new Event('online'))")
    assert again.value.status == 200 and again.value.json()["replayed"] is True
    wait_until_sent(page)
    page.goto("/")
    expect(page.get_by_text("the answer never came")).to_have_count(1)


def test_a_refused_entry_is_shown_and_does_not_hold_back_the_next(new_context):
    context = new_context()
    page = context.new_page()
    sign_up(page, unique_email("outbox-refused"))
    start_course(page)
    log_session(page)
    fill_session_form(page, "sent after the refused one")
    context.route(re.compile(r"/api/entries$"), lambda route: route.abort())
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    # Two older entries forged in IndexedDB, with a depth no form offers.
    (good,) = outbox(page)
    page.evaluate(
        """good => new Promise(resolve => {
          const open = indexedDB.open("meso-outbox", 1);
          open.onsuccess = () => {
            const tx = open.result.transaction("entries", "readwrite");
            for (const name of ["forged A", "forged B"]) {
              const fields = {...good.fields, depth_mm: "40", injections: "999999", notes: name};
              const draftFields = {...good.draftFields, notes: name};
              tx.objectStore("entries").put({...good, key: crypto.randomUUID(), fields, draftFields,
                                             created: good.created - 1, label: "Session " + name});
            }
            tx.oncomplete = resolve;
          };
        })""",
        good,
    )
    context.unroute(re.compile(r"/api/entries$"))
    page.get_by_role("link", name="Timeline", exact=True).click()
    listed = page.locator("[data-outbox-list]")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(listed.get_by_role("heading", name="Not saved (2)")).to_be_visible(timeout=20_000)
    expect(listed.get_by_role("heading", name=re.compile("Waiting to send"))).to_have_count(0)
    expect(listed).to_contain_text("Session forged A")
    expect(listed).to_contain_text("The journal did not accept it: Needle depth is between 1 and 4 mm")
    # A message that does not name its field is said with the field's label.
    expect(listed).to_contain_text("About how many injections: ")
    # The good one went through, and the page shows it without a reload.
    expect(page.get_by_text("sent after the refused one")).to_have_count(1)
    expect(page.get_by_text("forged A")).to_have_count(1)  # the list only, not the journal
    # One is corrected in its own form, filled as it was saved, with the
    # journal's refusals on it, field by field...
    listed.get_by_role("listitem").filter(has_text="forged A").get_by_role("button", name="Correct it").click()
    expect(page).to_have_url(re.compile(r"/log/?$"))
    expect(page.get_by_label("Notes")).to_have_value("forged A")
    expect(page.get_by_text("What you typed earlier is back in the form.")).to_be_visible()
    expect_refusal_seen(
        page, "Needle depth is between 1 and 4 mm", "About how many injections: A whole number from 1 to 10,000"
    )
    # ...and listed as refused until the corrected form is saved.
    assert [e["state"] for e in outbox(page)] == ["refused", "refused"]
    page.get_by_label("About how many injections").fill("80")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("forged A")).to_have_count(1)  # in the journal now
    expect(listed.get_by_role("heading", name="Not saved (1)")).to_be_visible()
    # The other is removed, after asking.
    page.once("dialog", lambda dialog: dialog.accept())
    listed.get_by_role("listitem").filter(has_text="forged B").get_by_role("button", name="Remove").click()
    expect(listed).to_be_empty()
    assert outbox(page) == []


def test_signing_out_warns_of_what_waits_and_leaves_nothing_behind(new_context):
    context = new_context()
    page = context.new_page()
    sign_up(page, unique_email("outbox-signout"))
    start_course(page)
    log_session(page)
    wait_until(lambda: page.evaluate(OFFLINE_COPY_KEPT), "the offline copy of the timeline")
    # Another tab still shows the timeline: it must not keep a copy after the sign-out.
    other = context.new_page()
    other.goto("/")
    expect(other.get_by_text(NEXT_WINDOW).first).to_be_visible()
    fill_session_form(page, "never sent")
    # Every sender blocked: this page, the other tab and the service worker (Background Sync).
    context.route(re.compile(r"/api/entries$"), lambda route: route.abort())
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
    assert messages[0].startswith("1 entry you saved on this phone has not been sent yet.")
    assert outbox(page) == []
    # The other tab leaves for the sign-in page: nothing typed there is kept for the patient.
    expect(other).to_have_url(re.compile(r"/sign-in"))
    other.close()
    assert page.evaluate(OFFLINE_COPY_KEPT) is False


def test_signing_out_with_no_connection_says_so_and_deletes_nothing(new_context, app_server):
    """Offline, the phone cannot sign out: the patient stays signed in, is
    told so, and what waits on the phone stays; back online, it works."""
    context = new_context()
    page = context.new_page()
    sign_up(page, unique_email("outbox-signout-offline"))
    start_course(page)
    fill_session_form(page, "kept through a failed sign-out")
    menu = context.new_page()
    menu.goto("/more")
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    wait_until(lambda: menu.evaluate(PHONE_KNOWS_WHO), "the phone's record of the patient")
    app_server.stop()
    try:
        expect(page.get_by_role("status").filter(has_text="Connection lost")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
        menu.once("dialog", lambda dialog: dialog.accept())
        menu.get_by_role("button", name="Sign out").click()
        said = menu.get_by_role("alert").filter(has_text="You're offline. Signing out needs a connection")
        expect(said).to_be_in_viewport()
        expect(said).to_be_focused()
        assert len(outbox(menu)) == 1
        assert menu.evaluate(PHONE_KNOWS_WHO)
        # The tab bar still works offline: the Menu page, reached from the
        # log, says it needs a connection instead of spinning for ever.
        page.get_by_role("link", name="Menu").click()
        expect(page.get_by_role("heading", name="This page needs a connection")).to_be_visible()
    finally:
        app_server.start()
    wait_until_sent(menu)
    menu.once("dialog", lambda dialog: dialog.accept())
    menu.get_by_role("button", name="Sign out").click()
    expect(menu).to_have_url(re.compile(r"/sign-in"))
    expect(page).to_have_url(re.compile(r"/sign-in"))  # the other tab followed
    menu.goto("/")
    expect(menu).to_have_url(re.compile(r"/sign-in"))  # signed out on the server too


def test_in_the_basement_three_entries_wait_through_a_closed_browser_and_arrive_once(
    playwright_driver, chromium_path, server, app_server
):
    """The issue's patient: the timeline read with no signal, a session, a
    check-in and a measurement saved with the server unreachable, the browser
    closed and opened again, and everything in the journal once online."""
    browser = phone(playwright_driver, chromium_path, server)

    ctx = browser()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    sign_up(page, unique_email("basement"))
    start_course(page)
    log_session(page, when="2026-11-20T10:30")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # awaited: the worker is active
    page.reload()  # now under the service worker, which serves the offline page
    expect(page.get_by_text(NEXT_WINDOW).first).to_be_visible()
    wait_until(lambda: page.evaluate(OFFLINE_COPY_KEPT), "the offline copy of the timeline")
    checkin = ctx.new_page()
    checkin.goto("/")
    checkin.get_by_role("link", name="Check in").first.click()
    expect(checkin.get_by_label("Day of this check-in")).to_be_visible()
    weight = ctx.new_page()
    weight.goto("/measurements")
    expect(weight.get_by_role("radio", name="Weight")).to_be_visible()
    fill_session_form(page, "logged in the basement")

    app_server.stop()
    try:
        for tab in (page, checkin, weight):
            expect(tab.get_by_role("status").filter(has_text="Connection lost")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Save session").click()
        checkin.get_by_label("Day of this check-in").fill("2026-11-22")
        checkin.get_by_label("Note").fill("still a little sore")
        checkin.get_by_role("button", name="Save check-in").click()
        # The kind chosen with no connection: its units follow in the page.
        weight.get_by_role("radio", name="Weight").check()
        expect(weight.get_by_label("Unit", exact=True)).to_have_value("kg")
        weight.get_by_label("Date").fill("2026-11-22")
        weight.get_by_label("Value").fill("61.3")
        weight.get_by_role("button", name="Save measurement").click()
        for tab in (page, checkin, weight):
            expect(tab.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
        assert len(outbox(page)) == 3
        ctx.close()

        # The phone put away; the app opened again, still with no server.
        ctx = browser()
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto("/")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Your timeline as of .+\. Read only"))).to_be_visible()
        expect(page.get_by_text(NEXT_WINDOW).first).to_be_visible()  # the copy, with the next window
        waiting = page.locator("[data-outbox-list]")
        expect(waiting.get_by_role("heading", name="Waiting to send (3)")).to_be_visible()
        for label in ("Session of 21 Nov 2026, 09:15", "Check-in of 22 Nov 2026 (session of", "Measurement of 22 Nov"):
            expect(waiting).to_contain_text(label)
    finally:
        app_server.start()
    try:
        page.goto("/")
        wait_until_sent(page)
        page.reload()
        expect(page.get_by_text("logged in the basement")).to_have_count(1)
        expect(page.get_by_text("still a little sore")).to_have_count(1)
        page.goto("/measurements")
        expect(page.get_by_text("61.3 kg")).to_have_count(1)
    finally:
        ctx.close()


def test_an_entry_saved_as_the_sign_in_ran_out_waits_for_the_patient_to_sign_in_again(new_context):
    context = new_context()
    page = context.new_page()
    email = unique_email("outbox-expired")
    sign_up(page, email)
    start_course(page)
    fill_session_form(page, "sent after signing in again")
    context.clear_cookies()  # the sign-in ran out while the form was open
    page.get_by_role("button", name="Save session").click()
    note = page.get_by_role("status").filter(has_text="Saved on this phone. Sign in again to send it")
    expect(note).to_be_in_viewport()
    expect(note).to_be_focused()
    (entry,) = outbox(page)
    assert entry["state"] == "signin"
    sign_in(page, email)
    wait_until_sent(page)
    page.reload()
    expect(page.get_by_text("sent after signing in again")).to_have_count(1)


def test_a_photo_taken_with_no_connection_waits_and_arrives_once(new_context, tmp_path):
    context = new_context()
    page = context.new_page()
    sign_up(page, unique_email("outbox-photo"))
    start_course(page)
    page.goto("/photos")
    path = tmp_path / "thigh.jpg"
    path.write_bytes(photo(3000, 2000))
    context.route(re.compile(r"/api/photos$"), lambda route: route.abort())
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    note = page.get_by_role("status").filter(has_text="Photo saved on this phone.")
    expect(note).to_be_in_viewport()
    expect(note).to_be_focused()
    (entry,) = outbox(page)
    assert entry["kind"] == "photo" and entry["fields"]["area"] == "Thighs"
    context.unroute(re.compile(r"/api/photos$"))
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_sent(page)
    page.goto("/photos")
    expect(page.get_by_role("region", name="Gallery").locator("img[alt^='Thighs']")).to_have_count(1)


OFFLINE_KEYS = """() => new Promise((resolve) => {
  const open = indexedDB.open("meso-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("pages");
  open.onsuccess = () => {
    const keys = open.result.transaction("pages").objectStore("pages").getAllKeys();
    keys.onsuccess = () => { open.result.close(); resolve(keys.result); };
  };
})"""
PHONE_KNOWS_WHO = """() => window.mesoPhone.who().then((who) => !!(who && who.owner))"""
PHONE_KNOWS = """() => window.mesoPhone.who().then((who) => !!(who && who.areas && who.areas.length && who.starts))"""
PHONE_KNOWS_STARTS = (
    """() => window.mesoPhone.who().then((who) => !!(who && who.starts && who.starts.currency === "EUR"))"""
)


def test_opened_in_the_basement_a_session_a_photo_and_a_weight_are_logged_and_arrive_once(
    playwright_driver, chromium_path, server, app_server, tmp_path
):
    """The issue's "done when": the app opened with no signal at all (the
    server stopped, the browser started afresh), today's session, a photo and
    a weight logged, the phone put away, and all in the journal once online.
    Then, signed out, the same phone offers no journal page offline."""
    browser = phone(playwright_driver, chromium_path, server)
    picture = tmp_path / "thigh.jpg"
    picture.write_bytes(photo(3000, 2000))

    ctx = browser()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    sign_up(page, unique_email("opened-offline"))
    start_course(page)
    fill_session_form(page, "the first, in euros")  # the next session starts in euros too
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    # The copy of the timeline is taken again once the new session shows.
    wait_until(lambda: page.evaluate(OFFLINE_COPY_SAYS, "the first, in euros"), "the copy with the session")
    page.goto("/log")  # how a new session starts: the phone keeps it
    expect(page.get_by_label("Currency")).to_have_value("EUR")
    wait_until(lambda: page.evaluate(PHONE_KNOWS_STARTS), "how a new session starts")
    page.goto("/photos")  # the photos form lists the course's areas: the phone keeps them
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(lambda: page.evaluate(PHONE_KNOWS), "the phone's record of the patient")
    ctx.close()

    app_server.stop()
    try:
        ctx = browser()
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto("/")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        page.get_by_role("link", name="Log a session").click()
        expect(page.get_by_role("status").filter(has_text="You're offline.")).to_be_visible()
        expect(page.get_by_text("Cellulite · Thighs")).to_be_visible()  # the course it goes to
        expect(page.get_by_label("Date and time")).not_to_have_value("")  # the phone's own time
        # It starts as the log form does online: the last visit's areas and currency.
        expect(page.get_by_label("Thighs")).to_be_checked()
        expect(page.get_by_label("Currency")).to_have_value("EUR")
        expect(page.get_by_label("Vitamins and minerals")).to_be_checked()
        page.get_by_label("Date and time").fill("2026-11-21T09:15")
        page.get_by_label("Notes").fill("logged with no signal at all")
        page.get_by_role("button", name="Save session").click()
        note = page.get_by_role("status").filter(has_text=WAITING)
        expect(note).to_be_in_viewport()
        expect(note).to_be_focused()

        page.get_by_role("link", name="See what is waiting on the timeline").click()
        # The timeline tab shows the last copy kept here, with its time.
        expect(page.get_by_text(re.compile(r"^Your timeline as of .+\. Read only"))).to_be_visible()
        expect(page.get_by_text(NEXT_WINDOW).first).to_be_visible()
        expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
        waiting = page.locator("[data-outbox-list]")
        expect(waiting.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()
        expect(waiting).to_contain_text("Session of 21 Nov 2026, 09:15")

        page.get_by_role("link", name="Add photos").click()
        expect(page.get_by_role("status").filter(has_text="You're offline.")).to_be_visible()
        page.get_by_label("Choose from gallery").set_input_files(str(picture))
        page.get_by_label("Body area").select_option("Thighs")
        page.get_by_role("button", name="Upload").click()
        saved = page.get_by_role("status").filter(has_text="Photo saved on this phone.")
        expect(saved).to_be_in_viewport()
        expect(saved).to_be_focused()

        page.goto("/measurements")  # typed in the address bar: the worker has it too
        expect(page.get_by_role("status").filter(has_text="You're offline.")).to_be_visible()
        page.get_by_role("radio", name="Weight").check()
        page.get_by_label("Value").fill("150")
        page.get_by_label("Unit", exact=True).select_option("lb")
        page.get_by_role("button", name="Save measurement").click()
        expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_focused()
        assert sorted(e["kind"] for e in outbox(page)) == ["measurement", "photo", "session"]
        ctx.close()  # the phone put away
    finally:
        app_server.start()

    ctx = browser()
    try:
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto("/")
        wait_until_sent(page)
        page.reload()
        expect(page.get_by_text("logged with no signal at all")).to_have_count(1)
        page.goto("/photos")
        expect(page.get_by_role("region", name="Gallery").locator("img[alt^='Thighs']")).to_have_count(1)
        page.goto("/measurements")
        expect(page.get_by_text("68.0 kg")).to_have_count(1)

        page.goto("/more")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/sign-in"))
        wait_until(lambda: page.evaluate(OFFLINE_KEYS) == [], "the phone's copy and record to go")
    finally:
        ctx.close()
    app_server.stop()
    try:
        ctx = browser()
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto("/log")
        # Signed out: no journal page, no form, and nothing to log offline.
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        expect(page.get_by_role("link", name="Log a session")).to_be_hidden()
        expect(page.get_by_text("Your timeline as of")).to_be_hidden()
        ctx.close()
    finally:
        app_server.start()


def sessions_noted(app_server, notes: str) -> int:
    """Sessions stored with these notes (an UPDATE that changes nothing
    counts the rows it matches, on SQLite and PostgreSQL alike)."""
    return app_server.execute("UPDATE treatmentsession SET notes = notes WHERE notes = :notes", notes=notes)


def test_background_sync_sends_what_waits_with_the_app_closed(new_context, app_server):
    """Where the browser offers Background Sync, the service worker sends the
    outbox once the phone is back online, with no page of the app open."""
    context = new_context()
    page = context.new_page()
    sign_up(page, unique_email("outbox-sync"))
    start_course(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(lambda: page.evaluate(PHONE_KNOWS_WHO), "the phone's record of the patient")
    fill_session_form(page, "sent by the service worker")
    app_server.stop()
    try:
        expect(page.get_by_role("status").filter(has_text="Connection lost")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
        assert page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.sync.getTags())") == ["meso-outbox"]
        blank = context.new_page()  # not the app: nothing of ours runs in it
        page.close()
    finally:
        app_server.start()
    assert sessions_noted(app_server, "sent by the service worker") == 0

    cdp = context.new_cdp_session(blank)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(40):  # Playwright delivers the events while it waits
        if registrations:
            break
        blank.wait_for_timeout(250)
    (registration,) = {r["registrationId"]: r for r in registrations}.values()
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": app_server.url,
            "registrationId": registration["registrationId"],
            "tag": "meso-outbox",
            "lastChance": False,
        },
    )
    wait_until(lambda: sessions_noted(app_server, "sent by the service worker") == 1, "the worker to send it")
    time.sleep(1)
    assert sessions_noted(app_server, "sent by the service worker") == 1


def test_a_change_saved_with_no_connection_stays_in_the_form_until_the_connection_is_back(new_context, app_server):
    """A change to a stored session goes through the page, not the outbox:
    offline, the patient is told it needs the connection, the change stays
    in the form, and it is saved with a tap once the server is back."""
    page = new_context().new_page()
    sign_up(page, unique_email("outbox-edit"))
    start_course(page)
    log_session(page)
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit session")).to_be_visible()
    app_server.stop()
    try:
        lost = page.get_by_role("status").filter(has_text="Connection lost")
        expect(lost).to_be_visible(timeout=30_000)
        page.get_by_label("Notes").fill("changed in the basement")
        page.get_by_role("button", name="Save changes").click()
        said = page.get_by_role("alert").filter(has_text="A change to a saved entry needs the connection")
        expect(said).to_be_in_viewport()
        expect(said).to_be_focused()
    finally:
        app_server.start()
    expect(lost).to_be_hidden(timeout=60_000)
    expect(page.get_by_label("Notes")).to_have_value("changed in the basement")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("changed in the basement")).to_have_count(1)
    page.reload()
    expect(page.get_by_text("changed in the basement")).to_have_count(1)


def test_a_photo_the_phone_lost_is_refused_and_holds_nothing_back(
    playwright_driver, chromium_path, server, app_server, tmp_path
):
    """A waiting photo whose bytes the browser lost (its file gone from the
    profile) is shown as refused, and the session saved after it still goes."""
    phone_of_this_patient = phone(playwright_driver, chromium_path, server)
    picture = tmp_path / "thigh.jpg"
    picture.write_bytes(photo(3000, 2000))

    def browser():
        ctx = phone_of_this_patient()
        ctx.route(re.compile(r"/api/(photos|entries)$"), lambda route: route.abort())  # no signal for these
        return ctx

    ctx = browser()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    sign_up(page, unique_email("outbox-lost-blob"))
    start_course(page)
    page.goto("/photos")
    page.get_by_label("Choose from gallery").set_input_files(str(picture))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").filter(has_text="Photo saved on this phone.")).to_be_visible()
    fill_session_form(page, "saved after the lost photo")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    ctx.close()
    blobs = [p for p in Path(phone_of_this_patient.profile).rglob("*") if p.is_file() and ".blob" in str(p.parent)]
    assert blobs, "the photo's bytes are kept as a file of the profile"
    for blob in blobs:
        blob.unlink()

    # Back with a signal from the first moment: a route set and then removed
    # could catch the sends of a page the browser reopens at once, leaving them
    # to a later retry (this test failed once so, in a fresh-clone run).
    ctx = phone_of_this_patient()
    try:
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto("/")
        listed = page.locator("[data-outbox-list]")
        expect(listed.get_by_role("heading", name="Not saved (1)")).to_be_visible(timeout=30_000)
        expect(listed).to_contain_text("The photo could not be read on this phone.")
        expect(page.get_by_text("saved after the lost photo")).to_have_count(1)
    finally:
        ctx.close()
