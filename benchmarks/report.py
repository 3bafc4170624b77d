"""The doctor's report at a realistic size: one course of 15 sessions, each
with side effects and a check-in, and 30 progress photos (two per session).
Prints the time to build the PDF and its size, and the time to render the
doctor's view (gathering the records included), as medians.

Usage: .venv/bin/python benchmarks/report.py [RUNS]
Uses a throwaway data folder and SQLite database.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ["MESO_DATA_DIR"] = tempfile.mkdtemp(prefix="meso-bench-report-")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, SQLModel  # noqa: E402

from benchmarks.photo_pipeline import camera_photo  # noqa: E402
from meso_journal import database, photos  # noqa: E402
from meso_journal.exports import pdf  # noqa: E402
from meso_journal.rules import sharing, validation  # noqa: E402
from meso_journal.store import accounts, journal, report, share_links  # noqa: E402
from meso_journal.web import doctor_view  # noqa: E402

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


def seed(db: Session) -> tuple[int, object]:
    user = accounts.create_user(db=db, email="bench@example.com", password="correct horse battery")
    user.display_name = "Zoë Ørsted"
    db.add(user)
    db.commit()
    course = journal.create_course(
        db=db,
        owner_id=user.id,
        data=validation.course_input(
            {
                "goal": "cellulite",
                "area:thighs": "on",
                "area:hips": "on",
                "start_date": "2026-06-01",
                "clinic": "Clinique Lumière",
                "practitioner": "Dr. Martin",
            },  # fmt: skip
            today=TODAY,
        ),
    )
    processed = photos.process(camera_photo())
    day = date(2026, 6, 2)
    for n in range(15):
        s = journal.create_visit(
            db=db,
            owner_id=user.id,
            course_id=course.id,
            data=validation.visit_input(
                {
                    "performed_at": f"{day:%Y-%m-%d}T10:30",
                    "area:thighs": "on",
                    "substance:vitamins_minerals": "on",
                    "depth_mm": "2.5",
                    "injections": "120",
                    "cost": "350",
                    "pain": str(n % 7),
                    "effect:bruising": ["mild", "moderate", "severe"][n % 3],
                    "days:bruising": "3",
                    "effect:swelling": "mild",
                    "notes": f"Session {n + 1}: everything as planned.",
                },  # fmt: skip
                today=TODAY,
            ),
        )
        journal.create_checkin(
            db=db,
            owner_id=user.id,
            visit_id=s.id,
            data=validation.checkin_input(
                {"checked_on": f"{day + timedelta(days=3):%Y-%m-%d}", "effect:bruising": "mild", "note": "Fading."},
                session_day=day,
                today=TODAY,
            ),
        )
        for area in ("thighs", "hips"):
            key = photos.save(user.id, processed)
            journal.add_photo(
                db=db,
                owner_id=user.id,
                course_id=course.id,
                visit_id=s.id,
                area=area,
                taken_at=datetime.combine(day, datetime.min.time()).replace(hour=11),
                storage_key=key,
                width=processed.width,
                height=processed.height,
            )
        day += timedelta(days=9)
    link = share_links.create_link(
        db=db,
        owner_id=user.id,
        data=sharing.LinkInput(label="Dr. Martin", course_id=course.id, days=7, include_photos=True),
        now=NOW,
    ).link
    return user.id, link


def median_ms(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main(runs: int) -> None:
    SQLModel.metadata.create_all(database.engine)
    with Session(database.engine, expire_on_commit=False) as db:
        owner_id, link = seed(db)

        def build():
            return report.build(
                db=db, owner_id=owner_id, course_id=link.course_id, include_photos=True, today=TODAY, now=NOW
            )

        def photo_path(p):
            return photos.path_for(p.owner_id, p.storage_key, "display")

        gather_ms, data = median_ms(build, runs)
        pdf_ms, pdf_bytes = median_ms(lambda: pdf.report_pdf(build(), photo_path=photo_path), runs)
        view_ms, html = median_ms(lambda: doctor_view.render_view(link, build(), NOW), runs)

    print(f"course: {data.session_count} sessions, {len(data.courses[0].photos)} photos ({runs} runs, medians)")
    print(f"gather the records:       {gather_ms:7.1f} ms")
    print(f"PDF report (with photos): {pdf_ms:7.1f} ms, {len(pdf_bytes) / 1024:,.0f} KB")
    print(f"doctor's view (HTML):     {view_ms:7.1f} ms, {len(html.encode()) / 1024:,.0f} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
