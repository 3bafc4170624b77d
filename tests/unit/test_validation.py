"""Checking what patients type: every rule at its edges, and hostile shapes."""

from datetime import date, datetime

import pytest

from meso_journal.rules import validation as v
from meso_journal.rules.units import convert, shown

TODAY = date(2026, 11, 25)
GOOD_SESSION = {"performed_at": "2026-11-24T10:30", "area:thighs": "on"}


def session(**changes):
    form = {**GOOD_SESSION, **changes}
    return v.visit_input({k: val for k, val in form.items() if val is not None}, today=TODAY)


def errors_of(fn, *args, **kwargs) -> dict:
    with pytest.raises(v.Invalid) as e:
        fn(*args, **kwargs)
    return e.value.errors


def test_it_accepts_a_minimal_session_and_stores_wall_clock_time():
    s = session()
    assert s.performed_at == datetime(2026, 11, 24, 10, 30)
    assert s.areas == ["thighs"]
    assert s.depth_mm is None and s.cost_cents is None and s.pain is None
    assert [r.severity for r in s.ratings] == [0] * 12  # twelve effects, each "none"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2026-11-26T23:59", True),  # a day ahead: time zones
        ("2026-11-27T00:00", False),
        ("1952-01-01T09:00", True),
        ("1951-12-31T09:00", False),
        ("2026-02-30T10:00", False),
        ("yesterday", False),
        ("", False),
    ],
)
def test_it_checks_the_session_date(value, ok):
    if ok:
        assert session(performed_at=value)
    else:
        assert "performed_at" in errors_of(session, performed_at=value)


@pytest.mark.parametrize(
    ("depth", "expected"),
    [("", None), ("unknown", None), ("1", 1.0), ("2.5", 2.5), ("4", 4.0)],
)
def test_it_accepts_depths_in_half_millimetres(depth, expected):
    assert session(depth_mm=depth).depth_mm == expected


@pytest.mark.parametrize("depth", ["0.5", "4.5", "5", "2.3", "-1", "nan", "inf", "deep"])
def test_it_refuses_depths_outside_one_to_four(depth):
    assert errors_of(session, depth_mm=depth)["depth_mm"].startswith("Needle depth is between 1 and 4 mm")


@pytest.mark.parametrize(
    ("cost", "cents"),
    [
        ("0", 0),
        ("350", 35000),
        ("350.50", 35050),
        ("350,50", 35050),
        ("1,250.00", 125000),
        ("100000", 10_000_000),
    ],
)
def test_it_reads_costs(cost, cents):
    assert session(cost=cost).cost_cents == cents


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("-1", "The cost cannot be negative."),
        ("100000.01", "That is over 100,000: enter the cost of this one session."),
        ("1e9", "That is over 100,000: enter the cost of this one session."),
        ("NaN", "Enter the cost as a number, like 350 or 350.50."),
        ("lots", "Enter the cost as a number, like 350 or 350.50."),
    ],
)
def test_it_refuses_impossible_costs(cost, message):
    assert errors_of(session, cost=cost)["cost"] == message


@pytest.mark.parametrize(("pain", "ok"), [("0", True), ("10", True), ("-1", False), ("11", False), ("5.5", False)])
def test_it_checks_pain_from_zero_to_ten(pain, ok):
    if ok:
        assert session(pain=pain).pain == int(pain)
    else:
        assert "pain" in errors_of(session, pain=pain)


def test_it_limits_notes_to_five_thousand_characters():
    assert len(session(notes="x" * 5000).notes) == 5000
    assert "notes" in errors_of(session, notes="x" * 5001)


def test_it_keeps_newlines_in_notes_but_drops_control_characters():
    assert session(notes="line one\nline two\x00\u202e").notes == "line one\nline two"


@pytest.mark.parametrize("rating", ["terrible", "3", "Mild", "none; DROP TABLE"])
def test_it_accepts_only_the_four_ratings(rating):
    assert errors_of(session, **{"effect:rash": rating}) == {"effect:rash": "Choose none, mild, moderate or severe."}


def test_it_reads_a_missing_rating_as_none():
    assert {r.effect: r.severity for r in session(**{"effect:rash": ""}).ratings}["rash"] == 0


def test_it_records_an_effect_with_its_days_and_an_other_with_its_name():
    s = session(
        **{
            "effect:bruising": "severe",
            "days:bruising": "4",
            "effect:other": "mild",
            "other_effect_name": "Headache",
        }
    )
    by_effect = {r.effect: r for r in s.ratings}
    assert by_effect["bruising"].severity == 3 and by_effect["bruising"].days_lasted == 4
    assert by_effect["other"].other_name == "Headache"
    assert "other_effect_name" in errors_of(session, **{"effect:other": "mild"})


