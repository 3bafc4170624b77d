"""The side-effect rating grid: the twelve reported effects plus "other",
each none / mild / moderate / severe, with how many days it lasted."""

from __future__ import annotations

import reflex as rx

from meso_journal import styles
from meso_journal.components.forms import INPUT_STYLE, error_of
from meso_journal.rules import catalog

SEVERITY_LABELS = {s: s.capitalize() for s in catalog.SEVERITIES}


def _error(name: str, errors: rx.Var) -> rx.Component:
    return rx.text(error_of(errors, name), id=f"field-{name}-error", size="2", color=rx.color("red", 11))


def _row(key: str, label: str, errors: rx.Var, ratings: rx.Var, days: rx.Var | None) -> rx.Component:
    """The effect's name on its own line (long names stay on one line at
    360 px), then how bad it was and, optionally, for how many days."""
    name, days_name = f"effect:{key}", f"days:{key}"
    severity = rx.el.select(
        *[rx.el.option(text, value=value) for value, text in SEVERITY_LABELS.items()],
        id=f"field-{name}",
        name=name,
        default_value=ratings.get(key, "none").to(str),
        aria_describedby=f"field-{name}-error",
        aria_invalid=rx.cond(errors.contains(name), "true", "false"),
        style=INPUT_STYLE,
    )
    how_long = rx.el.label(
        rx.text("for", as_="span", color=styles.muted_text),
        rx.el.input(
            type="number",
            id=f"field-{days_name}",
            name=days_name,
            input_mode="numeric",
            min=0,
            max=365,
            aria_label=f"{label}: days it lasted (optional)",
            aria_describedby=f"field-{days_name}-error",
            aria_invalid=rx.cond(errors.contains(days_name), "true", "false"),
            default_value=days.get(key, "").to(str) if days is not None else "",
            style={**INPUT_STYLE, "width": "4.5rem"},
        ),
        rx.text("days", as_="span", color=styles.muted_text),
        html_for=f"field-{days_name}",
        display="flex",
        align_items="center",
        gap="0.4rem",
        white_space="nowrap",
    )
    return rx.box(
        rx.el.label(label, html_for=f"field-{name}", font_weight="500", display="block", margin_bottom="0.25rem"),
        rx.flex(severity, how_long, gap="0.75rem", align="center") if days is not None else severity,
        _error(name, errors),
        *([_error(days_name, errors)] if days is not None else []),
        width="100%",
    )


def rating_grid(*, errors: rx.Var, ratings: rx.Var, days: rx.Var | None, other_name: rx.Var) -> rx.Component:
    """ratings: effect -> severity key; days: effect -> days text (None hides days)."""
    return rx.el.fieldset(
        rx.el.legend("Side effects", font_weight="600", margin_bottom="0.25rem"),
        rx.text(
            "Your own impression of each one"
            + (", and for how many days, if you know (leave it empty if not)." if days is not None else " today."),
            size="2",
            color=styles.muted_text,
        ),
        rx.vstack(
            *[_row(key, label, errors, ratings, days) for key, label in catalog.SIDE_EFFECTS.items()],
            rx.box(
                rx.el.label(
                    "Something else? Name it",
                    html_for="field-other_effect_name",
                    font_weight="500",
                    display="block",
                    margin_bottom="0.25rem",
                ),
                rx.el.input(
                    id="field-other_effect_name",
                    name="other_effect_name",
                    aria_describedby="field-other_effect_name-error",
                    aria_invalid=rx.cond(errors.contains("other_effect_name"), "true", "false"),
                    default_value=other_name,
                    style=INPUT_STYLE,
                ),
                width="100%",
            ),
            _error("other_effect_name", errors),
            _row("other", "Other (named above)", errors, ratings, days),
            spacing="2",
            width="100%",
        ),
        border="none",
        padding="0",
        margin="0",
        width="100%",
    )
