"""A photo full screen, with the form that corrects its area, day and session."""

import reflex as rx

from meso_journal import styles
from meso_journal.state.photos import PhotosState as P

SELECT = {"font_size": "16px", "min_height": "44px", "width": "100%"}


def area_select(field_id: str, label: str = "Body area", **props) -> rx.Fragment:
    """The course's areas (and any a photo already has), as a labelled select."""
    return rx.fragment(
        rx.el.label(label, html_for=field_id, font_weight="500"),
        rx.el.select(
            rx.foreach(P.areas, lambda c: rx.el.option(c.label, value=c.value)),
            id=field_id,
            name="area",
            style=SELECT,
            **props,
        ),
    )


def session_select(field_id: str, label: str, **props) -> rx.Fragment:
    """The course's recent sessions, or none, as a labelled select."""
    return rx.fragment(
        rx.el.label(label, html_for=field_id, font_weight="500"),
        rx.el.select(
            rx.el.option("Not tied to a session", value=""),
            rx.foreach(P.sessions, lambda c: rx.el.option(c.label, value=c.value)),
            id=field_id,
            name="session",
            style=SELECT,
            **props,
        ),
    )


def _details_form(item) -> rx.Component:
    """Corrects a photo's area, day or session after upload."""
    return rx.form(
        rx.vstack(
            rx.heading("Photo details", as_="h2", size="3"),
            area_select("detail-area", default_value=item.area),
            session_select("detail-session", "Session", default_value=item.session),
            rx.el.label("Day taken", html_for="detail-taken_on", font_weight="500"),
            rx.el.input(
                type="date",
                id="detail-taken_on",
                name="taken_on",
                default_value=item.taken_on,
                required=True,
                aria_describedby="detail-error",
                style=SELECT,
            ),
            rx.text(P.detail_error, id="detail-error", role="alert", size="2", color=rx.color("red", 11)),
            rx.text(P.detail_notice, role="status", size="2"),
            rx.button("Save details", type="submit", size="3", width="100%", style=styles.tap_target),
            spacing="2",
            width="100%",
        ),
        on_submit=P.save_details,
        key=item.area + item.taken_on + item.session,
        width="100%",
        style=styles.card,
    )


def viewer() -> rx.Component:
    """The photo full screen, dated; closing it returns to the gallery."""
    return rx.cond(
        P.viewing.length() > 0,
        rx.box(
            rx.foreach(
                P.viewing,
                lambda item: rx.vstack(
                    rx.hstack(
                        rx.text(item.area, " · ", item.day, color="white"),
                        rx.spacer(),
                        rx.button("Close", on_click=P.close_viewer, variant="soft", style=styles.tap_target),
                        width="100%",
                        align="center",
                    ),
                    rx.image(
                        src=item.display,
                        alt=item.area + ", " + item.day,
                        max_width="100%",
                        max_height="80vh",
                        margin="0 auto",
                    ),
                    _details_form(item),
                    width="100%",
                    padding="calc(0.75rem + env(safe-area-inset-top)) 0.75rem 0.75rem",
                ),
            ),
            role="dialog",
            aria_modal="true",
            aria_label="Photo",
            position="fixed",
            top="0",
            left="0",
            right="0",
            bottom="0",
            z_index="50",
            background="rgba(0, 0, 0, 0.92)",
            overflow_y="auto",
        ),
    )
