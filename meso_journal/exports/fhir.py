"""A FHIR R4 Bundle (type "collection") for clinics whose systems import it:
a minimal Patient, a Procedure per session, an Observation per side effect
the patient reported (survey, part of its Procedure; "none" is left out) and per measurement, and a Media per
photo when photos are shared.

Times: sessions are stored as the patient's wall-clock time with no zone,
and FHIR requires a zone on any dateTime with a time, so dates are given as
dates and the local time goes in a note."""

from __future__ import annotations

import base64
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import BinaryIO

from meso_journal.models import Photo
from meso_journal.rules import catalog, describe
from meso_journal.store.report import Report, VisitRecord

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
UCUM_CODES = {"cm": "cm", "in": "[in_i]", "kg": "kg", "lb": "[lb_av]"}
BODY_WEIGHT_LOINC = ("29463-7", "Body weight")
PATIENT_RECORDED = "Recorded by the patient in Meso Journal."


def _urn(owner_id: int, kind: str, row_id: int | str) -> str:
    # Stable within one patient's exports, meaningless outside them.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'meso-journal:{owner_id}:{kind}:{row_id}')}"


def _category(code: str, display: str) -> list[dict]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _procedure(s: VisitRecord, course_label: str, patient: str, clinic: str) -> dict:
    t = s.visit
    notes = [f"Session {s.number} of the course {course_label}, at {t.performed_at:%H:%M} local time."]
    if describe.visit_details(t):
        notes.append(describe.visit_details(t))
    if t.notes:
        notes.append(t.notes)
    notes.append(PATIENT_RECORDED)
    resource = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": {"text": "Mesotherapy"},
        "subject": {"reference": patient},
        "performedDateTime": f"{t.performed_at:%Y-%m-%d}",
        "bodySite": [{"text": catalog.label(catalog.AREAS, a)} for a in t.areas],
        "usedCode": [{"text": catalog.label(catalog.SUBSTANCES, x)} for x in t.substances]
        + ([{"text": t.product_and_dose}] if t.product_and_dose else []),
        "note": [{"text": n} for n in notes],
    }
    if clinic:
        resource["location"] = {"display": clinic}
    if not resource["bodySite"]:
        del resource["bodySite"]
    if not resource["usedCode"]:
        del resource["usedCode"]
    return resource


def _rating(r, day: str, patient: str, procedure: str, when: str) -> dict:
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": {"text": f"{describe.effect_name(r)} after mesotherapy (patient-rated)"},
        "subject": {"reference": patient},
        "effectiveDateTime": day,
        "partOf": [{"reference": procedure}],
        "valueCodeableConcept": {"text": catalog.severity_word(r.severity)},
        "note": [{"text": f"Rated {when}. {PATIENT_RECORDED}"}],
    }
    if r.days_lasted is not None:
        obs["component"] = [
            {
                "code": {"text": "Days the side effect lasted"},
                "valueQuantity": {"value": r.days_lasted, "unit": "days", "system": UCUM, "code": "d"},
            }
        ]
    return obs


def _measurement(m, patient: str) -> dict:
    quantity = {"value": m.value, "unit": m.unit, "system": UCUM, "code": UCUM_CODES.get(m.unit, m.unit)}
    if m.kind == "weight":
        code = {"coding": [{"system": LOINC, "code": BODY_WEIGHT_LOINC[0], "display": BODY_WEIGHT_LOINC[1]}]}
        category = _category("vital-signs", "Vital Signs")
    else:
        code = {"text": f"Circumference by tape measure: {m.area}" if m.area else "Circumference by tape measure"}
        category = _category("exam", "Exam")
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "category": category,
        "code": code,
        "subject": {"reference": patient},
        "effectiveDateTime": f"{m.measured_on:%Y-%m-%d}",
        "valueQuantity": quantity,
        "note": [{"text": PATIENT_RECORDED}],
    }
    if m.kind != "weight" and m.area:
        obs["bodySite"] = {"text": m.area}
    return obs


