"""A plan laid out for the timeline page: the rows of the ordered list and
the geometry of the bar chart that sighted users see beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from milestones.models import Milestone
from milestones.plans import shift_months


@dataclass
class Row:
    milestone: Milestone
    is_overdue: bool
    left: float = 0.0  # percentages of the chart's width
    width: float = 0.0


def rows(milestones: list[Milestone], *, today: dt.date) -> list[Row]:
    return [Row(m, m.is_overdue(today)) for m in milestones]


def chart(milestones: list[Milestone], *, today: dt.date) -> dict | None:
    """Month columns and one bar per milestone, as percentages."""
    if not milestones:
        return None
    first = min((m.starts_on or m.due_date) for m in milestones).replace(day=1)
    last = max(m.due_date for m in milestones)
    end = shift_months(last.replace(day=1), -1)  # first day of the month after
    span = (end - first).days or 1
    months = []
    cursor = first
    while cursor < end:
        following = shift_months(cursor, -1)
        months.append(
            {
                "label": cursor.strftime("%b %Y") if cursor.month == 1 or not months
                else cursor.strftime("%b"),
                "width": (following - cursor).days / span * 100,
            }
        )
        cursor = following
    bars = []
    for m in milestones:
        start = m.starts_on or m.due_date
        left = (start - first).days / span * 100
        # A single date shows as a day-wide mark that is still visible.
        width = max(((m.due_date - start).days + 1) / span * 100, 0.8)
        bars.append(
            {"milestone": m, "left": round(left, 2), "width": round(min(width, 100 - left), 2),
             "is_overdue": m.is_overdue(today)}
        )
    marker = None
    if first <= today < end:
        marker = round((today - first).days / span * 100, 2)
    return {"months": months, "bars": bars, "today": marker}
