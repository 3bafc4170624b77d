import reflex as rx

from meso_journal import styles
from meso_journal.components.forms import error_of, field, form_problem, select_field, submit
from meso_journal.components.layout import layout
from meso_journal.state.measurements import MeasurementsState as M


def _row(row) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row.what, weight="medium"),
            rx.text(row.day, size="2", color=styles.muted_text),
            spacing="0",
        ),
        rx.spacer(),
        rx.text(row.value, weight="bold"),
        rx.icon_button(
            rx.icon("trash-2", size=18),
            variant="ghost",
            color_scheme="gray",
            aria_label="Delete " + row.what + " of " + row.day,
            on_click=M.delete(row.id),
            style=styles.tap_target,
        ),
        align="center",
        width="100%",
        padding_y="0.25rem",
        border_bottom=styles.border,
    )


def measurements_page() -> rx.Component:
    e = M.errors
    return layout(
        rx.text(
            "Your impressions matter, and numbers help too: the one study of thigh fat measured size.",
            size="2",
            color=styles.muted_text,
        ),
        rx.cond(M.notice != "", rx.callout(M.notice, icon="check", role="status", width="100%")),
        rx.form(
            rx.vstack(
                form_problem(e),
                rx.el.fieldset(
                    rx.el.legend("What did you measure?", font_weight="500"),
                    rx.radio_group(
                        ["circumference", "weight"],
                        name="kind",
                        value=M.kind,
                        on_change=M.set_kind,
                        direction="row",
                        spacing="4",
                    ),
                    border="none",
                    padding="0",
                ),
                field(
                    "Date",
                    name="measured_on",
                    type="date",
                    error=error_of(e, "measured_on"),
                    custom_attrs={"data-local-today": "true"},
                    required=True,
                ),
                rx.cond(
                    M.kind == "circumference",
                    field(
                        "Where (e.g. left thigh, 10 cm above the knee)",
                        name="area",
                        error=error_of(e, "area"),
                    ),
                ),
                rx.grid(
                    field("Value", name="value", input_mode="decimal", error=error_of(e, "value"), required=True),
                    rx.cond(
                        M.kind == "circumference",
                        select_field(
                            "Unit",
                            name="unit",
                            options=["cm", "in"],
                            error=error_of(e, "unit"),
                            default=M.length_unit,
                        ),
                        select_field(
                            "Unit",
                            name="unit",
                            options=["kg", "lb"],
                            error=error_of(e, "unit"),
                            default=M.weight_unit,
                        ),
                    ),
                    columns="2fr 1fr",
                    gap="0.75rem",
                    width="100%",
                ),
                submit("Save measurement"),
                spacing="3",
                width="100%",
            ),
            on_submit=M.save,
            key=M.form_key,
            width="100%",
            style=styles.card,
        ),
        rx.heading("History", as_="h2", size="4"),
        rx.cond(
            M.rows.length() > 0,
            rx.vstack(rx.foreach(M.rows, _row), spacing="0", width="100%"),
            rx.text("No measurements yet.", color=styles.muted_text),
        ),
        rx.form(
            rx.hstack(
                select_field(
                    "Show lengths in",
                    name="length_unit",
                    options=["cm", "in"],
                    error="",
                    default=M.length_unit,
                ),
                select_field(
                    "Show weight in",
                    name="weight_unit",
                    options=["kg", "lb"],
                    error="",
                    default=M.weight_unit,
                ),
                rx.button("Save units", type="submit", variant="soft", style=styles.tap_target, align_self="end"),
                width="100%",
                align="end",
            ),
            on_submit=M.set_units,
            key=M.form_key,
            width="100%",
        ),
        title="Measurements",
    )
