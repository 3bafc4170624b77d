"""The page frame: header with the course picker, content, bottom tab bar;
and the sign-in guard every journal page goes through."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from meso_journal import routes, styles
from meso_journal.components.offline import journal_course_label, journal_owner, opened_offline, ready
from meso_journal.rules import evidence
from meso_journal.state.base import AppState

TABS = [
    ("Timeline", "activity", routes.TIMELINE),
    ("Log", "circle-plus", routes.LOG),
    ("Photos", "camera", routes.PHOTOS),
    ("Share", "share-2", routes.SHARE),
    ("Menu", "menu", routes.MORE),
]


def _tab(label: str, icon: str, href: str) -> rx.Component:
    path = rx.State.router.page.path
    # The timeline is the index route, whose matched pattern reads "/index".
    active = (path == href) | (path == "/index") if href == routes.TIMELINE else path == href
    return rx.link(
        rx.vstack(rx.icon(icon, size=22, aria_hidden="true"), rx.text(label, size="1"), spacing="0", align="center"),
        href=href,
        aria_current=rx.cond(active, "page", "false"),
        color=rx.cond(active, rx.color(styles.ACCENT, 11), rx.color("gray", 11)),
        underline="none",
        flex="1",
        display="flex",
        justify_content="center",
        align_items="center",
        style=styles.tap_target,
    )


def tab_bar() -> rx.Component:
    return rx.el.nav(
        rx.hstack(*[_tab(*t) for t in TABS], width="100%", max_width=styles.MAX_WIDTH, margin="0 auto"),
        aria_label="Main",
        position="fixed",
        bottom="0",
        left="0",
        right="0",
        height=f"calc({styles.TAB_BAR_HEIGHT} + env(safe-area-inset-bottom))",
        padding_bottom="env(safe-area-inset-bottom)",
        background=rx.color("gray", 2),
        border_top=styles.border,
        display="flex",
        align_items="center",
        z_index="10",
    )


def _course_option(option) -> rx.Component:
    return rx.el.option(option.label, value=option.id.to_string())


# Forms of one course: switching course from the header there would leave the
# page and throw away what the patient typed (found walking the app), so the
# header names the course instead of offering the picker.
FORM_PAGES = (routes.LOG, routes.CHECKIN, routes.COURSE_EDIT)


def course_picker() -> rx.Component:
    """Switches the course every page shows; the choice is remembered per patient."""
    on_a_form = rx.Var.create(list(FORM_PAGES)).contains(rx.State.router.page.path)
    return rx.cond(
        AppState.courses.length() > 0,
        rx.cond(
            on_a_form,
            rx.text(
                AppState.course_label,
                size="2",
                color=styles.muted_text,
                white_space="nowrap",
                overflow="hidden",
                text_overflow="ellipsis",
            ),
            rx.el.select(
                rx.foreach(AppState.courses, _course_option),
                value=AppState.course_id.to_string(),
                on_change=AppState.choose_course,
                aria_label="Course",
                # Takes the room the header has left and no more: a long course
                # name is cut short with an ellipsis, never wider than the phone.
                style={
                    "font_size": "16px",
                    "min_height": "44px",
                    "width": "100%",
                    "min_width": "0",
                    "text_overflow": "ellipsis",
                    "border": styles.border,
                    "border_radius": "var(--radius-3)",
                    "background": rx.color("gray", 1),
                    "color": rx.color("gray", 12),
                    "padding": "0 0.5rem",
                },
            ),
        ),
        rx.cond(
            opened_offline,
            # Opened with no signal: the course the phone's record names.
            rx.text(
                journal_course_label,
                size="2",
                color=styles.muted_text,
                white_space="nowrap",
                overflow="hidden",
                text_overflow="ellipsis",
            ),
            rx.link("Start a course", href=routes.COURSE_EDIT, size="2"),
        ),
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.text("Meso Journal", weight="bold", size="4", white_space="nowrap", flex_shrink="0"),
            rx.box(course_picker(), flex="1", min_width="0", display="flex", justify_content="flex-end"),
            rx.color_mode.button(
                aria_label="Switch between light and dark mode", style=styles.tap_target, flex_shrink="0"
            ),
            align="center",
            width="100%",
            max_width=styles.MAX_WIDTH,
            margin="0 auto",
        ),
        padding="0.75rem 1rem",
        padding_top="calc(0.75rem + env(safe-area-inset-top))",
        border_bottom=styles.border,
        background=rx.color("gray", 2),
    )


def problem_banner() -> rx.Component:
    return rx.cond(
        AppState.problem != "",
        rx.callout(
            rx.hstack(
                rx.text(AppState.problem),
                rx.button("Dismiss", variant="soft", size="1", on_click=AppState.dismiss_problem),
                justify="between",
                align="center",
                width="100%",
            ),
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            width="100%",
            # Said where the patient is looking (focus.js), not only at the top of a long form.
            tab_index=-1,
            custom_attrs={"data-brings-into-view": "true"},
        ),
    )


def offline_note() -> rx.Component:
    """Said above a form opened with no signal (components/offline.py)."""
    return rx.callout(
        "You're offline. What you save here stays on this phone and goes to your journal, once, "
        "when you're back online.",
        icon="wifi-off",
        color_scheme="amber",
        role="status",
        width="100%",
    )


def needs_connection(*, copy: bool = False) -> rx.Component:
    """A page that shows the journal itself, opened with no signal. With
    `copy` (the timeline), the last copy of it kept on this phone comes
    first (offline-timeline.js fills the place)."""
    forms = (
        "You can still log a session, add photos or a measurement: they wait on this phone "
        "and are sent when you're back online."
    )
    if copy:
        top = [rx.el.div(custom_attrs={"data-offline-timeline": "true", "data-in-app": "true"})]
        card = empty_state("wifi-off", "You're offline", forms)
        last = []
    else:
        top = []
        card = empty_state(
            "wifi-off",
            "This page needs a connection",
            f"You're offline. {forms} The last timeline you saw here is kept to read.",
        )
        # A page of its own (offline.html), which the service worker keeps.
        last = [
            rx.el.a(
                "Your timeline as you last saw it",
                href="/offline.html",
                style=styles.tap_target,
                text_decoration="underline",
            )
        ]
    return rx.vstack(
        *top,
        card,
        button_link("Log a session", routes.LOG),
        button_link("Add photos", routes.PHOTOS, variant="soft"),
        button_link("Add a measurement", routes.MEASUREMENTS, variant="soft"),
        *last,
        spacing="3",
        width="100%",
        align="center",
    )


def layout(
    *children: rx.Component,
    title: str,
    offline: rx.Component | None = None,
    works_offline: bool = False,
    copy_offline: bool = False,
) -> rx.Component:
    """A signed-in page. Content shows only once the server has confirmed the
    session, so a signed-out visitor never sees a flash of the page.
    `offline` is shown as soon as the page is, above the content: what the
    page has to say without a server (the outbox's list on the timeline).
    With `works_offline` (forms that save through the outbox), the page also
    shows when opened with no signal for a patient this phone knows
    (components/offline.py); other pages then say they need a connection,
    the timeline (`copy_offline`) under the last copy of it kept here."""
    # The content shows once the server confirmed the session and this page's
    # on_load handlers ran (`ready`): no stale form to type into meanwhile.
    content = rx.vstack(
        rx.heading(title, as_="h1", size="6"),
        *([rx.cond(opened_offline, offline_note())] if works_offline else []),
        problem_banner(),
        *children,
        spacing="4",
        width="100%",
    )
    spinner = rx.center(rx.spinner(size="3"), aria_label="Loading", padding="3rem")
    body = (
        rx.cond(ready | opened_offline, content, spinner)
        if works_offline
        else rx.cond(ready, content, rx.cond(opened_offline, needs_connection(copy=copy_offline), spinner))
    )
    return rx.box(
        header(),
        rx.el.main(
            *([rx.cond(AppState.signed_in | opened_offline, offline)] if offline is not None else []),
            body,
            max_width=styles.MAX_WIDTH,
            margin="0 auto",
            padding="1rem",
            padding_bottom=f"calc({styles.TAB_BAR_HEIGHT} + 2rem + env(safe-area-inset-bottom))",
            custom_attrs={
                # Whose page this is, for outbox.js: it sends, shows and, at
                # sign-out, counts only this patient's entries.
                "data-owner": journal_owner,
                # What offline-timeline.js keeps for a page opened with no
                # signal: only from the server's answer, never from itself.
                "data-course": AppState.course_id,
                "data-course-label": AppState.course_label,
                "data-offline": rx.cond(opened_offline, "true", ""),
            },
        ),
        tab_bar(),
        min_height="100vh",
    )


def plain_layout(*children: rx.Component, tabs_when_signed_in: bool = False) -> rx.Component:
    """Pages a signed-out visitor may see (evidence, not found): one narrow
    column; with tabs_when_signed_in, a signed-in patient keeps the tab bar."""
    page = rx.el.main(
        rx.vstack(
            rx.text("Meso Journal", weight="bold", size="5", color=rx.color(styles.ACCENT, 11)),
            *children,
            spacing="4",
            width="100%",
            max_width="24rem",
            margin="0 auto",
        ),
        padding="2rem 1rem",
        padding_top="calc(2rem + env(safe-area-inset-top))",
        padding_bottom=f"calc({styles.TAB_BAR_HEIGHT} + 2rem + env(safe-area-inset-bottom))"
        if tabs_when_signed_in
        else "2rem",
        min_height="100vh",
    )
    if not tabs_when_signed_in:
        return page
    return rx.fragment(page, rx.cond(AppState.signed_in, tab_bar()))


def empty_state(icon: str, title: str, text: str) -> rx.Component:
    return rx.vstack(
        rx.icon(icon, size=32, color=rx.color(styles.ACCENT, 10), aria_hidden="true"),
        rx.heading(title, as_="h2", size="4"),
        rx.text(text, color=styles.muted_text),
        align="center",
        text_align="center",
        spacing="2",
        style=styles.card,
        padding="2rem 1rem",
    )


def button_link(label: str, href: str, **button_props) -> rx.Component:
    """A link that looks like a button (navigation stays a real link)."""
    return rx.link(
        rx.button(label, size="3", width="100%", style=styles.tap_target, **button_props),
        href=href,
        width="100%",
    )


def section(title: str, *children: rx.Component, **props) -> rx.Component:
    """A titled card: one topic of a settings-like page (Menu, Share)."""
    return rx.vstack(rx.heading(title, as_="h2", size="4"), *children, spacing="3", style=styles.card, **props)


def download_link(*children, href: str) -> rx.Component:
    """A link the browser follows itself, so the file downloads. Reflex turns
    every same-site link into a React Router link, which would route the click
    inside the app instead; reload_document hands it back to the browser."""
    return ReactRouterLink.create(
        *children,
        href=href,
        reload_document=True,
        download="",
        style={**styles.tap_target, "display": "flex", "align_items": "center", "gap": "0.5rem"},
        color=rx.color(styles.ACCENT, 11),
        text_decoration="underline",
        text_underline_offset="3px",
    )


def unproven_note() -> rx.Component:
    """The calm line that goes wherever outcomes appear (honesty rule 1)."""
    return rx.text(
        evidence.UNPROVEN + " ",
        rx.link("About the evidence", href=routes.EVIDENCE, underline="always"),
        size="2",
        color=styles.muted_text,
    )
