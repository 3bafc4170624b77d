"""Line-chart geometry, worked out on the server: the timeline draws its
charts as plain SVG from these numbers instead of shipping a charting
library (recharts was a third of the timeline's first download). Pure
Python: series in, coordinates and labels out."""

from __future__ import annotations

import math
from dataclasses import dataclass

# The drawing's own coordinate system (the SVG scales to the card's width).
WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 24  # room for the axis labels
INSET = 18  # keeps the first and last points (and their labels) off the edges
# Each line has its own dash pattern too, so colour is never the only difference.
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]
MAX_X_LABELS = 5
# Far beyond any measurement, pain score or severity. A value past it (a row
# written past the forms) is left out like a missing one, so the axis can
# still be worked out.
DRAWABLE = 1e12


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Dot:
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    name: str
    colour: str  # a Radix colour scale name
    dash: str  # an SVG stroke-dasharray
    points: str  # the polyline's "x,y x,y …"
    dots: list[Dot]


@dataclass(frozen=True)
class Chart:
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    # The same numbers as text, for the table under the drawing.
    columns: list[str]
    rows: list[list[str]]


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round-numbered ticks covering low..high (1, 2 or 5 times a power of ten apart)."""
    if high < low:
        low, high = high, low
    if high == low:  # one value, or all the same: give the line some room
        pad = abs(low) * 0.1 or 1
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    ticks = [round(math.floor(low / step) * step, 10)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _drawable(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) and abs(value) <= DRAWABLE else None


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def _cell(value: float | None) -> str:
    """A value in the table under the chart; a dash where there is none."""
    return "–" if value is None else _number(value)


def _spread(count: int, limit: int) -> list[int]:
    """Which of count x labels to show: the first, the last and evenly between."""
    if count <= limit:
        return list(range(count))
    return sorted({round(i * (count - 1) / (limit - 1)) for i in range(limit)})


def _apart(ticks: list[Tick], gap: float = 44) -> list[Tick]:
    """Drops x labels that would overlap (days close together), keeping the last."""
    kept: list[Tick] = []
    for tick in ticks:
        if kept and tick.x - kept[-1].x < gap:
            if tick is not ticks[-1]:
                continue
            kept.pop()
        kept.append(tick)
    return kept


def line_chart(
    labels: list[str],
    series: list[tuple[str, str, list[float | None]]],
    *,
    y_range: tuple[float, float] | None = None,
    xs: list[float] | None = None,
) -> Chart:
    """labels: one per x position; series: (name, colour, one value or None per
    label). Missing values are skipped and the line joins its neighbours.
    xs places the labels proportionally (days, say); by default they are evenly
    spaced. y_range fixes the axis; by default it covers the values."""
    if xs is not None and len(xs) != len(labels):
        raise ValueError("one x per label")
    for _, _, values in series:
        if len(values) != len(labels):
            raise ValueError("one value per label in every series")
    series = [(name, colour, [_drawable(v) for v in values]) for name, colour, values in series]
    if y_range:
        bottom, top = y_range
        ticks = [t for t in nice_ticks(bottom, top) if bottom <= t <= top]
    else:
        present = [v for _, _, values in series for v in values if v is not None]
        ticks = nice_ticks(min(present, default=0.0), max(present, default=1.0))
        bottom, top = ticks[0], ticks[-1]
    positions = xs if xs is not None else list(range(len(labels)))
    first, last = (min(positions), max(positions)) if positions else (0, 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 2 * INSET, HEIGHT - TOP - BOTTOM

    def x_of(p: float) -> float:
        start = LEFT + INSET
        return round(start + plot_w / 2 if last == first else start + (p - first) / (last - first) * plot_w, 1)

    def y_of(v: float) -> float:
        return round(TOP + plot_h - (v - bottom) / ((top - bottom) or 1) * plot_h, 1)

    lines = []
    for i, (name, colour, values) in enumerate(series):
        dots = [Dot(x_of(p), y_of(v)) for p, v in zip(positions, values, strict=True) if v is not None]
        lines.append(Line(name, colour, DASHES[i % len(DASHES)], " ".join(f"{d.x},{d.y}" for d in dots), dots))
    return Chart(
        lines=lines,
        y_ticks=[Tick(_number(t), LEFT - 4, y_of(t)) for t in ticks],
        x_ticks=_apart([Tick(labels[i], x_of(positions[i]), HEIGHT - 6) for i in _spread(len(labels), MAX_X_LABELS)]),
        columns=[name for name, _, _ in series],
        rows=[[label, *(_cell(values[i]) for _, _, values in series)] for i, label in enumerate(labels)],
    )
