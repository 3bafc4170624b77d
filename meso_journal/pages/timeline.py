import reflex as rx

from meso_journal.components.layout import empty_state, layout, unproven_note


def timeline_page() -> rx.Component:
    return layout(
        unproven_note(),
        empty_state(
            "calendar-days",
            "Nothing logged yet",
            "Your sessions, side effects, photos and measurements will appear here, in order, "
            "next to the typical course of 3 to 15 sessions.",
        ),
        title="Timeline",
    )
