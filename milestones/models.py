"""Milestone plans: templates counted back from an adoption date, and the
dated milestones of a strategy's plan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.models import Board, Organisation, Partnership
from strategy.models import Strategy


class MilestoneKind(models.TextChoices):
    """What a milestone stands for. Every kind but a discussion is completed
    by the event it names (see milestones.completion); a discussion is
    marked done by an officer."""

    DISCUSSION = "discussion", "Discussion"
    # A strategic assessment, or a strategic needs assessment (serious violence).
    ASSESSMENT_SIGN_OFF = "assessment_sign_off", "Assessment signed off"
    PRIORITIES = "priorities", "Priorities agreed (drafting starts)"
    DRAFT = "draft", "Draft strategy ready"
    CONSULTATION_OPEN = "consultation_open", "Consultation opens"
    CONSULTATION_CLOSE = "consultation_close", "Consultation closes"
    CONSULTATION = "consultation", "Consultation window"
    SIGN_OFF = "sign_off", "Sign-off"
    ADOPTION = "adoption", "Adoption"
    PUBLICATION = "publication", "Publication"


class StepBoardRole(models.TextChoices):
    """A board named by what it does rather than which it is, so that a
    template shared by every partnership can still tie a step to a board."""

    NONE = "", "No board"
    SIGN_OFF = "sign_off", "The board that signs off"


class MilestoneTemplateQuerySet(models.QuerySet):
    def installation(self):
        """The templates that come with the product, for every partnership."""
        return self.filter(partnership__isnull=True)

    def available_to(self, partnership: Partnership | int):
        """The installation's templates and the partnership's own."""
        pid = partnership if isinstance(partnership, int) else partnership.pk
        return self.filter(models.Q(partnership__isnull=True) | models.Q(partnership_id=pid))

    def default_for(self, partnership: Partnership | int) -> MilestoneTemplate | None:
        """The partnership's own default, or else the installation's."""
        rows = list(self.available_to(partnership).filter(is_default=True))
        own = [t for t in rows if t.partnership_id is not None]
        return (own or rows or [None])[0]


class MilestoneTemplate(models.Model):
    """A reusable plan. With no partnership it comes with the product and any
    partnership may use or copy it; with one it is that partnership's own.
    Each partnership has at most one default, and so has the installation."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_templates",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MilestoneTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(is_default=True),
                nulls_distinct=False,
                name="milestonetemplate_one_default",
            ),
            models.UniqueConstraint(
                fields=["partnership", "name"],
                nulls_distinct=False,
                name="milestonetemplate_unique_name",
                violation_error_message="There is already a template with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneTemplateStep(models.Model):
    template = models.ForeignKey(MilestoneTemplate, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    # Either a board of the template's partnership, or (in a template shared by
    # every partnership) a role resolved when a plan is generated.
    board = models.ForeignKey(
        Board, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    board_role = models.CharField(
        max_length=20, choices=StepBoardRole.choices, blank=True, default=StepBoardRole.NONE
    )
    months_before_adoption = models.PositiveSmallIntegerField(
        default=0, help_text="0 for the adoption month, 8 for eight months earlier."
    )
    weeks_before_adoption = models.PositiveSmallIntegerField(
        default=0, help_text="Added to the months: 2 for a fortnight earlier."
    )
    duration_months = models.PositiveSmallIntegerField(
        default=0, help_text="For a window (such as a consultation): how many months it spans."
    )
    duration_weeks = models.PositiveSmallIntegerField(
        default=0, help_text="For a window counted in weeks: how many weeks it runs."
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
    # Set when the milestone is completed by what it stands for: the
    # consultation that opened or closed, and who did it.
    consultation = models.ForeignKey(
        "consultation.Consultation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_because = models.CharField(max_length=300, blank=True)
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


class SignOffOutcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REJECTED = "rejected", "Rejected"
    DEFERRED = "deferred", "Deferred"


APPROVING_OUTCOMES = (SignOffOutcome.APPROVED, SignOffOutcome.APPROVED_WITH_CONDITIONS)


class SignOffRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SignOffRequest.Status.PENDING)

    def for_boards(self, ids):
        return self.filter(board_id__in=ids)

    def for_partnerships(self, ids):
        return self.filter(partnership_id__in=ids)

    def with_detail(self):
        return self.select_related(
            "board", "authority", "partnership", "strategy", "version", "assessment", "decision",
            "requested_by", "milestone",
        )


class SignOffRequest(models.Model):
    """One board's step in a sign-off route, for a strategy version or an
    assessment.

    A route (Risk Board → Management Board → Partnership) is a chain of
    requests linked by `previous_step`. Only one step is pending at a time;
    the next waits until the one before it approves. Until a step is decided
    it may be moved to a newer version of the strategy (signoff_sync_version),
    so a board is always asked about the strategy as it is; once decided, the
    decision row keeps the hash it was about.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an earlier board"
        PENDING = "pending", "Awaiting decision"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Not reached"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="signoff_requests"
    )
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="signoff_requests")
    # A step taken by one authority (a serious violence strategy is signed
    # off by each specified authority): its representative on `board`
    # records the authority's decision.
    authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="signoff_requests",
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, null=True, blank=True, related_name="signoff_requests"
    )
    version = models.ForeignKey(
        "strategy.StrategyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signoff_requests",
    )
    assessment = models.ForeignKey(
        "strategy.StrategicAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signoff_requests",
    )
    # An assessment has no versions of its own: what the board is asked to
    # sign is frozen here when the request is made.
    assessment_content = models.JSONField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    step = models.PositiveSmallIntegerField(default=1)
    previous_step = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="next_steps"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="signoffs"
    )
    meeting_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = SignOffRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "step", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(version__isnull=False, assessment__isnull=True)
                    | models.Q(version__isnull=True, assessment__isnull=False)
                ),
                name="signoff_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_title} – {self.decider_name}"

    @property
    def decider_name(self) -> str:
        """Who decides this step: the board, or the authority at the board."""
        if self.authority_id:
            return f"{self.authority.name} (at {self.board.name})"
        return self.board.name

    @property
    def is_assessment(self) -> bool:
        return self.assessment_id is not None

    @property
    def subject_title(self) -> str:
        if self.assessment_id:
            return self.assessment.title
        return f"{self.strategy.title}, version {self.version.number}"

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    @property
    def deadline(self):
        """When the board should decide: its meeting, or else the due date of
        the sign-off milestone. Load `milestone` with the request."""
        if self.meeting_date:
            return self.meeting_date
        return self.milestone.due_date if self.milestone_id else None


class ReviewPosition(models.TextChoices):
    SUPPORT = "support", "Support"
    SUPPORT_WITH_COMMENTS = "support_with_comments", "Support with comments"
    OBJECT = "object", "Object"


class SignOffReview(models.Model):
    """A board member's view of one exact version. A review of an earlier
    version does not count towards the quorum of a later one."""

    Position = ReviewPosition

    request = models.ForeignKey(SignOffRequest, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signoff_reviews"
    )
    content_hash = models.CharField(max_length=64)
    position = models.CharField(max_length=30, choices=ReviewPosition.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "reviewer", "content_hash"], name="signoffreview_once_per_hash"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_position_display()}"


class SignOffDecisionQuerySet(models.QuerySet):
    def for_boards(self, ids):
        return self.filter(request__board_id__in=ids)

    def with_detail(self):
        """Most recent first, with what a list of decisions shows."""
        return self.select_related(
            "request__board", "request__authority", "request__strategy", "request__assessment",
            "version",
        ).order_by("-decided_on", "-pk")


class SignOffDecision(models.Model):
    """The board's decision on one request: written once, never changed.

    `content_hash` is copied from the request when the decision is made, so
    the record of what was approved stays true whatever happens to the
    strategy or the request afterwards.
    """

    Outcome = SignOffOutcome

    request = models.OneToOneField(
        SignOffRequest, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=30, choices=SignOffOutcome.choices)
    decided_on = models.DateField()
    minute_reference = models.CharField(max_length=100)
    conditions = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    version = models.ForeignKey(
        "strategy.StrategyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signoff_decisions",
    )
    supporting = models.PositiveSmallIntegerField(default=0)
    objecting = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SignOffDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        # The one guard kept in save(): what a board decided must never be
        # rewritten, whichever code path tries.
        if self.pk is not None:
            raise ValidationError("A board's decision is final and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A board's decision is final and cannot be deleted.")

    @property
    def is_approval(self) -> bool:
        return self.outcome in APPROVING_OUTCOMES

    @property
    def recorded_on(self) -> dt.date:
        return timezone.localdate(self.recorded_at)

    @property
    def is_backdated(self) -> bool:
        """Recorded on a later day than the board decided."""
        return bool(self.recorded_at) and self.decided_on < self.recorded_on

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


class CalendarToken(models.Model):
    """The secret in a person's private calendar address. Regenerating it
    replaces the row, so an old address stops working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