def test_it_refuses_unknown_effects_and_areas():
    assert "form" in errors_of(session, **{"effect:werewolf": "mild"})
    assert "area" in errors_of(session, **{"area:moon": "on"})


@pytest.mark.parametrize(
    ("downtime", "amount", "hours"),
    [("none", "", 0), ("hours", "5", 5), ("days", "2", 48)],
)
def test_it_records_downtime(downtime, amount, hours):
    assert session(downtime=downtime, downtime_amount=amount).downtime_hours == hours


@pytest.mark.parametrize(
    ("downtime", "amount"), [("hours", ""), ("hours", "30"), ("days", "0"), ("days", "61"), ("weeks", "1")]
)
def test_it_refuses_impossible_downtime(downtime, amount):
    errors = errors_of(session, downtime=downtime, downtime_amount=amount)
    assert set(errors) & {"downtime", "downtime_amount"}


@pytest.mark.parametrize(
    "raw",
    [
        None,
        [],
        "performed_at=2026-11-24",
        42,
        {"performed_at": {"$gt": ""}},
        {"performed_at": ["a"]},
        {f"k{i}": "" for i in range(500)},
    ],
)
def test_it_refuses_forms_of_the_wrong_shape(raw):
    assert errors_of(v.visit_input, raw, today=TODAY) == {"form": v.SHAPE}


def test_it_reports_every_problem_at_once():
    errors = errors_of(session, performed_at="1900-01-01T00:00", depth_mm="9", cost="-5", pain="99", notes="x" * 6000)
    assert set(errors) == {"performed_at", "depth_mm", "cost", "pain", "notes"}


GOOD_COURSE = {"goal": "cellulite", "area:thighs": "on", "start_date": "2026-11-01"}


def course(**changes):
    return v.course_input({**GOOD_COURSE, **changes}, today=TODAY)


def test_it_accepts_a_course_with_custom_areas():
    c = course(custom_areas="Knees, inner arms; Thighs", planned_sessions="10")
    assert c.areas == ["thighs", "Knees", "inner arms"]
    assert c.planned_sessions == 10 and c.status == "active"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"goal": "immortality"}, "goal"),
        ({"area:thighs": ""}, "area"),
        ({"planned_sessions": "0"}, "planned_sessions"),
        ({"planned_sessions": "31"}, "planned_sessions"),
        ({"start_date": "1940-01-01"}, "start_date"),
        ({"start_date": "2028-01-01"}, "start_date"),
        ({"clinic_phone": "<script>"}, "clinic_phone"),
        ({"clinic": "x" * 201}, "clinic"),
        ({"status": "abandoned"}, "status"),
    ],
)
def test_it_refuses_bad_courses(changes, field):
    assert field in errors_of(course, **changes)


def test_it_keeps_check_ins_after_their_session():
    ok = v.checkin_input(
        {"checked_on": "2026-11-20", "effect:swelling": "mild"}, visit_day=date(2026, 11, 17), today=TODAY
    )
    assert ok.checked_on == date(2026, 11, 20)
    assert [r.effect for r in ok.ratings if r.severity] == ["swelling"]
    errors = errors_of(v.checkin_input, {"checked_on": "2026-11-16"}, visit_day=date(2026, 11, 17), today=TODAY)
    assert errors == {"checked_on": "A check-in comes after its session."}


@pytest.mark.parametrize(
    ("form", "ok"),
    [
        ({"kind": "circumference", "area": "Left thigh", "value": "58.5", "unit": "cm"}, True),
        ({"kind": "circumference", "area": "Left thigh", "value": "23", "unit": "in"}, True),
        ({"kind": "weight", "value": "150", "unit": "lb"}, True),
        ({"kind": "weight", "value": "500", "unit": "kg"}, False),
        ({"kind": "weight", "value": "-70", "unit": "kg"}, False),
        ({"kind": "circumference", "area": "", "value": "58", "unit": "cm"}, False),
        ({"kind": "circumference", "area": "Waist", "value": "58", "unit": "kg"}, False),
        ({"kind": "height", "value": "180", "unit": "cm"}, False),
        ({"kind": "weight", "value": "inf", "unit": "kg"}, False),
    ],
)
def test_it_checks_measurements(form, ok):
    form = {"measured_on": "2026-11-20", **form}
    if ok:
        assert v.measurement_input(form, today=TODAY).value == float(form["value"])
    else:
        errors_of(v.measurement_input, form, today=TODAY)


