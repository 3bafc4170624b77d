"""Asking before anything is destroyed: one pattern for every delete and revoke.

The first tap only asks; the question sits where the patient tapped, with
the destructive choice in red and a way out beside it."""

from __future__ import annotations

import reflex as rx

from meso_journal import styles


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
