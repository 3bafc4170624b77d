"""Asking before anything is destroyed: one pattern for every delete and revoke.

The first tap only asks; the question sits where the patient tapped, with
the destructive choice in red and a way out beside it."""

from __future__ import annotations

import reflex as rx

from meso_journal import styles


def delete_icon(label, on_click, *, size: int = 16, color_scheme: str = "gray") -> rx.Component:
    """The trash-can button that asks (its on_click names what to ask about)."""
    return rx.icon_button(
        rx.icon("trash-2", size=size),
        variant="ghost",
        color_scheme=color_scheme,
        aria_label=label,
        on_click=on_click,
        style=styles.tap_target,
    )


def ask_when(asking, question, *, on_confirm, on_keep, confirm: str = "Delete") -> rx.Component:
    """The question, shown while `asking` holds (the row it is about was tapped)."""
    return rx.cond(asking, confirm_bar(question, confirm=confirm, on_confirm=on_confirm, on_keep=on_keep))


def confirm_bar(question, *, confirm: str, on_confirm, on_keep, keep: str = "Keep it") -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(question, weight="medium"),
            rx.hstack(
                rx.button(confirm, color_scheme="red", on_click=on_confirm, style=styles.tap_target),
                # The keyboard lands on the safe choice when the question appears.
                rx.button(
                    keep,
                    variant="soft",
                    color_scheme="gray",
                    on_click=on_keep,
                    auto_focus=True,
                    style=styles.tap_target,
                ),
                spacing="3",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        icon="trash-2",
        color_scheme="red",
        role="alert",
        width="100%",
    )
