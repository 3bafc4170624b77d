"""The base state: which patient this browser tab's state tree belongs to.

Reflex hands a whole state tree to whoever presents the tab's client token.
LoginGuard (below) therefore checks the HttpOnly session cookie of the
websocket before every event and binds the tree to that patient, wiping it
when the two disagree. Handlers read the patient from `_user_id` only.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import secrets

import reflex as rx
from reflex.istate.delta import _resolve_delta
from reflex.middleware import Middleware
from reflex.state import BaseState, OnLoadInternalState, StateUpdate
from reflex_base.event import Event
from reflex_base.utils.format import format_event_handler

from meso_journal import clock, database, routes
from meso_journal.rules import catalog, validation
from meso_journal.store import journal
from meso_journal.web.cookies import signed_in_patient

PROBLEM = "Something went wrong. Please try again, or reload the page if it keeps happening."
# The server had lost this tab's page (its state) when the patient tapped.
LOST_TAP = (
    "The connection to your journal was reset, so your last tap did not go through. "
    "Nothing you saved is lost: please check and try again."
)


class NotSignedIn(Exception):
    pass


@dataclasses.dataclass
class CourseOption:
    id: int
    label: str


def off_loop(handler):
    """Runs an event handler's body in a worker thread instead of on the event
    loop: while one tab waits for the database, every other tab's events go
    on. Reflex holds this tab's state lock for the whole event, so nothing
    else touches the state meanwhile. Put it under @rx.event."""

    @functools.wraps(handler)
    async def run(self, *args, **kwargs):
        return await asyncio.to_thread(handler, self, *args, **kwargs)

    return run


def page_load(load):
    """A signed-in page's one on_load event (decision 10: one event per page
    open): sends a signed-out tab to sign in, loads the header's course
    picker, then runs the page's own load, all off the event loop. Put it
    under @rx.event; routes.SIGNED_IN_PAGES lists exactly the pages that use it."""

    def open_page(self: AppState):
        self.problem = LOST_TAP if self._lost_tap else ""
        self._lost_tap = False
        if self._user_id is None:
            return rx.redirect(routes.SIGN_IN, replace=True)
        with database.session() as db:
            # The version is read before any data: a write landing after it
            # makes the next open load again, never the other way round. The
            # patient's row stays in the session for the course picker's query.
            patient = journal.find_patient(db=db, owner_id=self._user_id)
            self._journal_stamp = (patient and patient.journal_version, clock.today())
            self.email_confirmed = patient is None or patient.email_verified_at is not None
            if self._journal_stamp != self._courses_stamp:
                self._load_courses(db)
                self._courses_stamp = self._journal_stamp
        return load(self)

    run = off_loop(functools.wraps(load)(open_page))
    run.opens_signed_in_page = True
    return run


class AppState(rx.State):
    # Backend-only: never sent to the browser. None when signed out.
    _user_id: int | None = None
    # Display data of the signed-in patient only.
    email: str = ""
    # Whether the patient opened the link mailed to their address (read with
    # the patient's row on every page open; True until known, so no reminder flashes).
    email_confirmed: bool = True
    courses: list[CourseOption] = []
    course_id: int = 0  # the course the header picker shows; 0 when none
    # Set when an event failed on the server; shown as one calm sentence.
    problem: str = ""
    # (journal version, day) as the page being opened read them, and as the
    # course picker was last loaded for (store/versions.py).
    _journal_stamp: tuple = ()
    _courses_stamp: tuple = ()
    # Set by LoginGuard when a tap arrived after the tab's state was lost.
    _lost_tap: bool = False

    @rx.var
    def signed_in(self) -> bool:
        return self.email != ""

    @rx.var
    def course_label(self) -> str:
        """The course the pages show, by name (the header, where the picker would lose a form)."""
        return next((c.label for c in self.courses if c.id == self.course_id), "")

    @rx.event
    def show_problem(self):
        self.problem = PROBLEM

    def _refuse(self) -> None:
        """For event arguments no page of ours would send: say so, change nothing."""
        self.problem = PROBLEM

    @rx.event
    def dismiss_problem(self):
        self.problem = ""

    def _owner(self) -> int:
        """The signed-in patient's id; every data handler starts here."""
        if self._user_id is None:
            raise NotSignedIn
        return self._user_id

    def _loaded_for(self) -> tuple:
        """What a page's data depends on: the journal's version and the day as
        this page open read them, and the course shown. A page that loaded
        for the same key shows the journal as it is: it need not load again."""
        return (*self._journal_stamp, self.course_id)

    def _fresh_form(self) -> None:
        """This page state back to its defaults, with a new form_key: the key
        remounts the page's form, so uncontrolled inputs show the new defaults."""
        key = getattr(self, "form_key", 0)
        saved = (getattr(self, "_saved_form_ids", []), getattr(self, "saved_form_id", ""))
        self.reset()
        if hasattr(self, "form_key"):
            self.form_key = key + 1
        if isinstance(self, FormState):
            self._saved_form_ids, self.saved_form_id = saved
            self._new_form_id()

    def _load_courses(self, db) -> None:
        owner = self._owner()
        # Held while current_course runs: the database session's identity map
        # then answers its get_course without another query.
        courses = journal.list_courses(db=db, owner_id=owner)
        self.courses = [CourseOption(c.id, catalog.course_label(c.goal, c.areas)) for c in courses]
        current = journal.current_course(db=db, owner_id=owner)
        self.course_id = current.id if current else 0

    @rx.event
    @off_loop
    def choose_course(self, value: str):
        """The header picker. The value comes from the browser: checked here and by the store."""
        try:
            course_id = int(value) if isinstance(value, str) and len(value) < 12 else None
            with database.session() as db:
                journal.choose_course(db=db, owner_id=self._owner(), course_id=course_id)
                self._load_courses(db)
        except (ValueError, journal.NotFound, NotSignedIn):
            self.problem = "That course could not be opened."
            return
        return rx.redirect(routes.TIMELINE)


