import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.forms import (
    areas_picker,
    draft_note,
    error_of,
    error_summary,
    field,
    form_id_field,
    kept_input,
    select_field,
    submit,
)
from meso_journal.components.layout import button_link, empty_state, layout
from meso_journal.rules import catalog
from meso_journal.state.courses import CourseFormState, CoursesState

# Field labels, also used by the error summary to say which field a message is about.
LABELS = {
    "goal": "What is the course for?",
    "area": "Body areas",
    "custom_areas": "Other areas",
    "clinic": "Clinic",
    "practitioner": "Practitioner",
    "clinic_phone": "Clinic phone",
    "start_date": "Start date",
    "planned_sessions": "Sessions your practitioner planned (if known)",
    "status": "Status",
}


def _row(row) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.hstack(rx.text(row.label, weight="bold"), rx.spacer(), rx.badge(row.status), width="100%"),
            rx.text(row.detail, size="2", color=styles.muted_text),
            spacing="1",
            style=styles.card,
        ),
        href=row.edit_url,
        underline="none",
        color="inherit",
        width="100%",
    )


def courses_page() -> rx.Component:
    return layout(
        button_link("Start a new course", routes.COURSE_EDIT),
        rx.cond(
            CoursesState.rows.length() > 0,
            rx.vstack(rx.foreach(CoursesState.rows, _row), spacing="3", width="100%"),
            empty_state(
                "list-plus",
                "No courses yet",
                "A course is one treatment plan: a goal, the areas treated and a clinic.",
            ),
        ),
        title="Your courses",
    )


def _delete_zone() -> rx.Component:
    return rx.cond(
        CourseFormState.editing_id > 0,
        rx.vstack(
            rx.cond(
                CourseFormState.confirming_delete,
                rx.vstack(
                    rx.text(
                        "This deletes the course with all its sessions, side effects and check-ins. "
                        "It cannot be undone."
                    ),
                    rx.hstack(
                        rx.button(
                            "Yes, delete this course",
                            color_scheme="red",
                            on_click=CourseFormState.delete,
                            style=styles.tap_target,
                        ),
                        rx.button(
                            "Keep it", variant="soft", on_click=CourseFormState.cancel_delete, style=styles.tap_target
                        ),
                    ),
                    role="alert",
                ),
                rx.button(
                    "Delete this course…",
                    variant="outline",
                    color_scheme="red",
                    on_click=CourseFormState.ask_delete,
                    style=styles.tap_target,
                ),
            ),
            style=styles.card,
        ),
    )


def course_form_page() -> rx.Component:
    e = CourseFormState.errors
    return layout(
        rx.form(
            rx.vstack(
                error_summary(e, labels=LABELS, refusals=CourseFormState.refusals),
                form_id_field(CourseFormState.form_id),
                draft_note(),
                select_field(
                    LABELS["goal"],
                    name="goal",
                    options=catalog.GOALS,
                    error=error_of(e, "goal"),
                    default=CourseFormState.goal,
                ),
                areas_picker(
                    LABELS["area"], checked=CourseFormState.areas, custom=CourseFormState.custom_areas, errors=e
                ),
                field(
                    LABELS["clinic"],
                    name="clinic",
                    error=error_of(e, "clinic"),
                    default_value=CourseFormState.clinic,
                    autocomplete="organization",
                ),
                field(
                    LABELS["practitioner"],
                    name="practitioner",
                    error=error_of(e, "practitioner"),
                    default_value=CourseFormState.practitioner,
                ),
                field(
                    LABELS["clinic_phone"],
                    name="clinic_phone",
                    type="tel",
                    error=error_of(e, "clinic_phone"),
                    default_value=CourseFormState.clinic_phone,
                    autocomplete="tel",
                ),
                field(
                    LABELS["start_date"],
                    name="start_date",
                    type="date",
                    error=error_of(e, "start_date"),
                    default_value=CourseFormState.start_date,
                ),
                field(
                    LABELS["planned_sessions"],
                    name="planned_sessions",
                    type="number",
                    input_mode="numeric",
                    error=error_of(e, "planned_sessions"),
                    default_value=CourseFormState.planned_sessions,
                    hint="Typical courses are 3 to 15 sessions; this is not a promise of results.",
                ),
                select_field(
                    LABELS["status"],
                    name="status",
                    options=catalog.COURSE_STATUSES,
                    error=error_of(e, "status"),
                    default=CourseFormState.status,
                ),
                submit(rx.cond(CourseFormState.editing_id > 0, "Save changes", "Start this course")),
                spacing="4",
                width="100%",
            ),
            on_submit=CourseFormState.save,
            **kept_input(f"course-{CourseFormState.editing_id}", CourseFormState),
            width="100%",
        ),
        _delete_zone(),
        title=rx.cond(CourseFormState.editing_id > 0, "Edit course", "Start a course"),
    )
