"""The Share tab's pieces: the link form, the new link with its share sheet,
copy and QR code, the list of links, and the download forms."""

import reflex as rx

from meso_journal import styles
from meso_journal.components.confirm import ask_when
from meso_journal.components.forms import (
    error_of,
    error_summary,
    field,
    form_id_field,
    native_form,
    select_field,
    submit,
)
from meso_journal.components.layout import section
from meso_journal.rules import sharing
from meso_journal.state.base import AppState
from meso_journal.state.share import ShareState

EXPIRY = {str(d): f"{d} day{'s' if d != 1 else ''}" for d in sharing.EXPIRY_DAYS}
# Field labels, also used by the error summary to say which field a message is about.
LABELS = {"label": "Who is it for?", "scope": "Which course", "days": "Works for"}


def hint(text: str) -> rx.Component:
    return rx.text(text, size="2", color=styles.muted_text)


def _scope_select(name: str = "scope", key: str = "") -> rx.Component:
    key = key or name
    return rx.box(
        rx.el.label(LABELS["scope"], html_for=f"field-{key}", font_weight="500", display="block"),
        rx.el.select(
            rx.el.option("All courses", value="all"),
            rx.foreach(AppState.courses, lambda c: rx.el.option(c.label, value=c.id.to_string())),
            id=f"field-{key}",
            name=name,
            aria_describedby=f"field-{key}-error",
            style={**styles.input_style, "border": styles.border, "border_radius": "var(--radius-3)"},
        ),
        rx.text(
            error_of(ShareState.errors, key), id=f"field-{key}-error", size="2", color=rx.color("red", 11), role="alert"
        ),
        width="100%",
    )


def _checkbox(label: str, name: str, field_id: str) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, id=field_id, style={"width": "20px", "height": "20px"}),
        label,
        html_for=field_id,
        display="flex",
        gap="0.5rem",
        align_items="center",
        min_height="44px",
    )


def new_link() -> rx.Component:
    return section(
        "Your new link",
        hint("Send it now: for your privacy the app keeps only a fingerprint of it and cannot show it again."),
        rx.el.label("Link", html_for="new-link", font_weight="500"),
        rx.el.input(
            id="new-link",
            value=ShareState.new_url,
            read_only=True,
            style={**styles.input_style, "border": styles.border, "padding": "0 0.5rem", "border_radius": "6px"},
        ),
        rx.grid(
            rx.button("Share…", size="3", style=styles.tap_target, custom_attrs={"data-share-url": ShareState.new_url}),
            rx.button(
                "Copy link",
                size="3",
                variant="outline",
                style=styles.tap_target,
                custom_attrs={"data-copy-url": ShareState.new_url},
            ),
            columns="2",
            gap="0.75rem",
            width="100%",
        ),
        rx.text("", id="share-status", role="status", size="2"),
        rx.image(src=ShareState.new_qr, alt="QR code of the link", width="200px", height="200px", background="white"),
        hint("In the consulting room, your doctor can scan this code to open the link."),
        rx.button(
            "Done", variant="soft", size="3", width="100%", style=styles.tap_target, on_click=ShareState.dismiss_new
        ),
        id="new-link-card",
        # The link is shown once: focus.js brings the card into view and
        # focuses it, even when the form below was refused first.
        tab_index=-1,
        custom_attrs={"data-brings-into-view": "true"},
        key=ShareState.new_url,
    )


def _row_button(text: str, label, on_click, **props) -> rx.Component:
    props = {"variant": "outline", "color_scheme": "gray", **props}
    return rx.button(
        text, size="3", width="100%", style=styles.tap_target, aria_label=label, on_click=on_click, **props
    )


def link_row(row) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(row.label, weight="bold"),
            rx.spacer(),
            rx.badge(row.status, color_scheme=rx.cond(row.expiry == "active", "teal", "gray")),
            width="100%",
            align="center",
        ),
        rx.text(row.scope, rx.cond(row.photos, " · with photos", " · no photos"), size="2"),
        hint(row.opened),
        rx.cond(
            row.expiry == "active",
            _row_button(
                "Revoke", "Revoke the link for " + row.label, ShareState.ask_revoke(row.id), color_scheme="red"
            ),
            _row_button(
                "Remove from list", "Remove the link for " + row.label, ShareState.remove(row.id), variant="ghost"
            ),
        ),
        ask_when(
            ShareState.confirm_revoke_id == row.id,
            "Revoke the link for " + row.label + "? It stops working at once, and cannot be turned back on.",
            confirm="Revoke",
            on_confirm=ShareState.revoke,
            on_keep=ShareState.cancel_revoke,
        ),
        spacing="1",
        width="100%",
        padding_y="0.5rem",
        border_bottom=styles.border,
        custom_attrs={"data-link-row": row.label},
    )


def link_form() -> rx.Component:
    e = ShareState.errors
    return rx.form(
        rx.vstack(
            error_summary(e, labels=LABELS, refusals=ShareState.refusals),
            form_id_field(ShareState.form_id),
            field(LABELS["label"], name="label", error=error_of(e, "label"), placeholder="Dr. Martin", maxlength=100),
            _scope_select(),
            select_field(
                LABELS["days"],
                name="days",
                options=EXPIRY,
                error=error_of(e, "days"),
                default=str(sharing.DEFAULT_EXPIRY_DAYS),
            ),
            _checkbox("Include photos", "photos", "field-photos"),
            submit("Make link"),
            spacing="3",
            width="100%",
        ),
        on_submit=ShareState.create,
        key=ShareState.form_key,
        width="100%",
    )


def download_form(action: str, button: str, *, share: bool = False) -> rx.Component:
    suffix = action.rsplit("/", 1)[-1].replace(".", "-")
    return native_form(
        rx.vstack(
            _scope_select("course", f"course-{suffix}"),
            _checkbox("Include photos", "photos", f"field-photos-{suffix}"),
            submit(button, variant="outline"),
            spacing="2",
            width="100%",
        ),
        action=action,
        method="get",
        width="100%",
        custom_attrs={"data-share-file": "true"} if share else {},
    )
