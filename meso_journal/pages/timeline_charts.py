"""A line chart drawn as plain SVG from rules.charts geometry (no charting
library to download), with a legend and the numbers as a table."""

import reflex as rx

from meso_journal.rules import charts

_label = {"font_size": "11px", "fill": rx.color("gray", 11)}


def _stroke(line) -> dict:
    return {"stroke": f"var(--{line.colour}-9)", "stroke_dasharray": line.dash, "stroke_width": "2", "fill": "none"}


def _line(line) -> rx.Component:
    return rx.el.svg.g(
        rx.el.svg.polyline(points=line.points, style=_stroke(line)),
        rx.foreach(
            line.dots,
            lambda dot: rx.el.svg.circle(
                cx=dot.x.to_string(), cy=dot.y.to_string(), r="3", style={"fill": f"var(--{line.colour}-9)"}
            ),
        ),
    )


def _legend_item(line) -> rx.Component:
    return rx.hstack(
        rx.el.svg(
            rx.el.svg.line(x1="0", y1="6", x2="24", y2="6", style=_stroke(line)),
            width="24",
            height="12",
            aria_hidden="true",
        ),
        rx.text(line.name, size="2"),
        align="center",
        spacing="1",
    )


def _numbers(chart) -> rx.Component:
    cell = {"padding": "0.25rem 0.5rem", "text_align": "right"}
    return rx.el.details(
        rx.el.summary("Show the numbers", style={"min_height": "44px", "padding": "10px 0", "cursor": "pointer"}),
        rx.el.table(
            rx.el.thead(
                rx.el.tr(
                    rx.el.th("Date", scope="col", style={**cell, "text_align": "left"}),
                    rx.foreach(chart.columns, lambda name: rx.el.th(name, scope="col", style=cell)),
                )
            ),
            rx.el.tbody(
                rx.foreach(
                    chart.rows,
                    lambda row: rx.el.tr(
                        rx.el.th(row[0], scope="row", style={**cell, "text_align": "left", "font_weight": "normal"}),
                        rx.foreach(row[1:], lambda value: rx.el.td(value, style=cell)),
                    ),
                )
            ),
            style={"font_size": "14px", "border_collapse": "collapse"},
        ),
        style={"width": "100%", "overflow_x": "auto"},
    )


def line_chart(chart, *, description: str) -> rx.Component:
    """chart: a state var holding a rules.charts.Chart."""
    grid = rx.foreach(
        chart.y_ticks,
        lambda tick: rx.el.svg.g(
            rx.el.svg.line(
                x1=str(charts.LEFT),
                x2=str(charts.WIDTH - charts.RIGHT),
                y1=tick.y.to_string(),
                y2=tick.y.to_string(),
                style={"stroke": rx.color("gray", 5), "stroke_width": "1"},
            ),
            rx.el.svg.text(
                tick.label,
                x=tick.x.to_string(),
                y=tick.y.to_string(),
                text_anchor="end",
                dominant_baseline="middle",
                style=_label,
            ),
        ),
    )
    x_labels = rx.foreach(
        chart.x_ticks,
        lambda tick: rx.el.svg.text(
            tick.label, x=tick.x.to_string(), y=tick.y.to_string(), text_anchor="middle", style=_label
        ),
    )
    return rx.vstack(
        rx.el.svg(
            grid,
            x_labels,
            rx.foreach(chart.lines, _line),
            view_box=f"0 0 {charts.WIDTH} {charts.HEIGHT}",
            width="100%",
            role="img",
            aria_label=description,
            style={"display": "block", "overflow": "visible"},
        ),
        rx.flex(rx.foreach(chart.lines, _legend_item), wrap="wrap", spacing="3"),
        _numbers(chart),
        spacing="2",
        width="100%",
    )
