"""Nothing blocks the event loop (issue 16, DESIGN.md decision 10): every
event handler that opens a database session runs off the loop (off_loop or
page_load), so one tab waiting for the database never holds up the others."""

from __future__ import annotations

import inspect

from meso_journal.meso_journal import app  # noqa: F401  (registers every state)
from meso_journal.state.base import AppState


def _states(cls):
    yield cls
    for sub in cls.get_substates():
        yield from _states(sub)


def test_every_handler_that_touches_the_database_runs_off_the_loop():
    checked, on_loop = [], []
    for state in _states(AppState):
        for name, handler in state.event_handlers.items():
            fn = handler.fn
            body = inspect.getsource(inspect.unwrap(fn))
            if "database.session" not in body and "_refresh(" not in body:
                continue
            checked.append(f"{state.__name__}.{name}")
            if not inspect.iscoroutinefunction(fn) or not hasattr(fn, "__wrapped__"):
                on_loop.append(f"{state.__name__}.{name}")
    assert len(checked) >= 20  # the check itself sees the handlers
    assert on_loop == []
