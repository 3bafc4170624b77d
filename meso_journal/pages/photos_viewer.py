"""A photo full screen, with the form that corrects its area, day and session."""

import reflex as rx

from meso_journal import styles
from meso_journal.components.forms import INPUT_STYLE, error_of, error_summary
from meso_journal.components.offline import journal_photo_areas, opened_offline
from meso_journal.state.photos import PhotosState

DETAIL_LABELS = {"area": "Body area", "session": "Session", "taken_on": "Day taken"}

SELECT = INPUT_STYLE  # bordered like every other form's fields


def _select(field_id: str, label: str, name: str, errors, *options, **props) -> rx.Fragment:
    """A labelled select of a photo form, pointing at its message below
    (`<field_id>-error`) and marked invalid while `errors` names it."""
    return rx.fragment(
        rx.el.label(label, html_for=field_id, font_weight="500"),
        rx.el.select(
            *options,
            id=field_id,
            name=name,
            style=SELECT,
            aria_describedby=f"{field_id}-error",
            aria_invalid=rx.cond(errors.contains(name), "true", "false"),
            **props,
        ),
    )


def area_select(field_id: str, label: str, errors, *, offline: bool = False, **props) -> rx.Fragment:
    """The course's areas (and any a photo already has); with `offline`, on
    a page opened with no signal, the areas this phone last listed here."""
    options = rx.foreach(PhotosState.areas, lambda c: rx.el.option(c.label, value=c.value))
    if offline:
        options = rx.cond(opened_offline, rx.foreach(journal_photo_areas, lambda a: rx.el.option(a, value=a)), options)
    return _select(field_id, label, "area", errors, options, **props)


def session_select(field_id: str, label: str, errors, **props) -> rx.Fragment:
    """The course's recent sessions, or none."""
    options = rx.foreach(PhotosState.sessions, lambda c: rx.el.option(c.label, value=c.value))
    return _select(
        field_id, label, "session", errors, rx.el.option("Not tied to a session", value=""), options, **props
    )


def _detail_error(name: str) -> rx.Component:
    return rx.text(
        error_of(PhotosState.detail_errors, name), id=f"detail-{name}-error", size="2", color=rx.color("red", 11)
    )


def _details_form(item) -> rx.Component:
    """Corrects a photo's area, day or session after upload."""
    return rx.form(
        rx.vstack(
            rx.heading("Photo details", as_="h2", size="3"),
            error_summary(
                PhotosState.detail_errors, labels=DETAIL_LABELS, refusals=PhotosState.refusals, id_prefix="detail-"
            ),
            area_select("detail-area", DETAIL_LABELS["area"], PhotosState.detail_errors, default_value=item.area),
            _detail_error("area"),
            session_select(
                "detail-session", DETAIL_LABELS["session"], PhotosState.detail_errors, default_value=item.visit
            ),
            _detail_error("session"),
            rx.el.label(DETAIL_LABELS["taken_on"], html_for="detail-taken_on", font_weight="500"),
            rx.el.input(
                type="date",
                id="detail-taken_on",
                name="taken_on",
                default_value=item.taken_on,
                required=True,
                aria_describedby="detail-taken_on-error",
                aria_invalid=rx.cond(PhotosState.detail_errors.contains("taken_on"), "true", "false"),
                style=SELECT,
            ),
            _detail_error("taken_on"),
            rx.text(PhotosState.detail_notice, role="status", size="2"),
            rx.button("Save details", type="submit", size="3", width="100%", style=styles.tap_target),
            spacing="2",
            width="100%",
        ),
        on_submit=PhotosState.save_details,
        key=item.area + item.taken_on + item.visit,
        width="100%",
        style=styles.card,
    )


def viewer() -> rx.Component:
    """The photo full screen, dated; closing it returns to the gallery."""
    return rx.cond(
        PhotosState.viewing.length() > 0,
        rx.box(
            rx.foreach(
                PhotosState.viewing,
                lambda item: rx.vstack(
                    rx.hstack(
                        rx.text(item.area, " · ", item.day, color="white", weight="medium"),
                        rx.spacer(),
                        # White on the black backdrop: readable in light and dark mode alike.
                        rx.button(
                            rx.icon("x", size=18, aria_hidden="true"),
                            "Close",
                            on_click=PhotosState.close_viewer,
                            auto_focus=True,  # the dialog takes the focus when it opens
                            custom_attrs={"data-dialog-close": "true"},  # Escape presses it (focus.js)
                            size="3",
                            style={**styles.tap_target, "background": "#fff", "color": "#111"},
                        ),
                        width="100%",
                        align="center",
                        position="sticky",
                        top="0",
                        z_index="1",
                        background="#000",
                        padding="calc(0.5rem + env(safe-area-inset-top)) 0 0.5rem",
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
                    padding="0 0.75rem 0.75rem",
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
            background="#000",
            overflow_y="auto",
        ),
    )
