import reflex as rx

from meso_journal import styles
from meso_journal.components.forms import (
    after_save,
    draft_note,
    effect_labels,
    error_of,
    error_summary,
    field,
    form_id_field,
    kept_input,
    submit,
    textarea_field,
)
from meso_journal.components.layout import layout
from meso_journal.components.side_effects import rating_grid
from meso_journal.state.checkin import CheckInState

# Field labels, also used by the error summary to say which field a message is about.
LABELS = {"checked_on": "Day of this check-in", "note": "Notes", **effect_labels(with_days=False)}


def _suggestion(choice) -> rx.Component:
    return rx.button(
        choice.label,
        type="button",
        variant="soft",
        # local-now.js puts the day in the field, in the page: with no
        # connection too (the field is the page's, not the server's), and
        # marks the chip of the day the field holds, typed or picked
        # (theme.css draws it pressed).
        aria_pressed=rx.cond(CheckInState.checked_on == choice.value, "true", "false"),
        custom_attrs={"data-fills": "field-checked_on", "data-value": choice.value},
        class_name="meso-day-chip",
        style=styles.tap_target,
    )


def checkin_page() -> rx.Component:
    e = CheckInState.errors
    return layout(
        rx.text("How are things since your session of ", rx.text.strong(CheckInState.session_label), "?"),
        rx.form(
            rx.vstack(
                error_summary(e, labels=LABELS, refusals=CheckInState.refusals),
                form_id_field(CheckInState.form_id),
                draft_note(),
                rx.flex(rx.foreach(CheckInState.suggestions, _suggestion), gap="0.5rem", wrap="wrap"),
                field(
                    LABELS["checked_on"],
                    name="checked_on",
                    type="date",
                    error=error_of(e, "checked_on"),
                    # Uncontrolled: what the patient picks stays in the page,
                    # with or without a connection (outbox.js sends it).
                    default_value=CheckInState.checked_on,
                ),
                rx.cond(
                    CheckInState.filled_from != "",
                    rx.callout(CheckInState.filled_from, icon="info", size="1", color_scheme="gray", width="100%"),
                ),
                rating_grid(
                    errors=e, ratings=CheckInState.ratings, days=None, other_name=CheckInState.other_effect_name
                ),
                textarea_field(LABELS["note"], name="note", error=error_of(e, "note")),
                submit("Save check-in"),
                after_save("checkin"),
                spacing="4",
                width="100%",
            ),
            on_submit=CheckInState.save,
            **kept_input(
                f"checkin-{CheckInState.visit_id}", CheckInState, outbox="checkin", parent=CheckInState.visit_id
            ),
            width="100%",
        ),
        title="Check in",
    )
