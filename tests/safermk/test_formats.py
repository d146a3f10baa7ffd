"""Dates, times, durations and empty values read as GOV.UK writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from reminders.models import ReminderPreferences
from safermk.templatetags.safermk_format import (
    clock,
    days_from_today,
    duration_days,
    isodate,
    long_date,
)


@pytest.mark.parametrize("value,expected", [
    (dt.time(17, 0), "5pm"),
    (dt.time(9, 0), "9am"),
    (dt.time(9, 30), "9:30am"),
    (dt.time(12, 0), "midday"),
    (dt.time(0, 0), "midnight"),
    (dt.time(23, 59), "11:59pm"),
])
def test_times_read_like_5pm_and_9_30am(value, expected):
    assert clock(value) == expected


def test_an_aware_datetime_is_shown_in_local_time():
    # 17:00 UTC in June is 6pm in London.
    assert clock(dt.datetime(2022, 6, 1, 17, 0, tzinfo=dt.UTC)) == "6pm"


@pytest.mark.parametrize("days,expected", [
    (3650, "10 years"), (365, "1 year"), (730, "2 years"), (84, "12 weeks"), (7, "1 week"),
    (30, "30 days"), (1, "1 day"), (400, "400 days"),
])
def test_durations_read_as_people_say_them(days, expected):
    assert duration_days(days) == expected


@pytest.mark.parametrize("value", ["2022-03-01", dt.date(2022, 3, 1)])
def test_dates_read_as_1_march_2022_even_from_frozen_iso_text(value):
    assert long_date(value) == "1 March 2022"
    assert isodate("2022-03-01") == dt.date(2022, 3, 1)


def test_text_that_is_not_a_date_passes_through():
    assert isodate("not a date") == "not a date"


@pytest.mark.parametrize("delta,expected", [
    (0, "today"), (1, "tomorrow"), (-1, "yesterday"), (18, "in 18 days"), (-14, "14 days ago"),
])
def test_deadlines_read_relative_to_today(delta, expected):
    today = dt.date(2026, 3, 2)
    assert days_from_today(today + dt.timedelta(days=delta), today) == expected


def test_the_filters_load_in_templates():
    html = Template(
        "{% load safermk_format %}{{ d|long_date }} at {{ t|clock }}, kept {{ n|duration_days }}"
    ).render(Context({"d": "2022-03-01", "t": dt.time(17, 0), "n": 3650}))
    assert html == "1 March 2022 at 5pm, kept 10 years"
    assert Template("{% load safermk_format %}{{ d|from_today }}").render(
        Context({"d": timezone.localdate()})
    ) == "today"


def test_the_admin_names_reminder_preferences_once():
    assert ReminderPreferences._meta.verbose_name_plural == "reminder preferences"
