"""Periodic work for the audit trail (scheduled in safermk/schedules.py)."""

from celery import shared_task

from audit import services


@shared_task(soft_time_limit=300, time_limit=360)
def audit_purge() -> int:
    return services.audit_purge()
