import datetime as dt
from decimal import Decimal as D

import pytest

from strategy.charts import trend_svg
from strategy.performance import MeasureStatus, assess, expected_value

BASE = dict(
    baseline_value=D("100"),
    baseline_date=dt.date(2022, 1, 1),
    target_value=D("80"),
    target_date=dt.date(2024, 1, 1),
)


def test_expected_value_runs_in_a_straight_line_from_baseline_to_target():
    assert expected_value(**BASE, on=dt.date(2022, 1, 1)) == D("100")
    assert expected_value(**BASE, on=dt.date(2024, 1, 1)) == D("80")
    halfway = expected_value(**BASE, on=dt.date(2023, 1, 1))
    assert D("89.9") < halfway < D("90.1")
    # Before the baseline and after the target the line stops.
    assert expected_value(**BASE, on=dt.date(2020, 1, 1)) == D("100")
    assert expected_value(**BASE, on=dt.date(2030, 1, 1)) == D("80")


@pytest.mark.parametrize(
    "direction, value, status",
    [
        ("lower", D("85"), MeasureStatus.ON_TRACK),  # better than the 90 expected
        ("lower", D("90"), MeasureStatus.ON_TRACK),  # exactly on the line
        ("lower", D("91.9"), MeasureStatus.AT_RISK),  # within 2 (10% of the 20 planned)
        ("lower", D("92.5"), MeasureStatus.OFF_TRACK),
        ("higher", D("95"), MeasureStatus.ON_TRACK),  # a rise is good when higher is better
    ],
)
def test_status_compares_the_latest_value_with_the_trajectory(direction, value, status):
    result = assess(
        **BASE, direction=direction, latest_value=value, latest_period=dt.date(2023, 1, 1)
    )
    assert result.status == status


def test_higher_is_better_measures_fall_behind_when_below_the_line():
    base = dict(BASE, baseline_value=D("50"), target_value=D("70"))
    result = assess(
        **base, direction="higher", latest_value=D("55"), latest_period=dt.date(2023, 1, 1)
    )
    assert result.status == MeasureStatus.OFF_TRACK
    assert D("4.9") < result.shortfall < D("5.1")


def test_a_measure_without_measurements_has_no_data():
    result = assess(**BASE, direction="lower", latest_value=None, latest_period=None)
    assert result.status == MeasureStatus.NO_DATA


def test_holding_the_line_tolerates_five_percent():
    base = dict(BASE, target_value=D("100"))
    on = dt.date(2023, 1, 1)
    assert (
        assess(**base, direction="lower", latest_value=D("104"), latest_period=on).status
        == MeasureStatus.AT_RISK
    )
    assert (
        assess(**base, direction="lower", latest_value=D("106"), latest_period=on).status
        == MeasureStatus.OFF_TRACK
    )


def test_trend_chart_is_an_accessible_svg_with_a_text_description():
    svg = trend_svg(
        title="Trend: Violent incidents",
        unit="incidents",
        direction="lower",
        points=[(dt.date(2022, 6, 30), D("97")), (dt.date(2023, 1, 1), D("93"))],
        element_id="c1",
        **BASE,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Trend: Violent incidents</title>' in svg
    assert "latest 93 incidents" in svg and "off track" in svg
    assert svg.count("<circle") == 4  # two measurements, the target and its legend key


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (D("120"), D("155"), ["120", "130", "140", "150", "160"]),
        (D("4000"), D("6000"), ["4,000", "4,500", "5,000", "5,500", "6,000"]),
        (D("0"), D("6000"), ["0", "2,000", "4,000", "6,000"]),
        (D("33.5"), D("40"), ["32", "34", "36", "38", "40"]),
    ],
)
def test_chart_axes_step_in_round_numbers(low, high, expected):
    from strategy.charts import _fmt, _nice_scale

    bottom, top, step = _nice_scale(low, high)
    ticks = [_fmt(bottom + step * i) for i in range(int((top - bottom) / step) + 1)]
    assert ticks == expected
