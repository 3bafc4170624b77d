"""Malformed websocket events are dropped before Reflex sees them, and
counted: one log line per connection when it closes, instead of a traceback
for each (Reflex logs one for every event it cannot parse or route, and with
it the connection's headers, cookie included).

Only events Reflex would fail on anyway are dropped: data that is not an
object, a handler name it does not know, a payload or router data that is
not an object, arguments the handler does not take or lacks, and Reflex's
built-in `setvar` (no page of ours sends it; it fails on every state). An event that
passes still meets the handler's own checks of its arguments' types and
ranges (DESIGN.md, decision 4).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections import Counter
from collections.abc import Callable, Mapping

logger = logging.getLogger("meso_journal")


@functools.lru_cache(maxsize=1024)
def _parameters(fn: Callable) -> tuple[bool, frozenset[str], frozenset[str]] | None:
    """(takes any keyword, the names it takes, the names it needs), past `self`;
    None when the signature cannot be read (the event is then let through)."""
    try:
        params = list(inspect.signature(fn).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    named = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return (
        any(p.kind is p.VAR_KEYWORD for p in params),
        frozenset(p.name for p in named),
        frozenset(p.name for p in named if p.default is p.empty),
    )


def problem(data: object, handlers: Mapping[str, object]) -> str | None:
    """Why Reflex could not run this event, or None when it can try."""
    if not isinstance(data, dict):
        return "not an object"
    name, payload, router_data = data.get("name"), data.get("payload", {}), data.get("router_data", {})
    if not isinstance(name, str) or name not in handlers:
        return "unknown handler"
    if name.endswith(".setvar"):
        # Reflex's built-in setter: no page of ours uses it, and with no
        # set_<var> method to call it fails with a traceback every time.
        return "setvar"
    if not isinstance(payload, dict) or not isinstance(router_data, dict):
        return "payload not an object"
    params = _parameters(handlers[name].handler.fn)
    if params is not None:
        takes_any, names, needed = params
        if not takes_any and not set(payload) <= names:
            return "unknown argument"
        if not needed <= set(payload):
            return "missing argument"
    return None


def install(namespace, handlers: Mapping[str, object]) -> None:
    """Wraps Reflex's event namespace (app.event_namespace); handlers is the
    registry of event handlers by name, filled as states are defined."""
    on_event, on_disconnect = namespace.on_event, namespace.on_disconnect
    dropped: dict[str, Counter[str]] = {}

    async def checked_on_event(sid: str, data: object = None):
        if (why := problem(data, handlers)) is not None:
            dropped.setdefault(sid, Counter())[why] += 1
            return None
        return await on_event(sid, data)

    def counted_on_disconnect(sid: str, *_reason):
        if counts := dropped.pop(sid, None):
            kinds = ", ".join(f"{why}: {n}" for why, n in counts.most_common())
            logger.warning("websocket %s closed after %d malformed events, ignored (%s)", sid, counts.total(), kinds)
        return on_disconnect(sid)

    # Socket.IO calls the namespace's on_<event> attributes: these shadow the methods.
    namespace.on_event = checked_on_event
    namespace.on_disconnect = counted_on_disconnect
