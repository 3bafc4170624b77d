import reflex as rx

from meso_journal.components.layout import empty_state, layout


def share_page() -> rx.Component:
    return layout(
        empty_state(
            "share-2",
            "Nothing shared",
            "Sharing your log with your doctor (a private link or a PDF) is not available in this "
            "version yet. Nothing of yours is shared with anyone.",
        ),
        title="Share with your doctor",
    )
