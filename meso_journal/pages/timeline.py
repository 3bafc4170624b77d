import reflex as rx

from meso_journal import routes, styles
from meso_journal.components.confirm import ask_when, delete_icon
from meso_journal.components.forms import refresh_when_sent, waiting_to_send
from meso_journal.components.layout import button_link, empty_state, layout, unproven_note
from meso_journal.pages.timeline_cards import (
    chart_card,
    costs_card,
    measurement_chart_card,
    position_card,
    red_flag_card,
)
from meso_journal.state.base import AppState
from meso_journal.state.timeline import TimelineState


def _chip(text) -> rx.Component:
    # A long name of an "other" side effect wraps inside the card.
    return rx.badge(
        text,
        variant="soft",
        color_scheme="orange",
        size="2",
        style={"white_space": "normal", "overflow_wrap": "anywhere", "max_width": "100%", "height": "auto"},
    )


def _checkin(c) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Check-in ", c.day, size="2", weight="medium"),
            rx.spacer(),
            delete_icon("Delete the check-in of " + c.day, TimelineState.ask_delete_checkin(c.id)),
            align="center",
            width="100%",
        ),
        rx.flex(rx.foreach(c.effects, _chip), gap="0.25rem", wrap="wrap"),
        rx.cond(c.note != "", rx.text(c.note, size="2", white_space="pre-wrap")),
        ask_when(
            TimelineState.confirm_checkin_id == c.id,
            "Delete the check-in of " + c.day + "?",
            on_confirm=TimelineState.delete_checkin,
            on_keep=TimelineState.cancel_delete,
        ),
        spacing="1",
        padding_left="0.75rem",
        border_left=f"3px solid {rx.color('gray', 6)}",
        width="100%",
    )


def _session(item) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(item.when, weight="bold"),
            rx.spacer(),
            rx.text(item.areas, size="2", color=styles.muted_text),
            width="100%",
        ),
        rx.cond(item.details != "", rx.text(item.details, size="2")),
        rx.flex(rx.foreach(item.effects, _chip), gap="0.25rem", wrap="wrap"),
        rx.cond(item.notes != "", rx.text(item.notes, size="2", white_space="pre-wrap", color=styles.muted_text)),
        rx.foreach(item.checkins, _checkin),
        rx.cond(
            item.photos.length() > 0,
            rx.link(
                rx.flex(
                    rx.foreach(
                        item.photos,
                        lambda src: rx.image(
                            src=src,
                            alt="Progress photo",
                            loading="lazy",
                            width="4rem",
                            height="4rem",
                            object_fit="cover",
                            border_radius="var(--radius-2)",
                        ),
                    ),
                    rx.cond(
                        item.more_photos > 0,
                        rx.center(
                            rx.text("+", item.more_photos.to_string(), weight="medium"),
                            width="4rem",
                            height="4rem",
                            border=styles.border,
                            border_radius="var(--radius-2)",
                        ),
                    ),
                    gap="0.25rem",
                ),
                href=routes.PHOTOS,
                aria_label="Photos of this session",
            ),
        ),
        rx.hstack(
            rx.link(
                rx.button("Check in", variant="soft", size="2", style=styles.tap_target),
                href=item.checkin_url,
            ),
            rx.link(rx.button("Edit", variant="soft", size="2", style=styles.tap_target), href=item.edit_url),
            rx.spacer(),
            rx.button(
                "Delete",
                variant="ghost",
                color_scheme="red",
                size="2",
                on_click=TimelineState.ask_delete(item.id),
                aria_label="Delete the session of " + item.when,
                style=styles.tap_target,
            ),
            width="100%",
            wrap="wrap",
        ),
        ask_when(
            TimelineState.confirm_delete_id == item.id,
            # Photos are the patient's own record of the area: they stay (found walking the app).
            "Delete the session of "
            + item.when
            + ", with its side effects and check-ins? Its photos stay on the Photos tab.",
            on_confirm=TimelineState.delete_visit,
            on_keep=TimelineState.cancel_delete,
        ),
        spacing="2",
        style=styles.card,
    )


def _measurement(item) -> rx.Component:
    return rx.hstack(
        rx.icon("ruler", size=18, aria_hidden="true", color=styles.muted_text),
        rx.vstack(
            rx.text(item.areas, weight="medium"), rx.text(item.when, size="2", color=styles.muted_text), spacing="0"
        ),
        rx.spacer(),
        rx.text(item.details, weight="bold"),
        align="center",
        style=styles.card,
    )


