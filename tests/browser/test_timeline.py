"""The timeline tells a patient where they are in the course and what comes next."""

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import sign_up, unique_email
from tests.browser.journeys import add_measurement, start_course


def short(d) -> str:
    return f"{d.day} {d:%b}"


def log(page, day, *, infection=False):
    page.goto("/log")
    expect(page.get_by_label("Thighs")).to_be_checked()
    page.get_by_label("Date and time").fill(f"{day}T10:00")
    page.get_by_label("Cost of this session").fill("300")
    if infection:
        page.get_by_label("Infection", exact=True).select_option("mild")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()


def test_it_shows_where_the_course_stands_and_what_comes_next(new_context, watched):
    # The server's "today" is UTC; so is every date here.
    today = datetime.now(UTC).date()
    ctx = new_context(timezone_id="UTC", accept_downloads=True)
    w = watched(ctx.new_page())
    page = w.page
    sign_up(page, unique_email("alice"))
    expect(page.get_by_text("Results of mesotherapy are unproven")).to_be_visible()
    start_course(page)
    last = today - timedelta(days=1)
    log(page, today - timedelta(days=15))
    # One session: no gap to go by yet, and the timeline does not pretend there is one.
    expect(page.get_by_text("Sessions every 7–10 days: the usual start of a course.")).to_be_visible()
    log(page, today - timedelta(days=8))
    log(page, last)

    expect(page.get_by_text("Session 3 of a typical 3–15")).to_be_visible()
    phase = "Sessions every 7–10 days, going by the gap between your last two sessions."
    expect(page.get_by_text(phase)).to_be_visible()
    opens, closes = last + timedelta(days=7), last + timedelta(days=10)
    expect(page.get_by_text(f"Next session usually due between {short(opens)} and {short(closes)}.")).to_be_visible()
    # Weekly sessions and a 7-day NSAID pause: the pause runs from the last session on, and says until when.
    pause = f"No aspirin or other NSAIDs from now until your next session (due {short(opens)}–{short(closes)})."
    expect(page.get_by_text(pause)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Spent so far: USD 900 over 3 sessions"))).to_be_visible()
    expect(page.get_by_text("Worth a call to your practitioner")).to_have_count(0)
    # The ratings chart is drawn by the server as SVG: a point per session,
    # and the same numbers as a table.
    # Side effects (0–3) and pain (0–10) each have their own scale.
    effects = page.get_by_role("img", name="Line chart of the worst side effect you rated per session")
    expect(effects.locator("circle")).to_have_count(3)
    assert [t.text_content() for t in effects.locator("text").all()][:4] == ["0", "1", "2", "3"]
    pain = page.get_by_role("img", name="Line chart of the pain you rated per session")
    expect(pain.locator("circle")).to_have_count(0)  # no pain was rated
    card = page.locator("div").filter(has=effects).last
    card.get_by_text("Show the numbers").first.click()
    expect(card.get_by_role("row", name=f"{short(last)} 0").first).to_be_visible()

    # The practitioner spaced the sessions out.
    page.get_by_text("My practitioner spaced my sessions differently").click()
    page.get_by_label("How often are your sessions now?").select_option("fortnightly")
    expect(page.get_by_text("Sessions every two weeks, as you set it.")).to_be_visible()
    opens, closes = last + timedelta(days=14), last + timedelta(days=17)
    expect(page.get_by_text(f"Next session usually due between {short(opens)} and {short(closes)}.")).to_be_visible()
    expect(page.get_by_text(f"Stop aspirin and other NSAIDs from {short(opens - timedelta(days=7))}.")).to_be_visible()

    # The calendar file carries the same dates, and tapping the link downloads it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar").click()
    assert download.value.suggested_filename == "meso-journal.ics"
    response = page.request.get("/api/calendar.ics")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    assert open(download.value.path(), "rb").read() == response.body()
    events = {e["SUMMARY"]: e for e in Calendar.from_ical(response.body()).walk("VEVENT")}
    assert events["Mesotherapy session due"].decoded("DTSTART") == opens
    assert events["Stop aspirin and other NSAIDs"].decoded("DTSTART") == opens - timedelta(days=7)

    # An infection prompts a call, with the clinic's number.
    log(page, today, infection=True)
    card = page.get_by_role("alert").filter(has_text="Worth a call to your practitioner")
    expect(card).to_contain_text("Infection reported")
    call = card.get_by_role("link", name=re.compile(r"Call Clinique Lumière"))
    expect(call).to_have_attribute("href", "tel:+33 1 23 45 67 89")

    # Measurements join the feed by date, and get a chart of their own.
    for ago, value in ((10, "60"), (2, "58.5")):
        add_measurement(page, day=today - timedelta(days=ago), value=value)
    page.goto("/")
    expect(page.get_by_text("58.5 cm")).to_be_visible()
    expect(page.get_by_role("heading", name="Measurements over time")).to_be_visible()
    measured = page.get_by_role("img", name="Line chart of your tape measurements over time")
    expect(measured.locator("polyline")).to_have_count(1)
    expect(measured.locator("circle")).to_have_count(2)
    ys = [float(c.get_attribute("cy")) for c in measured.locator("circle").all()]
    assert ys[0] < ys[1]  # 60 cm drawn higher than 58.5 cm
    feed = page.locator("main").inner_text()
    assert feed.index(f"{last.day} {last:%b %Y}, 10:00") < feed.index("58.5 cm") < feed.index("60.0 cm")  # newest first

    # The evidence page, from the note.
    page.get_by_role("link", name="About the evidence").click()
    expect(page.get_by_role("heading", name="About the evidence")).to_be_visible()
    expect(page.get_by_text("A 2008 study of 20 women found no reduction in thigh size.")).to_be_visible()
    assert w.errors == []


def test_it_refuses_the_calendar_to_strangers(server):
    import httpx

    assert httpx.get(f"{server}/api/calendar.ics").status_code == 401
