"""What a new patient walking the app at 390×844 found hidden, misleading or
unreadable, each fixed and held here: a check-in that silently started from
old answers (and on a day still to come), an undo notice far above the
deleted card, a one-time share link shown out of view after a refused try,
and a call button a long right-to-left clinic name broke."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import expect_refusal_seen, sign_up, unique_email
from tests.browser.journeys import add_measurement, log_session, start_course


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def test_a_check_in_says_where_its_answers_start_from_and_starts_on_a_day_that_has_come(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("checkin"))
    start_course(page)
    log_session(page, when=f"{_today()}T08:00", bruising="moderate")
    page.get_by_role("link", name="Check in").first.click()
    expect(page.get_by_text("Filled in from your session.")).to_be_visible()
    expect(page.get_by_label("Day of this check-in")).to_have_value(_today())  # not tomorrow
    expect(page.get_by_label("Bruising", exact=True)).to_have_value("moderate")
    page.get_by_label("Bruising", exact=True).select_option("mild")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved.")).to_be_visible()

    page.get_by_role("link", name="Check in").first.click()
    expect(page.get_by_text(re.compile(r"Filled in from your check-in of "))).to_be_visible()
    expect(page.get_by_label("Bruising", exact=True)).to_have_value("mild")  # the latest answer


def test_the_undo_after_a_delete_is_in_view_where_the_patient_is(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("undo"))
    start_course(page)
    start = datetime.now(UTC).date() - timedelta(days=40)
    for i in range(4):
        log_session(page, when=f"{start + timedelta(days=7 * i)}T09:00")
    oldest = page.get_by_role("button", name=re.compile(r"^Delete the session of ")).last
    oldest.scroll_into_view_if_needed()
    oldest.click()
    page.get_by_role("button", name="Delete", exact=True).click()
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_in_viewport()
    undo.click()
    expect(page.get_by_text("Session restored.")).to_be_visible()


def test_a_new_link_made_after_a_refused_try_is_brought_into_view(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("share"))
    start_course(page)
    page.goto("/share")
    page.get_by_label("Who is it for?").fill("Dr " + "x" * 500)
    page.get_by_role("button", name="Make link").click()
    expect_refusal_seen(page)
    page.get_by_label("Who is it for?").fill("Dr Martin")
    page.get_by_role("button", name="Make link").click()
    card = page.locator("#new-link-card")
    expect(card).to_be_in_viewport()
    expect(card).to_be_focused()
    expect(page.get_by_label("Link", exact=True)).to_have_value(re.compile(r"/s/"))


def test_a_long_right_to_left_clinic_name_leaves_the_call_button_readable(new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("rtl"))
    start_course(page, clinic="عيادة الجمال والعناية بالبشرة في وسط المدينة الكبيرة")
    log_session(page, bruising="severe")
    call = page.get_by_role("link", name=re.compile(r"^Call "))
    expect(call).to_be_visible()
    number = call.locator("[dir=ltr]")
    expect(number).to_have_text("+33 1 23 45 67 89")  # read left to right, whatever the name's script
    button = call.get_by_role("button")
    assert button.evaluate("b => b.scrollHeight <= b.clientHeight + 1 && b.scrollWidth <= b.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The course line keeps "Active" first and the name isolated from its separators.
    line = page.locator("p", has=page.locator("bdi", has_text="عيادة الجمال")).first
    expect(line.locator("bdi")).to_have_count(2)  # "Active" and the clinic, each on its own
    expect(line.locator("bdi").first).to_have_text("Active")


def test_tape_measurements_and_weight_are_each_drawn_on_a_scale_of_their_own(new_context):
    """On one scale a thigh's few centimetres looked flat beside a weight in pounds."""
    page = new_context().new_page()
    sign_up(page, unique_email("measures"))
    start_course(page)
    today = datetime.now(UTC).date()
    for ago, thigh, weight in ((10, "60", "72.5"), (2, "58.5", "71")):
        add_measurement(page, day=today - timedelta(days=ago), value=thigh)
        add_measurement(page, day=today - timedelta(days=ago), value=weight, weight=True)
    page.goto("/")
    tape = page.get_by_role("img", name="Line chart of your tape measurements over time")
    weighed = page.get_by_role("img", name="Line chart of your weight over time")
    for chart in (tape, weighed):
        expect(chart.locator("polyline")).to_have_count(1)
        ys = [float(c.get_attribute("cy")) for c in chart.locator("circle").all()]
        assert len(ys) == 2 and ys[1] - ys[0] > 20  # each drop is plain to see on its own scale


