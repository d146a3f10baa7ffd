"""A clock for the demo: run services as if at a past (or planned) moment.

The demo tells a partnership's history through the same services an officer
uses, and those stamp "now" on everything they write: transitions, versions,
history rows (django-simple-history), measurements, sign-offs. Inside `at()`
"now" is the story's moment and the history user is the story's actor, so the
audit trail reads as it happened. Only the demo loader uses it; it patches
django.utils.timezone.now for the current thread's work and restores it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

from django.utils import timezone
from simple_history.models import HistoricalRecords


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime in the site's time zone, on `day` at hour:minute."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@contextmanager
def at(when: dt.datetime | dt.date, user=None) -> Iterator[None]:
    """Run the block as if it were `when`, done by `user` (None: the system).

    Each reading of the clock moves it on by a millisecond, so rows written
    in one block keep the order in which they were written."""
    if not isinstance(when, dt.datetime):
        when = moment(when)
    elif timezone.is_naive(when):
        when = timezone.make_aware(when)
    ticks = itertools.count()

    def now() -> dt.datetime:
        return when + dt.timedelta(milliseconds=next(ticks))

    context = HistoricalRecords.context
    had_request = hasattr(context, "request")
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        with mock.patch.object(timezone, "now", now):
            yield
    finally:
        if had_request:
            context.request = previous
        else:
            try:
                del context.request
            except AttributeError:
                pass
