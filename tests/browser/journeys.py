"""Steps of a patient's journey that many browser tests take on the way to
what they check: start a course, log a session, add a photo, and watch an
upload's progress."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.images import photo


def start_course(page, clinic="Clinique Lumière"):
    """A new cellulite course on the thighs, saved from the course form."""
    page.goto("/courses/edit")
    page.get_by_label("What is the course for?").select_option("cellulite")
    page.get_by_label("Thighs").check()
    page.get_by_label("Clinic", exact=True).fill(clinic)
    page.get_by_label("Clinic phone").fill("+33 1 23 45 67 89")
    page.get_by_role("button", name="Start this course").click()
    expect(page.get_by_text("Course saved.")).to_be_visible()


def fill_session_form(page, notes: str) -> None:
    """The log form opened and filled (days off, a substance, notes), not saved."""
    page.goto("/log")
    expect(page.get_by_label("Thighs")).to_be_checked()
    page.get_by_label("Date and time").fill("2026-11-21T09:15")
    page.get_by_label("Vitamins and minerals").check()
    page.get_by_label("Time off normal activities").select_option("days")
    page.get_by_label("How many (hours or days)").fill("2")
    page.get_by_label("Notes").fill(notes)


def log_session(page, *, when="2026-11-20T10:30", bruising="moderate", days="3"):
    """A session of the current course with every field filled, saved from the log form."""
    page.goto("/log")  # a full load: the form appears once its data is in
    expect(page.get_by_role("heading", name="Log a session")).to_be_visible()
    expect(page.get_by_label("Thighs")).to_be_checked()  # the course's areas, pre-filled
    page.get_by_label("Date and time").fill(when)
    page.get_by_label("Vitamins and minerals").check()
    page.get_by_label("Needle depth").select_option("2.5")
    page.get_by_label("Cost of this session").fill("350")
    page.get_by_label("Pain during the session (0 none – 10 worst)").select_option("4")
    page.get_by_label("Bruising", exact=True).select_option(bruising)
    page.get_by_label("Bruising: days it lasted").fill(days)
    page.get_by_label("Time off normal activities").select_option("hours")
    page.get_by_label("How many (hours or days)").fill("6")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible()


def add_photo(page, tmp_path, name, **kw):
    """Upload one photo (tests.images.photo at 3000 × 2000; **kw for its EXIF) from the Photos page."""
    path = tmp_path / name
    path.write_bytes(photo(3000, 2000, **kw))
    page.get_by_label("Choose from gallery").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 photo added.")).to_be_visible()


# Logs every upload progress event of the page's XMLHttpRequest: bytes sent
# so far and the request body's total size, as the browser's network stack counts them.
PROGRESS_PROBE = """
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (body) {
  this.upload.addEventListener("progress", e => console.log("upload-progress " + e.loaded + " " + e.total));
  return send.call(this, body);
};
"""


def watch_upload(page) -> list[tuple[int, int]]:
    """(loaded, total) of each upload progress event."""
    events: list[tuple[int, int]] = []
    page.add_init_script(PROGRESS_PROBE)

    def log(message):
        if message.text.startswith("upload-progress "):
            loaded, total = message.text.split()[1:]
            events.append((int(loaded), int(total)))

    page.on("console", log)
    return events


def add_measurement(page, *, day, value: str, where: str = "Left thigh", weight: bool = False) -> None:
    """One measurement through the form: a tape measurement at `where`, or a weight."""
    page.goto("/measurements")
    if weight:
        page.get_by_role("radio", name="Weight").check()
    page.get_by_label("Date").fill(str(day))
    if not weight:
        page.get_by_label(re.compile(r"^Where")).fill(where)
    page.get_by_label("Value").fill(value)
    page.get_by_role("button", name="Save measurement").click()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()
