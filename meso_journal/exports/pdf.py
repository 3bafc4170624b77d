"""The doctor's report as a PDF (fpdf2): page one is the summary and what
changed since the last session; then each session, a side-effect chart,
first-versus-latest photos of each area, measurements, costs and the
evidence note. Every page says it is patient-recorded, when it was made and
its number. Text stays selectable; DejaVu Sans is embedded, so names in any
Latin, Greek or Cyrillic script print as typed."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from meso_journal.models import Photo
from meso_journal.rules import catalog, costs, describe, evidence, schedule
from meso_journal.store.report import CourseReport, Report

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"
ACCENT = (15, 118, 110)
MUTED = (90, 96, 102)
SEVERITY_COLOURS = {0: (220, 224, 227), 1: (252, 211, 77), 2: (251, 146, 60), 3: (220, 38, 38)}
PRINT_EDGE = 1200
FOOTER = "Recorded by the patient in Meso Journal; not a clinical record."


class _Report(FPDF):
    made: str = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{FOOTER} Made {self.made}.", align="L")
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)


def _heading(pdf: FPDF, text: str, size: int = 14) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=10)
    pdf.ln(1)


def _para(pdf: FPDF, text: str, *, muted: bool = False, size: int = 10) -> None:
    pdf.set_font(FONT, size=size)
    if muted:
        pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _bullets(pdf: FPDF, lines: list[str]) -> None:
    for line in lines:
        _para(pdf, f"• {line}")


def _facts(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    with pdf.table(
        col_widths=(45, 135),
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
        text_align="LEFT",
        line_height=5.5,
        padding=1,
    ) as table:
        for name, value in rows:
            row = table.row()
            row.cell(name, style=FontFace(color=MUTED))
            row.cell(value)


def _table(pdf: FPDF, widths: tuple[int, ...]):
    """A table with a heading row, lines between rows and none at the sides."""
    return pdf.table(
        col_widths=widths,
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
        line_height=5,
        padding=1,
        headings_style=FontFace(emphasis="BOLD", color=ACCENT),
    )


def _summary(pdf: FPDF, c: CourseReport) -> None:
    p = c.summary.position
    rows = [
        ("Goal", catalog.label(catalog.GOALS, c.course.goal)),
        ("Areas", describe.areas(c.course.areas) or "Not given"),
        ("Clinic", c.course.clinic or "Not given"),
        ("Practitioner", c.course.practitioner or "Not given"),
        ("Status", catalog.COURSE_STATUSES.get(c.course.status, c.course.status)),
        (
            "Sessions",
            f"{p.count} so far, against a typical {schedule.TYPICAL_MIN}–{schedule.TYPICAL_MAX}"
            + (f"; {p.planned} planned by the practitioner" if p.planned else ""),
        ),
        ("Started", describe.day_label(c.course.start_date)),
    ]
    if c.sessions:
        rows.append(("First session", describe.day_label(c.sessions[0].visit.performed_at.date())))
        rows.append(("Latest session", describe.day_label(c.sessions[-1].visit.performed_at.date())))
    for t in c.summary.costs.totals:
        rows.append(("Spent", f"{describe.money(t.spent_cents, t.currency)} over {t.sessions} session(s)"))
    _facts(pdf, rows)
    if c.sessions:
        _heading(pdf, "Since the previous session", 11)
        _bullets(pdf, c.since_previous or ["No new or worse side effects after the latest session."])
    if c.summary.flags:
        _heading(pdf, "To review (reported by the patient; no diagnosis)", 11)
        _bullets(pdf, [f"{f.reason} (session of {describe.day_label(f.visit_day)})" for f in c.summary.flags])


# A table row must fit on one page (fpdf2 refuses a taller one), so the PDF
# shortens what can be long; the CSV files and the doctor's view have it all.
NOTE_CHARS, CHECKIN_NOTE_CHARS, CHECKINS_SHOWN = 600, 150, 6


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sessions(pdf: FPDF, c: CourseReport) -> None:
    _heading(pdf, f"Sessions · {c.label}", 12)
    if not c.sessions:
        _para(pdf, "No sessions logged yet.", muted=True)
        return
    with _table(pdf, (12, 26, 34, 108)) as table:
        table.row(["#", "Date", "Areas", "What was done, side effects, check-ins"])
        for s in c.sessions:
            t = s.visit
            lines = [describe.visit_details(t) or "No details given"]
            if t.product_and_dose:
                lines.append(f"Product and dose: {t.product_and_dose}")
            lines.append(f"NSAIDs avoided: {catalog.NSAID_ANSWERS.get(t.nsaids_avoided, t.nsaids_avoided)}")
            lines.append("Side effects: " + ("; ".join(describe.effect_chips(s.ratings)) or "none reported"))
            for ci in s.checkins[:CHECKINS_SHOWN]:
                day = (ci.checkin.checked_on - t.performed_at.date()).days
                note = f" “{_short(ci.checkin.note, CHECKIN_NOTE_CHARS)}”" if ci.checkin.note else ""
                lines.append(
                    f"Day {day}: " + ("; ".join(describe.effect_chips(ci.ratings)) or "no side effects") + note
                )
            if len(s.checkins) > CHECKINS_SHOWN:
                lines.append(f"…and {len(s.checkins) - CHECKINS_SHOWN} more check-ins (all in the check-ins CSV).")
            if t.notes:
                lines.append(f"Notes: {_short(t.notes, NOTE_CHARS)}")
            table.row([str(s.number), f"{t.performed_at:%d %b %Y %H:%M}", describe.areas(t.areas), "\n".join(lines)])


def _chart(pdf: FPDF, c: CourseReport) -> None:
    """The worst side effect after each session, as bars (0 none … 3 severe)."""
    points = c.summary.chart
    if not points:
        return
    _heading(pdf, "Worst side effect after each session (the patient's own rating)", 11)
    height, top = 30.0, pdf.get_y() + 2
    if top + height + 20 > pdf.page_break_trigger:
        pdf.add_page()
        top = pdf.get_y() + 2
    left, width = pdf.l_margin + 18, pdf.epw - 18
    step = min(14.0, width / len(points))
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(*MUTED)
    for level, word in enumerate(catalog.SEVERITIES):
        y = top + height - level * height / 3
        pdf.set_draw_color(220, 224, 227)
        pdf.line(left, y, left + width, y)
        pdf.text(pdf.l_margin, y + 1, word)
    for i, point in enumerate(points):
        x = left + i * step + step * 0.15
        bar = max(point.worst * height / 3, 0.8)
        pdf.set_fill_color(*SEVERITY_COLOURS[point.worst])
        pdf.rect(x, top + height - bar, step * 0.7, bar, style="F")
        if len(points) <= 20 or i % 2 == 0:
            pdf.text(x, top + height + 4, point.label)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(top + height + 8)


def _print_copy(data: bytes) -> io.BytesIO:
    """A smaller JPEG for the page: half an A4 width at 300 dpi needs about
    1,100 px, and a report small enough to attach to a message matters more."""
    with Image.open(io.BytesIO(data)) as img:
        img.thumbnail((PRINT_EDGE, PRINT_EDGE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        img.save(out, "JPEG", quality=80, icc_profile=img.info.get("icc_profile"))
    out.seek(0)
    return out


def _photos(pdf: FPDF, c: CourseReport, photo_bytes: Callable[[Photo], bytes | None]) -> None:
    if not c.photo_pairs:
        return
    _heading(pdf, "Photos: first and latest of each area", 12)
    _para(pdf, evidence.PHOTO_NOTE, muted=True)
    column = (pdf.epw - 6) / 2
    for pair in c.photo_pairs:
        shown = [pair.first] if pair.first.id == pair.latest.id else [pair.first, pair.latest]
        tallest = max(column * p.height / p.width for p in shown)
        tallest = min(tallest, 110)
        if pdf.get_y() + tallest + 14 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 6, catalog.label(catalog.AREAS, pair.area), new_x="LMARGIN", new_y="NEXT")
        top = pdf.get_y()
        for i, (word, photo) in enumerate(zip(("First", "Latest"), shown, strict=False)):
            x = pdf.l_margin + i * (column + 6)
            data = photo_bytes(photo)
            if data is not None:
                pdf.image(_print_copy(data), x=x, y=top, w=0, h=tallest, keep_aspect_ratio=True)
            pdf.set_xy(x, top + tallest + 1)
            pdf.set_font(FONT, size=8)
            pdf.cell(column, 4, f"{word} · {describe.day_label(photo.taken_at.date())}")
        pdf.set_y(top + tallest + 7)


def _measurements(pdf: FPDF, report: Report) -> None:
    if not report.measurements:
        return
    _heading(pdf, "Measurements", 12)
    with _table(pdf, (35, 105, 40)) as table:
        table.row(["Date", "What", "Value"])
        for m in report.measurements:
            what = describe.measurement_name(m.area) + (" (circumference)" if m.kind == "circumference" else "")
            table.row([describe.day_label(m.measured_on), what, report.shown(m)])


def _costs(pdf: FPDF, c: CourseReport) -> None:
    _heading(pdf, "Costs", 11)
    _bullets(pdf, describe.cost_lines(c.summary.costs) + list(costs.CONTEXT))


def _evidence(pdf: FPDF) -> None:
    _heading(pdf, "About the evidence", 12)
    _para(pdf, evidence.UNPROVEN)
    for section in evidence.EVIDENCE:
        _heading(pdf, section.title, 10)
        _bullets(pdf, section.points)


def report_pdf(report: Report, *, photo_bytes: Callable[[Photo], bytes | None] = lambda p: None) -> bytes:
    pdf = _Report(format="A4")
    pdf.made = f"{describe.day_label(report.made_at.date())}, {report.made_at:%H:%M} UTC"
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title("Mesotherapy journal" + (f" of {report.patient}" if report.patient else ""))
    pdf.set_author(report.patient or "Meso Journal patient")
    pdf.set_creator("Meso Journal")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(
        0,
        9,
        "Mesotherapy journal" + (f" of {report.patient}" if report.patient else ""),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _para(pdf, f"Made {pdf.made}. {FOOTER} Side-effect ratings are the patient's own impressions.", muted=True)
    _para(pdf, evidence.UNPROVEN + " See “About the evidence” at the end.", muted=True)
    if not report.courses:
        _para(pdf, "No treatment course has been recorded yet.")
    for c in report.courses:
        _heading(pdf, c.label)
        _summary(pdf, c)
    for c in report.courses:
        pdf.add_page()
        _sessions(pdf, c)
        _chart(pdf, c)
        _costs(pdf, c)
        if report.include_photos:
            _photos(pdf, c, photo_bytes)
    _measurements(pdf, report)
    _evidence(pdf)
    return bytes(pdf.output())
