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


def create_link(*, session: Session, owner_id: int, data: sharing.LinkInput, now: datetime) -> NewLink:
    if data.course_id is not None:
        journal.get_course(session=session, owner_id=owner_id, course_id=data.course_id)
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
    session.add(link)
    session.commit()
    session.refresh(link)
    return NewLink(link, token)


def list_links(*, session: Session, owner_id: int) -> list[ShareLink]:
    return list(
        session.exec(
            select(ShareLink)
            .where(ShareLink.owner_id == owner_id)
            .order_by(col(ShareLink.created_at).desc(), col(ShareLink.id).desc())
        )
    )


def get_link(*, session: Session, owner_id: int, link_id: object) -> ShareLink:
    link_id = journal._id(link_id)
    link = session.exec(select(ShareLink).where(ShareLink.id == link_id, ShareLink.owner_id == owner_id)).first()
    if link is None:
        raise journal.NotFound
    return link


def revoke_link(*, session: Session, owner_id: int, link_id: object, now: datetime) -> ShareLink:
    link = get_link(session=session, owner_id=owner_id, link_id=link_id)
    if link.revoked_at is None:
        link.revoked_at = now
        session.add(link)
        session.commit()
    return link


def delete_link(*, session: Session, owner_id: int, link_id: object) -> None:
    """Takes a revoked or expired link off the list."""
    session.delete(get_link(session=session, owner_id=owner_id, link_id=link_id))
    session.commit()


def _active(link: ShareLink | None, now: datetime) -> ShareLink | None:
    if link is None:
        return None
    status = sharing.link_status(expires_at=link.expires_at, revoked_at=link.revoked_at, now=now)
    return link if status == "active" else None


def open_link(*, session: Session, token: object, now: datetime) -> ShareLink | None:
    """The link a token opens, counted as one more opening; None for a token
    that is unknown, expired or revoked (the caller cannot tell which)."""
    if not sharing.plausible_token(token):
        return None
    found = session.exec(select(ShareLink).where(ShareLink.token_hash == sharing.token_hash(token))).first()
    link = _active(found, now)
    if link is not None:
        link.last_opened_at = now
        link.open_count += 1
        session.add(link)
        session.commit()
        session.refresh(link)
    return link


def active_link(*, session: Session, link_id: int, now: datetime) -> ShareLink | None:
    """For signed photo addresses: the link must still be valid when the photo is fetched."""
    return _active(session.get(ShareLink, link_id), now)


def set_display_name(*, session: Session, owner_id: int, name: object) -> User:
    try:
        clean = validation.clean_text(name if isinstance(name, str) else "", limit=100)
    except ValueError as e:
        raise validation.Invalid({"display_name": "Keep your name to 100 characters."}) from e
    user = session.get(User, owner_id)
    user.display_name = clean
    session.add(user)
    session.commit()
    return user
