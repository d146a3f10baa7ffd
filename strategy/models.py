"""Strategic assessments, strategies and the golden thread:
Priority → Objective → Performance measure → Measurement.

Writes go through strategy.services; lifecycle rules live in
strategy.lifecycle; these models hold data and read-only helpers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.models import Organisation, Partnership
from strategy.duties import StrategyDuty, profile


class StatutoryResponsibility(models.Model):
    """A duty that priorities and partnership reports are tagged with
    (ASB, re-offending, Prevent, the police and crime plan, s.17 ...)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "statutory responsibilities"

    def __str__(self) -> str:
        return self.name


class StrategicAssessmentQuerySet(models.QuerySet):
    def for_partnerships(self, ids):
        return self.filter(partnership_id__in=ids)


class StrategicAssessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        READY = "ready", "Ready for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"

    Duty = StrategyDuty

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="assessments"
    )
    # A strategic assessment informs a community safety strategy; a strategic
    # needs assessment informs a serious violence strategy.
    duty = models.CharField(
        "kind of assessment", max_length=20, choices=StrategyDuty.choices,
        default=StrategyDuty.COMMUNITY_SAFETY,
    )
    year = models.PositiveSmallIntegerField(
        help_text="The year the assessment was made, e.g. 2021."
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    # For a strategic needs assessment: the full text is restricted to the
    # partnership's officers; the public read only `public_summary`.
    local_definition = models.TextField(
        "local definition of serious violence", blank=True,
        help_text="What serious violence means in this area, for this assessment and strategy.",
    )
    public_summary = models.TextField(
        "public summary", blank=True,
        help_text="Published on the partnership's public pages. The full assessment is seen "
        "only by the partnership's officers.",
    )
    existing_priorities_review = models.TextField(
        "review of existing priorities", blank=True
    )
    emerging_priorities = models.TextField("emerging priorities recommended", blank=True)
    data_sources = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.CharField(
        max_length=200, blank=True, help_text="The board that signed the assessment off."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = StrategicAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "duty", "year"], name="assessment_unique_duty_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self._url("assessment_detail")

    @property
    def profile(self):
        return profile(self.duty)

    @property
    def is_needs_assessment(self) -> bool:
        return self.duty == StrategyDuty.SERIOUS_VIOLENCE

    def _url(self, name: str, *extra) -> str:
        prefix = "needs_" if self.is_needs_assessment else ""
        return reverse(f"strategy:{prefix}{name}", args=[self.partnership.slug, self.year, *extra])

    def get_edit_url(self) -> str:
        return self._url("assessment_edit")

    def get_line_create_url(self) -> str:
        return self._url("line_create")

    def get_public_url(self) -> str:
        """The public summary (strategic needs assessments only)."""
        return reverse("strategy:needs_assessment_public", args=[self.partnership.slug, self.year])


class LineOfEnquiry(models.Model):
    assessment = models.ForeignKey(
        StrategicAssessment, on_delete=models.CASCADE, related_name="lines_of_enquiry"
    )
    title = models.CharField(max_length=200)
    findings = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "order", "pk"]
        verbose_name_plural = "lines of enquiry"

    def __str__(self) -> str:
        return self.title

    def get_edit_url(self) -> str:
        return self.assessment._url("line_edit", self.pk)

    def get_delete_url(self) -> str:
        return self.assessment._url("line_delete", self.pk)


