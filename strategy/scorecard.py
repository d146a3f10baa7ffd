"""How a strategy's plan is doing: its measures counted by status (overall,
by priority, by owner organisation) and the exceptions a board should look
at — measures off track, and measures late with their figures.

The status of each measure is strategy.performance's rule and "late" is its
is_awaiting_update rule with the partnership's grace days (ReminderSettings.
measure_grace_days), the same ones the dashboard and the reminders use.
Everything is read in a fixed number of queries, however many measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from strategy.models import Measure, Priority, Strategy
from strategy.performance import MeasureStatus, assess, is_awaiting_update, update_due_for

STATUSES = list(MeasureStatus)


@dataclass
class Counts:
    label: str
    by_status: dict[MeasureStatus, int] = field(
        default_factory=lambda: {status: 0 for status in STATUSES}
    )
    # The priority's or organisation's id.
    key: int | None = None

    def add(self, status: MeasureStatus) -> None:
        self.by_status[status] += 1

    @property
    def cells(self) -> list[int]:
        return [self.by_status[status] for status in STATUSES]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass
class ExceptionRow:
    measure: Measure
    off_track: bool
    late: bool
    # The period whose figure is missing, and the day it was due.
    due: dt.date | None
    due_on: dt.date | None = None


@dataclass
class Scorecard:
    overall: Counts
    by_priority: list[Counts]
    by_organisation: list[Counts]
    exceptions: list[ExceptionRow]
    # Every measure in the plan's order, each with its `result` (Assessment).
    measures: list[Measure]
    # Updates fall due only while the strategy is being delivered.
    checks_lateness: bool
    # The partnership's days to enter a figure after its period ends.
    grace_days: int


def _in_force(strategy: Strategy) -> bool:
    return strategy.status in (Strategy.Status.ADOPTED, Strategy.Status.PUBLISHED)


def _grace_days(strategy: Strategy) -> int:
    """The partnership's days to enter a figure after its period ends."""
    from reminders.models import ReminderSettings

    found = ReminderSettings.objects.filter(partnership_id=strategy.partnership_id).first()
    return (found or ReminderSettings()).measure_grace_days


def scorecard(
    strategy: Strategy, *, today: dt.date, measured_by: dt.date | None = None
) -> Scorecard:
    """The scorecard on `today`. With `measured_by`, figures for periods
    ending after that day are left out, as if not yet entered (a quarterly
    report states the figures as at the quarter's end)."""
    priorities = list(Priority.objects.filter(strategy=strategy).order_by("order", "pk"))
    by_priority = {
        p.pk: Counts(f"Priority {n}: {p.title}", key=p.pk)
        for n, p in enumerate(priorities, start=1)
    }
    measures = list(
        Measure.objects.filter(objective__priority__strategy=strategy)
        .with_latest_measurement(up_to=measured_by)
        .select_related("objective__priority", "owner_organisation")
        .order_by("objective__priority__order", "objective__priority_id",
                  "objective__order", "objective_id", "order", "pk")
    )
    checks_lateness = _in_force(strategy)
    grace_days = _grace_days(strategy)
    grace = dt.timedelta(days=grace_days)
    overall = Counts("All measures")
    by_organisation: dict[int, Counts] = {}
    exceptions = []
    for measure in measures:
        measure.result = assess(
            baseline_value=measure.baseline_value,
            baseline_date=measure.baseline_date,
            target_value=measure.target_value,
            target_date=measure.target_date,
            direction=measure.direction,
            latest_value=measure.latest_value,
            latest_period=measure.latest_period,
        )
        status = measure.result.status
        overall.add(status)
        by_priority[measure.objective.priority_id].add(status)
        organisation = measure.owner_organisation
        by_organisation.setdefault(
            organisation.pk, Counts(organisation.name, key=organisation.pk)
        ).add(status)
        off_track = status == MeasureStatus.OFF_TRACK
        # Late as on the dashboard and in the reminders: a figure whose grace
        # days after its period's end have passed is missing.
        period_end = (
            update_due_for(measure, today - grace)
            if checks_lateness
            and is_awaiting_update(measure, measure.latest_period, today - grace)
            else None
        )
        late = period_end is not None
        if off_track or late:
            exceptions.append(ExceptionRow(
                measure=measure, off_track=off_track, late=late,
                due=period_end if late else None,
                due_on=period_end + grace if late else None,
            ))
    return Scorecard(
        overall=overall,
        by_priority=list(by_priority.values()),
        by_organisation=sorted(by_organisation.values(), key=lambda c: c.label.casefold()),
        exceptions=exceptions,
        measures=measures,
        checks_lateness=checks_lateness,
        grace_days=grace_days,
    )
