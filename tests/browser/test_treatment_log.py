"""A patient keeps the record of a course on a phone: course, session with
side effects and downtime, edit, delete and undo, check-in, measurement,
and finds it all again after the server restarts."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import expect_refusal_seen, expect_sign_in_page, sign_in, sign_up, unique_email
from tests.browser.journeys import log_session, start_course


def test_it_keeps_a_full_record_of_a_course(new_context, watched, app_server):
    ctx = new_context()
    w = watched(ctx.new_page())
    page = w.page
    email = unique_email("alice")
    sign_up(page, email)
    start_course(page)
    expect(page.get_by_label("Course")).to_contain_text("Cellulite · Thighs")

    log_session(page)
    expect(page.get_by_text("Bruising: moderate · 3 days")).to_be_visible()
    expect(page.get_by_text(re.compile(r"2.5 mm deep .* pain 4/10 · USD 350 · 6 hours off"))).to_be_visible()

    # Edit: bruising turns out severe.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit session")).to_be_visible()
    expect(page.get_by_label("Needle depth")).to_have_value("2.5")
    expect(page.get_by_label("Bruising", exact=True)).to_have_value("moderate")
    page.get_by_label("Bruising", exact=True).select_option("severe")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Bruising: severe · 3 days")).to_be_visible()

    # A day-3 check-in.
    page.get_by_role("link", name="Check in").click()
    page.get_by_role("button", name=re.compile(r"^Day 3")).click()
    expect(page.get_by_label("Day of this check-in")).to_have_value("2026-11-23")
    page.get_by_label("Bruising", exact=True).select_option("mild")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    expect(page.get_by_text("Check-in 23 Nov 2026")).to_be_visible()

    # Delete, then undo.
    page.get_by_role("button", name="Delete the session of 20 Nov 2026, 10:30").click()
    expect(page.get_by_text("Delete the session of 20 Nov 2026, 10:30, with its side effects")).to_be_visible()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("Session of 20 Nov 2026 deleted.")).to_be_visible()
    expect(page.get_by_text("Bruising: severe · 3 days")).to_have_count(0)
    page.wait_for_timeout(10_000)  # the undo must still be there after 10 seconds
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Session restored.")).to_be_visible()
    expect(page.get_by_text("Bruising: severe · 3 days")).to_be_visible()

    # A measurement, shown in the unit the patient prefers.
    page.goto("/measurements")
    page.get_by_label("Date").fill("2026-11-20")
    page.get_by_label(re.compile(r"^Where")).fill("Left thigh")
    page.get_by_label("Value").fill("58.5")
    page.get_by_role("button", name="Save measurement").click()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()
    expect(page.get_by_text("58.5 cm")).to_be_visible()
    page.get_by_label("Show lengths in").select_option("in")
    page.get_by_role("button", name="Save units").click()
    expect(page.get_by_text("23.0 in")).to_be_visible()

    # The server restarts: its memory is gone, the record is not.
    app_server.restart()
    page.goto("/")
    if "/sign-in" in page.url:  # sessions survive restarts; this is only a guard
        sign_in(page, email)
    expect(page.get_by_text("Bruising: severe · 3 days")).to_be_visible()
    expect(page.get_by_text("Check-in 23 Nov 2026")).to_be_visible()
    page.goto("/measurements")
    expect(page.get_by_text("23.0 in")).to_be_visible()
    assert w.errors == []


def test_it_explains_a_bad_depth_and_saves_nothing(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("alice"))
    start_course(page)
    page.goto("/log")  # a full load: the form appears once its data is in
    expect(page.get_by_label("Thighs")).to_be_checked()  # the form is loaded: safe to tamper with
    page.get_by_label("Date and time").fill("2026-11-20T10:30")
    # The select offers only 1–4 mm; a tampered or stale form can still send 5.
    page.evaluate(
        """() => { const s = document.querySelector('[name="depth_mm"]');
                   const o = document.createElement('option'); o.value = '5'; o.text = '5 mm';
                   s.appendChild(o); s.value = '5'; }"""
    )
    page.get_by_label("Cost of this session").fill("-20")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#field-depth_mm-error")).to_have_text(re.compile(r"between 1 and 4 mm"))
    expect(page.locator("#field-cost-error")).to_have_text("The cost cannot be negative.")
    expect_refusal_seen(page, "Nothing was saved", "Cost of this session: The cost cannot be negative.")
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="No sessions yet")).to_be_visible()


def test_it_shows_another_patients_ids_as_missing(new_context, server):
    alice = new_context().new_page()
    sign_up(alice, unique_email("alice"))
    start_course(alice, clinic="Alice's clinic")
    log_session(alice)
    edit_url = alice.get_by_role("link", name="Edit").get_attribute("href")
    checkin_url = alice.get_by_role("link", name="Check in").get_attribute("href")
    alices_course_id = alice.get_by_label("Course").input_value()
    assert alices_course_id.isdigit()

    charlie = new_context().new_page()
    sign_up(charlie, unique_email("charlie"))
    start_course(charlie, clinic="Charlie's clinic")
    charlie.goto(edit_url)
    expect(charlie).to_have_url(re.compile(r"/log/?$"))
    expect(charlie.get_by_role("heading", name="Log a session")).to_be_visible()
    expect(charlie.get_by_label("Needle depth")).to_have_value("")
    charlie.goto(checkin_url)
    expect(charlie).to_have_url(re.compile(r"/$"))
    charlie.goto(f"/courses/edit?id={alices_course_id}")
    expect(charlie).to_have_url(re.compile(r"/courses/?$"))
    assert "Alice's clinic" not in charlie.content()


def test_it_fills_dates_with_the_phones_own_day(new_context):
    # Kiritimati is UTC+14: most of the time its date is not the server's.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Pacific/Kiritimati")
    page = new_context(timezone_id="Pacific/Kiritimati").new_page()
    sign_up(page, unique_email("alice"))
    start_course(page)
    # Reached inside the app: the form's fields appear after the page has loaded.
    page.get_by_role("link", name="Log").click()
    when = page.get_by_label("Date and time")
    expect(when).not_to_have_value("")
    local = datetime.now(zone)
    assert when.input_value()[:10] in {local.date().isoformat(), datetime.now(zone).date().isoformat()}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", when.input_value())
    # Loaded directly: the fields are in the page from the start.
    page.goto("/measurements")
    day = page.get_by_label("Date")
    expect(day).to_have_value(re.compile(r"^\d{4}-\d\d-\d\d$"))
    assert day.input_value() in {local.date().isoformat(), datetime.now(zone).date().isoformat()}


# Keeps the page's websockets reachable, so a test can drop one the way a
# lost connection does (the page then reconnects by itself).
KEEP_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    window.__sockets.push(ws);
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();
"""


