"""Progress photos on a phone: upload one with GPS in its EXIF, see it
upright and stripped, compare two, and nobody else can fetch it."""

import httpx
from playwright.sync_api import expect

from meso_journal.web.cookies import COOKIE_NAME
from tests.browser.conftest import expect_refusal_seen, sign_up, unique_email
from tests.browser.journeys import add_photo, log_session, start_course, watch_upload
from tests.images import camera_photo, is_red, photo


def open_photos_with_a_course(page):
    """A new patient with a course, on the Photos tab."""
    sign_up(page, unique_email("alice"))
    start_course(page)
    page.goto("/photos")


def gallery(page):
    """The gallery itself (a new upload is also shown in the notice at the top)."""
    return page.get_by_role("region", name="Gallery")


def test_it_keeps_private_upright_metadata_free_photos(new_context, watched, server, tmp_path):
    ctx = new_context()
    w = watched(ctx.new_page())
    page = w.page
    open_photos_with_a_course(page)
    add_photo(page, tmp_path, "IMG_0001.JPG", orientation=6, taken="2026:03:14 09:30:00")
    add_photo(page, tmp_path, "IMG_0002.JPG", taken="2026:04:14 09:30:00")

    thumbs = gallery(page).locator("img[alt^='Thighs']")
    expect(thumbs).to_have_count(2)
    expect(page.get_by_text("Thighs · 14 Apr 2026")).to_be_visible()  # the camera's date, newest first
    url = thumbs.last.get_attribute("src")
    response = page.request.get(url.replace("/thumb", "/display"))
    assert response.ok and response.headers["cache-control"].startswith("private")
    body = response.body()
    assert b"GPS" not in body and b"Exif" not in body
    from io import BytesIO

    from PIL import Image

    img = Image.open(BytesIO(body))
    assert img.height > img.width  # orientation 6, turned upright
    assert is_red(img.convert("RGB").getpixel((img.width - 6, 5)))

    # Full screen, then back.
    gallery(page).get_by_role("button", name="Open Thighs, 14 Mar 2026").click()
    viewer = page.get_by_role("dialog", name="Photo")
    expect(viewer.get_by_role("img", name="Thighs, 14 Mar 2026")).to_be_visible()
    viewer.get_by_role("button", name="Close").click()
    expect(viewer).to_have_count(0)

    page.get_by_role("button", name="Compare").first.click()
    page.get_by_role("button", name="Compare").last.click()
    expect(page.get_by_role("heading", name="Before and after")).to_be_visible()
    expect(page.get_by_text("Photos show how things look, not proof that a treatment worked")).to_be_visible()
    slider = page.get_by_role("slider", name="Reveal the earlier photo over the later one")
    slider.focus()
    slider.press("Home")  # one-handed: the keyboard and the thumb both move it
    expect(slider).to_have_value("0")

    # Signed out, or as another patient: the same 404 as a missing photo.
    assert httpx.get(f"{server}{url}").status_code == 404
    charlie = new_context()
    sign_up(charlie.new_page(), unique_email("charlie"))
    cookie = next(c["value"] for c in charlie.cookies() if c["name"] == COOKIE_NAME)
    assert httpx.get(f"{server}{url}", headers={"Cookie": f"{COOKIE_NAME}={cookie}"}).status_code == 404

    # Delete, with confirmation.
    page.get_by_role("button", name="Delete photo of Thighs, 14 Mar 2026").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text("Photo deleted.")).to_be_visible()
    expect(thumbs).to_have_count(1)
    assert w.errors == []


def test_it_shows_a_sessions_photos_on_the_timeline(new_context, tmp_path):
    page = new_context().new_page()
    sign_up(page, unique_email("alice"))
    start_course(page)
    log_session(page)
    page.goto("/photos")
    page.get_by_label("Session (optional)").select_option(index=1)
    add_photo(page, tmp_path, "after.jpg")
    page.goto("/")
    expect(page.get_by_role("link", name="Photos of this session")).to_be_visible()
    expect(page.get_by_alt_text("Progress photo")).to_have_count(1)


