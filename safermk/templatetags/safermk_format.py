"""How dates, times, durations and empty values read to people.

GOV.UK style: "1 March 2022", "5pm", "9:30am", "1 year", "in 3 days". Use
these filters instead of formatting in templates, so every page reads the
same (`{% load safermk_format %}`).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def days_from_today(day: dt.date, today: dt.date) -> str:
    """"today", "tomorrow", "yesterday", "in 18 days", "14 days ago"."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if delta > 0:
        return f"in {_plural(delta, 'day')}"
    return f"{_plural(-delta, 'day')} ago"


@register.filter
def from_today(day) -> str:
    if not day:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return days_from_today(day, timezone.localdate())


@register.filter
def isodate(value):
    """A date from frozen content ("2022-03-01" in a version's JSON) as a
    date, so `|isodate|date:"j F Y"` shows "1 March 2022". Anything that is
    not an ISO date passes through unchanged."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return value


@register.filter
def long_date(value) -> str:
    """"1 March 2022", from a date, a datetime or an ISO string."""
    value = isodate(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, dt.date):
        return str(value or "")
    return date_format(value, "j F Y")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@register.filter
def short_date(value) -> str:
    """"1 Mar 2022" from a date: what |date:"j M Y" writes, without the
    format machinery, for tables of figures with hundreds of dates."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return date_format(value, "j M Y") if value else ""
    return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}"


@register.filter
def month_year(value) -> str:
    """"March 2022", as |date:"F Y" writes it."""
    if not isinstance(value, dt.date):
        return ""
    return f"{MONTHS[value.month - 1]} {value.year}"


@register.filter
def short_month_year(value) -> str:
    if not isinstance(value, dt.date):
        return ""
    return f"{MONTHS[value.month - 1][:3]} {value.year}"


@register.filter
def clock(value) -> str:
    """A time of day as GOV.UK writes it: "5pm", "9:30am", "midday", "midnight"."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.time()
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


@register.filter
def duration_days(days) -> str:
    """A number of days as people say it: 365 -> "1 year", 3650 -> "10 years",
    84 -> "12 weeks", 30 -> "30 days"."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        return ""
    if days and days % 365 == 0:
        return _plural(days // 365, "year")
    if days and days % 7 == 0 and days <= 7 * 52:
        return _plural(days // 7, "week")
    return _plural(days, "day")
