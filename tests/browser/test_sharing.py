"""Sharing with the doctor, on a phone: make a link, open it signed out and
see the summary and a photo, revoke it; expired links and expired photo
addresses show nothing; a link never shows another patient's data."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import SHARE_PHOTO_SECONDS, expect_refusal_seen, sign_up, unique_email
from tests.browser.journeys import add_photo, log_session, start_course


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def make_link(page, label: str, *, photos: bool = True, days: str = "7") -> str:
    page.goto("/share")
    expect(page.get_by_role("heading", name="A link for your doctor")).to_be_visible()
    page.get_by_label("Who is it for?").fill(label)
    page.get_by_label("Works for").select_option(days)
    if photos:
        page.get_by_label("Include photos").first.check()
    page.get_by_role("button", name="Make link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of the link")).to_be_visible()
    url = page.get_by_label("Link", exact=True).input_value()
    assert "/s/" in url and len(url.rsplit("/", 1)[1]) >= 43
    return url


def test_a_doctor_reads_a_shared_journal_until_it_is_revoked(new_context, watched, app_server, tmp_path):
    alice = watched(new_context().new_page())
    page = alice.page
    sign_up(page, unique_email("alice"))
    start_course(page, clinic="Clinique Lumière")
    log_session(page, when="2026-11-20T10:30", bruising="severe")
    page.goto("/photos")
    add_photo(page, tmp_path, "IMG_0100.JPG", taken="2026:11:20 11:00:00")

    page.goto("/share")
    page.get_by_label("Your name").fill("Zoë Ørsted")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_text("Name saved.")).to_be_visible()
    url = make_link(page, "Dr. Martin")
    assert no_sideways_scroll(page)

    # The doctor: no account, a phone, the link.
    doctor = new_context().new_page()
    response = doctor.goto(url)
    assert response.status == 200
    assert response.headers["x-robots-tag"].startswith("noindex")
    assert response.headers["referrer-policy"] == "no-referrer"
    expect(doctor.get_by_role("heading", name="Mesotherapy journal of Zoë Ørsted")).to_be_visible()
    expect(doctor.get_by_text("1 so far, against a typical 3–15")).to_be_visible()
    expect(doctor.get_by_text("Clinique Lumière")).to_be_visible()
    expect(doctor.get_by_text("Bruising rated severe")).to_be_visible()
    expect(doctor.get_by_text("Results of mesotherapy are unproven").first).to_be_visible()
    photo = doctor.locator("img[alt='Thighs, 20 Nov 2026']").first
    expect(photo).to_be_visible()
    photo.scroll_into_view_if_needed()
    doctor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    photo_url = photo.get_attribute("src")
    assert no_sideways_scroll(doctor)
    assert doctor.context.cookies() == []  # nothing needed, nothing set

    # The patient sees it was opened, then revokes it with one tap.
    page.goto("/share")
    row = page.locator("[data-link-row='Dr. Martin']")
    expect(row).to_contain_text("opened 1 time")
    expect(row).to_contain_text("All courses · with photos")
    row.get_by_role("button", name="Revoke the link for Dr. Martin").click()
    # Revoking asks first: "Keep it" changes nothing.
    row.get_by_role("button", name="Keep it").click()
    expect(row).to_contain_text("Active")
    row.get_by_role("button", name="Revoke the link for Dr. Martin").click()
    row.get_by_role("button", name="Revoke", exact=True).click()
    expect(row).to_contain_text("Revoked")

    again = doctor.goto(url)
    assert again.status == 404
    expect(doctor.get_by_role("heading", name="This link is no longer valid")).to_be_visible()
    expect(doctor.get_by_text("Clinique Lumière")).to_have_count(0)
    assert doctor.request.get(photo_url).status == 404  # the photos stop at once too
    assert alice.errors == []


def test_an_expired_link_shows_the_invalid_page(new_context, app_server):
    page = new_context().new_page()
    sign_up(page, unique_email("alice"))
    start_course(page, clinic="Clinic of the past")
    url = make_link(page, "Dr. Old", photos=False, days="1")
    token_hash = __import__("hashlib").sha256(url.rsplit("/", 1)[1].encode()).hexdigest()
    # A day later, as far as the link is concerned.
    past = (datetime.now(UTC) - timedelta(seconds=1)).replace(tzinfo=None)
    sql = "update sharelink set expires_at = :past where token_hash = :h"
    assert app_server.execute(sql, past=past, h=token_hash) == 1
    doctor = new_context().new_page()
    assert doctor.goto(url).status == 404
    expect(doctor.get_by_role("heading", name="This link is no longer valid")).to_be_visible()
    expect(doctor.get_by_text("Clinic of the past")).to_have_count(0)
    page.goto("/share")
    expect(page.locator("[data-link-row='Dr. Old']")).to_contain_text("Expired")


def test_a_signed_photo_address_stops_working_when_it_expires(new_context, app_server, tmp_path):
    page = new_context().new_page()
    sign_up(page, unique_email("alice"))
    start_course(page)
    page.goto("/photos")
    add_photo(page, tmp_path, "IMG_0200.JPG", taken="2026:11:02 11:00:00")
    url = make_link(page, "Dr. Quick")
    doctor = new_context().new_page()
    doctor.goto(url)
    src = doctor.locator("img[alt='Thighs, 2 Nov 2026']").first.get_attribute("src")
    assert doctor.request.get(src).status == 200
    expires = int(parse_qs(urlsplit(src).query)["expires"][0])
    assert expires - time.time() <= SHARE_PHOTO_SECONDS + 1
    time.sleep(max(0.0, expires - time.time()) + 1)
    assert doctor.request.get(src).status == 404
    doctor.reload()  # reloading the view signs fresh addresses while the link lives
    fresh = doctor.locator("img[alt='Thighs, 2 Nov 2026']").first.get_attribute("src")
    assert fresh != src and doctor.request.get(fresh).status == 200


def test_a_share_view_never_shows_another_patients_data(new_context, app_server, tmp_path):
    charlie = new_context().new_page()
    sign_up(charlie, unique_email("charlie"))
    start_course(charlie, clinic="Charlie's secret clinic")
    log_session(charlie, when="2026-11-21T09:00")
    charlie.goto("/photos")
    add_photo(charlie, tmp_path, "IMG_0300.JPG", taken="2026:11:21 11:00:00")
    charlies_link = make_link(charlie, "Charlie's doctor")

    alice = new_context().new_page()
    sign_up(alice, unique_email("alice"))
    start_course(alice, clinic="Alice's clinic")
    alices_link = make_link(alice, "Dr. Martin")

    doctor = new_context().new_page()
    doctor.goto(alices_link)
    expect(doctor.get_by_text("Alice's clinic")).to_be_visible()
    html = doctor.content()
    assert "Charlie" not in html and "21 Nov 2026" not in html
    assert doctor.locator("img").count() == 0  # alice has no photos; charlie's never appear
    doctor.goto(charlies_link)
    expect(doctor.get_by_text("Charlie's secret clinic")).to_be_visible()
    assert "Alice" not in doctor.content()
    # Charlie's share list knows nothing of alice's link.
    charlie.goto("/share")
    expect(charlie.locator("[data-link-row]")).to_have_count(1)


def test_a_patient_downloads_reports_and_takes_everything_to_a_new_account(new_context, app_server, tmp_path):
    ctx = new_context(accept_downloads=True)
    page = ctx.new_page()
    sign_up(page, unique_email("alice"))
    start_course(page, clinic="Clinique Lumière")
    log_session(page, when="2026-11-20T10:30")
    page.goto("/photos")
    add_photo(page, tmp_path, "IMG_0400.JPG", taken="2026:11:20 11:00:00")
    page.goto("/share")
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()

    with page.expect_download() as pdf:
        page.get_by_role("button", name="PDF report").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as sessions_csv:
        page.get_by_role("link", name="Sessions").click()
    text = Path(sessions_csv.value.path()).read_text("utf-8-sig")
    assert "Cellulite · Thighs" in text and "2026-11-20" in text
    with page.expect_download() as everything:
        page.get_by_role("link", name="Download everything (zip)").click()
    archive = tmp_path / "everything.zip"
    everything.value.save_as(archive)

    # A new account on another phone: import, and the journal is back.
    bob = new_context().new_page()
    sign_up(bob, unique_email("bob"))
    bob.goto("/share")
    bob.get_by_label("Import a zip from Meso Journal").set_input_files(str(archive))
    bob.get_by_role("button", name="Import", exact=True).click()
    expect(bob.get_by_text("Import done: 1 session restored, with photos.")).to_be_visible()
    bob.goto("/")
    expect(bob.get_by_text("Session 1 of a typical 3–15")).to_be_visible()
    bob.goto("/photos")
    expect(bob.get_by_role("region", name="Gallery").locator("img[alt^='Thighs']")).to_have_count(1)
    # Importing twice would merge: refused, and said so next to the field.
    bob.goto("/share")
    bob.get_by_label("Import a zip from Meso Journal").set_input_files(str(archive))
    bob.get_by_role("button", name="Import", exact=True).click()
    expect_refusal_seen(bob, "Import only works into an account with no courses yet")


def test_an_archive_the_forms_would_refuse_is_refused_naming_the_field(new_context, tmp_path):
    from tests.archives import valid_doc, zipped

    page = new_context().new_page()
    sign_up(page, unique_email("dana"))
    page.goto("/share")
    doc = valid_doc()
    doc["courses"][0]["sessions"][0]["pain"] = 11
    edited = tmp_path / "edited.zip"
    edited.write_bytes(zipped(doc))
    page.get_by_label("Import a zip from Meso Journal").set_input_files(str(edited))
    page.get_by_role("button", name="Import", exact=True).click()
    expect_refusal_seen(
        page,
        "Nothing was imported",
        "course 1, session 1, “pain”: Pain is a number from 0 (none) to 10 (worst).",
    )
    # Words put in the address by anyone else are never shown: the detail is signed.
    page.goto("/share?error=field&detail=Call%20%2B1%20555%200100%20to%20restore&sig=0")
    summary = expect_refusal_seen(page, "Nothing was imported")
    expect(summary).not_to_contain_text("555")
