"""Showing a measurement in the unit the patient prefers."""

from __future__ import annotations

import math

from meso_journal.rules import catalog


def convert(value: float, unit: str, to: str) -> float:
    """NaN for a stored unit the catalogue does not know (a row written past
    the forms): charts leave it out instead of failing."""
    table = catalog.LENGTH_UNITS if unit in catalog.LENGTH_UNITS else catalog.WEIGHT_UNITS
    if to not in table:
        raise ValueError(f"cannot convert {unit} to {to}")
    return value * table[unit] / table[to] if unit in table else math.nan


def shown(value: float, unit: str, *, length_unit: str, weight_unit: str) -> str:
    """E.g. "64.0 cm", or "25.2 in" for a patient who prefers inches."""
    to = length_unit if unit in catalog.LENGTH_UNITS else weight_unit
    if unit not in catalog.LENGTH_UNITS and unit not in catalog.WEIGHT_UNITS:
        return f"{value:.1f} {unit}"
    return f"{convert(value, unit, to):.1f} {to}"
