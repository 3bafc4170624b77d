"""Small helpers shared by the page states (no Reflex state here)."""

from __future__ import annotations

from meso_journal.rules.describe import day_label, money  # noqa: F401  (re-exported for the states)


def query_id(params, name: str) -> int | None:
    """A positive integer id from the query string, or None."""
    raw = params.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 11 else None
