"""Four pages with the same routes as Meso Journal's, each with one trivial
on_load handler, and two forms whose save handlers do as little as ours can
be asked to: take the form, remember it, redirect to the timeline. The load
mix of benchmarks/load.py maps onto it one to one; what it costs is Reflex's
own event path."""

import reflex as rx


class TimelineState(rx.State):
    opened: int = 0

    @rx.event
    def load(self):
        self.opened += 1


class PhotosState(rx.State):
    opened: int = 0

    @rx.event
    def load(self):
        self.opened += 1


class CheckInState(rx.State):
    opened: int = 0
    saved: int = 0

    @rx.event
    def load(self):
        self.opened += 1

    @rx.event
    def save(self, form_data: dict):
        self.saved += 1
        # Ours answers a good save with a redirect too; the benchmark waits for it.
        return rx.redirect("/?done=checkin")


class LogState(rx.State):
    opened: int = 0
    saved: int = 0

    @rx.event
    def load(self):
        self.opened += 1

    @rx.event
    def save(self, form_data: dict):
        self.saved += 1
        return rx.redirect("/?done=session")


def _form(state, *fields: str) -> rx.Component:
    return rx.form(
        *(rx.input(name=name) for name in fields),
        rx.button("Save", type="submit"),
        on_submit=state.save,
    )


def timeline() -> rx.Component:
    return rx.text("Timeline ", TimelineState.opened)


def photos() -> rx.Component:
    return rx.text("Photos ", PhotosState.opened)


def checkin() -> rx.Component:
    return _form(CheckInState, "checked_on", "note")


def log() -> rx.Component:
    return _form(LogState, "performed_at", "notes")


app = rx.App()
app.add_page(timeline, route="/", on_load=TimelineState.load)
app.add_page(photos, route="/photos", on_load=PhotosState.load)
app.add_page(checkin, route="/checkin", on_load=CheckInState.load)
app.add_page(log, route="/log", on_load=LogState.load)