def test_a_photos_day_and_session_can_be_corrected_after_upload(new_context, tmp_path):
    page = new_context().new_page()
    sign_up(page, unique_email("alice"))
    start_course(page)
    log_session(page, when="2026-11-20T10:30")
    page.goto("/photos")
    add_photo(page, tmp_path, "old.jpg", taken="2026:03:14 09:30:00")  # the camera's clock was wrong
    gallery(page).get_by_role("button", name="Open Thighs, 14 Mar 2026").click()
    viewer = page.get_by_role("dialog", name="Photo")
    viewer.get_by_label("Day taken").fill("2031-01-01")
    viewer.get_by_role("button", name="Save details").click()
    expect(viewer.locator("#detail-taken_on-error")).to_have_text("This date is in the future.")
    expect_refusal_seen(page, "Day taken: This date is in the future.")
    viewer.get_by_label("Day taken").fill("2026-11-20")
    viewer.get_by_label("Session").select_option(label="Session of 20 Nov 2026")
    viewer.get_by_role("button", name="Save details").click()
    expect(viewer.get_by_text("Photo details saved.")).to_be_visible()
    expect(viewer.get_by_text("Thighs · 20 Nov 2026")).to_be_visible()
    viewer.get_by_role("button", name="Close").click()
    page.goto("/")
    expect(page.get_by_role("link", name="Photos of this session")).to_be_visible()


def test_it_filters_the_gallery_by_area(new_context, tmp_path):
    page = new_context().new_page()
    sign_up(page, unique_email("alice"))
    page.goto("/courses/edit")  # a course on two areas: the photo form offers both
    page.get_by_label("What is the course for?").select_option("cellulite")
    page.get_by_label("Thighs").check()
    page.get_by_label("Face").check()
    page.get_by_role("button", name="Start this course").click()
    expect(page.get_by_text("Course saved.")).to_be_visible()
    page.goto("/photos")
    add_photo(page, tmp_path, "thigh.jpg")
    path = tmp_path / "face.jpg"
    path.write_bytes(photo(800, 600))
    page.goto("/photos")
    page.get_by_label("Body area").select_option("Face")
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 photo added.")).to_be_visible()
    thumbs = gallery(page).locator("img[alt^='Thighs'], img[alt^='Face']")
    expect(thumbs).to_have_count(2)
    page.get_by_label("Show").select_option("Face")
    expect(thumbs).to_have_count(1)
    expect(gallery(page).locator("img[alt^='Face']")).to_have_count(1)
    page.get_by_label("Show").select_option("")
    expect(thumbs).to_have_count(2)


def test_it_explains_a_file_that_is_not_a_photo(new_context, tmp_path):
    page = new_context().new_page()
    open_photos_with_a_course(page)
    fake = tmp_path / "scan.jpg"
    fake.write_bytes(b"%PDF-1.7\n% not a photo")
    page.get_by_label("Choose from gallery").set_input_files(str(fake))
    page.get_by_role("button", name="Upload").click()
    expect_refusal_seen(page, "This file is not a photo the app can read")
    expect(page.get_by_role("heading", name="No photos yet")).to_be_visible()


def test_it_shows_upload_progress_on_a_slow_connection(new_context, tmp_path):
    ctx = new_context()
    page = ctx.new_page()
    open_photos_with_a_course(page)
    path = tmp_path / "big.jpg"
    path.write_bytes(photo(3000, 2000))
    assert path.stat().st_size > 50_000
    # A weak mobile uplink (40 kB/s): a few seconds for this photo.
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 50, "downloadThroughput": 2_000_000, "uploadThroughput": 40_000},
    )
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    status = page.get_by_role("status").filter(has_text="Uploading…")
    expect(status).to_be_visible()
    expect(page.get_by_role("button", name="Upload")).to_be_disabled()
    expect(page.get_by_text("1 photo added.")).to_be_visible(timeout=30_000)


