"""Plain functions that make rows for tests: one maker for every kind of
record (account, course, session, check-in, measurement, photo, share link),
each filled with values the forms accept, and the few fixed instants they use."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from meso_journal.models import User
from meso_journal.store import accounts

PASSWORD = "correct horse battery"


def make_user(db: Session, *, email: str = "patient@example.com", password: str = PASSWORD) -> User:
    return accounts.create_user(db=db, email=email, password=password)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


TODAY = datetime(2026, 11, 25).date()
NOW = utc(2026, 11, 25, 9, 0)


def course_form(**changes) -> dict:
    return {"goal": "cellulite", "area:thighs": "on", "start_date": "2026-11-01", **changes}


def visit_form(**changes) -> dict:
    return {
        "performed_at": "2026-11-20T10:30",
        "area:thighs": "on",
        "effect:bruising": "moderate",
        "days:bruising": "3",
        **changes,
    }


def make_course(db: Session, owner: User, **changes):
    from meso_journal.rules import validation
    from meso_journal.store import journal

    return journal.create_course(
        db=db, owner_id=owner.id, data=validation.course_input(course_form(**changes), today=TODAY)
    )


def make_visit(db: Session, owner: User, course, **changes):
    from meso_journal.rules import validation
    from meso_journal.store import journal

    return journal.create_visit(
        db=db,
        owner_id=owner.id,
        course_id=course.id,
        data=validation.visit_input(visit_form(**changes), today=TODAY),
    )


def checkin_form(**changes) -> dict:
    return {"checked_on": "2026-11-21", **changes}


def make_checkin(db: Session, owner: User, visit, **changes):
    """A check-in after `visit`, dated from its session's day."""
    from meso_journal.rules import validation
    from meso_journal.store import journal

    return journal.create_checkin(
        db=db,
        owner_id=owner.id,
        visit_id=visit.id,
        data=validation.checkin_input(checkin_form(**changes), visit_day=visit.performed_at.date(), today=TODAY),
    )


def measurement_form(**changes) -> dict:
    return {"kind": "weight", "measured_on": "2026-11-12", "value": "64.5", "unit": "kg", **changes}


def make_measurement(db: Session, owner: User, course, **changes):
    from meso_journal.rules import validation
    from meso_journal.store import journal

    return journal.add_measurement(
        db=db,
        owner_id=owner.id,
        course_id=course.id,
        data=validation.measurement_input(measurement_form(**changes), today=TODAY),
    )


def add_photo(db: Session, owner: User, course, *, area="thighs", day=1):
    """A processed photo, its files in settings.PHOTO_DIR (the photo_dir
    fixture), taken at noon on `day` of November 2026."""
    from meso_journal import photos
    from meso_journal.store import journal
    from tests.images import photo

    processed = photos.process(photo(1200 + day, 800))  # each a little different
    key = photos.save(owner.id, processed)
    return journal.add_photo(
        db=db,
        owner_id=owner.id,
        course_id=course.id,
        visit_id=None,
        area=area,
        taken_at=utc(2026, 11, day, 12).replace(tzinfo=None),
        storage_key=key,
        width=processed.width,
        height=processed.height,
    )


def link_form(**changes) -> dict:
    return {"label": "Dr. Martin", "scope": "all", "days": "7", **changes}


def make_link(db: Session, owner: User, *, now=NOW, **changes):
    """A share link for the doctor; its .token opens /s/<token>."""
    from meso_journal.rules import sharing
    from meso_journal.store import share_links

    data = sharing.link_input(link_form(**changes))
    return share_links.create_link(db=db, owner_id=owner.id, data=data, now=now)


# A name no Latin-1 font prints: the exports must keep every letter.
NAME = "Zoë Łukasiewicz-Ørsted Σοφία Юлия"


def make_full_course(db: Session, owner: User):
    """One of everything a course holds: the owner named NAME, a course with
    a clinic and practitioner, two sessions (one with a cost, one whose notes
    and product are spreadsheet formulas), a check-in and two measurements."""
    owner.display_name = NAME
    db.add(owner)
    db.commit()
    c = make_course(db, owner, clinic="Clinique Lumière", practitioner="Dr. Martin")
    first = make_visit(db, owner, c, performed_at="2026-11-10T09:15", cost="300", **{"effect:swelling": "mild"})
    make_visit(
        db,
        owner,
        c,
        performed_at="2026-11-20T10:30",
        **{"effect:swelling": "severe", "notes": '=HYPERLINK("http://evil")', "product_and_dose": "@SUM(A1)"},
    )
    make_checkin(db, owner, first, checked_on="2026-11-13", note="-still pink", **{"effect:redness": "mild"})
    make_measurement(db, owner, c, kind="weight", measured_on="2026-11-12", value="64.5", unit="kg")
    make_measurement(
        db, owner, c, kind="circumference", measured_on="2026-11-12", area="Left thigh", value="55", unit="cm"
    )
    return c