def _type_a_session(page):
    page.goto("/log")
    expect(page.get_by_label("Thighs")).to_be_checked()
    page.get_by_label("Date and time").fill("2026-11-22T08:05")
    page.get_by_label("Enzymes (collagenase, hyaluronidase)").check()
    page.get_by_label("Time off normal activities").select_option("hours")
    page.get_by_label("How many (hours or days)").fill("5")
    page.get_by_label("Notes").fill("half written when the signal went")


def _expect_typed_session(page):
    expect(page.get_by_label("Notes")).to_have_value("half written when the signal went")
    expect(page.get_by_label("Date and time")).to_have_value("2026-11-22T08:05")
    expect(page.get_by_label("Enzymes (collagenase, hyaluronidase)")).to_be_checked()
    expect(page.get_by_label("How many (hours or days)")).to_have_value("5")


def test_what_was_typed_survives_a_dropped_connection_and_is_saved_once(new_context):
    context = new_context()
    context.add_init_script(KEEP_SOCKETS)
    page = context.new_page()
    sign_up(page, unique_email("signal"))
    start_course(page)
    _type_a_session(page)
    # The connection drops; Reflex reconnects and opens the page again, which
    # used to bring the form back empty.
    opened = page.evaluate("window.__sockets.length")
    page.evaluate("window.__sockets.forEach(ws => ws.close())")
    page.wait_for_function("n => window.__sockets.length > n && window.__sockets.at(-1).readyState === 1", arg=opened)
    _expect_typed_session(page)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    expect(page.get_by_text("half written when the signal went")).to_have_count(1)
    expect(page.get_by_text("5 hours off")).to_have_count(1)
    # Saved: the next session starts from an empty form.
    page.goto("/log")
    expect(page.get_by_label("Thighs")).to_be_checked()
    expect(page.get_by_label("Notes")).to_have_value("")
    expect(page.get_by_text("What you typed earlier is back in the form.")).to_be_hidden()


