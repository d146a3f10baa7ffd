"""Periodic schedules of the consultation app, for the beat schedule.

- consultations-advance: every 5 minutes, opens and closes consultations at
  their times (public pages already follow the clock; this keeps the stored
  status and reminders right).
- consultations-retention: daily at 02:30, deletes free text and equality
  data past each consultation's retention period, keeping counts.
"""

from celery.schedules import crontab

SCHEDULES = {
    "consultations-advance": {
        "task": "consultation.tasks.consultations_advance",
        "schedule": crontab(minute="*/5"),
    },
    "consultations-retention": {
        "task": "consultation.tasks.consultations_apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
}
