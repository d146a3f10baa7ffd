"""Milestone plans: templates counted back from an adoption date, and the
dated milestones of a strategy's plan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from partnerships.models import Board, Partnership
from strategy.models import Strategy


class MilestoneKind(models.TextChoices):
    DISCUSSION = "discussion", "Discussion"
    SIGN_OFF = "sign_off", "Sign-off"
    CONSULTATION = "consultation", "Consultation window"
    ADOPTION = "adoption", "Adoption"
    PUBLICATION = "publication", "Publication"


class MilestoneTemplate(models.Model):
    """A reusable plan. With no partnership it is the default for everyone."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MilestoneTemplateStep(models.Model):
    template = models.ForeignKey(MilestoneTemplate, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    board_slug = models.SlugField(
        max_length=80,
        blank=True,
        help_text="The board this step goes to, by its slug in the partnership (optional).",
    )
    months_before_adoption = models.PositiveSmallIntegerField(
        help_text="0 for the adoption month, 8 for eight months earlier."
    )
    duration_months = models.PositiveSmallIntegerField(
        default=0, help_text="For a window (such as a consultation): how many months it spans."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MilestoneQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS])

    def due_within(self, *, days: int, today: dt.date):
        return self.open().filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days))

    def overdue(self, *, today: dt.date):
        return self.open().filter(due_date__lt=today)

    def for_partnerships(self, ids):
        return self.filter(partnership_id__in=ids)


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"

    Kind = MilestoneKind

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="milestones"
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    board = models.ForeignKey(
        Board, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_milestones",
    )
    starts_on = models.DateField(null=True, blank=True, help_text="For a window: its first day.")
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependants"
    )
    template_step = models.ForeignKey(
        MilestoneTemplateStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "order", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="milestone_status_due")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and (
            self.due_date < today
        )
