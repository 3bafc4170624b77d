"""Form pieces for plain HTML forms posted to our own routes (web.py).

Reflex's rx.el.form always prevents the browser's own submission; account
forms need it (the cookie is set by the response), so NativeForm is the bare
<form> element.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML

from meso_journal import styles


class NativeForm(BaseHTML):
    tag = "form"
    action: rx.Var[str]
    method: rx.Var[str]
    no_validate: rx.Var[bool]


native_form = NativeForm.create


def field(
    label: str,
    *,
    name: str,
    error: rx.Var[str],
    type: str = "text",
    autocomplete: str = "off",
    hint: str = "",
    **input_props,
) -> rx.Component:
    """A labelled input with its hint and its error tied to it for screen readers."""
    field_id = f"field-{name}"
    described = " ".join(x for x in (f"{field_id}-hint" if hint else "", f"{field_id}-error") if x)
    return rx.box(
        rx.el.label(label, html_for=field_id, font_weight="500", display="block", margin_bottom="0.25rem"),
        rx.el.input(
            id=field_id,
            name=name,
            type=type,
            auto_complete=autocomplete,
            aria_describedby=described,
            aria_invalid=rx.cond(error != "", "true", "false"),
            style={
                **styles.input_style,
                "padding": "0 0.75rem",
                "border": styles.border,
                "border_radius": "var(--radius-3)",
                "background": rx.color("gray", 1),
                "color": rx.color("gray", 12),
            },
            **input_props,
        ),
        rx.cond(
            hint != "",
            rx.text(hint, id=f"{field_id}-hint", size="2", color=styles.muted_text, margin_top="0.25rem"),
        ),
        rx.text(
            error,
            id=f"{field_id}-error",
            size="2",
            color=rx.color("red", 11),
            margin_top="0.25rem",
            role="alert",
        ),
        width="100%",
    )


def submit(label: str, **props) -> rx.Component:
    return rx.button(label, type="submit", size="3", width="100%", style=styles.tap_target, **props)
