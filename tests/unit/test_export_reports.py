"""The PDF, CSV and FHIR exports, each read back the way its reader would."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.media import Media
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.procedure import Procedure
from pypdf import PdfReader

from meso_journal import photos
from meso_journal.exports import fhir, pdf, spreadsheet
from meso_journal.rules import validation
from meso_journal.store import journal, report
from tests.factories import NAME, TODAY, add_photo, make_course, make_visit, utc


def build(db, owner, *, photos_too=False, course_id=None):
    return report.build(
        db=db, owner_id=owner.id, course_id=course_id, include_photos=photos_too, today=TODAY,
        now=utc(2026, 11, 25, 8, 0),
    )  # fmt: skip


def _text(page) -> str:
    return " ".join(page.extract_text().split())  # line breaks fall wherever the page width puts them


def test_the_pdf_reads_back_with_summary_evidence_and_the_name(db, alice, course, photo_dir):
    add_photo(db, alice, course, day=2)
    add_photo(db, alice, course, day=21)
    data = pdf.report_pdf(
        build(db, alice, photos_too=True), photo_bytes=lambda p: photos.read(p.owner_id, p.storage_key, "display")
    )
    reader = PdfReader(io.BytesIO(data))
    first = _text(reader.pages[0])
    everything = " ".join(_text(page) for page in reader.pages)
    assert NAME in first  # embedded font: every script prints and reads back
    assert "2 so far, against a typical 3–15" in first and "Clinique Lumière" in first
    assert "Since the previous session" in first and "Worse: swelling (mild → severe)" in first
    assert "Swelling rated severe" in first
    assert "About the evidence" in everything and "few and small" in everything
    assert "Spent so far: USD 300 over 1 session" in everything
    assert "not a clinical record" in _text(reader.pages[-1])
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in _text(reader.pages[-1])
    assert "Made 25 Nov 2026" in first
    assert sum(len(page.images) for page in reader.pages) == 2  # first and latest thighs photo
    assert reader.metadata.title == f"Mesotherapy journal of {NAME}"


def test_the_pdf_leaves_photos_out_unless_asked(db, alice, course, photo_dir):
    add_photo(db, alice, course)
    reader = PdfReader(io.BytesIO(pdf.report_pdf(build(db, alice))))
    assert sum(len(page.images) for page in reader.pages) == 0


def test_the_longest_session_the_forms_allow_still_prints(db, alice):
    # One table row per session, and a row must fit on a page: a 5,000-character
    # note with 30 check-ins of 2,000 characters each took the PDF down (500).
    c = make_course(db, alice)
    visit = make_visit(db, alice, c, notes="word " * 1000, product_and_dose="p" * 500)
    for day in range(1, 31):
        data = validation.checkin_input(
            {"checked_on": f"2026-11-{min(20 + day, 25):02d}", "note": "n " * 1000, "effect:swelling": "mild"},
            visit_day=date(2026, 11, 20),
            today=TODAY,
        )
        journal.create_checkin(db=db, owner_id=alice.id, visit_id=visit.id, data=data)
    text = " ".join(_text(page) for page in PdfReader(io.BytesIO(pdf.report_pdf(build(db, alice)))).pages)
    assert "…and 24 more check-ins (all in the check-ins CSV)." in text
    assert "Notes: word word" in text


def test_an_empty_account_still_gets_a_pdf(db, alice):
    text = PdfReader(io.BytesIO(pdf.report_pdf(build(db, alice)))).pages[0].extract_text()
    assert "No treatment course has been recorded yet" in text


def _rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    assert b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_files_hold_every_record(db, alice, course):
    r = build(db, alice)
    sessions = _rows(spreadsheet.sessions(r))
    assert [s["date"] for s in sessions] == ["2026-11-10", "2026-11-20"]
    assert sessions[0]["cost"] == "300.00" and sessions[0]["course"].startswith("Cellulite")
    effects = _rows(spreadsheet.side_effects(r))
    assert {(e["side effect"], e["severity"], e["rated"]) for e in effects} >= {
        ("Swelling", "mild", "with the session"),
        ("Swelling", "severe", "with the session"),
        ("Redness", "mild", "check-in"),
    }
    checkins = _rows(spreadsheet.checkins(r))
    assert checkins[0]["days after"] == "3"
    measured = _rows(spreadsheet.measurements(r))
    assert {(m["kind"], m["value"], m["unit"]) for m in measured} == {
        ("weight", "64.5", "kg"),
        ("circumference", "55.0", "cm"),
    }


def test_the_csv_neutralises_formulas(db, alice, course):
    r = build(db, alice)
    latest = _rows(spreadsheet.sessions(r))[1]
    assert latest["notes"] == '\'=HYPERLINK("http://evil")'
    assert latest["product and dose"] == "'@SUM(A1)"
    assert _rows(spreadsheet.checkins(r))[0]["note"] == "'-still pink"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@x", "\t=1", "\r=1"])
def test_every_formula_start_is_neutralised(cell):
    assert spreadsheet.neutralise(cell) == "'" + cell
    assert spreadsheet.neutralise("Dr. " + cell) == "Dr. " + cell


def test_every_fhir_bundle_validates(db, alice, course, photo_dir):
    add_photo(db, alice, course, day=2)
    for photos_too in (False, True):
        data = fhir.to_json(build(db, alice, photos_too=photos_too), photo_bytes=lambda p: b"\xff\xd8jpeg")
        bundle = Bundle.model_validate(json.loads(data))
        kinds = [e.resource.get_resource_type() for e in bundle.entry]
        assert kinds.count("Patient") == 1 and kinds.count("Procedure") == 2
        assert kinds.count("Media") == (1 if photos_too else 0)
        # swelling and bruising after each session, redness at the check-in, 2 measurements
        assert kinds.count("Observation") == 7
    full = {e.fullUrl: e.resource for e in bundle.entry}
    assert len(full) == len(bundle.entry)  # ids unique
    procedures = [r for r in full.values() if isinstance(r, Procedure)]
    assert procedures[1].performedDateTime.isoformat() == "2026-11-20"
    assert procedures[1].usedCode[-1].text == "@SUM(A1)"
    ratings = [r for r in full.values() if isinstance(r, Observation) and r.category[0].coding[0].code == "survey"]
    assert all(r.partOf[0].reference in full for r in ratings)
    weight = next(r for r in full.values() if isinstance(r, Observation) and r.code.coding)
    assert (weight.code.coding[0].system, weight.code.coding[0].code) == ("http://loinc.org", "29463-7")
    assert (weight.valueQuantity.system, weight.valueQuantity.code) == ("http://unitsofmeasure.org", "kg")
    media = next(r for r in full.values() if isinstance(r, Media))
    assert media.content.contentType == "image/jpeg" and media.content.data
    patient = next(r for r in full.values() if r.get_resource_type() == "Patient")
    assert patient.name[0].text == NAME


def test_an_empty_account_gives_a_valid_bundle(db, alice):
    Bundle.model_validate(fhir.bundle(build(db, alice)))


def test_a_fhir_bundle_of_many_photos_is_written_without_holding_them(db, alice, course):
    """Each photo is read, encoded and written in turn: the whole document built
    first held about 1 GB for 120 photos (found attacking the app)."""
    import os
    import tempfile

    from tests.memory import PeakRise

    for i in range(80):
        journal.add_photo(
            db=db, owner_id=alice.id, course_id=course.id, visit_id=None, area="thighs", storage_key=f"k{i:03d}",
            taken_at=utc(2026, 11, 12, 9, i % 60).replace(tzinfo=None), width=2000, height=1500,
        )  # fmt: skip
    r = build(db, alice, photos_too=True)
    one_mb = os.urandom(1 << 20)
    with tempfile.TemporaryFile() as out, PeakRise() as memory:
        fhir.write_json(r, out, photo_bytes=lambda p: bytes(one_mb))
        size = out.tell()
        out.seek(0)
        bundle = json.load(out)
    assert size > 100 * 2**20  # 80 photos of 1 MB, base64
    assert sum(e["resource"]["resourceType"] == "Media" for e in bundle["entry"]) == 80
    del bundle
    # json.load above holds the whole document; the write is measured apart.
    with tempfile.TemporaryFile() as out, PeakRise() as writing:
        fhir.write_json(r, out, photo_bytes=lambda p: bytes(one_mb))
    assert writing.rise < 40 * 2**20, f"{writing.rise / 2**20:.0f} MB"
    assert memory.rise > writing.rise  # the measure can see a whole document
