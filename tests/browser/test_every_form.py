"""Every form, every choice that changes which of its fields apply: one valid
save that the patient then finds where they would look for it, and one
refusal that they see at once: the error summary in the viewport, holding
the focus, with a link to each field (expect_refusal_seen).

At a 390×844 phone viewport, through the production server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import expect_refusal_seen, sign_up, unique_email
from tests.browser.journeys import start_course
from tests.factories import PASSWORD
from tests.images import photo


def _today():
    return datetime.now(UTC).date()


def patient(new_context, *, course: bool = True):
    page = new_context(timezone_id="UTC").new_page()
    sign_up(page, unique_email("patient"))
    if course:
        start_course(page)
    return page


def open_log(page):
    page.goto("/log")
    expect(page.get_by_label("Thighs")).to_be_checked()  # the form has its data


# --- course -------------------------------------------------------------------


def test_course_form_refuses_in_view_then_saves(new_context):
    page = patient(new_context, course=False)
    page.goto("/courses/edit")
    page.get_by_label("Clinic phone").fill("call me maybe")
    page.get_by_label("Sessions your practitioner planned").fill("40")
    page.get_by_role("button", name="Start this course").click()
    expect_refusal_seen(
        page,
        "Body areas: Pick at least one body area",
        "Clinic phone: Use digits",
        "Sessions your practitioner planned (if known): A number from 1 to 30, or leave it empty.",
    )
    expect(page.get_by_label("Clinic phone")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Stomach")).to_have_attribute("aria-invalid", "true")  # the refused group too
    page.get_by_role("link", name=re.compile("^Body areas")).click()
    expect(page.get_by_label("Stomach")).to_be_focused()

    page.get_by_label("Stomach").check()
    page.get_by_label("Clinic phone").fill("+39 02 1234 5678")
    page.get_by_label("Sessions your practitioner planned").fill("8")
    page.get_by_role("button", name="Start this course").click()
    expect(page.get_by_text("Course saved.")).to_be_visible()
    expect(page.get_by_text("Your practitioner planned 8 sessions.")).to_be_visible()
    page.goto("/courses")
    expect(page.get_by_role("link", name=re.compile("^Cellulite · Stomach"))).to_be_visible()


# --- session ------------------------------------------------------------------


def test_session_form_refusal_is_seen_from_the_save_button(new_context):
    page = patient(new_context)
    open_log(page)
    ahead = _today() + timedelta(days=10)
    page.get_by_label("Date and time").fill(f"{ahead}T10:00")
    page.get_by_label("Cost of this session").fill("-300")
    save = page.get_by_role("button", name="Save session")
    save.scroll_into_view_if_needed()  # where the patient is when they tap Save
    save.click()
    expect_refusal_seen(
        page,
        "Date and time: This date is in the future.",
        "Cost of this session: The cost cannot be negative.",
    )
    expect(page.get_by_label("Cost of this session")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Cost of this session")).to_have_attribute(
        "aria-describedby", re.compile("field-cost-error")
    )
    # The link takes the patient to the field; what they typed is still there.
    page.get_by_role("link", name="Cost of this session: The cost cannot be negative.").click()
    cost = page.get_by_label("Cost of this session")
    expect(cost).to_be_focused()
    expect(cost).to_be_in_viewport()
    expect(cost).to_have_value("-300")

    # A second refusal with the same problems brings the summary back into view.
    save.scroll_into_view_if_needed()
    save.click()
    expect_refusal_seen(page, "The cost cannot be negative.")

    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="No sessions yet")).to_be_visible()


@pytest.mark.parametrize(
    ("downtime", "amount", "shown"),
    [("none", "", None), ("hours", "6", "6 hours off"), ("days", "2", "2 days off")],
)
def test_session_form_saves_each_kind_of_downtime(new_context, downtime, amount, shown):
    page = patient(new_context)
    open_log(page)
    page.get_by_label("Date and time").fill(f"{_today()}T09:15")
    page.get_by_label("Time off normal activities").select_option(downtime)
    page.get_by_label("How many (hours or days)").fill(amount)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    feed = page.locator("main")
    expect(feed).to_contain_text(", 09:15")
    if shown:
        expect(feed).to_contain_text(shown)
    else:
        expect(feed).not_to_contain_text("off")


def test_session_form_asks_how_long_and_names_the_other_side_effect(new_context):
    page = patient(new_context)
    open_log(page)
    page.get_by_label("Date and time").fill(f"{_today()}T09:15")
    page.get_by_label("Time off normal activities").select_option("hours")
    page.get_by_label("Other (named above)", exact=True).select_option("mild")
    # The browser's own max stops 400 days; the server must explain it too (an old page, say).
    page.evaluate("document.querySelectorAll('input[max]').forEach(i => i.removeAttribute('max'))")
    page.get_by_label("Swelling: days it lasted").fill("400")
    page.get_by_role("button", name="Save session").click()
    expect_refusal_seen(
        page,
        "How many (hours or days): How many hours?",
        "Other side effect's name: Name the other side effect.",
        "Swelling, days it lasted: A whole number of days from 0 to 365, or leave it empty.",
    )
    expect(page.locator("#field-days\\:swelling-error")).to_have_text(
        "A whole number of days from 0 to 365, or leave it empty."
    )

    page.get_by_label("How many (hours or days)").fill("5")
    page.get_by_label("Something else? Name it").fill("Headache")
    page.get_by_label("Swelling: days it lasted").fill("")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Headache: mild")
    expect(page.locator("main")).to_contain_text("5 hours off")


# --- check-in -----------------------------------------------------------------


def test_checkin_refuses_a_day_before_its_session_then_saves(new_context):
    page = patient(new_context)
    open_log(page)
    day = _today() - timedelta(days=3)
    page.get_by_label("Date and time").fill(f"{day}T10:00")
    page.get_by_label("Bruising", exact=True).select_option("moderate")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()

    page.get_by_role("link", name="Check in").click()
    page.get_by_label("Day of this check-in").fill(str(day - timedelta(days=1)))
    page.get_by_role("button", name="Save check-in").click()
    expect_refusal_seen(page, "Day of this check-in: A check-in comes after its session.")

    page.get_by_label("Day of this check-in").fill(str(day + timedelta(days=2)))
    page.get_by_label("Bruising", exact=True).select_option("mild")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    checkin = f"Check-in {(day + timedelta(days=2)).day} {day + timedelta(days=2):%b %Y}"
    expect(page.get_by_text(checkin)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Bruising: mild")


# --- measurements ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "unit", "value", "where", "shown"),
    [
        ("Circumference (tape measure)", "cm", "58.5", "Left thigh", "58.5 cm"),
        ("Circumference (tape measure)", "in", "23", "Waist at the navel", "58.4 cm"),
        ("Weight", "kg", "68.4", None, "68.4 kg"),
        ("Weight", "lb", "150", None, "68.0 kg"),
    ],
)
def test_each_measurement_kind_and_unit_saves_and_shows(new_context, kind, unit, value, where, shown):
    page = patient(new_context)
    page.goto("/measurements")
    page.get_by_role("radio", name=kind).check()
    # Only the kind's own units are offered, and only a circumference asks where.
    offered = ["kg", "lb"] if kind == "Weight" else ["cm", "in"]
    expect(page.get_by_label("Unit", exact=True).locator("option:enabled")).to_have_text(offered)
    if where:
        page.get_by_label(re.compile("^Where")).fill(where)
    else:
        expect(page.get_by_label(re.compile("^Where"))).to_be_hidden()
    page.get_by_label("Value").fill(value)
    page.get_by_label("Unit", exact=True).select_option(unit)
    page.get_by_role("button", name="Save measurement").click()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()
    history = page.locator("main")
    expect(history).to_contain_text(where or "Weight")
    expect(history).to_contain_text(shown)
    # And on the timeline, by date.
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator("main")).to_contain_text(shown)


def test_a_weight_saves_without_any_course(new_context):
    page = patient(new_context, course=False)
    page.goto("/measurements")
    page.get_by_role("radio", name="Weight").check()
    page.get_by_label("Value").fill("68,4")  # a decimal comma, as much of Europe writes it
    page.get_by_role("button", name="Save measurement").click()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("68.4 kg")


def test_measurement_refusal_is_seen_and_delete_asks_first(new_context):
    page = patient(new_context)
    page.goto("/measurements")
    page.get_by_role("radio", name="Weight").check()
    page.get_by_label("Value").fill("500")
    page.get_by_role("button", name="Save measurement").click()
    expect_refusal_seen(page, "Value: Enter a number between 20 and 400 kg.")
    expect(page.get_by_text("No measurements yet.")).to_be_visible()

    page.get_by_label("Value").fill("70")
    page.get_by_role("button", name="Save measurement").click()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Delete Weight of")).click()
    page.get_by_role("button", name="Keep it").click()
    expect(page.locator("main")).to_contain_text("70.0 kg")
    page.get_by_role("button", name=re.compile("^Delete Weight of")).click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("Measurement deleted.")).to_be_visible()
    expect(page.get_by_text("No measurements yet.")).to_be_visible()


# --- photos -----------------------------------------------------------------------


@pytest.mark.parametrize("tied", [True, False], ids=["with-session", "without-session"])
def test_a_photo_saves_with_or_without_a_session_and_is_in_view(new_context, tmp_path, tied):
    page = patient(new_context)
    if tied:
        open_log(page)
        page.get_by_label("Date and time").fill(f"{_today()}T10:00")
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_text("Session saved.")).to_be_visible()
    page.goto("/photos")
    path = tmp_path / "thigh.jpg"
    path.write_bytes(photo(1200, 800))
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    expect(page.get_by_text("1 photo chosen.")).to_be_visible()
    if tied:
        page.get_by_label("Session (optional)").select_option(index=1)
    page.get_by_role("button", name="Upload").click()
    added = page.get_by_role("status").filter(has_text="1 photo added.")
    expect(added).to_be_in_viewport()
    expect(added.get_by_role("button", name=re.compile("^Open Thighs"))).to_be_in_viewport()
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("link", name="Photos of this session")).to_have_count(1 if tied else 0)


def test_photo_form_and_details_refusals_are_seen(new_context, tmp_path):
    page = patient(new_context)
    page.goto("/photos")
    page.get_by_role("button", name="Upload").click()
    expect_refusal_seen(page, "Photos: Choose or take a photo first.")

    path = tmp_path / "thigh.jpg"
    path.write_bytes(photo(1200, 800))
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 photo added.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Open Thighs")).first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Day taken").fill(str(_today() + timedelta(days=5)))
    dialog.get_by_role("button", name="Save details").click()
    expect_refusal_seen(page, "Day taken: This date is in the future.")
    # Readable controls on the viewer's black backdrop.
    close = dialog.get_by_role("button", name="Close")
    assert close.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(255, 255, 255)"


# --- sharing ------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["all", "course"])
def test_a_share_link_for_each_scope_saves_and_is_listed(new_context, scope):
    page = patient(new_context)
    page.goto("/share")
    page.get_by_label("Who is it for?").fill("Dr. Rossi")
    if scope == "course":
        page.get_by_label("Which course").first.select_option(label="Cellulite · Thighs")
    page.get_by_role("button", name="Make link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    row = page.locator("[data-link-row='Dr. Rossi']")
    expect(row).to_contain_text("All courses" if scope == "all" else "Cellulite · Thighs")


def test_share_page_refusals_are_seen(new_context, tmp_path):
    page = patient(new_context)
    page.goto("/share")
    expect(page.get_by_role("heading", name="A link for your doctor")).to_be_visible()
    # The field's maxlength stops this in a browser; an old or tampered page still sends it.
    page.evaluate("document.querySelectorAll('[maxlength]').forEach(i => i.removeAttribute('maxlength'))")
    page.get_by_label("Who is it for?").fill("x" * 101)
    page.get_by_role("button", name="Make link").click()
    expect_refusal_seen(page, "Who is it for?: Keep the name to 100 characters")

    page.get_by_label("Your name").fill("y" * 101)
    save_name = page.get_by_role("button", name="Save name")
    save_name.scroll_into_view_if_needed()
    save_name.click()
    expect_refusal_seen(page, "Your name:")

    not_a_zip = tmp_path / "journal.zip"
    not_a_zip.write_bytes(b"this is not a zip file")
    page.get_by_label("Import a zip from Meso Journal").set_input_files(str(not_a_zip))
    page.get_by_role("button", name="Import", exact=True).click()
    expect_refusal_seen(page, "Import a zip from Meso Journal:")


# --- account ------------------------------------------------------------------------


def test_account_form_refusals_are_seen(new_context):
    page = patient(new_context, course=False)
    page.goto("/more")
    page.get_by_label("Current password", exact=True).fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a new long passphrase")
    page.get_by_label("New password again").fill("another long passphrase")
    page.get_by_role("button", name="Change password").click()
    expect_refusal_seen(page, "New password again: The two passwords are not the same.")
    expect(page.get_by_label("New password again")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Your password, to confirm").fill("not my password at all")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect_refusal_seen(page, "Your password, to confirm: Your password is not right.")
    expect(page.get_by_text("Signed in as")).to_be_visible()  # nothing was deleted


# --- found walking the app as a patient -----------------------------------------------


def test_a_double_tap_on_save_saves_once(new_context):
    page = patient(new_context)
    open_log(page)
    page.get_by_label("Date and time").fill(f"{_today()}T09:00")
    page.get_by_role("button", name="Save session").dblclick()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    expect(page.get_by_text("Session 1 of a typical 3–15")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Delete the session of"))).to_have_count(1)

    page.goto("/measurements")
    page.get_by_role("radio", name="Weight").check()
    page.get_by_label("Value").fill("70")
    page.get_by_role("button", name="Save measurement").dblclick()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Delete Weight of"))).to_have_count(1)


def test_a_long_course_name_never_makes_the_page_wider_than_the_phone(new_context):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_up(page, unique_email("patient"))
    page.goto("/courses/edit")
    page.get_by_label("What is the course for?").select_option("pigmentation")
    for area in ("Stomach", "Thighs", "Buttocks"):
        page.get_by_label(area).check()
    page.get_by_role("button", name="Start this course").click()
    expect(page.get_by_text("Course saved.")).to_be_visible()
    for path in ("/", "/log", "/photos", "/share", "/more"):
        page.goto(path)
        if path == "/log":  # a form names its course instead of offering the picker
            expect(page.get_by_role("banner").get_by_text(re.compile(r"^Lightening pigmented skin · "))).to_be_visible()
        else:
            expect(page.get_by_label("Course", exact=True)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        expect(page.get_by_role("button", name="Switch between light and dark mode")).to_be_in_viewport()


def test_a_checkin_keeps_the_sessions_other_side_effect_and_can_be_deleted(new_context):
    page = patient(new_context)
    open_log(page)
    page.get_by_label("Date and time").fill(f"{_today() - timedelta(days=2)}T10:00")
    page.get_by_label("Something else? Name it").fill("Tingling and numbness near the injection sites")
    page.get_by_label("Other (named above)", exact=True).select_option("mild")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()

    page.get_by_role("link", name="Check in").click()
    expect(page.get_by_label("Something else? Name it")).to_have_value("Tingling and numbness near the injection sites")
    page.get_by_role("button", name="Save check-in").click()  # nothing changed: saves as it is
    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    chip = page.get_by_text("Tingling and numbness near the injection sites: mild").last
    expect(chip).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name=re.compile("^Delete the check-in of")).click()
    expect(page.get_by_role("button", name="Keep it")).to_be_focused()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("Check-in deleted.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Check-in \d"))).to_have_count(0)


def test_a_refused_upload_keeps_the_choices_and_says_what_is_wrong(new_context, tmp_path):
    page = patient(new_context)
    open_log(page)
    page.get_by_label("Date and time").fill(f"{_today()}T10:00")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()
    page.goto("/photos")
    good = tmp_path / "thigh.jpg"
    good.write_bytes(photo(1200, 800))
    page.get_by_label("Choose from gallery").set_input_files(str(good))
    page.get_by_label("Session (optional)").select_option(index=1)
    chosen_session = page.get_by_label("Session (optional)").input_value()
    ahead = str(_today() + timedelta(days=30))
    page.get_by_label("Day taken (optional)").fill(ahead)
    page.get_by_role("button", name="Upload").click()
    expect_refusal_seen(page, "No photo was added", "Day taken (optional): That day is in the future")
    expect(page.get_by_label("Session (optional)")).to_have_value(chosen_session)
    expect(page.get_by_label("Day taken (optional)")).to_have_value(ahead)
    expect(page.get_by_label("Body area")).to_have_value("Thighs")

    # One good photo and one that is not a photo: what was added is said too.
    bad = tmp_path / "notes.jpg"
    bad.write_bytes(b"just some text")
    page.get_by_label("Day taken (optional)").fill("")
    page.get_by_label("Choose from gallery").set_input_files([str(good), str(bad)])
    page.get_by_role("button", name="Upload").click()
    expect_refusal_seen(page, "Not every photo was added", "This file is not a photo the app can read")
    expect(page.get_by_text("1 photo added.")).to_be_visible()


def test_the_photo_viewer_takes_the_focus_and_escape_closes_it(new_context, tmp_path):
    page = patient(new_context)
    page.goto("/photos")
    path = tmp_path / "thigh.jpg"
    path.write_bytes(photo(1200, 800))
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 photo added.")).to_be_visible()
    page.get_by_role("region", name="Gallery").get_by_role("button", name=re.compile("^Open Thighs")).click()
    dialog = page.get_by_role("dialog", name="Photo")
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
