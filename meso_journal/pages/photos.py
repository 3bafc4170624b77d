import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.confirm import ask_when, delete_icon
from meso_journal.components.forms import error_of, error_summary, native_form
from meso_journal.components.layout import button_link, empty_state, layout, unproven_note
from meso_journal.components.offline import journal_course, opened_offline
from meso_journal.pages.photos_comparison import comparison
from meso_journal.pages.photos_viewer import SELECT, area_select, session_select, viewer
from meso_journal.state.photos import PhotosState

# Field labels, also used by the error summary to say which field a message is about.
LABELS = {"photos": "Photos", "area": "Body area", "session": "Session (optional)", "taken_on": "Day taken (optional)"}

# The file input stays in the page (it is what the form posts) but out of
# sight: the patient sees and taps a large button, its label.
_HIDDEN_INPUT = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "opacity": "0",
    "overflow": "hidden",
}


def _pick_button(label: str, icon: str, input_id: str, *, solid: bool, **input_props) -> rx.Component:
    return rx.el.label(
        rx.icon(icon, size=20, aria_hidden="true"),
        rx.text(label, weight="medium"),
        rx.el.input(
            type="file",
            id=input_id,
            name="photos",
            accept="image/*,.heic,.heif",
            multiple=True,
            aria_describedby="field-photos-error",
            style=_HIDDEN_INPUT,
            custom_attrs={"data-photo-pick": "true"},
            **input_props,
        ),
        html_for=input_id,
        display="flex",
        align_items="center",
        justify_content="center",
        gap="0.5rem",
        min_height="48px",
        width="100%",
        position="relative",
        border_radius="var(--radius-3)",
        cursor="pointer",
        class_name="photo-pick " + ("photo-pick-solid" if solid else "photo-pick-outline"),
    )


def _error_text(name: str) -> rx.Component:
    return rx.text(error_of(PhotosState.errors, name), id=f"field-{name}-error", size="2", color=rx.color("red", 11))


def _upload_form() -> rx.Component:
    return native_form(
        rx.vstack(
            rx.heading("Add photos", as_="h2", size="4"),
            error_summary(
                PhotosState.errors,
                labels=LABELS,
                refusals=PhotosState.refusals,
                title=rx.cond(PhotosState.notice != "", "Not every photo was added", "No photo was added"),
            ),
            rx.grid(
                _pick_button("Take a photo", "camera", "field-photos-camera", solid=True, capture="environment"),
                _pick_button("Choose from gallery", "images", "field-photos", solid=False),
                columns="1",
                gap="0.75rem",
                width="100%",
            ),
            rx.text(
                "No photo chosen yet. Up to 10 at a time.",
                size="2",
                color=styles.muted_text,
                aria_live="polite",
                custom_attrs={"data-photos-chosen": "true"},
            ),
            _error_text("photos"),
            area_select(
                "field-area", LABELS["area"], PhotosState.errors, offline=True, default_value=PhotosState.chosen_area
            ),
            _error_text("area"),
            session_select(
                "field-session", LABELS["session"], PhotosState.errors, default_value=PhotosState.chosen_session
            ),
            _error_text("session"),
            rx.el.label(LABELS["taken_on"], html_for="field-taken_on", font_weight="500"),
            rx.el.input(
                type="date",
                id="field-taken_on",
                name="taken_on",
                default_value=PhotosState.chosen_day,
                aria_describedby="field-taken_on-error",
                aria_invalid=rx.cond(PhotosState.errors.contains("taken_on"), "true", "false"),
                style=SELECT,
            ),
            rx.text("Leave it empty to use the date the camera stored.", size="2", color=styles.muted_text),
            _error_text("taken_on"),
            rx.el.input(type="hidden", name="course", value=journal_course.to_string()),
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
        custom_attrs={
            "data-upload-progress": "true",
            # Kept by offline-timeline.js for this form opened with no signal.
            "data-course-areas": PhotosState.areas.map(lambda c: c.value).join("\n"),
        },
        style=styles.card,
    )


def _just_added() -> rx.Component:
    """After an upload the patient is at the top of the page: the new photos are shown there."""
    return rx.cond(
        PhotosState.notice != "",
        rx.callout(
            rx.vstack(
                rx.text(PhotosState.notice),
                rx.cond(
                    PhotosState.just_added.length() > 0,
                    rx.grid(
                        rx.foreach(
                            PhotosState.just_added,
                            lambda item: rx.el.button(
                                rx.image(
                                    src=item.thumb,
                                    alt=item.area + ", " + item.day,
                                    width="100%",
                                    height="auto",
                                    border_radius="var(--radius-2)",
                                ),
                                type="button",
                                on_click=PhotosState.view(item.id),
                                aria_label="Open " + item.area + ", " + item.day,
                                style={"padding": "0", "border": "none", "background": "none", "width": "100%"},
                            ),
                        ),
                        columns="4",
                        gap="0.5rem",
                        width="100%",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            icon="check",
            role="status",
            width="100%",
        ),
    )


def _thumb(item) -> rx.Component:
    picked = PhotosState.compare_ids.contains(item.id)
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
            on_click=PhotosState.view(item.id),
            aria_label="Open " + item.area + ", " + item.day,
            style={"padding": "0", "border": "none", "background": "none", "cursor": "zoom-in", "width": "100%"},
        ),
        rx.text(item.area, " · ", item.day, size="1"),
        rx.hstack(
            rx.button(
                rx.cond(picked, "Picked", "Compare"),
                variant=rx.cond(picked, "solid", "soft"),
                size="1",
                on_click=PhotosState.toggle_compare(item.id),
                style=styles.tap_target,
            ),
            delete_icon(
                "Delete photo of " + item.area + ", " + item.day, PhotosState.ask_delete(item.id), color_scheme="red"
            ),
            justify="between",
            width="100%",
        ),
        ask_when(
            PhotosState.confirm_delete_id == item.id,
            "Delete this photo for good?",
            on_confirm=PhotosState.delete,
            on_keep=PhotosState.cancel_delete,
        ),
        spacing="1",
    )


def _area_filter() -> rx.Component:
    return rx.cond(
        PhotosState.areas.length() > 1,
        rx.box(
            rx.el.label("Show", html_for="field-area-filter", font_weight="500"),
            rx.el.select(
                rx.el.option("All areas", value=""),
                rx.foreach(PhotosState.areas, lambda c: rx.el.option(c.label, value=c.value)),
                id="field-area-filter",
                value=PhotosState.area_filter,
                on_change=PhotosState.set_area_filter,
                style=SELECT,
            ),
            width="100%",
        ),
    )


def photos_page() -> rx.Component:
    return layout(
        unproven_note(),
        _just_added(),
        rx.cond(
            journal_course > 0,
            rx.vstack(
                _upload_form(),
                viewer(),
                comparison(),
                rx.cond(
                    opened_offline,
                    # The gallery is on the server: nothing to show offline.
                    rx.fragment(),
                    rx.cond(
                        PhotosState.items.length() > 0,
                        rx.vstack(
                            _area_filter(),
                            rx.el.section(
                                rx.grid(
                                    rx.foreach(PhotosState.shown, _thumb), columns="2", gap="0.75rem", width="100%"
                                ),
                                aria_label="Gallery",
                                width="100%",
                            ),
                            width="100%",
                        ),
                        empty_state(
                            "camera", "No photos yet", "Photos stay private to you, with location data removed."
                        ),
                    ),
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
        works_offline=True,
    )