def _feed_item(item) -> rx.Component:
    return rx.cond(item.kind == "measurement", _measurement(item), _session(item))


def _undo() -> rx.Component:
    # Fixed above the tab bar: a card deleted far down the feed is where the
    # patient is, and a notice at the top of the page went unseen.
    return rx.cond(
        TimelineState.undo_id > 0,
        rx.box(
            rx.callout(
                rx.hstack(
                    rx.text(TimelineState.undo_text),
                    rx.button("Undo", on_click=TimelineState.undo_delete, style=styles.tap_target),
                    justify="between",
                    align="center",
                    width="100%",
                ),
                icon="undo-2",
                role="status",
                width="100%",
                variant="surface",
                box_shadow="0 4px 16px rgba(0, 0, 0, 0.18)",
            ),
            position="fixed",
            left="0.75rem",
            right="0.75rem",
            bottom=f"calc({styles.TAB_BAR_HEIGHT} + 0.75rem + env(safe-area-inset-bottom))",
            max_width="40rem",
            margin="0 auto",
            z_index="20",
            # Opaque under the callout's tinted surface: the feed must not show through.
            background="var(--color-background)",
            border_radius="var(--radius-3)",
        ),
    )


def _recently_deleted() -> rx.Component:
    """Sessions deleted in the last hour, restorable once the undo notice is gone."""
    return rx.cond(
        (TimelineState.recently_deleted.length() > 0) & (TimelineState.undo_id == 0),
        rx.card(
            rx.heading("Deleted in the last hour", as_="h2", size="3"),
            rx.foreach(
                TimelineState.recently_deleted,
                lambda d: rx.hstack(
                    rx.text("Session of ", d.day),
                    rx.button(
                        "Restore",
                        variant="soft",
                        on_click=TimelineState.restore(d.id),
                        aria_label="Restore the session of " + d.day,
                        style=styles.tap_target,
                    ),
                    justify="between",
                    align="center",
                    width="100%",
                ),
            ),
            rx.text("After an hour they are gone for good.", size="2", color=styles.muted_text),
            width="100%",
        ),
    )


def _confirm_reminder() -> rx.Component:
    """Gentle: one line, until the patient opens the link mailed at sign-up."""
    return rx.cond(
        AppState.email_confirmed,
        rx.fragment(),
        rx.text(
            "Confirm your email by opening the link we sent you, so you can get back in if you ever forget "
            "your password. ",
            rx.link("No mail?", href=routes.MORE, underline="always"),
            size="2",
            color=styles.muted_text,
        ),
    )


def timeline_page() -> rx.Component:
    return layout(
        unproven_note(),
        _confirm_reminder(),
        rx.cond(
            TimelineState.notice != "", rx.callout(TimelineState.notice, icon="check", role="status", width="100%")
        ),
        _undo(),
        # The content is in: offline-timeline.js keeps a copy for the offline page.
        # Keyed by what the page says, so it appears again (and a new copy is
        # taken) when the data changes, not only when the page first shows.
        rx.el.span(
            key=TimelineState.headline
            + TimelineState.window_text
            + TimelineState.session_count.to_string()
            + TimelineState.items.length().to_string(),
            custom_attrs={"data-timeline-copy": "true"},
        ),
        refresh_when_sent(TimelineState.load),
        rx.cond(
            AppState.course_id > 0,
            rx.vstack(
                red_flag_card(),
                position_card(),
                _recently_deleted(),
                rx.cond(
                    TimelineState.items.length() > 0,
                    rx.vstack(rx.foreach(TimelineState.items, _feed_item), spacing="3", width="100%"),
                    empty_state("calendar-plus", "No sessions yet", "Log your first session with the Log tab."),
                ),
                rx.cond(
                    TimelineState.has_more,
                    rx.button(
                        "Show older entries", variant="soft", on_click=TimelineState.load_more, style=styles.tap_target
                    ),
                ),
                chart_card(),
                measurement_chart_card(),
                costs_card(),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                empty_state(
                    "calendar-days",
                    "Nothing logged yet",
                    "Start with your course: what it is for, the areas treated and the clinic. "
                    "Then log each session as it happens.",
                ),
                button_link("Start a course", routes.COURSE_EDIT),
                width="100%",
            ),
        ),
        title="Timeline",
        copy_offline=True,
        offline=waiting_to_send(),
    )
