"""Showing a measurement in the unit the patient prefers."""

from __future__ import annotations

from meso_journal.rules import catalog


def convert(value: float, unit: str, to: str) -> float:
    table = catalog.LENGTH_UNITS if unit in catalog.LENGTH_UNITS else catalog.WEIGHT_UNITS
    if to not in table:
        raise ValueError(f"cannot convert {unit} to {to}")
    return value * table[unit] / table[to]


def shown(value: float, unit: str, *, length_unit: str, weight_unit: str) -> str:
    """E.g. "64.0 cm", or "25.2 in" for a patient who prefers inches."""
    to = length_unit if unit in catalog.LENGTH_UNITS else weight_unit
    return f"{convert(value, unit, to):.1f} {to}"
