"""Celery tasks: thin wrappers around reminders.engine. Periodic runs are
declared in safermk/schedules.py."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from reminders import engine

# A scan must finish well inside REMINDERS_CLAIM_TIMEOUT_MINUTES (15), so that
# a claim is only taken over once its sender is surely dead.
SOFT_LIMIT = 240
HARD_LIMIT = 300


def _when(now: str | None) -> dt.datetime:
    if not now:
        return timezone.now()
    parsed = dt.datetime.fromisoformat(now)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@shared_task(name="reminders.tasks.scan", soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def scan(now: str | None = None) -> dict:
    """Claim and send every due reminder, and retry crashed sends."""
    report = engine.run(now=_when(now))
    return {
        "sent": report.count("sent"),
        "queued": report.count("queued for digest"),
        "retried": report.count("retried"),
    }


@shared_task(name="reminders.tasks.send_digests", soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def send_digests(now: str | None = None) -> dict:
    report = engine.send_digests(now=_when(now))
    return {"sent": report.count("digest sent"), "retried": report.count("digest retried")}


def enqueue_scan() -> None:
    """Scan once the current transaction commits, so the worker sees the write
    that made something due (and nothing is sent for a rolled-back write)."""
    transaction.on_commit(lambda: scan.delay())