def _media(photo: Photo, patient: str, procedure: str | None, data: bytes | None) -> dict:
    media = {
        "resourceType": "Media",
        "status": "completed",
        "type": {"coding": [{"system": MEDIA_TYPE, "code": "image", "display": "Image"}]},
        "subject": {"reference": patient},
        "createdDateTime": f"{photo.taken_at:%Y-%m-%d}",
        "bodySite": {"text": catalog.label(catalog.AREAS, photo.area)},
        "width": photo.width,
        "height": photo.height,
        "content": {
            "contentType": "image/jpeg",
            "title": f"{catalog.label(catalog.AREAS, photo.area)}, {describe.day_label(photo.taken_at.date())}",
        },
        "note": [{"text": "Progress photo taken by the patient. " + PATIENT_RECORDED}],
    }
    if data is not None:
        media["content"]["data"] = base64.b64encode(data).decode()
        media["content"]["size"] = len(data)
    if procedure:
        media["partOf"] = [{"reference": procedure}]
    return media


def _entries(report: Report, photo_bytes: Callable[[Photo], bytes | None] | None) -> Iterator[dict]:
    """The bundle's entries one at a time, so that a writer holds one photo
    in memory, never all of them."""
    owner = report.owner_id
    patient = _urn(owner, "patient", owner)
    yield {
        "fullUrl": patient,
        "resource": {"resourceType": "Patient", **({"name": [{"text": report.patient}]} if report.patient else {})},
    }
    procedures: set[int] = set()
    for c in report.courses:
        for s in c.sessions:
            procedure = _urn(owner, "procedure", s.visit.id)
            procedures.add(s.visit.id)
            yield {"fullUrl": procedure, "resource": _procedure(s, c.label, patient, c.course.clinic)}
            day = f"{s.visit.performed_at:%Y-%m-%d}"
            for r in s.ratings:
                if r.severity:
                    yield {
                        "fullUrl": _urn(owner, "rating", r.id),
                        "resource": _rating(r, day, patient, procedure, "with the session"),
                    }
            for ci in s.checkins:
                for r in (r for r in ci.ratings if r.severity):
                    yield {
                        "fullUrl": _urn(owner, "rating", r.id),
                        "resource": _rating(
                            r, f"{ci.checkin.checked_on:%Y-%m-%d}", patient, procedure, "at a check-in"
                        ),
                    }
        if report.include_photos:
            for p in c.photos:
                proc = _urn(owner, "procedure", p.session_id) if p.session_id in procedures else None
                data = photo_bytes(p) if photo_bytes else None
                yield {"fullUrl": _urn(owner, "media", p.id), "resource": _media(p, patient, proc, data)}
    for m in report.measurements:
        yield {"fullUrl": _urn(owner, "measurement", m.id), "resource": _measurement(m, patient)}


def _envelope(report: Report) -> dict:
    return {"resourceType": "Bundle", "type": "collection", "timestamp": report.made_at.isoformat(timespec="seconds")}


def bundle(report: Report, *, photo_bytes: Callable[[Photo], bytes | None] | None = None) -> dict:
    """The bundle as a dict (for tests and small journals). photo_bytes gives a
    photo's display copy to embed."""
    return {**_envelope(report), "entry": list(_entries(report, photo_bytes))}


def write_json(report: Report, out: BinaryIO, *, photo_bytes: Callable[[Photo], bytes | None] | None = None) -> None:
    """The same bundle as JSON, written entry by entry: a journal of 120
    photos held about 1 GB when the whole document was built first."""
    head = json.dumps(_envelope(report), ensure_ascii=False)
    out.write(head[:-1].encode() + b', "entry": [\n')
    for i, entry in enumerate(_entries(report, photo_bytes)):
        out.write((",\n" if i else "").encode() + json.dumps(entry, ensure_ascii=False).encode())
    out.write(b"\n]}\n")


def to_json(report: Report, **kw) -> bytes:
    out = io.BytesIO()
    write_json(report, out, **kw)
    return out.getvalue()
