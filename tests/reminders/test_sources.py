"""Small rules the sources share."""

import datetime as dt

import pytest

from reminders.models import ReminderSettings
from reminders.sources import milestone_threshold, repeating_threshold

DAY = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    "days_left, threshold",
    [
        (20, None),
        (15, None),
        (14, "14"),
        (8, "14"),
        (7, "7"),
        (2, "7"),
        (1, "1"),
        (0, "1"),
        (-1, "overdue"),
        (-28, "overdue"),
        (-29, None),
    ],
)
def test_a_milestone_gets_the_nearest_threshold_not_yet_passed(days_left, threshold):
    due = DAY + dt.timedelta(days=days_left)
    assert milestone_threshold(due=due, today=DAY, settings=ReminderSettings()) == threshold


@pytest.mark.parametrize(
    "waited, threshold",
    [(0, None), (2, None), (3, "wait:0"), (9, "wait:0"), (10, "wait:1"), (17, "wait:2")],
)
def test_a_waiting_reminder_repeats_after_three_days_then_weekly(waited, threshold):
    since = DAY - dt.timedelta(days=waited)
    assert repeating_threshold(since=since, today=DAY, first_days=3, repeat_days=7) == threshold
