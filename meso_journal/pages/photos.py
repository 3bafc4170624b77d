import reflex as rx

from meso_journal.components.layout import empty_state, layout


def photos_page() -> rx.Component:
    return layout(
        empty_state(
            "camera",
            "No photos yet",
            "Progress photos are not available in this version yet. When they are, they stay private "
            "to you: never public links, with location data removed.",
        ),
        title="Photos",
    )
