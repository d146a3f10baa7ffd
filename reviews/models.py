"""Reviews and what comes of them: recommendations tracked as actions to
completion, and the yearly ASB case review return.

Where a recommendation comes from:
- a review the partnership holds or takes part in (a Domestic Abuse Related
  Death Review, an ASB case review, scrutiny by the crime and disorder
  committee...): a Review with its numbered Recommendations;
- the local policing body: partnerships.PolicingRecommendation, the log of
  what it recommended and the partnership's response.
An Action answers one recommendation of either kind, so every recommendation
is followed in one tracker. Writes go through reviews.services.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Organisation, Partnership, PolicingRecommendation
from strategy.models import Priority


def _not_future(errors: dict, name: str, value, label: str) -> None:
    if value and value > timezone.localdate():
        errors.setdefault(name, f"The date {label} must be today or in the past")


class Review(models.Model):
    class Kind(models.TextChoices):
        DARDR = "dardr", "Domestic Abuse Related Death Review"
        ASB = "asb", "ASB case review"
        SCRUTINY = "scrutiny", "Scrutiny by the crime and disorder committee"
        OTHER = "other", "Other review"

    class Status(models.TextChoices):
        UNDER_WAY = "under_way", "Under way"
        # Domestic Abuse Related Death Reviews only: the report goes to the
        # Home Office's quality assurance panel and is published after it.
        AWAITING_QA = "awaiting_qa", "Awaiting Home Office quality assurance"
        PUBLISHED = "published", "Published"
        COMPLETED = "completed", "Completed, not published"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(
        max_length=200,
        help_text="As the partnership refers to it, without names that identify anyone, "
        "like “DARDR 2025/01 (Adult A)”.",
    )
    started_on = models.DateField("started on")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNDER_WAY)
    sent_to_home_office_on = models.DateField(
        "sent to the Home Office on", null=True, blank=True
    )
    published_on = models.DateField("published on", null=True, blank=True)
    published_url = models.URLField("link to the published report", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind"], name="review_partnership_kind")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:review", args=[self.partnership.slug, self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _not_future(errors, "started_on", self.started_on, "it started")
        _not_future(errors, "sent_to_home_office_on", self.sent_to_home_office_on,
                    "it was sent to the Home Office")
        _not_future(errors, "published_on", self.published_on, "it was published")
        is_dardr = self.kind == self.Kind.DARDR
        if self.status == self.Status.AWAITING_QA and not is_dardr:
            errors.setdefault("status", "Only a Domestic Abuse Related Death Review waits for "
                                        "Home Office quality assurance")
        if self.sent_to_home_office_on and not is_dardr:
            errors.setdefault("sent_to_home_office_on", "Only a Domestic Abuse Related Death "
                                                        "Review is sent to the Home Office")
        if is_dardr and self.status in (self.Status.AWAITING_QA, self.Status.PUBLISHED) and (
            not self.sent_to_home_office_on
        ):
            errors.setdefault("sent_to_home_office_on",
                              "Enter the date the review was sent to the Home Office")
        if is_dardr and self.status == self.Status.COMPLETED:
            errors.setdefault("status", "A Domestic Abuse Related Death Review is published "
                                        "once the Home Office has quality assured it")
        if self.status == self.Status.PUBLISHED:
            if not self.published_on:
                errors.setdefault("published_on", "Enter the date the review was published")
        elif self.published_on:
            errors.setdefault("published_on", "Leave the publication date empty until the "
                                              "review is published")
        for name, later, label in (
            ("sent_to_home_office_on", self.sent_to_home_office_on, "sent to the Home Office"),
            ("published_on", self.published_on, "published"),
        ):
            if later and self.started_on and later < self.started_on:
                errors.setdefault(name, f"The date it was {label} must be on or after the date "
                                        "it started")
        if (is_dardr and self.published_on and self.sent_to_home_office_on
                and self.published_on < self.sent_to_home_office_on):
            errors.setdefault("published_on", "The date it was published must be on or after "
                                              "the date it was sent to the Home Office")
        if errors:
            raise ValidationError(errors)


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(help_text="Its number in the review's report.")
    text = models.TextField("recommendation", max_length=2000)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_unique_number",
                violation_error_message="The review already has a recommendation with this "
                                        "number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.review.title}, recommendation {self.number}"

    def clean(self) -> None:
        if self.number is not None and self.number < 1:
            raise ValidationError({"number": "Enter a number from 1"})


class ActionQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def open(self):
        return self.exclude(status=Action.Status.DONE)

    def overdue(self, today: dt.date):
        return self.open().filter(due_on__lt=today)

    def visible_to(self, access, partnership):
        """What a person may see in a partnership: officers every action,
        partner officers their own organisation's, anyone else none."""
        rows = self.filter(partnership=partnership)
        if access.is_officer(partnership):
            return rows
        organisation_id = access.organisation_id(partnership)
        if organisation_id is None or not access.is_staff_of(partnership):
            return rows.none()
        return rows.filter(owner_id=organisation_id)

    def with_detail(self):
        return self.select_related(
            "owner", "recommendation__review", "policing_recommendation__policing_body",
            "priority__strategy", "partnership",
        )


