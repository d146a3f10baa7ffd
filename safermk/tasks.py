"""Site-wide periodic work (scheduled in safermk/schedules.py)."""

from celery import shared_task
from django.core.mail import send_mail
from django.core.management import call_command


@shared_task(soft_time_limit=300, time_limit=360)
def sessions_clear() -> None:
    """Django's clearsessions: deletes expired sessions, and with them the
    answers of consultation journeys that were never sent."""
    call_command("clearsessions")


@shared_task(
    soft_time_limit=60, time_limit=90, autoretry_for=(OSError,), retry_backoff=30, max_retries=5,
)
def send_email(subject: str, body: str, to: list[str]) -> None:
    """One plain-text e-mail, retried while the mail server cannot be reached
    (password reset links)."""
    send_mail(subject, body, None, to)
