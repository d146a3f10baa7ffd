"""Celery tasks for requests in another format: thin wrappers around
accessibility.services. The sweep's schedule is in safermk/schedules.py."""

from __future__ import annotations

from celery import shared_task

from accessibility import services


@shared_task(soft_time_limit=45, time_limit=60)
def notify_officers(request_id: int) -> bool:
    return services.format_request_notify(request_id=request_id)


@shared_task(soft_time_limit=240, time_limit=300)
def notify_officers_of_waiting_requests() -> int:
    return services.format_requests_notify_pending()


@shared_task(soft_time_limit=240, time_limit=300)
def format_requests_apply_retention() -> int:
    return services.format_requests_apply_retention()