def test_a_new_courses_timeline_shows_none_of_another_courses_measurements(new_context):
    """A walk found a face course's timeline showing the waist measured during a fat course."""
    page = new_context().new_page()
    sign_up(page, unique_email("twocourses"))
    start_course(page)
    add_measurement(page, day=_today(), value="58.5", where="Left thigh")
    page.goto("/courses/edit")
    page.get_by_label("What is the course for?").select_option("wrinkles")
    page.get_by_label("Face").check()
    page.get_by_role("button", name="Start this course").click()
    expect(page.get_by_text("Course saved.")).to_be_visible()
    expect(page.get_by_role("combobox", name="Course")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_text("Left thigh")).to_have_count(0)
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("link", name="Timeline")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Left thigh")).to_have_count(0)
    # Back on the first course, its measurement is there.
    page.get_by_role("combobox", name="Course").select_option(label="Cellulite · Thighs")
    expect(page.get_by_text("Left thigh").first).to_be_visible()


def test_a_photo_for_a_session_deleted_in_another_tab_says_so_at_the_session_field(new_context, tmp_path):
    from tests.images import photo

    ctx = new_context()
    page = ctx.new_page()
    sign_up(page, unique_email("gone"))
    start_course(page)
    log_session(page, when=f"{_today()}T08:00")
    page.goto("/photos")
    page.get_by_label("Session (optional)").select_option(index=1)
    # Another tab deletes that session meanwhile.
    other = ctx.new_page()
    other.goto("/")
    other.get_by_role("button", name=re.compile(r"^Delete the session of ")).first.click()
    other.get_by_role("button", name="Delete", exact=True).click()
    expect(other.get_by_role("button", name="Undo")).to_be_visible()
    path = tmp_path / "a.jpg"
    path.write_bytes(photo(800, 600))
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    message = "That session is no longer in this course (it may have been deleted in another tab)."
    expect_refusal_seen(page, f"Session (optional): {message} Choose another session, or none.")
    expect(page.locator("#field-session-error")).to_contain_text(message)
    expect(page.get_by_label("Session (optional)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Body area")).to_have_value("Thighs")  # the other choices kept


def test_a_session_deleted_a_moment_ago_can_be_restored_after_leaving_the_page(new_context):
    """A walk found the only undo gone with the next tab change, though a deleted
    session stays restorable for an hour."""
    page = new_context().new_page()
    sign_up(page, unique_email("restore"))
    start_course(page)
    log_session(page, when=f"{_today()}T08:00")
    page.get_by_role("button", name=re.compile(r"^Delete the session of ")).first.click()
    expect(page.get_by_text("Its photos stay on the Photos tab.")).to_be_visible()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    page.get_by_role("link", name="Photos").click()
    expect(page.get_by_role("heading", name="Photos", level=1)).to_be_visible()
    page.get_by_role("link", name="Timeline").click()
    card = page.get_by_text("Deleted in the last hour")
    expect(card).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Restore the session of ")).click()
    expect(page.get_by_text("Session restored.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Delete the session of "))).to_have_count(1)
    expect(card).to_have_count(0)


def test_a_half_filled_session_form_offers_no_course_switch_that_would_lose_it(new_context):
    """A walk found the header's course picker on the Log form: switching there
    left the page and threw away what the patient had typed."""
    page = new_context().new_page()
    sign_up(page, unique_email("formswitch"))
    start_course(page)
    expect(page.get_by_role("combobox", name="Course")).to_be_visible()  # on the timeline
    page.goto("/log")
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    page.get_by_label("Notes").fill("Long description of how it went")
    expect(page.get_by_role("combobox", name="Course")).to_have_count(0)
    expect(page.get_by_role("banner").get_by_text("Cellulite · Thighs")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Long description of how it went")