class StrategyQuerySet(models.QuerySet):
    def for_partnerships(self, ids):
        return self.filter(partnership_id__in=ids)

    def published(self):
        return self.filter(status=Strategy.Status.PUBLISHED)

    def public(self):
        """Strategies with a published version anyone may read (published now,
        or superseded but once published)."""
        return self.filter(
            status__in=[Strategy.Status.PUBLISHED, Strategy.Status.SUPERSEDED]
        ).with_published_at().filter(published_at__isnull=False)

    def with_published_on(self):
        """Annotate published_on: the day the strategy was last published,
        which may be before it was recorded here (and its version frozen)."""
        return self.annotate(
            published_on=models.Max(
                "transitions__happened_on",
                filter=models.Q(transitions__to_status=Strategy.Status.PUBLISHED),
            )
        )

    def in_public_order(self, *, by_partnership: bool = False):
        """The strategy in force (published) before those it replaced, then
        the latest period first; with `by_partnership`, partnership by
        partnership in the order of their names."""
        order = [
            models.Case(
                models.When(status=Strategy.Status.PUBLISHED, then=models.Value(0)),
                default=models.Value(1),
            ),
            "-period_start",
            "pk",
        ]
        if by_partnership:
            order = ["partnership__name", "partnership_id", *order]
        return self.order_by(*order)

    def matching(self, words: str):
        """The title, or the partnership's name or area, contains the
        words, whatever their case."""
        return self.filter(
            models.Q(title__icontains=words)
            | models.Q(partnership__name__icontains=words)
            | models.Q(partnership__area__icontains=words)
        )

    def with_published_at(self):
        """Annotate published_at: when the latest publication version was made."""
        return self.annotate(
            published_at=models.Max(
                "versions__created_at",
                filter=models.Q(versions__reason=StrategyVersionReason.PUBLICATION),
            )
        )


class Strategy(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        DRAFTING = "drafting", "Drafting"
        CONSULTATION = "consultation", "Consultation"
        SIGN_OFF = "sign_off", "Sign-off"
        ADOPTED = "adopted", "Adopted"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    class Kind(models.TextChoices):
        FULL = "full", "Three-year strategy"
        REFRESH = "refresh", "Annual refresh"

    Duty = StrategyDuty

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="strategies"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    # Which statutory document this is (strategy.duties): what informs it,
    # who signs it off, whom it must consult, how often it is reviewed.
    duty = models.CharField(
        "kind of strategy", max_length=20, choices=StrategyDuty.choices,
        default=StrategyDuty.COMMUNITY_SAFETY,
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FULL)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refreshes",
        help_text="For an annual refresh: the three-year strategy it refreshes.",
    )
    period_start = models.DateField()
    period_end = models.DateField()
    aim = models.TextField("overarching aim", blank=True)
    foreword = models.TextField(blank=True)
    pcc_plan_reference = models.CharField(
        "police and crime plan", max_length=300, blank=True
    )
    pcc_alignment = models.TextField(
        "how the strategy has regard to the police and crime plan", blank=True
    )
    responsibilities = models.ManyToManyField(
        StatutoryResponsibility, blank=True, related_name="strategies"
    )
    assessments = models.ManyToManyField(
        StrategicAssessment, blank=True, related_name="strategies"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-period_start"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:detail", args=[self.slug])

    def get_public_url(self) -> str:
        return reverse("strategy:public_detail", args=[self.slug])

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError({"period_end": "The end of the period must be after its start."})
        if self.kind == self.Kind.REFRESH and not self.parent_id:
            raise ValidationError(
                {"parent": "Choose the three-year strategy that this annual refresh updates."}
            )
        if self.parent_id and self.parent.duty != self.duty:
            raise ValidationError(
                {"parent": "Choose a strategy of the same kind as this refresh."}
            )

    @property
    def profile(self):
        return profile(self.duty)

    @property
    def is_serious_violence(self) -> bool:
        return self.duty == StrategyDuty.SERIOUS_VIOLENCE

    @property
    def period_label(self) -> str:
        return f"{self.period_start.year}–{self.period_end.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (
            self.Status.PLANNING,
            self.Status.DRAFTING,
            self.Status.CONSULTATION,
            self.Status.SIGN_OFF,
        )