def test_a_weight_saves_with_the_hidden_area_field_sent_as_null():
    # What the browser sends when "weight" is picked: the unmounted "Where" input is null.
    form = {"measured_on": "2026-11-20", "kind": "weight", "area": None, "value": "68.4", "unit": "kg"}
    m = v.measurement_input(form, today=TODAY)
    assert (m.kind, m.area, m.value, m.unit) == ("weight", "", 68.4, "kg")


def test_it_shows_measurements_in_the_patients_unit():
    assert shown(64.0, "cm", length_unit="in", weight_unit="kg") == "25.2 in"
    assert shown(150, "lb", length_unit="cm", weight_unit="kg") == "68.0 kg"
    assert convert(10, "in", "in") == 10


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026:03:14 09:30:00", datetime(2026, 3, 14, 9, 30)),
        ("2026:03:14 09:30:00 +01:00", datetime(2026, 3, 14, 9, 30)),
        ("2026:03:14 09:30:00-05:00", datetime(2026, 3, 14, 9, 30)),
        ("2026:11:26 08:00:00", datetime(2026, 11, 26, 8, 0)),  # a day ahead: time zones
    ],
)
def test_it_takes_a_plausible_capture_time_hint(raw, expected):
    assert v.photo_time_hint(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "yesterday",
        "2026-03-14 09:30:00",  # not EXIF's form
        "2026:02:30 09:30:00",  # no such day
        "2026:03:14 25:00:00",
        "0000:00:00 00:00:00",  # what some cameras write when the clock was never set
        "1900:01:01 00:00:00",
        "2031:01:01 00:00:00",  # the future
        "2026:03:14 09:30:00 +99:99:99",
        "2026:03:14 09:30:00" + " " * 50,
        None,
        ["2026:03:14 09:30:00"],
        20260314,
    ],
)
def test_it_ignores_a_malformed_or_absurd_capture_time_hint(raw):
    assert v.photo_time_hint(raw, today=TODAY) is None


@pytest.mark.parametrize("text", ["Sara می‌خواهم", "👩‍⚕️ Dr. Rossi"])
def test_it_keeps_the_joiners_that_belong_to_the_writing(text):
    assert v.clean_text(text, limit=100) == text


def test_it_drops_invisible_overrides():
    assert v.clean_text("abc\u202edef\u2063", limit=100) == "abcdef"


def test_a_course_name_says_how_many_areas_it_leaves_out():
    from meso_journal.rules import catalog

    assert catalog.course_label("cellulite", ["thighs", "hips"]) == "Cellulite · Thighs, Hips"
    assert catalog.course_label("cellulite", ["stomach", "thighs", "flanks", "arms"]).endswith(" +1")


def test_photo_details_are_one_rule_for_upload_viewer_and_import():
    got = v.photo_input({"area": " Thighs ", "taken_on": "2026-11-01", "session": "7"}, today=TODAY)
    assert got == v.PhotoInput("Thighs", date(2026, 11, 1), 7)
    # On upload the day and the session may stay empty: the camera's date stands in.
    assert v.photo_input({"area": "Thighs"}, today=TODAY) == v.PhotoInput("Thighs", None, None)


@pytest.mark.parametrize(
    ("raw", "kwargs", "errors"),
    [
        ({"area": ""}, {}, {"area": "Choose the body area the photo shows."}),
        ({"area": "Ankles"}, {"areas": ["Thighs"]}, {"area": "Choose the body area from the list."}),
        ({"area": "a" * 61}, {}, {"area": "Keep this under 60 characters (it has 61)."}),
        ({"area": "Thighs"}, {"day_required": True}, {"taken_on": "Give the day the photo was taken."}),
        ({"area": "Thighs", "taken_on": "2026-11-27"}, {}, {"taken_on": "This date is in the future."}),
        ({"area": "Thighs", "session": "x"}, {}, {"session": "Choose the session from the list, or none."}),
        ({"area": "Thighs", "session": "0"}, {}, {"session": "Choose the session from the list, or none."}),
    ],
)
def test_photo_details_refused_field_by_field(raw, kwargs, errors):
    with pytest.raises(v.Invalid) as e:
        v.photo_input(raw, today=TODAY, **kwargs)
    assert e.value.errors == errors


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), ("0", None), ("", None), ("-1", None), (" 4", None), ("4.0", None), ("²", None), ("٣", None),
     ("2147483647", 2147483647), ("2147483648", None), ("99999999999", None), (7, None), (None, None)],
)  # fmt: skip
def test_an_id_from_the_browser_is_plain_ascii_digits_the_database_can_hold(raw, expected):
    # str.isdigit() accepts "²" and Arabic-Indic digits; int() then raised a 500.
    assert v.plain_id(raw) == expected
