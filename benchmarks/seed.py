"""Creates a patient with a course of a few sessions in the database that
MESO_DATA_DIR / MESO_DB_URL point to, and prints a session cookie value for
them. Used by the benchmarks to measure signed-in pages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from meso_journal import database
from meso_journal.rules import validation
from meso_journal.store import accounts, journal


def main() -> None:
    now = datetime.now(UTC)
    today = now.date()
    with database.session() as db:
        user = accounts.create_user(
            db=db, email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password="benchmark password"
        )
        course = journal.create_course(
            db=db,
            owner_id=user.id,
            data=validation.course_input(
                {
                    "goal": "cellulite",
                    "area:thighs": "on",
                    "clinic": "Benchmark clinic",
                    "start_date": str(today - timedelta(days=30)),
                },
                today=today,
            ),
        )
        for ago in (28, 21, 14, 7):
            day = today - timedelta(days=ago)
            form = {
                "performed_at": f"{day}T10:00",
                "area:thighs": "on",
                "cost": "300",
                "pain": "3",
                "effect:bruising": "mild",
            }
            journal.create_visit(
                db=db, owner_id=user.id, course_id=course.id, data=validation.visit_input(form, today=today)
            )
        print(accounts.start_login(db=db, owner_id=user.id, now=now))


if __name__ == "__main__":
    main()