class StrategyTransition(models.Model):
    """One recorded move of a strategy's lifecycle."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Strategy.Status.choices)
    to_status = models.CharField(max_length=20, choices=Strategy.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # When the step was recorded here, and by whom (`by`): the audit trail.
    at = models.DateTimeField(auto_now_add=True)
    # When it really happened: the same day, or earlier for a step recorded
    # after the event (a board's adoption from its minutes, a partnership
    # entering its history). Milestones and documents use this date.
    happened_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["strategy", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.strategy}: {self.from_status} → {self.to_status}"

    @property
    def recorded_on(self) -> dt.date:
        return timezone.localdate(self.at)

    @property
    def is_backdated(self) -> bool:
        """Recorded on a later day than it happened."""
        return bool(self.at) and self.happened_on < self.recorded_on


class PriorityQuerySet(models.QuerySet):
    def with_golden_thread(self):
        """Priorities with their objectives, measures and measurements loaded in
        a fixed number of queries, whatever their number."""
        return self.prefetch_related(
            "responsibilities",
            models.Prefetch(
                "objectives",
                queryset=Objective.objects.select_related("lead_organisation").prefetch_related(
                    models.Prefetch(
                        "measures",
                        queryset=Measure.objects.select_related(
                            "owner_organisation", "owner"
                        ).prefetch_related(
                            models.Prefetch(
                                "measurements",
                                queryset=Measurement.objects.order_by("period_end"),
                            )
                        ),
                    )
                ),
            ),
        ).order_by("order", "pk")


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    responsibilities = models.ManyToManyField(
        StatutoryResponsibility, blank=True, related_name="priorities"
    )
    history = HistoricalRecords()

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class PriorityProposal(models.Model):
    """A priority a partner organisation asks the partnership to adopt."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        MERGED = "merged", "Merged into another priority"
        DECLINED = "declined", "Declined"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="proposals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="priority_proposals"
    )
    title = models.CharField(max_length=300)
    rationale = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decision_reason = models.TextField(blank=True)
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="The priority this proposal became or was merged into.",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_objectives"
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MeasureQuerySet(models.QuerySet):
    def for_partnerships(self, ids):
        return self.filter(objective__priority__strategy__partnership_id__in=ids)

    def in_force(self):
        """Measures of strategies being delivered (adopted or published)."""
        return self.filter(
            objective__priority__strategy__status__in=[
                Strategy.Status.ADOPTED,
                Strategy.Status.PUBLISHED,
            ]
        )

    def with_latest_measurement(self, *, up_to=None):
        """Annotate latest_value and latest_period in the same query; with
        `up_to`, the latest figure for a period ending on or before that day."""
        latest = Measurement.objects.filter(measure=models.OuterRef("pk")).order_by("-period_end")
        if up_to is not None:
            latest = latest.filter(period_end__lte=up_to)
        return self.annotate(
            latest_value=models.Subquery(latest.values("value")[:1]),
            latest_period=models.Subquery(latest.values("period_end")[:1]),
        )


class Measure(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUALLY = "annually", "Annually"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=60, help_text="For example: incidents, %, people.")
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = models.DateField()
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    target_date = models.DateField()
    direction = models.CharField(max_length=10, choices=Direction.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    data_source = models.CharField(max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_measures"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_measures",
        help_text="The person who updates this measure.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            raise ValidationError(
                {"target_date": "The target date must be after the baseline date."}
            )


class Measurement(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="measurements")
    period_end = models.DateField(help_text="The last day of the period this value covers.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    # When the figure last changed: public pages are cached until it does.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_end"], name="measurement_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.period_end})"


class StrategyVersionReason(models.TextChoices):
    MANUAL = "manual", "Saved by an officer"
    CONSULTATION = "consultation", "Consultation opened"
    SIGN_OFF = "sign_off", "Sign-off requested"
    PUBLICATION = "publication", "Published"


class StrategyVersion(models.Model):
    """A frozen snapshot of a strategy's whole content.

    Rows are written once by strategy.services.version_create and never
    changed: consultations and sign-offs point at them, and the content hash
    is what a board approves.
    """

    Reason = StrategyVersionReason

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=StrategyVersionReason.choices)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.strategy} v{self.number}"

    def save(self, *args, **kwargs):
        # The one guard kept in save(): a frozen version must never be rewritten,
        # whichever code path tries.
        if self.pk is not None:
            raise ValidationError("A strategy version is frozen and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A strategy version is frozen and cannot be deleted.")

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]
