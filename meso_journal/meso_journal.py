"""The app and its whole sitemap: every page, head tag and HTTP route."""

import logging

import reflex as rx
from reflex_base.event import EventSpec
from reflex_base.registry import RegistrationContext
from reflex_components_core.core.banner import connection_pulser

from meso_journal import mail, routes
from meso_journal.components.offline import opened_offline
from meso_journal.pages.checkin import checkin_page
from meso_journal.pages.courses import course_form_page, courses_page
from meso_journal.pages.evidence import evidence_page
from meso_journal.pages.log import log_page
from meso_journal.pages.measurements import measurements_page
from meso_journal.pages.more import more_page
from meso_journal.pages.not_found import not_found_page
from meso_journal.pages.photos import photos_page
from meso_journal.pages.share import share_page
from meso_journal.pages.timeline import timeline_page
from meso_journal.state.account_forms import AccountFormsState
from meso_journal.state.base import AppState, LoginGuard
from meso_journal.state.checkin import CheckInState
from meso_journal.state.courses import CourseFormState, CoursesState
from meso_journal.state.log import LogState
from meso_journal.state.measurements import MeasurementsState
from meso_journal.state.photos import PhotosState
from meso_journal.state.share import ShareState
from meso_journal.state.timeline import TimelineState
from meso_journal.store import maintenance
from meso_journal.web import api, edge, event_guard, page_gate
from meso_journal.web.cookies import signed_in_patient

logger = logging.getLogger("meso_journal")

HEAD = [
    rx.el.meta(name="viewport", content="width=device-width, initial-scale=1, viewport-fit=cover"),
    rx.el.meta(
        name="description",
        content="A private journal for mesotherapy treatment: sessions, side effects, photos and costs.",
    ),
    rx.el.meta(name="theme-color", content="#0d9488", media="(prefers-color-scheme: light)"),
    rx.el.meta(name="theme-color", content="#115e59", media="(prefers-color-scheme: dark)"),
    rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
    rx.el.meta(name="mobile-web-app-capable", content="yes"),
    rx.el.meta(name="apple-mobile-web-app-status-bar-style", content="default"),
    rx.el.meta(name="apple-mobile-web-app-title", content="Meso Journal"),
    rx.el.link(rel="manifest", href="/manifest.webmanifest"),
    rx.el.link(rel="apple-touch-icon", href="/apple-touch-icon.png"),
    # Registered straight away, not on "load" (rx.script would wait for it).
    rx.el.script(src="/register-sw.js", defer=True),
    # Fills empty date fields with the phone's own local date and time.
    rx.el.script(src="/local-now.js", defer=True),
    # Fields that apply to one choice only follow it in the page (offline too).
    rx.el.script(src="/choices.js", defer=True),
    # A refused form's error summary takes the focus (and its links, the patient).
    rx.el.script(src="/focus.js", defer=True),
    # What the patient typed in a journal form survives a dropped connection.
    rx.el.script(src="/drafts.js", defer=True),
    # The outbox: sessions, check-ins and measurements saved with or without a connection.
    rx.el.script(src="/outbox-core.js", defer=True),
    rx.el.script(src="/outbox.js", defer=True),
    # A copy of the last timeline seen, for the offline page.
    rx.el.script(src="/offline-timeline.js", defer=True),
    # Upload progress for the photo form (which works without it too).
    rx.el.script(src="/upload-progress.js", defer=True),
    # Share sheet, copy and PDF sharing on the Share tab.
    rx.el.script(src="/share-link.js", defer=True),
    # Adding a passkey in Menu (the sign-in page loads it too).
    rx.el.script(src="/passkeys.js", defer=True),
]


async def _token_owner(token: str) -> int | None:
    """The patient a client token's state tree is bound to (LoginGuard binds it)."""
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=AppState)) as root:
        return (await root.get_state(AppState))._user_id


async def _cookie_owner(cookie_header: str | None) -> int | None:
    return (await signed_in_patient(cookie_header))[0]


