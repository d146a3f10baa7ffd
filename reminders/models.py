"""Reminders: who was told what about which thing, and how they like to be told.

A SentReminder row is the promise that a reminder goes out once: it is unique
on (recipient, subject, kind, threshold) and is written (claimed) before the
e-mail is sent. reminders.engine is the only writer of SentReminder and
ReminderDigest; the services write the rest.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from partnerships.models import Partnership
from reminders.kinds import Kind


def _validate_days(value: str) -> None:
    try:
        days = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError(
            "Enter whole numbers of days separated by commas, like 14,7,1"
        ) from None
    if not days or any(d < 0 or d > 365 for d in days):
        raise ValidationError("Enter between one and a few numbers of days from 0 to 365")


class ReminderSettings(models.Model):
    """A partnership's thresholds. A partnership without a row uses the defaults."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    milestone_days = models.CharField(
        "days before a milestone to remind",
        max_length=40,
        default="14,7,1",
        validators=[_validate_days],
        help_text="Days before the due date, separated by commas.",
    )
    overdue_window_days = models.PositiveSmallIntegerField(
        "days to send a late reminder",
        default=28,
        help_text="A late milestone or measure update, or a closed consultation, is reminded "
        "once, if it became late or closed within this many days.",
    )
    measure_grace_days = models.PositiveSmallIntegerField(
        "days after a period ends before a measure update is late", default=14
    )
    annual_lead_days = models.PositiveSmallIntegerField(
        "days before the assessment or refresh is due to remind", default=60
    )
    renewal_lead_days = models.PositiveSmallIntegerField(
        "days before a three-year strategy ends to remind", default=270
    )
    assessment_due_month = models.PositiveSmallIntegerField(
        "month the annual strategic assessment is due",
        default=9,
        help_text="1 to 12. The assessment is due by the end of this month each year.",
    )
    signoff_review_days = models.PositiveSmallIntegerField(
        "days a review may wait before the first reminder", default=3
    )
    signoff_repeat_days = models.PositiveSmallIntegerField(
        "days between later review reminders", default=7
    )
    signoff_decision_days = models.PositiveSmallIntegerField(
        "days a sign-off may wait before its chair and secretary are reminded",
        default=14,
        help_text="They are reminded as soon as enough reviews are in, or after this many days "
        "without them.",
    )
    consultation_opening_days = models.PositiveSmallIntegerField(
        "days before a consultation opens to remind", default=1
    )
    consultation_closing_days = models.PositiveSmallIntegerField(
        "days before a consultation closes to remind", default=7
    )
    retention_notice_days = models.PositiveSmallIntegerField(
        "days before consultation data is deleted to remind", default=14
    )

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminder settings – {self.partnership}"

    def clean(self) -> None:
        if not 1 <= self.assessment_due_month <= 12:
            raise ValidationError({"assessment_due_month": "Enter a month from 1 to 12"})

    @property
    def milestone_thresholds(self) -> list[int]:
        """Days before the due date, smallest first."""
        return sorted({int(p) for p in self.milestone_days.split(",") if p.strip()})


class ReminderPreferences(models.Model):
    """One person's choices. A person without a row gets every kind, one e-mail each."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    disabled_kinds = models.JSONField(default=list, blank=True)
    daily_digest = models.BooleanField(
        "one e-mail a day",
        default=False,
        help_text="Gather the day's reminders into one e-mail instead of one e-mail each.",
    )

    class Meta:
        verbose_name = "reminder preferences"
        verbose_name_plural = "reminder preferences"

    def __str__(self) -> str:
        return f"Reminder preferences – {self.user}"

    def clean(self) -> None:
        unknown = set(self.disabled_kinds) - set(Kind.values)
        if unknown:
            raise ValidationError({"disabled_kinds": "Choose kinds of reminder from the list"})

    def wants(self, kind: str) -> bool:
        return kind not in self.disabled_kinds


class ReminderDigest(models.Model):
    """A person's daily digest e-mail: one per person per day, claimed before sending."""

    class State(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not yet sent"
        SENT = "sent", "Sent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.CLAIMED)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_unique_day")
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="digest_state_claimed")]

    def __str__(self) -> str:
        return f"Digest for {self.recipient} on {self.day}"


class SentReminderQuerySet(models.QuerySet):
    def stale_claims(self, *, before: dt.datetime):
        """Claimed but never marked sent before `before`: the sender died."""
        return self.filter(state=SentReminder.State.CLAIMED, claimed_at__lt=before)

    def awaiting_digest(self):
        return self.filter(state=SentReminder.State.QUEUED, digest__isnull=True)


class SentReminder(models.Model):
    class State(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not yet sent"
        QUEUED = "queued", "Waiting for the daily digest"
        SENT = "sent", "Sent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_received"
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    threshold = models.CharField(
        max_length=40,
        help_text="Which reminder for this thing: '7' days, 'overdue', 'due:2024-03-31'.",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    body = models.TextField()
    path = models.CharField(
        max_length=300, blank=True, help_text="Link to the thing, from the site root."
    )
    due_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CLAIMED)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    digest = models.ForeignKey(
        ReminderDigest, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

    objects = SentReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject_type", "subject_id", "kind", "threshold"],
                name="sentreminder_once",
            )
        ]
        indexes = [
            models.Index(fields=["state", "claimed_at"], name="sentreminder_state_claimed"),
            models.Index(fields=["subject_type", "subject_id"], name="sentreminder_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient}"


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notice(models.Model):
    """The in-app copy of a reminder, shown on the dashboard until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    reminder = models.OneToOneField(
        SentReminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notice"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_read")]

    def __str__(self) -> str:
        return self.title


class Duty(models.TextChoices):
    """The statutory duties the compliance page follows."""

    ASSESSMENT = "assessment", "Annual strategic assessment"
    STRATEGY = "strategy", "Three-year strategy"
    REFRESH = "refresh", "Annual refresh of the strategy"
    CONSULTATION = "consultation", "Public consultation"
    # Pages and reminders name the body in force (reminders.duties.duty_name).
    PCC = "pcc", "Send the plan to the local policing body"
    SCRUTINY = "scrutiny", "Annual scrutiny by the crime and disorder committee"
    SUMMARY = "summary", "Publish a summary of the plan"
    SV_REVIEW = "sv_review", "Annual review of the serious violence strategy"


class DutyRecordQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)


class DutyRecord(models.Model):
    """An officer's record that a duty was done, where no other data shows it
    (for example: "sent the plan to the local policing body on 2 April")."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="duty_records"
    )
    duty = models.CharField(max_length=20, choices=Duty.choices)
    done_on = models.DateField("date done")
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "duty", "-done_on"]
        indexes = [
            models.Index(fields=["partnership", "duty", "done_on"], name="dutyrecord_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} – {self.done_on}"
