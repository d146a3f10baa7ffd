"""How a performance measure is doing: its status against a straight-line
trajectory from the baseline to the target.

The rule, in words an officer can check by hand:
- expected value on a date = baseline + (target − baseline) × the share of the
  time from baseline date to target date that has passed (capped at 0 and 1);
- shortfall = how far the latest measurement is on the wrong side of that
  expected value (for "lower is better", above it; for "higher", below it);
- on track: no shortfall; at risk: a shortfall of at most 10% of the planned
  change (baseline to target); off track: a larger shortfall; no data: no
  measurement yet.
- When the target equals the baseline (hold the line), the tolerance is 5% of
  the baseline (or 1 when the baseline is 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

AT_RISK_SHARE = Decimal("0.10")
HOLD_SHARE = Decimal("0.05")


class MeasureStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    NO_DATA = "no_data", "No data"


# GOV.UK tag colour modifiers for each status.
STATUS_TAG = {
    MeasureStatus.ON_TRACK: "govuk-tag--green",
    MeasureStatus.AT_RISK: "govuk-tag--yellow",
    MeasureStatus.OFF_TRACK: "govuk-tag--red",
    MeasureStatus.NO_DATA: "govuk-tag--grey",
}


@dataclass(frozen=True)
class Assessment:
    status: MeasureStatus
    latest_value: Decimal | None = None
    latest_period: dt.date | None = None
    expected_value: Decimal | None = None
    shortfall: Decimal | None = None

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def tag_class(self) -> str:
        return STATUS_TAG[self.status]


def expected_value(
    *,
    baseline_value: Decimal,
    baseline_date: dt.date,
    target_value: Decimal,
    target_date: dt.date,
    on: dt.date,
) -> Decimal:
    span = (target_date - baseline_date).days
    if span <= 0:
        return target_value
    elapsed = min(max((on - baseline_date).days, 0), span)
    share = Decimal(elapsed) / Decimal(span)
    return baseline_value + (target_value - baseline_value) * share


def assess(
    *,
    baseline_value: Decimal,
    baseline_date: dt.date,
    target_value: Decimal,
    target_date: dt.date,
    direction: str,
    latest_value: Decimal | None,
    latest_period: dt.date | None,
) -> Assessment:
    if latest_value is None or latest_period is None:
        return Assessment(MeasureStatus.NO_DATA)
    expected = expected_value(
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
        on=latest_period,
    )
    if direction == "higher":
        shortfall = expected - latest_value
    else:
        shortfall = latest_value - expected
    planned_change = abs(target_value - baseline_value)
    if planned_change == 0:
        tolerance = abs(baseline_value) * HOLD_SHARE or Decimal(1)
    else:
        tolerance = planned_change * AT_RISK_SHARE
    if shortfall <= 0:
        status = MeasureStatus.ON_TRACK
    elif shortfall <= tolerance:
        status = MeasureStatus.AT_RISK
    else:
        status = MeasureStatus.OFF_TRACK
    return Assessment(
        status=status,
        latest_value=latest_value,
        latest_period=latest_period,
        expected_value=expected.quantize(Decimal("0.01")),
        shortfall=max(shortfall, Decimal(0)).quantize(Decimal("0.01")),
    )


def assess_measure(measure, measurements=None) -> Assessment:
    """Status of a Measure. Pass its measurements (any order) when already
    loaded, e.g. from prefetch_related, to avoid a query."""
    if measurements is None:
        latest = measure.measurements.order_by("-period_end").first()
    else:
        latest = max(measurements, key=lambda m: m.period_end, default=None)
    return assess(
        baseline_value=measure.baseline_value,
        baseline_date=measure.baseline_date,
        target_value=measure.target_value,
        target_date=measure.target_date,
        direction=measure.direction,
        latest_value=latest.value if latest else None,
        latest_period=latest.period_end if latest else None,
    )


def last_full_period_end(frequency: str, today: dt.date) -> dt.date:
    """The last day of the most recent period of this frequency that has
    ended before `today`. Annual periods are financial years (to 31 March),
    as partnerships report them."""
    if frequency == "monthly":
        return today.replace(day=1) - dt.timedelta(days=1)
    if frequency == "quarterly":
        quarter_start_month = 3 * ((today.month - 1) // 3) + 1
        return today.replace(month=quarter_start_month, day=1) - dt.timedelta(days=1)
    year_end = dt.date(today.year, 3, 31)
    return year_end if year_end < today else dt.date(today.year - 1, 3, 31)


def update_due_for(measure, today: dt.date) -> dt.date | None:
    """The period end a measure should have a value for by `today`, or None
    when nothing is due yet (the first period has not ended). Nothing falls
    due after the target date: the measure has run its course."""
    due = last_full_period_end(measure.frequency, min(today, measure.target_date + dt.timedelta(1)))
    if due <= measure.baseline_date:
        return None
    return due


def is_awaiting_update(measure, latest_period: dt.date | None, today: dt.date) -> bool:
    due = update_due_for(measure, today)
    return due is not None and (latest_period is None or latest_period < due)
