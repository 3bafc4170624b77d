"""The side-effect rating grid: the twelve reported effects plus "other",
each none / mild / moderate / severe, with how many days it lasted."""

from __future__ import annotations

import reflex as rx

from meso_journal import styles
from meso_journal.components.forms import _INPUT_STYLE, error_of
from meso_journal.rules import catalog

SEVERITY_LABELS = {s: s.capitalize() for s in catalog.SEVERITIES}


def _row(key: str, label: str, errors: rx.Var, ratings: rx.Var, days: rx.Var | None) -> rx.Component:
    name = f"effect:{key}"
    return rx.box(
        rx.grid(
            rx.el.label(label, html_for=f"field-{name}", align_self="center"),
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in SEVERITY_LABELS.items()],
                id=f"field-{name}",
                name=name,
                default_value=ratings.get(key, "none").to(str),
                aria_describedby=f"field-{name}-error",
                style=_INPUT_STYLE,
            ),
            *(
                [
                    rx.el.input(
                        type="number",
                        name=f"days:{key}",
                        input_mode="numeric",
                        min=0,
                        max=365,
                        placeholder="days",
                        aria_label=f"{label}: days it lasted",
                        default_value=days.get(key, "").to(str),
                        style={**_INPUT_STYLE, "width": "5.5rem"},
                    )
                ]
                if days is not None
                else []
            ),
            columns="1fr 8.5rem auto" if days is not None else "1fr 8.5rem",
            gap="0.5rem",
            width="100%",
        ),
        rx.text(
            error_of(errors, name),
            id=f"field-{name}-error",
            size="2",
            color=rx.color("red", 11),
            role="alert",
        ),
        width="100%",
    )


def rating_grid(*, errors: rx.Var, ratings: rx.Var, days: rx.Var | None, other_name: rx.Var) -> rx.Component:
    """ratings: effect -> severity key; days: effect -> days text (None hides days)."""
    return rx.el.fieldset(
        rx.el.legend("Side effects", font_weight="600", margin_bottom="0.25rem"),
        rx.text(
            "Your own impression of each one" + (", and how many days it lasted." if days is not None else " today."),
            size="2",
            color=styles.muted_text,
        ),
        rx.vstack(
            *[_row(key, label, errors, ratings, days) for key, label in catalog.SIDE_EFFECTS.items()],
            rx.el.input(
                name="other_effect_name",
                placeholder="Something else? Name it",
                aria_label="Other side effect: name",
                default_value=other_name,
                style=_INPUT_STYLE,
            ),
            rx.text(error_of(errors, "other_effect_name"), size="2", color=rx.color("red", 11), role="alert"),
            _row("other", "Other (named above)", errors, ratings, days),
            spacing="2",
            width="100%",
        ),
        border="none",
        padding="0",
        margin="0",
        width="100%",
    )
