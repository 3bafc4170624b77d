"""Share links in the database: made, listed and revoked by their patient,
opened by whoever holds the token. Only the token's hash is stored, so the
link itself is shown once, when it is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from meso_journal.models import ShareLink, User
from meso_journal.rules import sharing, validation
from meso_journal.store import journal


@dataclass(frozen=True)
class NewLink:
    link: ShareLink
    token: str  # never stored: give it to the patient now or never


def create_link(*, db: Session, owner_id: int, data: sharing.LinkInput, now: datetime) -> NewLink:
    if data.course_id is not None:
        journal.get_course(db=db, owner_id=owner_id, course_id=data.course_id)
    token = sharing.new_token()
    link = ShareLink(
        owner_id=owner_id,
        course_id=data.course_id,
        token_hash=sharing.token_hash(token),
        label=data.label,
        include_photos=data.include_photos,
        created_at=now,
        expires_at=sharing.expiry(now, data.days),
    )
    db.add(link)
    db.commit()
    db.refresh(link)
    return NewLink(link, token)


def list_links(*, db: Session, owner_id: int) -> list[ShareLink]:
    return list(
        db.exec(
            select(ShareLink)
            .where(ShareLink.owner_id == owner_id)
            .order_by(col(ShareLink.created_at).desc(), col(ShareLink.id).desc())
        )
    )


def get_link(*, db: Session, owner_id: int, link_id: object) -> ShareLink:
    link_id = journal.parse_id(link_id)
    link = db.exec(select(ShareLink).where(ShareLink.id == link_id, ShareLink.owner_id == owner_id)).first()
    if link is None:
        raise journal.NotFound
    return link


def revoke_link(*, db: Session, owner_id: int, link_id: object, now: datetime) -> ShareLink:
    link = get_link(db=db, owner_id=owner_id, link_id=link_id)
    if link.revoked_at is None:
        link.revoked_at = now
        db.add(link)
        db.commit()
    return link


def delete_link(*, db: Session, owner_id: int, link_id: object) -> None:
    """Takes a revoked or expired link off the list."""
    db.delete(get_link(db=db, owner_id=owner_id, link_id=link_id))
    db.commit()


def _active(link: ShareLink | None, now: datetime) -> ShareLink | None:
    if link is None:
        return None
    status = sharing.link_status(expires_at=link.expires_at, revoked_at=link.revoked_at, now=now)
    return link if status == "active" else None


def open_link(*, db: Session, token: object, now: datetime) -> ShareLink | None:
    """The link a token opens, counted as one more opening; None for a token
    that is unknown, expired or revoked (the caller cannot tell which)."""
    if not sharing.plausible_token(token):
        return None
    found = db.exec(select(ShareLink).where(ShareLink.token_hash == sharing.token_hash(token))).first()
    link = _active(found, now)
    if link is not None:
        link.last_opened_at = now
        link.open_count += 1
        db.add(link)
        db.commit()
        db.refresh(link)
    return link


def active_link(*, db: Session, link_id: int, now: datetime) -> ShareLink | None:
    """For signed photo addresses: the link must still be valid when the photo is fetched."""
    return _active(db.get(ShareLink, link_id), now)


def set_display_name(*, db: Session, owner_id: int, name: object) -> User:
    clean = validation.display_name(name)
    user = journal.get_patient(db=db, owner_id=owner_id)
    user.display_name = clean
    db.add(user)
    db.commit()
    return user