def _on_backend_error(exception: Exception) -> EventSpec:
    # Reflex's default answer is a toast run through eval(), which our CSP
    # (no 'unsafe-eval') blocks; a state var reaches the page instead.
    logger.exception("event handler failed", exc_info=exception)
    return AppState.show_problem()


def _edge(asgi_app):
    return edge.Edge(asgi_app, token_owner=_token_owner, cookie_owner=_cookie_owner)


def _gate(asgi_app):
    return page_gate.PageGate(asgi_app, cookie_owner=_cookie_owner)


app = rx.App(
    head_components=HEAD,
    html_lang="en",
    stylesheets=["/theme.css"],
    # api.api is mounted in front of Reflex, signed-out page requests are sent
    # to sign in, and the edge guard wraps everything.
    api_transformer=[api.api, _gate, _edge],
    backend_exception_handler=_on_backend_error,
    # Nothing here raises toasts (errors reach the page as state), so the
    # toast library (about 10 KB compressed on every page) is left out.
    toaster=None,
)
app.add_middleware(LoginGuard())
# Malformed websocket events: dropped and counted, one log line per connection.
event_guard.install(app.event_namespace, RegistrationContext.get().event_handlers)
# Photo files a killed upload or import left without a row (maintenance.py).
app.register_lifespan_task(maintenance.sweep_forever)
# With no mail server configured, say at start-up where the mail goes (the log).
mail.announce()


def _connection_notice(stateful: bool):
    """Reflex's own notice says "Cannot connect to server" with a websocket
    URL; a patient needs to know what it means for their journal."""
    if not stateful:
        return None
    return rx.fragment(
        connection_pulser(),
        rx.connection_banner(
            rx.cond(
                # A page opened with no signal says so itself, in the page
                # (components/offline.py), not over its header.
                opened_offline,
                rx.el.span(hidden=True, custom_attrs={"data-connection-lost": "true"}),
                rx.box(
                    rx.text(
                        "Connection lost. Reconnecting… What you already saved is safe. A new "
                        "session, check-in, measurement or photo saved now waits on this phone and is "
                        "sent when you're back online; anything else needs the connection.",
                        size="3",
                    ),
                    role="status",
                    # outbox.js: with the socket down, a stored entry opens its page itself.
                    custom_attrs={"data-connection-lost": "true"},
                    position="fixed",
                    top="0",
                    left="0",
                    right="0",
                    z_index="1000",
                    padding="calc(0.5rem + env(safe-area-inset-top)) 1rem 0.5rem",
                    background=rx.color("amber", 3),
                    color=rx.color("gray", 12),
                    border_bottom=f"1px solid {rx.color('amber', 7)}",
                ),
            )
        ),
    )


app.app_wraps[(5, "Overlay")] = _connection_notice

_T = " · Meso Journal"
app.add_page(timeline_page, route=routes.TIMELINE, title="Timeline" + _T, on_load=TimelineState.load)
app.add_page(log_page, route=routes.LOG, title="Log a session" + _T, on_load=LogState.load)
app.add_page(checkin_page, route=routes.CHECKIN, title="Check in" + _T, on_load=CheckInState.load)
app.add_page(
    measurements_page,
    route=routes.MEASUREMENTS,
    title="Measurements" + _T,
    on_load=MeasurementsState.load,
)
app.add_page(courses_page, route=routes.COURSES, title="Courses" + _T, on_load=CoursesState.load)
app.add_page(
    course_form_page,
    route=routes.COURSE_EDIT,
    title="Course" + _T,
    on_load=CourseFormState.load,
)
app.add_page(photos_page, route=routes.PHOTOS, title="Photos" + _T, on_load=PhotosState.load)
app.add_page(share_page, route=routes.SHARE, title="Share" + _T, on_load=ShareState.load)
app.add_page(more_page, route=routes.MORE, title="Menu" + _T, on_load=AccountFormsState.load)

app.add_page(evidence_page, route=routes.EVIDENCE, title="About the evidence" + _T)
app.add_page(not_found_page, route="404", title="Page not found" + _T)
# Sign-in and sign-up are server-rendered pages (auth_pages.py, routed in api.py).