class Action(models.Model):
    """What an organisation does to meet a recommendation, by when; done
    with a date and the evidence that it was."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    policing_recommendation = models.ForeignKey(
        PolicingRecommendation, on_delete=models.CASCADE, null=True, blank=True,
        related_name="actions",
    )
    description = models.TextField("action", max_length=1000)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="review_actions",
        verbose_name="owner organisation",
    )
    due_on = models.DateField("due by")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="review_actions",
        verbose_name="strategy priority",
    )
    done_on = models.DateField("done on", null=True, blank=True)
    evidence = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(recommendation__isnull=False, policing_recommendation__isnull=True)
                    | models.Q(recommendation__isnull=True, policing_recommendation__isnull=False)
                ),
                name="action_one_source",
                violation_error_message="Choose the recommendation the action answers",
            )
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due"),
            models.Index(fields=["partnership", "owner"], name="action_partnership_owner"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("reviews:action", args=[self.partnership.slug, self.pk])

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != self.Status.DONE and self.due_on < today

    @property
    def state_label(self) -> str:
        """Its status as people read it: overdue when open past its date."""
        return "Overdue" if self.is_overdue() else self.get_status_display()

    @property
    def source_label(self) -> str:
        if self.recommendation_id:
            rec = self.recommendation
            return f"{rec.review.title}, recommendation {rec.number}"
        body = self.policing_recommendation.policing_body
        name = body.name if body else "the local policing body"
        return (f"Recommendation of {self.policing_recommendation.received_on:%-d %B %Y} from "
                f"{name}")

    @property
    def source_text(self) -> str:
        if self.recommendation_id:
            return self.recommendation.text
        return self.policing_recommendation.recommendation

    def clean(self) -> None:
        errors: dict[str, str] = {}
        pid = self.partnership_id
        if self.owner_id and pid and self.owner.partnership_id != pid:
            errors["owner"] = "Choose one of the partnership's organisations"
        if self.recommendation_id and self.recommendation.review.partnership_id != pid:
            errors["recommendation"] = "Choose one of the partnership's recommendations"
        if self.policing_recommendation_id and self.policing_recommendation.partnership_id != pid:
            errors["policing_recommendation"] = "Choose one of the partnership's recommendations"
        if self.priority_id and self.priority.strategy.partnership_id != pid:
            errors["priority"] = "Choose one of the partnership's priorities"
        if self.status == self.Status.DONE:
            if not self.done_on:
                errors["done_on"] = "Enter the date the action was done"
            if not (self.evidence or "").strip():
                errors["evidence"] = "Say what shows the action was done"
        elif self.done_on:
            errors["done_on"] = "Leave the date done empty until the action is done"
        _not_future(errors, "done_on", self.done_on, "it was done")
        if errors:
            raise ValidationError(errors)


FIRST_RETURN_YEAR = 2014  # ASB case reviews began with the 2014 Act.


class AsbReturnQuerySet(models.QuerySet):
    def published(self, today: dt.date):
        return self.filter(publish_on__lte=today)


class AsbCaseReviewReturn(models.Model):
    """A partnership's yearly figures for ASB case reviews (the "community
    trigger", Anti-social Behaviour, Crime and Policing Act 2014), public
    from their publication date."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="asb_returns"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The year from 1 April: 2025 for 1 April 2025 to 31 March 2026."
    )
    applications = models.PositiveIntegerField("applications for a case review received")
    threshold_not_met = models.PositiveIntegerField(
        "applications that did not meet the threshold for a review"
    )
    reviews_held = models.PositiveIntegerField("case reviews carried out")
    reviews_with_recommendations = models.PositiveIntegerField(
        "case reviews that resulted in recommendations"
    )
    referred_to_policing_body = models.PositiveIntegerField(
        "decisions that the threshold was not met referred to the local policing body",
        null=True, blank=True,
        help_text="Optional: where an applicant asked the local policing body to review a "
                  "decision that their application did not meet the threshold.",
    )
    publish_on = models.DateField("publish on")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AsbReturnQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"], name="asb_return_unique_year",
                violation_error_message="The partnership already has figures for this year",
            )
        ]
        indexes = [models.Index(fields=["publish_on"], name="asb_return_publish_on")]

    def __str__(self) -> str:
        return f"ASB case reviews {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:asb_return", args=[self.partnership.slug, self.pk])

    @property
    def period(self) -> str:
        return f"1 April {self.year} to 31 March {self.year + 1}"

    @property
    def short_period(self) -> str:
        return f"{self.year} to {self.year + 1}"

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year + 1, 3, 31)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.year is not None and not FIRST_RETURN_YEAR <= self.year <= today.year:
            errors["year"] = f"Enter a year from {FIRST_RETURN_YEAR} to {today.year}"
        counts = (self.applications, self.threshold_not_met, self.reviews_held,
                  self.reviews_with_recommendations)
        if all(c is not None for c in counts):
            if self.threshold_not_met > self.applications:
                errors["threshold_not_met"] = (
                    "Applications that did not meet the threshold cannot be more than the "
                    f"{self.applications} applications received"
                )
            elif self.reviews_held > self.applications - self.threshold_not_met:
                errors["reviews_held"] = (
                    "Case reviews carried out cannot be more than the "
                    f"{self.applications - self.threshold_not_met} applications that met "
                    "the threshold"
                )
            if self.reviews_with_recommendations > self.reviews_held:
                errors["reviews_with_recommendations"] = (
                    "Reviews that resulted in recommendations cannot be more than the "
                    f"{self.reviews_held} reviews carried out"
                )
            referred = self.referred_to_policing_body
            if referred is not None and referred > self.threshold_not_met:
                errors["referred_to_policing_body"] = (
                    "Decisions referred to the local policing body cannot be more than the "
                    f"{self.threshold_not_met} applications that did not meet the threshold"
                )
        if self.publish_on and self.year is not None and "year" not in errors:
            if self.publish_on <= self.year_end:
                errors["publish_on"] = (
                    "The figures can be published only after the year ends on "
                    f"{self.year_end:%-d %B %Y}"
                )
        if errors:
            raise ValidationError(errors)
