"""The cards at the top of the timeline: where the course stands, red flags,
the side-effect chart, costs."""

from __future__ import annotations

import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.layout import download_link
from meso_journal.pages.timeline_charts import line_chart
from meso_journal.state.timeline import TimelineState

PHASES = {
    "": "Work it out from my sessions",
    "weekly": "Every 7–10 days",
    "fortnightly": "Every two weeks",
    "monthly": "Monthly",
}


def _line(text) -> rx.Component:
    return rx.text(text, size="2")


def position_card() -> rx.Component:
    return rx.vstack(
        rx.heading(TimelineState.course_title, as_="h2", size="4"),
        # Each part isolated (<bdi>): a right-to-left clinic name must not
        # carry the separators and its neighbours along with it.
        rx.text(
            rx.foreach(
                TimelineState.course_detail,
                lambda part, i: rx.fragment(rx.cond(i > 0, " · ", ""), rx.el.bdi(part)),
            ),
            size="2",
            color=styles.muted_text,
        ),
        rx.text(TimelineState.headline, size="5", weight="bold"),
        rx.text("A typical range, not a promise.", size="2", color=styles.muted_text),
        rx.foreach(TimelineState.course_notes, _line),
        rx.cond(TimelineState.phase_text != "", _line(TimelineState.phase_text)),
        rx.cond(
            TimelineState.window_text != "",
            rx.text(
                TimelineState.window_text,
                weight="medium",
                color=rx.cond(TimelineState.overdue, rx.color("orange", 11), "inherit"),
            ),
        ),
        rx.cond(
            TimelineState.nsaid_text != "",
            rx.callout(
                TimelineState.nsaid_text,
                icon="pill",
                color_scheme=rx.cond(TimelineState.in_nsaid_pause, "orange", "gray"),
                width="100%",
            ),
        ),
        rx.cond(
            TimelineState.has_calendar,
            download_link(
                rx.icon("calendar-plus", size=18, aria_hidden="true"), "Add to my calendar", href=routes.API_CALENDAR
            ),
        ),
        rx.el.details(
            rx.el.summary(
                "My practitioner spaced my sessions differently", style={"min_height": "44px", "cursor": "pointer"}
            ),
            rx.el.label(
                "How often are your sessions now?", html_for="field-phase", display="block", margin_top="0.5rem"
            ),
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in PHASES.items()],
                id="field-phase",
                value=TimelineState.phase_override,
                on_change=TimelineState.set_phase,
                style={"font_size": "16px", "min_height": "44px", "width": "100%"},
            ),
        ),
        spacing="2",
        style=styles.card,
    )


def red_flag_card() -> rx.Component:
    return rx.cond(
        TimelineState.flags.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("phone")),
            rx.vstack(
                rx.text("Worth a call to your practitioner", weight="bold"),
                rx.foreach(TimelineState.flags, lambda f: rx.text("• ", f, size="2")),
                rx.text(
                    "The app cannot tell what this means; your practitioner can. "
                    "If you feel very unwell, seek urgent care.",
                    size="2",
                ),
                rx.cond(
                    TimelineState.clinic_phone != "",
                    rx.link(
                        rx.button(
                            rx.icon("phone", size=16, flex_shrink="0"),
                            # The clinic's name may be in any script: isolated, so a
                            # right-to-left name cannot reorder the number after it,
                            # and the number is always read left to right.
                            rx.text(
                                "Call ",
                                rx.el.bdi(rx.cond(TimelineState.clinic != "", TimelineState.clinic, "the clinic")),
                                " · ",
                                rx.el.span(TimelineState.clinic_phone, dir="ltr", white_space="nowrap"),
                                as_="span",
                                overflow_wrap="anywhere",
                            ),
                            size="3",
                            style={
                                **styles.tap_target,
                                "height": "auto",
                                "white_space": "normal",
                                "text_align": "left",
                                "padding_top": "0.5rem",
                                "padding_bottom": "0.5rem",
                            },
                        ),
                        href="tel:" + TimelineState.clinic_phone,
                    ),
                    rx.cond(TimelineState.clinic != "", rx.text("Clinic: ", TimelineState.clinic, size="2")),
                ),
                spacing="2",
            ),
            color_scheme="orange",
            role="alert",
            width="100%",
        ),
    )


def chart_card() -> rx.Component:
    return rx.cond(
        TimelineState.effects_chart.rows.length() > 1,
        rx.vstack(
            rx.heading("Side effects and pain per session", as_="h2", size="4"),
            rx.text("Your own ratings, each on its own scale.", size="2", color=styles.muted_text),
            rx.heading("Worst side effect", as_="h3", size="3"),
            rx.text("0 none, 1 mild, 2 moderate, 3 severe.", size="2", color=styles.muted_text),
            line_chart(
                TimelineState.effects_chart, description="Line chart of the worst side effect you rated per session"
            ),
            rx.heading("Pain during the session", as_="h3", size="3"),
            rx.text("0 none to 10 worst.", size="2", color=styles.muted_text),
            line_chart(TimelineState.pain_chart, description="Line chart of the pain you rated per session"),
            spacing="2",
            style=styles.card,
        ),
    )


def _titled_chart(title: str, chart, description: str) -> rx.Component:
    return rx.cond(
        chart.rows.length() > 1,
        rx.vstack(
            rx.heading(title, as_="h3", size="3"),
            line_chart(chart, description=description),
            spacing="2",
            width="100%",
        ),
    )


def measurement_chart_card() -> rx.Component:
    # Tape measurements and weight each on a scale of their own.
    return rx.cond(
        (TimelineState.measure_chart.rows.length() > 1) | (TimelineState.weight_chart.rows.length() > 1),
        rx.vstack(
            rx.heading("Measurements over time", as_="h2", size="4"),
            rx.text("In your units.", size="2", color=styles.muted_text),
            _titled_chart(
                "Tape measure", TimelineState.measure_chart, "Line chart of your tape measurements over time"
            ),
            _titled_chart("Weight", TimelineState.weight_chart, "Line chart of your weight over time"),
            spacing="3",
            style=styles.card,
        ),
    )


def costs_card() -> rx.Component:
    return rx.cond(
        TimelineState.session_count > 0,
        rx.vstack(
            rx.heading("Costs", as_="h2", size="4"),
            rx.foreach(TimelineState.cost_lines, _line),
            rx.foreach(TimelineState.cost_context, lambda t: rx.text(t, size="2", color=styles.muted_text)),
            spacing="2",
            style=styles.card,
        ),
    )
