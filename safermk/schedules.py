"""Every periodic task of SaferMK, in one place.

Beat runs with django-celery-beat's database scheduler. setup_schedules() writes
PERIODIC into its tables after every `migrate` (see reminders/apps.py), so
`make run`, docker-compose and CI need no extra step; a schedule edited in
the Django admin is put back to what this module says at the next migrate.
Entries whose name starts with MANAGED_PREFIX and are no longer listed here
are disabled.

To add a periodic task: add a Periodic below with the task's registered name
(the task itself lives in its app's tasks.py with soft and hard time limits)
and a comment that says when it runs and why.
"""

from __future__ import annotations

from dataclasses import dataclass

MANAGED_PREFIX = "safermk: "


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"


PERIODIC = [
    # Hourly at five past, 07:05 to 19:05 (Europe/London): the reminder scan.
    # Reminders land in working hours; a reminder claimed by a worker that
    # crashed is retried within the hour after its claim times out; a rerun
    # or a second beat sends nothing twice (see reminders/engine.py).
    Periodic("Reminder scan", "reminders.tasks.scan", minute="5", hour="7-19"),
    # Daily at 07:30: the digest for people who asked for one e-mail a day,
    # after the first scan of the day has queued that day's reminders.
    Periodic("Reminder daily digest", "reminders.tasks.send_digests", minute="30", hour="7"),
    # Every 5 minutes: opens and closes consultations at their times. Public
    # pages already follow the clock; this keeps the stored status (and the
    # reminders that read it) right without anyone pressing a button.
    Periodic(
        "Consultations open and close",
        "consultation.tasks.consultations_advance",
        minute="*/5",
    ),
    # Daily at 02:30, when nobody is answering: deletes free text and equality
    # data past each consultation's retention period, keeping the counts.
    Periodic(
        "Consultation retention",
        "consultation.tasks.consultations_apply_retention",
        minute="30",
        hour="2",
    ),
    # Hourly at 20 past: tells officers of respondents' requests (a copy of
    # their response, or its erasure) whose e-mail was not queued because
    # the broker was down when the request was saved. Normally none.
    Periodic(
        "Respondents' requests: officers told",
        "consultation.tasks.rights_requests_notify_waiting",
        minute="20",
    ),
    # Daily at 02:40, after consultation retention: blanks the e-mail address
    # and message of requests decided more than RIGHTS_REQUEST_RETENTION_DAYS
    # ago (one year by default), keeping the record of the decision.
    Periodic(
        "Respondents' requests: contact details deleted",
        "consultation.tasks.rights_requests_apply_retention",
        minute="40",
        hour="2",
    ),
    # Daily at 02:50, after respondents' requests: deletes the name and contact
    # details of requests for another format marked done more than
    # FORMAT_REQUEST_RETENTION_DAYS ago (or made that long ago and never
    # marked done), keeping the reference, format and dates.
    Periodic(
        "Format requests: contact details deleted",
        "accessibility.tasks.format_requests_apply_retention",
        minute="50",
        hour="2",
    ),
    # Daily at 03:15, after retention: Django's clearsessions. Deletes expired
    # sessions, among them the answers of consultation journeys abandoned
    # more than CONSULTATION_JOURNEY_SECONDS (24 hours) ago.
    Periodic("Expired sessions cleared", "safermk.tasks.sessions_clear", minute="15", hour="3"),
    # Every 10 minutes: e-mails the partnership's officers about requests for
    # a document in another format that were stored but not yet announced
    # (the broker or the mail server was down when the person sent it, or a
    # worker died). Each request is claimed first, so none is sent twice.
    Periodic(
        "Format requests announced",
        "accessibility.tasks.notify_officers_of_waiting_requests",
        minute="*/10",
    ),
    # Every 5 minutes: receipts and "come back later" links the broker
    # never delivered to a worker are sent (each claimed first, so none
    # twice); saved answers are deleted once used or expired, and an
    # address kept for a receipt that could not be sent in two days goes.
    Periodic(
        "Respondents' receipts and saved answers",
        "consultation.tasks.respondent_emails_sweep",
        minute="*/5",
    ),
    # Every 5 minutes: e-mails to people who follow consultations that the
    # broker missed (confirmations, new consultations, results), each sent
    # once (a unique row per subscription and event, claimed first).
    Periodic("Followers e-mailed", "subscriptions.tasks.subscriptions_sweep", minute="*/5"),
    # Daily at 02:50: deletes followers' addresses never confirmed after
    # SUBSCRIPTION_UNCONFIRMED_DAYS, and those whose one results e-mail went
    # SUBSCRIPTION_RESULTS_KEPT_DAYS ago.
    Periodic(
        "Followers' addresses deleted",
        "subscriptions.tasks.subscriptions_apply_retention",
        minute="50",
        hour="2",
    ),
    # Daily at 03:45: deletes audit records older than AUDIT_RETENTION_DAYS
    # (two years by default), and records how many went. Nightly, so no
    # record outlives the period by more than a day.
    Periodic("Audit records purged", "audit.tasks.audit_purge", minute="45", hour="3"),
    # Every 10 minutes: starts partnership archives that were asked for while
    # the broker was down, and gives one whose worker was lost to another.
    # Each is claimed first, so none is made twice at once.
    Periodic("Partnership archives started", "archive.tasks.archives_sweep", minute="*/10"),
    # Hourly at 50 past: deletes the files of partnership archives older than
    # PARTNERSHIP_ARCHIVE_KEEP_DAYS, keeping the record that one was made, so
    # no archive outlives its period by more than an hour.
    Periodic("Partnership archives deleted", "archive.tasks.archives_expire", minute="50"),
]


def setup_schedules() -> None:
    """Write PERIODIC into django-celery-beat's database schedule."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    names = set()
    for entry in PERIODIC:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=entry.minute,
            hour=entry.hour,
            day_of_week=entry.day_of_week,
            day_of_month=entry.day_of_month,
            month_of_year=entry.month_of_year,
            timezone=settings.TIME_ZONE,
        )
        name = MANAGED_PREFIX + entry.name
        names.add(name)
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": entry.task, "crontab": crontab, "interval": None, "enabled": True},
        )
    PeriodicTask.objects.filter(name__startswith=MANAGED_PREFIX).exclude(name__in=names).update(
        enabled=False
    )


def setup_schedules_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    tables = connections[using].introspection.table_names()
    if "django_celery_beat_periodictask" in tables:
        setup_schedules()
