import reflex as rx

from meso_journal import styles
from meso_journal.components.confirm import ask_when, delete_icon
from meso_journal.components.forms import (
    draft_note,
    error_of,
    error_summary,
    field,
    form_id_field,
    kept_input,
    refresh_when_sent,
    select_field,
    submit,
)
from meso_journal.components.layout import layout
from meso_journal.components.offline import journal_course, opened_offline
from meso_journal.state.measurements import MeasurementsState

KINDS = {"circumference": "Circumference (tape measure)", "weight": "Weight"}
# Field labels, also used by the error summary to say which field a message is about.
LABELS = {
    "kind": "What did you measure?",
    "measured_on": "Date",
    "area": "Where (e.g. left thigh, 10 cm above the knee)",
    "value": "Value",
    "unit": "Unit",
}


def _row(row) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.vstack(
                rx.text(row.what, weight="medium"),
                rx.text(row.day, size="2", color=styles.muted_text),
                spacing="0",
            ),
            rx.spacer(),
            rx.text(row.value, weight="bold"),
            delete_icon("Delete " + row.what + " of " + row.day, MeasurementsState.ask_delete(row.id), size=18),
            align="center",
            width="100%",
        ),
        ask_when(
            MeasurementsState.confirm_delete_id == row.id,
            "Delete " + row.what + " of " + row.day + "?",
            on_confirm=MeasurementsState.delete,
            on_keep=MeasurementsState.cancel_delete,
        ),
        spacing="2",
        width="100%",
        padding_y="0.25rem",
        border_bottom=styles.border,
    )


def _kind_choice() -> rx.Component:
    """Native radios: big labels, and the choice changes which fields apply."""
    return rx.el.fieldset(
        rx.el.legend(LABELS["kind"], font_weight="500", margin_bottom="0.25rem"),
        rx.flex(
            *[
                rx.el.label(
                    rx.el.input(
                        type="radio",
                        name="kind",
                        value=value,
                        id=f"field-kind-{value}",
                        # Uncontrolled: the dot moves at once, and the fields with it
                        # (choices.js); the server keeps the choice for a refusal.
                        default_checked=MeasurementsState.kind == value,
                        on_change=MeasurementsState.set_kind(value),
                        style={"width": "20px", "height": "20px", "accent_color": rx.color(styles.ACCENT, 9)},
                    ),
                    text,
                    html_for=f"field-kind-{value}",
                    display="flex",
                    align_items="center",
                    gap="0.5rem",
                    min_height="44px",
                    padding_right="1rem",
                )
                for value, text in KINDS.items()
            ],
            wrap="wrap",
        ),
        border="none",
        padding="0",
        margin="0",
    )


def _for_kind(kind: str, child: rx.Component) -> rx.Component:
    """Fields that apply to one kind of measurement only (assets/choices.js)."""
    return rx.el.div(child, custom_attrs={"data-shown-when": f"kind={kind}"}, width="100%")


# The units each kind is measured in (the first is used when none is preferred).
UNITS = {"circumference": ["cm", "in"], "weight": ["kg", "lb"]}


def _unit_select() -> rx.Component:
    """One select with every kind's units; choices.js offers those of the
    chosen kind, starting from the patient's usual one (data-preferred)."""
    preferred = {"circumference": MeasurementsState.length_unit, "weight": MeasurementsState.weight_unit}
    return select_field(
        LABELS["unit"],
        name="unit",
        options=[unit for units in UNITS.values() for unit in units],
        option_attrs={
            unit: {"data-shown-when": f"kind={kind}", "data-preferred": rx.cond(preferred[kind] == unit, "true", None)}
            for kind, units in UNITS.items()
            for unit in units
        },
        error=error_of(MeasurementsState.errors, "unit"),
        default=rx.cond(
            MeasurementsState.kind == "weight", MeasurementsState.weight_unit, MeasurementsState.length_unit
        ),
    )


def _form() -> rx.Component:
    e = MeasurementsState.errors
    return rx.form(
        rx.vstack(
            error_summary(e, labels=LABELS, refusals=MeasurementsState.refusals),
            form_id_field(MeasurementsState.form_id),
            draft_note(),
            _kind_choice(),
            field(
                LABELS["measured_on"],
                name="measured_on",
                type="date",
                error=error_of(e, "measured_on"),
                custom_attrs={"data-local-today": "true"},
                required=True,
            ),
            # Both kinds' fields are in the page; choices.js shows the chosen
            # kind's, at once and with no connection too.
            _for_kind("circumference", field(LABELS["area"], name="area", error=error_of(e, "area"))),
            rx.grid(
                field(LABELS["value"], name="value", input_mode="decimal", error=error_of(e, "value"), required=True),
                _unit_select(),
                columns="2fr 1fr",
                gap="0.75rem",
                width="100%",
            ),
            submit("Save measurement"),
            spacing="3",
            width="100%",
        ),
        on_submit=MeasurementsState.save,
        **kept_input(
            f"measurement-{journal_course}",
            MeasurementsState,
            outbox="measurement",
            parent=journal_course,
        ),
        width="100%",
        style=styles.card,
    )


def _units_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            select_field(
                "Show lengths in",
                name="length_unit",
                options=["cm", "in"],
                error="",
                default=MeasurementsState.length_unit,
            ),
            select_field(
                "Show weight in",
                name="weight_unit",
                options=["kg", "lb"],
                error="",
                default=MeasurementsState.weight_unit,
            ),
            rx.button("Save units", type="submit", variant="soft", style=styles.tap_target, align_self="end"),
            width="100%",
            align="end",
        ),
        on_submit=MeasurementsState.set_units,
        key=MeasurementsState.form_key,
        width="100%",
    )


def measurements_page() -> rx.Component:
    return layout(
        rx.text(
            "Your impressions matter, and numbers help too: the one study of thigh fat measured size.",
            size="2",
            color=styles.muted_text,
        ),
        rx.cond(
            MeasurementsState.notice != "",
            rx.callout(MeasurementsState.notice, icon="check", role="status", width="100%"),
        ),
        _form(),
        refresh_when_sent(MeasurementsState.load),
        rx.cond(
            opened_offline,
            # The history and the units are the journal's, on the server.
            rx.fragment(),
            rx.fragment(
                rx.heading("History", as_="h2", size="4"),
                rx.cond(
                    MeasurementsState.rows.length() > 0,
                    rx.vstack(rx.foreach(MeasurementsState.rows, _row), spacing="0", width="100%"),
                    rx.text("No measurements yet.", color=styles.muted_text),
                ),
                _units_form(),
            ),
        ),
        title="Measurements",
        works_offline=True,
    )
