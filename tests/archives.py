"""Archives the tests make: the records of a zip from Meso Journal with one
of everything, zipped with its photo files."""

from __future__ import annotations

import io
import json
import zipfile

from meso_journal.exports import archive
from tests import images


def valid_doc() -> dict:
    """An archive's records with one of everything, every value one the forms accept."""
    rating = {"effect": "bruising", "other_name": "", "severity": 2, "days_lasted": 3}
    visit = {
        "id": 1,
        "performed_at": "2026-11-02T10:00:00",
        "areas": ["thighs", "Love handles"],
        "substances": ["vitamins_minerals"],
        "product_and_dose": "2 ml",
        "depth_mm": 2.5,
        "injections": 40,
        "method": "hand",
        "numbing": True,
        "cost_cents": 30050,
        "currency": "EUR",
        "pain": 3,
        "nsaids_avoided": "yes",
        "downtime_hours": 48,
        "notes": "fine",
        "ratings": [rating],
        "checkins": [{"checked_on": "2026-11-05", "note": "better", "ratings": [{**rating, "days_lasted": None}]}],
    }
    photo = {"file": "photos/1.jpg", "area": "Thighs", "taken_at": "2026-11-02T10:00:00", "session_id": 1}
    return {
        "format": archive.FORMAT,
        "version": 1,
        "exported_at": "2026-11-25T00:00:00+00:00",
        "account": {"email": "a@example.com", "display_name": "Alice", "length_unit": "in", "weight_unit": "lb"},
        "courses": [
            {
                "id": 7,
                "goal": "cellulite",
                "areas": ["thighs"],
                "clinic": "Clinique",
                "practitioner": "Dr. Martin",
                "clinic_phone": "+33 1 23 45",
                "start_date": "2026-11-01",
                "planned_sessions": 10,
                "status": "active",
                "phase_override": "fortnightly",
                "sessions": [visit],
                "photos": [{**photo, "width": 40, "height": 30}],
            }
        ],
        "measurements": [
            {"course_id": 7, "measured_on": "2026-11-03", "kind": "weight", "area": "", "value": 142.5, "unit": "lb"}
        ],
    }


def zipped(doc: dict, files: dict[str, bytes] | None = None) -> bytes:
    """The records as a zip, with one small JPEG as photos/1.jpg unless `files` are given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(archive.RECORDS, json.dumps(doc))
        for name, data in (files if files is not None else {"photos/1.jpg": images.jpeg()}).items():
            z.writestr(name, data)
    return out.getvalue()


def sixty_photos(jpeg: bytes | None = None) -> bytes:
    """An archive of 60 photo files of 12 MP each (the same picture under 60
    names: an archive may not list one file twice)."""
    doc = valid_doc()
    entry = doc["courses"][0]["photos"][0]
    doc["courses"][0]["photos"] = [{**entry, "file": f"photos/{i}.jpg"} for i in range(1, 61)]
    data = jpeg or images.photo(4032, 3024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(archive.RECORDS, json.dumps(doc))
        for i in range(1, 61):
            z.writestr(f"photos/{i}.jpg", data)
    return out.getvalue()
