import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.forms import native_form
from meso_journal.components.layout import button_link, empty_state, layout, unproven_note
from meso_journal.components.photo_comparison import comparison
from meso_journal.components.photo_viewer import SELECT, area_select, session_select, viewer
from meso_journal.state.base import AppState
from meso_journal.state.photos import PhotosState as P


def _file_input(label: str, **props) -> rx.Component:
    return rx.el.label(
        rx.hstack(rx.icon("camera" if props.get("capture") else "images", size=20), rx.text(label), align="center"),
        rx.el.input(
            type="file",
            name="photos",
            accept="image/*,.heic,.heif",
            multiple=True,
            style={"width": "100%", "max_width": "100%", "min_height": "44px", "font_size": "16px"},
            **props,
        ),
        display="flex",
        flex_direction="column",
        gap="0.25rem",
        min_height="44px",
    )


def _upload_form() -> rx.Component:
    return native_form(
        rx.vstack(
            rx.heading("Add photos", as_="h2", size="4"),
            _file_input("Take a photo", capture="environment"),
            _file_input("Or choose from your gallery"),
            area_select("field-area"),
            session_select("field-session", "Session (optional)"),
            rx.el.label("Day taken (optional)", html_for="field-taken_on", font_weight="500"),
            rx.el.input(type="date", id="field-taken_on", name="taken_on", style=SELECT),
            rx.text("Leave it empty to use the date the camera stored.", size="2", color=styles.muted_text),
            rx.el.input(type="hidden", name="course", value=AppState.course_id.to_string()),
            rx.button("Upload", type="submit", size="3", width="100%", style=styles.tap_target),
            rx.el.progress(
                max=100,
                value=0,
                hidden=True,
                custom_attrs={"data-upload-bar": "true"},
                aria_label="Upload progress",
                width="100%",
            ),
            rx.el.span(role="status", aria_live="polite", custom_attrs={"data-upload-status": "true"}),
            rx.text(
                "Location and other hidden details are removed from every photo.", size="2", color=styles.muted_text
            ),
            spacing="2",
            width="100%",
        ),
        action=routes.API_PHOTOS,
        method="post",
        enc_type="multipart/form-data",
        custom_attrs={"data-upload-progress": "true"},
        style=styles.card,
    )


def _thumb(item) -> rx.Component:
    picked = P.compare_ids.contains(item.id)
    return rx.vstack(
        rx.el.button(
            rx.image(
                src=item.thumb,
                alt=item.area + ", " + item.day,
                loading="lazy",
                width="100%",
                height="auto",
                border_radius="var(--radius-3)",
            ),
            type="button",
            on_click=P.view(item.id),
            aria_label="Open " + item.area + ", " + item.day,
            style={"padding": "0", "border": "none", "background": "none", "cursor": "zoom-in", "width": "100%"},
        ),
        rx.text(item.area, " · ", item.day, size="1"),
        rx.hstack(
            rx.button(
                rx.cond(picked, "Picked", "Compare"),
                variant=rx.cond(picked, "solid", "soft"),
                size="1",
                on_click=P.toggle_compare(item.id),
                style=styles.tap_target,
            ),
            rx.icon_button(
                rx.icon("trash-2", size=16),
                variant="ghost",
                color_scheme="red",
                aria_label="Delete photo of " + item.area + ", " + item.day,
                on_click=P.ask_delete(item.id),
                style=styles.tap_target,
            ),
            justify="between",
            width="100%",
        ),
        spacing="1",
    )


def _area_filter() -> rx.Component:
    return rx.cond(
        P.areas.length() > 1,
        rx.box(
            rx.el.label("Show", html_for="field-area-filter", font_weight="500"),
            rx.el.select(
                rx.el.option("All areas", value=""),
                rx.foreach(P.areas, lambda c: rx.el.option(c.label, value=c.value)),
                id="field-area-filter",
                value=P.area_filter,
                on_change=P.set_area_filter,
                style=SELECT,
            ),
            width="100%",
        ),
    )


def _confirm_delete() -> rx.Component:
    return rx.cond(
        P.confirm_delete_id > 0,
        rx.callout(
            rx.hstack(
                rx.text("Delete this photo for good?"),
                rx.button("Delete", color_scheme="red", on_click=P.delete, style=styles.tap_target),
                rx.button("Keep", variant="soft", on_click=P.cancel_delete, style=styles.tap_target),
                align="center",
                wrap="wrap",
            ),
            icon="trash-2",
            role="alert",
            width="100%",
        ),
    )


def photos_page() -> rx.Component:
    return layout(
        unproven_note(),
        rx.cond(P.notice != "", rx.callout(P.notice, icon="check", role="status", width="100%")),
        rx.foreach(
            P.errors, lambda e: rx.callout(e, icon="triangle-alert", color_scheme="red", role="alert", width="100%")
        ),
        rx.cond(
            AppState.course_id > 0,
            rx.vstack(
                _upload_form(),
                viewer(),
                _confirm_delete(),
                comparison(),
                rx.cond(
                    P.items.length() > 0,
                    rx.vstack(
                        _area_filter(),
                        rx.grid(rx.foreach(P.shown, _thumb), columns="2", gap="0.75rem", width="100%"),
                        width="100%",
                    ),
                    empty_state("camera", "No photos yet", "Photos stay private to you, with location data removed."),
                ),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                empty_state("camera", "Start a course first", "Photos belong to a course and a body area."),
                button_link("Start a course", routes.COURSE_EDIT),
                width="100%",
            ),
        ),
        title="Photos",
    )