def test_it_shrinks_a_camera_photo_in_the_browser_before_upload(new_context, tmp_path):
    page = new_context().new_page()
    progress = watch_upload(page)
    open_photos_with_a_course(page)
    original = camera_photo(tmp_path / "IMG_4032.JPG")
    assert original.stat().st_size > 3_000_000  # over the test server's 2 MB limit as it is
    page.get_by_label("Choose from gallery").set_input_files(str(original))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 photo added.")).to_be_visible()
    assert progress and progress[-1][0] == progress[-1][1]  # progress reached 100 %
    assert 100_000 < progress[-1][1] < 1_000_000, progress  # the whole request body: photo and form fields

    expect(page.get_by_text("Thighs · 14 Mar 2026")).to_be_visible()  # the capture date, read in the browser
    body = page.request.get(page.locator("img[alt^='Thighs']").first.get_attribute("src").replace("/thumb", "/display"))
    data = body.body()
    assert b"GPS" not in data and b"Exif" not in data
    from io import BytesIO

    from PIL import Image

    img = Image.open(BytesIO(data))
    assert img.height > img.width  # upright: the browser applied orientation 6
    assert is_red(img.convert("RGB").getpixel((img.width - 6, 5)))


def test_a_photo_the_browser_cannot_decode_still_arrives(new_context, tmp_path):
    page = new_context().new_page()
    open_photos_with_a_course(page)
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(photo(1200, 800, fmt="HEIF", taken="2026:02:01 10:00:00"))
    page.get_by_label("Choose from gallery").set_input_files(str(heic))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 photo added.")).to_be_visible()
    expect(page.get_by_text("Thighs · 1 Feb 2026")).to_be_visible()  # read by the server from the HEIC itself


def test_an_upload_sent_again_after_a_lost_answer_is_stored_once(new_context, tmp_path):
    import re

    page = new_context().new_page()
    open_photos_with_a_course(page)
    bodies = []

    def lose_the_first_answer(route):
        bodies.append(route.request.post_data_buffer or b"")
        if len(bodies) == 1:
            route.fetch(max_redirects=0)  # the server gets the photo and stores it...
            route.abort("connectionreset")  # ...but its answer never reaches the phone
        else:
            route.continue_()

    page.route("**/api/photos", lose_the_first_answer)
    # Every answer the page gets (the first never arrives). Collected from the
    # start: the outbox may send again by itself before the test says "online".
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if re.search(r"/api/photos$", r.url) else None)
    path = tmp_path / "IMG_0001.JPG"
    path.write_bytes(photo(1200, 800))
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    # No answer: the photo waits on the phone (outbox.js) and is sent again from there.
    expect(page.get_by_text("Photo saved on this phone.")).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    for _ in range(200):  # events reach the test only during Playwright calls
        if answers:
            break
        page.wait_for_timeout(100)
    assert answers == [201]  # stored by the first try: found, not stored again
    page.goto("/photos")
    expect(gallery(page).locator("img[alt^='Thighs']")).to_have_count(1)
    keys = [re.findall(rb'name="upload_key"\r\n\r\n([0-9a-f]{32})\r\n', body) for body in bodies]
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 1


def test_an_area_the_form_does_not_offer_is_refused_and_nothing_is_stored(new_context, tmp_path):
    """The upload route checks the area against the list the form offers
    (rules/validation.photo_input), whatever a page's markup was made to send."""
    page = new_context().new_page()
    open_photos_with_a_course(page)
    expect(page.get_by_label("Body area")).to_be_visible()
    page.evaluate(
        """() => { const s = document.querySelector('[name="area"]');
                   const o = document.createElement('option'); o.value = 'Elbows'; o.text = 'Elbows';
                   s.appendChild(o); s.value = 'Elbows'; }"""
    )
    path = tmp_path / "elbow.jpg"
    path.write_bytes(photo(800, 600))
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect_refusal_seen(page, "Body area: Choose the body area the photo shows.")
    expect(gallery(page).locator("img")).to_have_count(0)
