"""The outbox's endpoint, POST /api/entries: each entry the phone sends is
stored exactly once under its key, through the forms' own rules, and is the
sender's alone."""

from __future__ import annotations

import threading
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from meso_journal import clock, database
from meso_journal.models import CheckIn, Measurement, SentEntry, TreatmentSession, User
from meso_journal.rules import validation
from meso_journal.store import entries, journal
from meso_journal.web.entries import NOT_YOURS, OWNER_HEADER
from tests import clients, factories


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(clock, "today", lambda: factories.TODAY)


def patient(email: str):
    """A signed-in client whose entries name it, as outbox.js names the page's patient."""
    client = clients.signed_in(email)
    client.headers[OWNER_HEADER] = quote(email)
    return client


def owner_of(email: str) -> User:
    with database.session() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        return user


def a_course(email: str):
    with database.session() as db:
        return factories.make_course(db, owner_of(email))


def count(model, **where) -> int:
    with database.session() as db:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.exec(query).one()


def session_entry(course_id: int, key: str | None = None, **fields) -> dict:
    return {
        "key": key or str(uuid.uuid4()),
        "kind": "session",
        "parent": course_id,
        "fields": factories.visit_form(**fields),
    }


def test_a_session_is_stored_once_and_its_replay_says_so(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    entry = session_entry(course.id, notes="from the waiting room")
    first = alice.post("/api/entries", json=entry)
    assert first.status_code == 201, first.text
    assert first.headers["cache-control"] == "no-store"
    body = first.json()
    assert body["kind"] == "session" and body["replayed"] is False and body["shown_at"] == "/?done=session"
    # The answer was lost: the phone sends it again, and again.
    for _ in range(2):
        again = alice.post("/api/entries", json=entry)
        assert again.status_code == 200
        assert again.json() == {**body, "replayed": True}
    assert count(TreatmentSession) == 1 and count(SentEntry) == 1
    with database.session() as db:
        visit = journal.get_visit(db=db, owner_id=owner_of("alice@example.com").id, visit_id=body["id"])
        assert visit.notes == "from the waiting room"


def test_a_check_in_and_a_measurement_go_through_the_same_path(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    visit = alice.post("/api/entries", json=session_entry(course.id)).json()
    checkin = {
        "key": str(uuid.uuid4()),
        "kind": "checkin",
        "parent": visit["id"],
        "fields": factories.checkin_form(note="less sore", **{"effect:bruising": "mild"}),
    }
    answer = alice.post("/api/entries", json=checkin)
    assert answer.status_code == 201, answer.text
    assert answer.json()["shown_at"] == "/?done=checkin"
    # A measurement may belong to no course.
    weight = {"key": str(uuid.uuid4()), "kind": "measurement", "parent": None, "fields": factories.measurement_form()}
    answer = alice.post("/api/entries", json=weight)
    assert answer.status_code == 201, answer.text
    assert answer.json()["shown_at"] == "/measurements"
    assert count(CheckIn) == 1 and count(Measurement) == 1 and count(SentEntry) == 3


def test_the_same_key_with_other_content_is_refused_and_stores_nothing(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    entry = session_entry(course.id, notes="first")
    assert alice.post("/api/entries", json=entry).status_code == 201
    other = {**entry, "fields": {**entry["fields"], "notes": "something else"}}
    refused = alice.post("/api/entries", json=other)
    assert refused.status_code == 409
    assert refused.json() == {"errors": {"form": entries.KEY_TAKEN}}
    assert count(TreatmentSession) == 1


def test_another_patients_key_is_refused_and_reveals_nothing(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    entry = session_entry(course.id)
    stored = alice.post("/api/entries", json=entry).json()
    charlie = patient("charlie@example.com")
    charlies_course = a_course("charlie@example.com")
    # The same key, even with the same content, aimed at his own course.
    for parent in (course.id, charlies_course.id):
        refused = charlie.post("/api/entries", json={**entry, "parent": parent})
        assert refused.status_code == 409
        assert str(stored["id"]) not in refused.text
    assert count(TreatmentSession) == 1
    assert count(TreatmentSession, owner_id=owner_of("charlie@example.com").id) == 0


def test_an_entry_for_another_patients_course_or_session_is_gone_and_stores_nothing(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    visit = alice.post("/api/entries", json=session_entry(course.id)).json()
    charlie = patient("charlie@example.com")
    refused = charlie.post("/api/entries", json=session_entry(course.id))
    assert refused.status_code == 422
    assert refused.json() == {"errors": {"form": entries.GONE["session"]}}
    checkin = {"key": str(uuid.uuid4()), "kind": "checkin", "parent": visit["id"], "fields": factories.checkin_form()}
    refused = charlie.post("/api/entries", json=checkin)
    assert refused.json() == {"errors": {"form": entries.GONE["checkin"]}}
    assert count(TreatmentSession) == 1 and count(CheckIn) == 0 and count(SentEntry) == 1


def test_the_forms_rules_refuse_with_the_forms_messages_and_the_key_stays_free(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    bad = factories.visit_form(depth_mm="40", pain="11")
    entry = session_entry(course.id, key="k" * 32, depth_mm="40", pain="11")
    refused = alice.post("/api/entries", json=entry)
    assert refused.status_code == 422
    with pytest.raises(validation.Invalid) as form_says:
        validation.visit_input(bad, today=factories.TODAY)
    assert refused.json() == {"errors": form_says.value.errors}
    assert set(form_says.value.errors) == {"depth_mm", "pain"}
    assert count(TreatmentSession) == 0 and count(SentEntry) == 0
    # Corrected on the phone and sent again under the same key: stored.
    fixed = session_entry(course.id, key="k" * 32)
    assert alice.post("/api/entries", json=fixed).status_code == 201


@pytest.mark.parametrize(
    "entry",
    [
        [],
        {"key": "short", "kind": "session", "parent": 1, "fields": {}},
        {"key": "k" * 32, "kind": "photo", "parent": 1, "fields": {}},
        {"key": "k" * 32, "kind": "session", "parent": None, "fields": {}},
        {"key": "k" * 32, "kind": "session", "parent": True, "fields": {}},
        {"key": "k" * 32, "kind": "session", "parent": "1", "fields": {}},
        {"key": "k" * 32, "kind": "session", "parent": 1, "fields": {"notes": {"$gt": ""}}},
        {"key": "k" * 32, "kind": "session", "parent": 1, "fields": {}, "owner_id": 1},
    ],
)
def test_an_entry_in_another_shape_is_refused_whole(engine, entry):
    alice = patient("alice@example.com")
    a_course("alice@example.com")
    refused = alice.post("/api/entries", json=entry)
    assert refused.status_code == 422
    assert refused.json() == {"errors": {"form": validation.SHAPE}}
    assert count(TreatmentSession) == 0


def test_what_the_outbox_never_sends_is_refused(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    as_form = alice.post("/api/entries", data={"key": "k" * 32})
    assert as_form.status_code == 415
    not_json = alice.post("/api/entries", content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 422
    huge = session_entry(course.id, notes="x" * 70_000)
    assert alice.post("/api/entries", json=huge).status_code == 413
    assert count(TreatmentSession) == 0


def test_nobody_signed_in_gets_401_and_nothing_is_stored(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    alice.cookies.clear()
    answer = alice.post("/api/entries", json=session_entry(course.id))
    assert answer.status_code == 401
    assert count(TreatmentSession) == 0


def test_ten_sends_of_one_key_at_once_store_one_row(engine):
    with Session(engine) as db:
        owner = factories.make_user(db, email="alice@example.com")
        course = factories.make_course(db, owner)
        owner_id, course_id = owner.id, course.id
    entry = entries.entry_of(session_entry(course_id, key="k" * 32))
    start = threading.Barrier(10)
    answers: list[object] = []

    def send() -> None:
        start.wait()
        with database.session() as db:
            try:
                answers.append(entries.receive(db=db, owner_id=owner_id, entry=entry, today=factories.TODAY))
            except Exception as e:  # noqa: BLE001 - the test reports any failure below
                answers.append(e)

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(a, entries.Receipt) for a in answers), answers
    receipts = [a for a in answers if isinstance(a, entries.Receipt)]
    assert len({r.record_id for r in receipts}) == 1
    assert sum(not r.replayed for r in receipts) == 1
    assert count(TreatmentSession) == 1 and count(SentEntry) == 1


def test_a_store_that_fails_after_the_record_leaves_no_receipt(engine, monkeypatch: pytest.MonkeyPatch):
    with Session(engine) as db:
        owner = factories.make_user(db, email="alice@example.com")
        course = factories.make_course(db, owner)
        owner_id, course_id = owner.id, course.id

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(journal, "_add_ratings", broken)
    entry = entries.entry_of(session_entry(course_id))
    with database.session() as db, pytest.raises(RuntimeError):
        entries.receive(db=db, owner_id=owner_id, entry=entry, today=factories.TODAY)
    assert count(TreatmentSession) == 0 and count(SentEntry) == 0


def test_deleting_the_account_deletes_its_receipts(engine):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")
    assert alice.post("/api/entries", json=session_entry(course.id)).status_code == 201
    answer = alice.post("/api/account/delete", data={"password": factories.PASSWORD})
    assert answer.status_code == 303
    assert count(SentEntry) == 0


def test_an_entry_another_patient_saved_on_this_phone_is_not_stored_under_my_cookie(engine):
    """A shared phone: alice's sign-in ended with her entry still waiting in
    an open tab; charlie signed in. Her tab's send carries his cookie."""
    charlie = patient("charlie@example.com")
    weight = {"key": str(uuid.uuid4()), "kind": "measurement", "parent": None, "fields": factories.measurement_form()}
    for named in (quote("alice@example.com"), None):
        if named is None:
            del charlie.headers[OWNER_HEADER]
        else:
            charlie.headers[OWNER_HEADER] = named
        refused = charlie.post("/api/entries", json=weight)
        assert refused.status_code == 403
        assert refused.json() == {"errors": {"form": NOT_YOURS}}
    assert count(Measurement) == 0 and count(SentEntry) == 0


def test_a_photo_from_another_patients_outbox_is_not_stored_under_my_cookie(engine, photo_dir):
    from tests.images import photo

    charlie = patient("charlie@example.com")
    course = a_course("charlie@example.com")
    charlie.headers[OWNER_HEADER] = quote("alice@example.com")
    refused = charlie.post(
        "/api/photos",
        data={"course": str(course.id), "area": "Thighs", "upload_key": "k" * 32},
        files=[("photos", ("p.jpg", photo(), "image/jpeg"))],
        headers={"accept": "application/json"},
    )
    assert refused.status_code == 403
    from meso_journal.models import Photo

    assert count(Photo) == 0


def test_json_nested_past_any_form_is_refused_not_a_server_error(engine):
    alice = patient("alice@example.com")
    deep = "[" * 30_000 + "]" * 30_000
    refused = alice.post("/api/entries", content=deep.encode(), headers={"content-type": "application/json"})
    assert refused.status_code == 422
    assert refused.json() == {"errors": {"form": validation.SHAPE}}


def test_a_course_deleted_while_its_entry_is_stored_is_gone_not_a_server_error(engine, monkeypatch):
    alice = patient("alice@example.com")
    course = a_course("alice@example.com")

    def deleted_meanwhile(**kwargs):
        raise IntegrityError("INSERT", {}, Exception("FOREIGN KEY constraint failed"))

    monkeypatch.setattr(journal, "create_visit", deleted_meanwhile)
    refused = alice.post("/api/entries", json=session_entry(course.id))
    assert refused.status_code == 422
    assert refused.json() == {"errors": {"form": entries.GONE["session"]}}
