"""Small builders shared by the reminder tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests import factories

TODAY = dt.date(2024, 3, 1)


def at(day: dt.date, hour: int = 7, minute: int = 5) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def milestone_due_in(days: int, *, partnership, owner, today: dt.date = TODAY, **kwargs):
    return factories.MilestoneFactory(
        partnership=partnership, owner=owner, due_date=today + dt.timedelta(days=days), **kwargs
    )
