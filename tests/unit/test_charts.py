"""The timeline's chart geometry: ticks, coordinates, gaps and the table."""

import pytest

from meso_journal.rules import charts as c


def coords(line: c.Line) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in line.points.split()]


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 10, [0, 2, 4, 6, 8, 10]),
        (58.5, 60, [58.5, 59, 59.5, 60]),
        (61.2, 84.9, [60, 65, 70, 75, 80, 85]),
        (-5, 5, [-6, -4, -2, 0, 2, 4, 6]),
        (10, 0, [0, 2, 4, 6, 8, 10]),
    ],
)
def test_it_picks_round_ticks_that_cover_the_values(low, high, expected):
    assert c.nice_ticks(low, high) == expected


def test_it_gives_a_flat_line_room_above_and_below():
    ticks = c.nice_ticks(60, 60)
    assert ticks[0] < 60 < ticks[-1]
    assert c.nice_ticks(0, 0)[0] < 0 < c.nice_ticks(0, 0)[-1]


def test_it_maps_values_into_the_drawing_with_higher_values_higher():
    chart = c.line_chart(["1 Nov", "8 Nov", "15 Nov"], [("Pain", "teal", [0, 5, 10])], y_range=(0, 10))
    (line,) = chart.lines
    (x0, y0), (x1, y1), (x2, y2) = coords(line)
    assert c.LEFT < x0 < x1 < x2 < c.WIDTH - c.RIGHT
    assert x1 - x0 == pytest.approx(x2 - x1)
    assert y0 == c.HEIGHT - c.BOTTOM and y2 == c.TOP and y0 > y1 > y2
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert [t.label for t in chart.x_ticks] == ["1 Nov", "8 Nov", "15 Nov"]


def test_it_skips_missing_values_and_joins_the_neighbours():
    chart = c.line_chart(["a", "b", "c"], [("Pain", "teal", [2, None, 4]), ("Worst", "orange", [0, 1, 2])])
    pain, worst = chart.lines
    assert len(pain.dots) == 2 and len(coords(pain)) == 2
    assert len(worst.dots) == 3
    assert chart.rows == [["a", "2", "0"], ["b", "–", "1"], ["c", "4", "2"]]
    assert chart.columns == ["Pain", "Worst"]


def test_it_tells_lines_apart_by_dash_as_well_as_colour():
    chart = c.line_chart(["a", "b"], [(f"s{i}", "teal", [1, 2]) for i in range(3)])
    assert len({line.dash for line in chart.lines}) == 3


def test_it_spaces_points_by_date_when_given_days():
    chart = c.line_chart(["1 Nov", "2 Nov", "30 Nov"], [("Thigh (cm)", "teal", [60, 59, 58])], xs=[1, 2, 30])
    (x0, _), (x1, _), (x2, _) = coords(chart.lines[0])
    assert x1 - x0 < (x2 - x1) / 10
    # Labels that would overlap are dropped; the latest one stays.
    assert [t.label for t in chart.x_ticks] == ["1 Nov", "30 Nov"]


def test_it_shows_at_most_five_date_labels_including_first_and_last():
    labels = [f"{d} Nov" for d in range(1, 16)]
    chart = c.line_chart(labels, [("Pain", "teal", list(range(15)))])
    shown = [t.label for t in chart.x_ticks]
    assert len(shown) <= c.MAX_X_LABELS and shown[0] == "1 Nov" and shown[-1] == "15 Nov"
    assert len(chart.rows) == 15


def test_it_centres_a_single_point():
    chart = c.line_chart(["1 Nov"], [("Pain", "teal", [3])])
    ((x, y),) = coords(chart.lines[0])
    assert c.LEFT < x < c.WIDTH - c.RIGHT and c.TOP < y < c.HEIGHT - c.BOTTOM


def test_it_draws_nothing_from_nothing():
    chart = c.line_chart([], [])
    assert chart.lines == [] and chart.rows == [] and chart.x_ticks == []


def test_it_refuses_series_that_do_not_match_the_labels():
    with pytest.raises(ValueError, match="one value per label"):
        c.line_chart(["a", "b"], [("Pain", "teal", [1])])
    with pytest.raises(ValueError, match="one x per label"):
        c.line_chart(["a", "b"], [("Pain", "teal", [1, 2])], xs=[1])
