"""Turning a template into dated milestones, counted back from adoption."""

from __future__ import annotations

import calendar
import datetime as dt


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (negative: later), clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def step_dates(
    *,
    adoption: dt.date,
    months_before: int,
    duration_months: int,
    weeks_before: int = 0,
    duration_weeks: int = 0,
) -> tuple[dt.date | None, dt.date]:
    """(starts_on, due_date) of a step.

    A single-date step is due on the adoption day of its month, less any
    weeks. A window in months runs from the first day of its first month to
    the last day of its last month; a window in weeks starts on its day and
    runs for that many weeks.
    """
    day = shift_months(adoption, months_before) - dt.timedelta(weeks=weeks_before)
    if duration_months > 0:
        first = day.replace(day=1)
        last = month_end(shift_months(first, -(duration_months - 1)))
        return first, last
    if duration_weeks > 0:
        return day, day + dt.timedelta(weeks=duration_weeks)
    return None, day
