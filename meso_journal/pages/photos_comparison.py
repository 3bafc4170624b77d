"""The before-and-after comparison on the Photos page."""

import reflex as rx

from meso_journal import styles
from meso_journal.rules.evidence import PHOTO_NOTE
from meso_journal.state.photos import PhotosState


def comparison() -> rx.Component:
    """Two photos of one area side by side, and one over the other with a slider."""
    a, b = PhotosState.compared[0], PhotosState.compared[1]
    return rx.cond(
        PhotosState.compared.length() == 2,
        rx.vstack(
            rx.heading("Before and after", as_="h2", size="4"),
            rx.text(PHOTO_NOTE, size="2", color=styles.muted_text),
            rx.cond(
                PhotosState.compare_problem != "",
                rx.callout(PhotosState.compare_problem, icon="info", width="100%"),
                rx.vstack(
                    rx.grid(
                        rx.vstack(
                            rx.image(src=a.display, alt="Earlier: " + a.day, width="100%"), rx.text(a.day, size="2")
                        ),
                        rx.vstack(
                            rx.image(src=b.display, alt="Later: " + b.day, width="100%"), rx.text(b.day, size="2")
                        ),
                        columns="2",
                        gap="0.5rem",
                        width="100%",
                    ),
                    rx.box(
                        rx.image(src=b.display, alt="", width="100%", display="block"),
                        rx.image(
                            src=a.display,
                            alt="",
                            width="100%",
                            position="absolute",
                            top="0",
                            left="0",
                            style={"clip_path": "inset(0 " + (100 - PhotosState.reveal).to_string() + "% 0 0)"},
                        ),
                        position="relative",
                        width="100%",
                    ),
                    rx.el.input(
                        type="range",
                        min=0,
                        max=100,
                        value=PhotosState.reveal,
                        on_change=PhotosState.set_reveal.throttle(100),
                        aria_label="Reveal the earlier photo over the later one",
                        style={"width": "100%", "min_height": "44px", "accent_color": rx.color(styles.ACCENT, 9)},
                    ),
                    width="100%",
                ),
            ),
            spacing="2",
            style=styles.card,
        ),
    )
