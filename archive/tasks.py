"""Celery tasks for partnership archives: thin wrappers around
archive.services. The schedules are in safermk/schedules.py."""

from __future__ import annotations

from celery import shared_task

from archive import services


@shared_task(soft_time_limit=25 * 60, time_limit=30 * 60, acks_late=True)
def make_archive(archive_id: int) -> bool:
    return services.archive_make(archive_id=archive_id) is not None


@shared_task(soft_time_limit=60, time_limit=90)
def archives_sweep() -> int:
    return services.archives_sweep()


@shared_task(soft_time_limit=240, time_limit=300)
def archives_expire() -> int:
    return services.archives_expire()
