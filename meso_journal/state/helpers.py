"""Small helpers shared by the page states (no Reflex state here)."""

from __future__ import annotations

from meso_journal.rules.describe import day_label  # noqa: F401  (re-exported for the states)
from meso_journal.rules.validation import plain_id


def query_id(params, name: str) -> int | None:
    """A record id from the query string, or None."""
    return plain_id(params.get(name))
