import reflex as rx

from meso_journal.components.layout import empty_state, layout


def log_page() -> rx.Component:
    return layout(
        empty_state(
            "circle-plus",
            "Session logging is not here yet",
            "This version of Meso Journal can keep your account safe but cannot record sessions yet. "
            "Keep your notes for now; logging comes in the next release.",
        ),
        title="Log a session",
    )