class FormState(rx.State, mixin=True):
    """A form the patient submits: what was refused, field by field ("form"
    for the form as a whole), and how many times, which keys the error
    summary so that every refusal brings it back into view."""

    errors: dict[str, str] = {}
    refusals: int = 0
    # Names this showing of the form (a hidden field sends it back). A save
    # that succeeds gives the form a new one and remembers the old one, so a
    # second tap on Save, queued behind the first, is recognised and does not
    # save again.
    form_id: str = ""
    # The latest few saved. Only these are refused: a form id this state never
    # issued is a form not yet saved (the tab's state was lost and rebuilt, as
    # when a reconnect lands on another server), and it goes on to be saved.
    _saved_form_ids: list[str] = []
    # The latest of them, for drafts.js: a draft sent with this id was saved.
    saved_form_id: str = ""

    def _refuse_form(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        self.refusals += 1

    def _new_form_id(self) -> None:
        self.form_id = secrets.token_urlsafe(9)

    def _already_saved(self, form_data: object) -> bool:
        """True for a form this state has saved. A form without an id, or
        with one this state does not know, goes on to validation."""
        return _sent_form_id(form_data) in self._saved_form_ids

    def _saved(self, form_data: object) -> None:
        """The form went through: a repeat of it is recognised, and the page shows a new form."""
        if sent := _sent_form_id(form_data):
            self._saved_form_ids = [*self._saved_form_ids[-9:], sent]
            self.saved_form_id = sent
        self._new_form_id()

    def _stored_by_outbox(self):
        """What the page does once the outbox's entry of this form is stored
        (the same as after a save through the handler): by default nothing
        more than a fresh form. A form sent through the outbox overrides it."""
        return None


# The field outbox.js adds when it hands the server's answer to the form's
# handler (assets/outbox.js): the entry itself went to /api/entries.
OUTBOX_ANSWER = "outbox_answer"


def _outbox_answer(form_data: dict) -> dict[str, str] | None:
    """The refusals of an answer from /api/entries, {} for "stored", None for
    anything else. It only decides what this tab shows: nothing is stored on
    its word, so a forged one misleads nobody but its sender."""
    try:
        answer = json.loads(form_data.get(OUTBOX_ANSWER) or "")
    except (TypeError, ValueError):
        return None
    if not isinstance(answer, dict):
        return None
    if answer.get("stored") is True:
        return {}
    errors = answer.get("errors")
    if (
        isinstance(errors, dict)
        and 0 < len(errors) <= 40
        and all(
            isinstance(k, str) and len(k) <= 100 and isinstance(v, str) and len(v) <= 500 for k, v in errors.items()
        )
    ):
        return errors
    return None


def _sent_form_id(form_data: object) -> str:
    sent = form_data.get("form_id") if isinstance(form_data, dict) else None
    return sent if isinstance(sent, str) and 0 < len(sent) <= 64 else ""


def saves_form(gone: str, *, gone_field: str = "form"):
    """A form's save handler, the same way for every form: a second tap on
    Save (its form already saved) does nothing; refused input goes to the
    form's error summary, field by field; a record or course that no longer
    exists, or a tab signed out meanwhile, is refused with `gone` (on the
    form as a whole unless `gone_field` names the field that chose it); a save that
    went through clears the errors and gives the form a new id. The handler's
    body only validates and stores. Put it under @off_loop."""

    def wrap(save):
        @functools.wraps(save)
        def run(self: FormState, form_data: dict):
            if isinstance(form_data, dict) and OUTBOX_ANSWER in form_data:
                # Sent and answered through the outbox: show the answer, store nothing.
                errors = _outbox_answer(form_data)
                if errors is None:
                    return self._refuse_form({"form": validation.SHAPE})
                if errors:
                    return self._refuse_form(errors)
                self.errors = {}
                self._saved(form_data)
                return self._stored_by_outbox()
            if self._already_saved(form_data):
                return None  # queued behind the first tap, which saved it
            try:
                result = save(self, form_data)
            except validation.Invalid as e:
                return self._refuse_form(e.errors)
            except (journal.NotFound, NotSignedIn):
                return self._refuse_form({gone_field: gone})
            self.errors = {}
            self._saved(form_data)
            return result

        return run

    return wrap


def _descendants(cls: type[BaseState]) -> list[type[BaseState]]:
    out = []
    for sub in cls.get_substates():
        out.append(sub)
        out.extend(_descendants(sub))
    return out


async def reset_tree(root: BaseState) -> AppState:
    """AppState and every state under it (all of the app's states) back to
    their defaults, backend vars included.

    Substates are loaded first: a state manager may load them lazily, and an
    unloaded substate would keep the previous patient's data.
    """
    app_state = await root.get_state(AppState)
    for cls in _descendants(AppState):
        await root.get_state(cls)
    app_state.reset()
    return app_state


_HYDRATE_NAMES: frozenset[str] | None = None


def _is_page_open(event_name: str) -> bool:
    return event_name == format_event_handler(OnLoadInternalState.on_load_internal)


def _is_hydrate(event_name: str) -> bool:
    global _HYDRATE_NAMES
    if _HYDRATE_NAMES is None:
        _HYDRATE_NAMES = frozenset(
            format_event_handler(rx.State.event_handlers[n]) for n in ("hydrate", "hydrate_and_load")
        )
    return event_name in _HYDRATE_NAMES


def _hands_over_an_answer(event) -> bool:
    """An event carrying a form with outbox.js's outbox_answer (as a plain
    dict, or as the ordered entries Reflex wraps a form's data in)."""
    for value in (event.payload or {}).values():
        if not isinstance(value, dict):
            continue
        if OUTBOX_ANSWER in value:
            return True
        entries = value.get("__reflex_form_data__")  # reflex_base.utils.form.FORM_DATA_ENTRIES_KEY
        if isinstance(entries, list) and any(
            isinstance(pair, list | tuple) and pair and pair[0] == OUTBOX_ANSWER for pair in entries
        ):
            return True
    return False


class LoginGuard(Middleware):
    async def preprocess(self, app, state: BaseState, event) -> StateUpdate | None:
        root = state._get_root_state()
        # The websocket handshake's own headers (set server-side by Reflex, not
        # by the browser's event payload); chained events inherit the tree's.
        headers = (event.router_data or {}).get("headers") or root.router_data.get("headers") or {}
        user_id, email = await signed_in_patient(headers.get("cookie"))
        app_state = await root.get_state(AppState)
        if app_state._user_id == user_id:
            if app_state.email != email:
                app_state.email = email
            return None
        was_signed_in = app_state._user_id is not None
        app_state = await reset_tree(root)
        app_state._user_id = user_id
        app_state.email = email
        if _is_hydrate(event.name):
            # The hydrate itself sends the fresh tree.
            return None
        if user_id is not None and not was_signed_in:
            # A tree nobody owns, under an open page: its state was lost (Redis
            # restarted, or the state expired), as a new tab starts with a
            # hydrate. A page open loads everything it needs: it goes on.
            if _is_page_open(event.name):
                return None
            # The outbox handing over the server's answer to a save: already
            # stored, it needs nothing of the page's state to be shown.
            if _hands_over_an_answer(event):
                return None
            # Any other tap depends on the page's state (which course, which
            # record): it does not run on an empty one. The page is rebuilt the
            # way a reconnect does, the form gets back what was typed
            # (drafts.js), and the patient is told to try again.
            app_state._lost_tap = True
            return StateUpdate(
                delta=await _resolve_delta(root.dict()),
                events=Event.from_event_type(rx.State.hydrate_and_load),
            )
        # The event was meant for whoever the tree belonged to before: it does
        # not run. The browser gets the wiped tree and is sent to a page that
        # loads afresh for whoever the cookie says it is now.
        if user_id is not None:
            target = routes.TIMELINE
        else:  # the tab was signed in a moment ago: say why it is now at the sign-in page
            target = f"{routes.SIGN_IN}?done=signed_out" if was_signed_in else routes.SIGN_IN
        return StateUpdate(
            delta=await _resolve_delta(root.dict()),
            events=Event.from_event_type(rx.redirect(target, replace=True)),
        )
