"""Writes to reminder preferences, partnership settings, notices and duty records."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership
from reminders.models import DutyRecord, Notice, ReminderPreferences, ReminderSettings
from reminders.tasks import enqueue_scan


@transaction.atomic
def preferences_update(
    *, user, disabled_kinds: list[str], daily_digest: bool
) -> ReminderPreferences:
    prefs, _ = ReminderPreferences.objects.get_or_create(user=user)
    prefs.disabled_kinds = sorted(set(disabled_kinds))
    prefs.daily_digest = daily_digest
    prefs.full_clean()
    prefs.save()
    return prefs


def preferences_for(*, user) -> ReminderPreferences:
    """The user's preferences, or the defaults (not saved) if they never chose."""
    return ReminderPreferences.objects.filter(user=user).first() or ReminderPreferences(user=user)


@transaction.atomic
def settings_update(*, partnership: Partnership, **values) -> ReminderSettings:
    """Change a partnership's thresholds; what becomes due is sent after commit."""
    current, _ = ReminderSettings.objects.get_or_create(partnership=partnership)
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    enqueue_scan()
    return current


@transaction.atomic
def notice_mark_read(*, notice: Notice) -> Notice:
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def duty_record_create(
    *, partnership: Partnership, duty: str, done_on: dt.date, note: str = "", by=None
) -> DutyRecord:
    record = DutyRecord(
        partnership=partnership,
        duty=duty,
        done_on=done_on,
        note=note,
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    record.full_clean()
    record.save()
    # A recorded duty can end a reminder cycle; rescanning is harmless and cheap.
    enqueue_scan()
    return record
