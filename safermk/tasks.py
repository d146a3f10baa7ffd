"""Site-wide periodic work (scheduled in safermk/schedules.py)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(soft_time_limit=300, time_limit=360)
def sessions_clear() -> None:
    """Django's clearsessions: deletes expired sessions, and with them the
    answers of consultation journeys that were never sent."""
    call_command("clearsessions")