def test_a_form_left_half_filled_waits_until_the_patient_starts_over(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("draft"))
    start_course(page)
    _type_a_session(page)
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    page.get_by_role("link", name="Log").click()
    note = page.get_by_text("What you typed earlier is back in the form.")
    expect(note).to_be_visible()
    _expect_typed_session(page)
    page.get_by_role("button", name="Start over").click()
    expect(page.get_by_label("Thighs")).to_be_checked()
    expect(page.get_by_label("Notes")).to_have_value("")
    expect(page.get_by_label("Enzymes (collagenase, hyaluronidase)")).not_to_be_checked()
    expect(note).to_be_hidden()
    # Nothing was saved meanwhile.
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_text("No sessions yet", exact=True)).to_be_visible()


def test_a_draft_is_never_shown_to_the_next_patient_on_the_same_phone(new_context):
    context = new_context()
    alice = context.new_page()
    sign_up(alice, unique_email("alice"))
    alice.goto("/courses/edit")
    alice.get_by_label("Clinic", exact=True).fill("Alice's private clinic")
    alice.get_by_label("Clinic phone").fill("+33 6 00 00 00 01")
    # Alice signs out in another tab; Bob signs in there.
    other = context.new_page()
    other.goto("/more")
    other.get_by_role("button", name="Sign out").click()
    expect_sign_in_page(other)
    sign_up(other, unique_email("bob"))
    # Bob then uses Alice's tab.
    alice.goto("/courses/edit")
    expect(alice.get_by_label("Clinic", exact=True)).to_have_value("")
    expect(alice.get_by_label("Clinic phone")).to_have_value("")
    expect(alice.get_by_text("What you typed earlier is back in the form.")).to_be_hidden()
    # And the tab forgets it once Bob's form is on screen. (A function, not an
    # expression: Playwright polls an expression with eval, which the page's CSP refuses.)
    alice.wait_for_function('() => !JSON.stringify(sessionStorage).includes("Alice\'s private clinic")')


def test_a_check_in_left_half_filled_comes_back_with_the_day_last_chosen(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("checkin-draft"))
    start_course(page)
    log_session(page, when="2026-11-20T10:30")
    page.get_by_role("link", name="Check in").click()
    day = page.get_by_label("Day of this check-in")
    page.get_by_role("button", name=re.compile(r"^Day 3")).click()
    expect(day).to_have_value("2026-11-23")
    # A day typed over the suggestion: the page's state follows it round the server.
    day.fill("2026-11-24")
    expect(day).to_have_value("2026-11-24")
    page.get_by_label("Note").fill("still a little sore")
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    page.go_back()
    expect(page.get_by_text("What you typed earlier is back in the form.")).to_be_visible()
    expect(day).to_have_value("2026-11-24")
    expect(page.get_by_label("Note")).to_have_value("still a little sore")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in 24 Nov 2026")).to_be_visible()
