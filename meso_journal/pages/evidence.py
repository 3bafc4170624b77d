import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.layout import plain_layout
from meso_journal.rules.evidence import EVIDENCE, UNPROVEN


def _section(section) -> rx.Component:
    return rx.vstack(
        rx.heading(section.title, as_="h2", size="4"),
        rx.el.ul(*[rx.el.li(point, margin_bottom="0.5rem") for point in section.points], padding_left="1.25rem"),
        spacing="2",
        style=styles.card,
    )


def evidence_page() -> rx.Component:
    return plain_layout(
        rx.heading("About the evidence", as_="h1", size="7"),
        rx.text(UNPROVEN, weight="medium"),
        rx.text(
            "Meso Journal helps you keep an honest record of your treatment. It does not suggest that "
            "mesotherapy works, and it is not medical advice.",
            color=styles.muted_text,
        ),
        *[_section(s) for s in EVIDENCE],
        rx.link(
            "Back to your journal", href=routes.TIMELINE, style=styles.tap_target, display="flex", align_items="center"
        ),
        tabs_when_signed_in=True,
    )
