"""Public consultations on a frozen draft of a strategy.

A consultation points at a StrategyVersion, so respondents, officers and
boards all see the same draft. Responses hold answers (one row per value, so
the database can count them), comments on the draft, and, in a separate
table, optional equality monitoring that pages never show next to free text.

Writes go through consultation.services; these models hold data and
read-only helpers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from partnerships.models import Partnership
from strategy.models import Priority, Strategy, StrategyVersion


class Audience(models.TextChoices):
    PUBLIC = "public", "Members of the public"
    STAKEHOLDER = "stakeholder", "Stakeholders and organisations"
    YOUNG_PEOPLE = "young_people", "Young people through schools"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper form"
    EVENT = "event", "Event or drop-in"
    SCHOOL = "school", "School"


def _open_q(now: dt.datetime) -> models.Q:
    return models.Q(
        opens_at__lte=now,
        closes_at__gt=now,
        status__in=[Consultation.Status.SCHEDULED, Consultation.Status.OPEN],
    )


def _upcoming_q(now: dt.datetime) -> models.Q:
    return models.Q(opens_at__gt=now, status=Consultation.Status.SCHEDULED)


def _closed_q(now: dt.datetime) -> models.Q:
    return models.Q(closes_at__lte=now) | models.Q(
        status__in=[Consultation.Status.CLOSED, Consultation.Status.FEEDBACK]
    )


class ConsultationQuerySet(models.QuerySet):
    def for_partnerships(self, ids):
        return self.filter(partnership_id__in=ids)

    def listed(self):
        """Consultations the public may see (anything past draft)."""
        return self.exclude(status=Consultation.Status.DRAFT)

    def open_at(self, now: dt.datetime):
        return self.listed().filter(_open_q(now))

    def upcoming_at(self, now: dt.datetime):
        return self.listed().filter(_upcoming_q(now))

    def closed_at(self, now: dt.datetime):
        return self.listed().filter(_closed_q(now))

    def in_public_order(self, now: dt.datetime):
        """Open ones first, closing soonest first; then those coming,
        opening soonest first; then closed ones, latest first. By the clock,
        like open_at(), upcoming_at() and closed_at()."""
        # The three states never overlap (a consultation closes after it
        # opens), so each date key tests its own state alone: the SQL stays
        # short, which matters as much as the database's work here.
        phase = models.Case(
            models.When(_open_q(now), then=models.Value(0)),
            models.When(_upcoming_q(now), then=models.Value(1)),
            models.When(_closed_q(now), then=models.Value(2)),
            default=models.Value(3),
        )
        return self.order_by(
            phase,
            models.Case(
                models.When(_open_q(now), then="closes_at"),
                models.When(_upcoming_q(now), then="opens_at"),
            ).asc(nulls_last=True),
            models.Case(models.When(_closed_q(now), then="closes_at")).desc(nulls_last=True),
            "pk",
        )

    def matching(self, words: str):
        """Title or summary contains the words, whatever their case."""
        return self.filter(models.Q(title__icontains=words) | models.Q(summary__icontains=words))

    def for_audience(self, audience: str):
        # `audiences` is a JSON list of Audience values. Matching the quoted
        # value inside its text works on PostgreSQL and SQLite alike (SQLite
        # has no JSON containment); no value is inside another with quotes.
        return self.filter(audiences__icontains=f'"{Audience(audience).value}"')

    def due_to_open(self, now: dt.datetime):
        return self.filter(status=Consultation.Status.SCHEDULED, opens_at__lte=now)

    def due_to_close(self, now: dt.datetime):
        return self.filter(
            status__in=[Consultation.Status.SCHEDULED, Consultation.Status.OPEN],
            closes_at__lte=now,
        )


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        FEEDBACK = "feedback", "Feedback published"

    RECOMMENDED_WEEKS = 12
    # An open consultation is "closing soon" on public pages this long before it closes.
    CLOSING_SOON = dt.timedelta(days=14)

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="consultations"
    )
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="consultations")
    version = models.ForeignKey(
        StrategyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        help_text="The frozen draft people are asked about; set when the consultation is "
        "scheduled.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(help_text="What the consultation is about, in a few sentences.")
    background = models.TextField(
        blank=True, help_text="Background information people need to give an informed answer."
    )
    data_use = models.TextField(
        "how we use your answers",
        blank=True,
        help_text="Shown with the privacy notice. Leave blank for the standard wording.",
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    holidays_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="School or public holidays that fall in the consultation period.",
    )
    audiences = models.JSONField(default=list)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    strategy_status_at_open = models.CharField(max_length=20, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    retention_days = models.PositiveIntegerField(
        default=365,
        help_text="Days after closing when free text and equality data are deleted.",
    )
    data_deleted_at = models.DateTimeField(null=True, blank=True)
    retained_summary = models.JSONField(
        default=dict, blank=True, help_text="Equality counts kept after the data is deleted."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A consultation that happened before it was recorded here (for example
    # on paper, before the partnership used the service): its dates are the
    # real ones, its figures are what the partnership entered, and it never
    # takes responses. `recorded_by` entered it, on `created_at`.
    is_historical = models.BooleanField("historical record", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    recorded_responses = models.JSONField(
        default=dict, blank=True,
        help_text="A historical record's number of responses by channel, as entered.",
    )
    findings = models.TextField(
        "summary of the results", blank=True,
        help_text="A historical record's results and key findings, as entered.",
    )
    headline_figures = models.JSONField(
        default=list, blank=True,
        help_text="A historical record's headline figures, one sentence each.",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultation:detail", args=[self.slug])

    MAX_RECORDED_RESPONSES = 10_000_000

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing date must be after the opening date."})
        counts = self.recorded_responses or {}
        if not isinstance(counts, dict) or set(counts) - set(Channel.values) or any(
            not isinstance(n, int) or isinstance(n, bool)
            or not 0 <= n <= self.MAX_RECORDED_RESPONSES
            for n in counts.values()
        ):
            raise ValidationError(
                {"recorded_responses": "Enter each number of responses as a whole number."}
            )
        if counts and not self.is_historical:
            raise ValidationError(
                {"recorded_responses": "Only a historical record has entered figures."}
            )
        unknown = set(self.audiences or []) - set(Audience.values)
        if unknown:
            raise ValidationError({"audiences": "Choose audiences from the list."})
        if not self.audiences:
            raise ValidationError({"audiences": "Choose at least one audience."})
        if self.strategy_id and self.partnership_id and (
            self.strategy.partnership_id != self.partnership_id
        ):
            raise ValidationError({"strategy": "Choose a strategy of this partnership."})

    def get_manage_url(self) -> str:
        return reverse("consultation:manage", args=[self.slug])

    def status_at(self, now: dt.datetime | None = None) -> str:
        """The status by the clock, so pages are right even before the
        periodic task has moved the stored status."""
        now = now or timezone.now()
        if self.status == self.Status.SCHEDULED and self.opens_at <= now < self.closes_at:
            return self.Status.OPEN
        if self.status in (self.Status.SCHEDULED, self.Status.OPEN) and now >= self.closes_at:
            return self.Status.CLOSED
        return self.status

    @property
    def effective_status(self) -> str:
        return self.status_at()

    @property
    def effective_status_label(self) -> str:
        if self.is_historical:
            return "Historical record"
        return self.Status(self.effective_status).label

    @property
    def ended_at(self) -> dt.datetime:
        """When it really stopped taking responses: the planned closing time,
        or the earlier moment an officer closed it."""
        if self.closed_at and self.status in (self.Status.CLOSED, self.Status.FEEDBACK):
            return min(self.closed_at, self.closes_at)
        return self.closes_at

    @property
    def closed_early(self) -> bool:
        return self.ended_at < self.closes_at

    @property
    def days_open(self) -> int:
        """Calendar days from opening to when it really closed."""
        return (timezone.localdate(self.ended_at) - timezone.localdate(self.opens_at)).days

    @property
    def recorded_total(self) -> int:
        return sum((self.recorded_responses or {}).values())

    @property
    def is_open(self) -> bool:
        return self.effective_status == self.Status.OPEN

    def is_closing_soon(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status_at(now) == self.Status.OPEN
            and self.closes_at - now <= self.CLOSING_SOON
        )

    @property
    def duration(self) -> dt.timedelta:
        return self.closes_at - self.opens_at

    @property
    def duration_days(self) -> int:
        # Calendar days in local time, so a clock change does not make 12
        # weeks look one hour short.
        return (timezone.localdate(self.closes_at) - timezone.localdate(self.opens_at)).days

    @property
    def duration_weeks(self) -> float:
        return round(self.duration_days / 7, 1)

    @property
    def is_shorter_than_recommended(self) -> bool:
        return self.duration_days < 7 * self.RECOMMENDED_WEEKS

    @property
    def adult_audiences(self) -> list[str]:
        return [a for a in self.audiences if a != Audience.YOUNG_PEOPLE]

    @property
    def for_young_people(self) -> bool:
        return Audience.YOUNG_PEOPLE in self.audiences

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(a).label for a in self.audiences if a in Audience.values]

    @property
    def draft_priorities(self) -> list[dict]:
        """The priorities of the frozen draft: what ranking questions offer."""
        if not self.version_id:
            return [
                {"id": p.pk, "title": p.title, "description": p.description, "objectives": []}
                for p in self.strategy.priorities.all()
            ]
        return list(self.version.content.get("priorities", []))

    @property
    def results_published(self) -> bool:
        return self.status == self.Status.FEEDBACK


class Section(models.Model):
    """One page of questions, asked of one audience or of everyone."""

    class For(models.TextChoices):
        ALL = "all", "Everyone"
        ADULTS = "adults", "Public and stakeholders"
        STAKEHOLDERS = "stakeholders", "Stakeholders only"
        YOUNG_PEOPLE = "young_people", "Young people only"

    FOR_AUDIENCE = {
        Audience.PUBLIC: (For.ALL, For.ADULTS),
        Audience.STAKEHOLDER: (For.ALL, For.ADULTS, For.STAKEHOLDERS),
        Audience.YOUNG_PEOPLE: (For.ALL, For.YOUNG_PEOPLE),
    }

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    audience = models.CharField(max_length=20, choices=For.choices, default=For.ALL)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["consultation", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        SCALE = "scale", "Agree or disagree (five points)"
        RANKING = "ranking", "Rank the draft's priorities"
        TEXT = "text", "Free text"
        SAFETY = "safety", "How safe do you feel (day and after dark)"

    SCALE_CHOICES = [
        ("strongly_agree", "Strongly agree"),
        ("agree", "Agree"),
        ("neutral", "Neither agree nor disagree"),
        ("disagree", "Disagree"),
        ("strongly_disagree", "Strongly disagree"),
    ]
    SAFETY_CHOICES = [
        ("very_safe", "Very safe"),
        ("fairly_safe", "Fairly safe"),
        ("neither", "Neither safe nor unsafe"),
        ("fairly_unsafe", "Fairly unsafe"),
        ("very_unsafe", "Very unsafe"),
    ]
    SAFETY_PARTS = [("day", "During the day"), ("dark", "After dark")]

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    choices = models.JSONField(
        default=list, blank=True, help_text="The options of a single or multiple choice question."
    )
    max_length = models.PositiveIntegerField(
        default=1000, help_text="The longest answer allowed to a free-text question."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            options = [c for c in (self.choices or []) if str(c).strip()]
            if len(options) < 2:
                raise ValidationError({"choices": "Enter at least two options, one per line"})
            if len(set(options)) != len(options):
                raise ValidationError({"choices": "Enter each option only once"})
        if self.kind == self.Kind.TEXT and not (1 <= self.max_length <= 5000):
            raise ValidationError({"max_length": "Enter a limit between 1 and 5000 characters."})

    def option_pairs(self, priorities: list[dict] | None = None) -> list[tuple[str, str]]:
        """(stored value, label) pairs of the options this question offers."""
        if self.kind == self.Kind.SCALE:
            return list(self.SCALE_CHOICES)
        if self.kind == self.Kind.SAFETY:
            return list(self.SAFETY_CHOICES)
        if self.kind == self.Kind.RANKING:
            return [(str(p["id"]), p["title"]) for p in (priorities or [])]
        return [(c, c) for c in self.choices]


class ResponseQuerySet(models.QuerySet):
    def for_consultation(self, consultation: Consultation):
        return self.filter(consultation=consultation)

    def count_by_consultation(self, consultation_ids) -> dict[int, int]:
        """Responses so far of each of these consultations (those with none
        are left out): one grouped query on the consultation index, for the
        rows a page shows rather than every consultation there is."""
        rows = (
            self.filter(consultation_id__in=list(consultation_ids))
            .order_by()
            .values_list("consultation_id")
            .annotate(n=models.Count("pk"))
        )
        return dict(rows)


class SchoolClassCode(models.Model):
    """A code an officer gives to a school class so its pupils can answer the
    young people's questions without any personal details."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="class_codes"
    )
    school = models.CharField(max_length=200)
    class_name = models.CharField("class or year group", max_length=100, blank=True)
    code = models.CharField(max_length=12, unique=True)
    is_active = models.BooleanField(default=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "school", "class_name"]

    def __str__(self) -> str:
        return f"{self.school} {self.class_name}".strip()


class Response(models.Model):
    class AgeBand(models.TextChoices):
        UNDER_11 = "under_11", "10 or under"
        AGE_11_13 = "11_13", "11 to 13"
        AGE_14_15 = "14_15", "14 to 15"
        AGE_16_17 = "16_17", "16 to 17"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    reference = models.CharField(max_length=20, unique=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="For stakeholders: the organisation responding."
    )
    class_code = models.ForeignKey(
        SchoolClassCode, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    consent = models.BooleanField(
        null=True, blank=True, default=False,
        help_text="Ticked the privacy notice when responding. Empty: never asked "
        "(pupils' responses from before pupils were shown their own notice).",
    )
    idempotency_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set when the respondent's request to delete it was granted: its free
    # text, comments, equality answers and organisation are gone and its
    # reference replaced; closed answers stay for the counts.
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        # Orderings here stay on the table itself: a related model's ordering
        # would add joins to every query over tens of thousands of rows.
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["consultation", "channel", "audience"])]

    def __str__(self) -> str:
        return self.reference


class Answer(models.Model):
    """One value of one answer. A multiple choice gives a row per option
    chosen, a ranking a row per priority with its rank, a safety question a
    row for the day and one for after dark; so every count is a GROUP BY."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    part = models.CharField(max_length=10, blank=True)
    value = models.CharField(max_length=300, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["question", "part", "value"])]

    def __str__(self) -> str:
        return self.text[:60] or self.value


class DraftComment(models.Model):
    """A respondent's comment on one priority of the draft, or on the whole."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    priority_ref = models.CharField(
        max_length=40, help_text="'priority:<id>' in the draft version, or 'general'."
    )
    target_label = models.CharField(max_length=300)
    text = models.TextField()

    class Meta:
        ordering = ["priority_ref", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class EqualityResponse(models.Model):
    """Optional equality monitoring, kept apart from answers: pages show it
    only as counts, and exports write it to its own file."""

    class AgeBand(models.TextChoices):
        UNDER_18 = "under_18", "Under 18"
        AGE_18_24 = "18_24", "18 to 24"
        AGE_25_34 = "25_34", "25 to 34"
        AGE_35_44 = "35_44", "35 to 44"
        AGE_45_54 = "45_54", "45 to 54"
        AGE_55_64 = "55_64", "55 to 64"
        AGE_65 = "65_plus", "65 or over"
        NO_ANSWER = "no_answer", "Prefer not to say"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NO_ANSWER = "no_answer", "Prefer not to say"

    class Ethnicity(models.TextChoices):
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Other ethnic group"
        NO_ANSWER = "no_answer", "Prefer not to say"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NO_ANSWER = "no_answer", "Prefer not to say"

    FIELDS = ("age_band", "sex", "ethnicity", "disability")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="equality_responses"
    )
    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, related_name="equality", null=True, blank=True
    )
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Equality monitoring {self.pk}"


class Theme(models.Model):
    """A theme officers code free text and comments into, with the
    partnership's answer to it: "you said, we did"."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    you_said = models.TextField("what people said", blank=True)
    we_did = models.TextField("what we did", blank=True)
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_themes",
        help_text="The priority of the strategy changed or added in answer.",
    )
    why_not = models.TextField(
        "why we did not change the strategy", blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    answers = models.ManyToManyField(Answer, blank=True, related_name="themes")
    comments = models.ManyToManyField(DraftComment, blank=True, related_name="themes")

    class Meta:
        ordering = ["consultation", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="theme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_response(self) -> bool:
        return bool(self.we_did.strip()) and (bool(self.priority_id) or bool(self.why_not.strip()))


class RightsRequestQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def waiting(self):
        return self.filter(status=RightsRequest.Status.RECEIVED)

    def officers_not_told(self):
        return self.filter(officers_notified_at__isnull=True)

    def contact_due_for_deletion(self, before: dt.datetime):
        return self.filter(decided_at__lt=before, contact_deleted_at__isnull=True)


class RightsRequest(models.Model):
    """A respondent's request, by reference number, for a copy of their
    response or for its deletion (UK GDPR articles 15 and 17).

    Saved as sent, whether or not the reference matches a response, so
    nothing is lost and the page tells a stranger nothing; the partnership's
    officers check it and decide. The e-mail address is the one to reply
    to: responses hold none to compare it with.
    """

    class Kind(models.TextChoices):
        COPY = "copy", "A copy of my response"
        ERASURE = "erasure", "Delete my response"

    class Status(models.TextChoices):
        RECEIVED = "received", "Waiting for a decision"
        COPY_SENT = "copy_sent", "Copy sent"
        ERASED = "erased", "Response deleted"
        REFUSED = "refused", "Refused"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True,
        related_name="rights_requests",
        help_text="The partnership of the response, or whose short code the reference starts "
        "with; empty if neither.",
    )
    response = models.ForeignKey(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The response the reference matched; cleared when it is erased.",
    )
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField("e-mail address to reply to", blank=True)
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(
        blank=True, max_length=2000, help_text="Why it was refused, as sent to the person."
    )
    officers_notified_at = models.DateTimeField(null=True, blank=True)
    requester_notified_at = models.DateTimeField(null=True, blank=True)
    contact_deleted_at = models.DateTimeField(null=True, blank=True)

    objects = RightsRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "status", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"


class ReceiptRequest(models.Model):
    """The address a respondent gave at the end of the journey for a receipt
    (their reference and a copy of their answers). It is not part of the
    response: the row exists only until the worker has sent the receipt,
    then it is deleted (consultation/receipts.py)."""

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, related_name="receipt_request"
    )
    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Receipt for {self.response_id}"


class SavedJourney(models.Model):
    """Answers in progress saved with "save and come back later": restored
    once by a signed link (consultation/saved.py), then emptied. `email` is
    set only to send the link, and blanked once it has gone."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="saved_journeys"
    )
    key = models.CharField(max_length=32, editable=False)
    state = models.JSONField(default=dict, blank=True)
    resume_path = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Saved answers {self.pk} for {self.consultation_id}"
# Coding free text at scale ---------------------------------------------------


class CodingAction(models.Model):
    """One person's change to the coding: a theme added to or removed from
    some answers, in one action (one answer's form, a bulk action, accepted
    suggestions, or the undo of an earlier action). Its rows name exactly
    the answers it changed, so undoing it restores exactly what was there."""

    class Kind(models.TextChoices):
        ADD = "add", "Added"
        REMOVE = "remove", "Removed"

    class Source(models.TextChoices):
        ANSWER = "answer", "One answer's themes"
        BULK = "bulk", "Bulk coding"
        SUGGESTION = "suggestion", "Suggestions accepted"
        UNDO = "undo", "Undo"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="coding_actions"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="coding_actions"
    )
    theme_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    by_name = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    answer_count = models.PositiveIntegerField(default=0)
    undoes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="undone_by"
    )
    suggestion_run = models.ForeignKey(
        "SuggestionRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answers = models.ManyToManyField(Answer, through="CodingActionAnswer", related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["consultation", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.theme_name} ({self.answer_count})"


class CodingActionAnswer(models.Model):
    action = models.ForeignKey(CodingAction, on_delete=models.CASCADE, related_name="rows")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "answer"], name="coding_action_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: answer {self.answer_id}"


class SuggestionRun(models.Model):
    """One computation of suggestions in the worker, kept with its results:
    candidate themes from the answers, or themes for uncoded answers learnt
    from those already coded."""

    class Kind(models.TextChoices):
        THEMES = "themes", "Suggested themes"
        CODING = "coding", "Suggested coding"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="suggestion_runs"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text="Empty: every free-text question.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    answer_count = models.PositiveIntegerField(default=0)
    coded_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class SuggestedTheme(models.Model):
    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(max_length=200)
    key_phrases = models.JSONField(default=list)
    size = models.PositiveIntegerField()
    representatives = models.JSONField(default=list, help_text="Answer ids, most typical first.")
    order = models.PositiveSmallIntegerField(default=0)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The theme an officer made from it.",
    )

    class Meta:
        ordering = ["run", "order"]

    def __str__(self) -> str:
        return self.label


class CodingSuggestion(models.Model):
    """A theme suggested for an answer, with a confidence. Nothing is coded
    until a person accepts it; accepting and rejecting are recorded."""

    class Decision(models.TextChoices):
        NONE = "", "Not decided"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    confidence = models.FloatField()
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-confidence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "answer", "theme"], name="suggestion_once")
        ]
        indexes = [models.Index(fields=["run", "decision", "-confidence"])]

    def __str__(self) -> str:
        return f"{self.theme_id} for answer {self.answer_id} ({self.confidence:.0%})"
class ConsulteeRecordQuerySet(models.QuerySet):
    def for_strategy(self, strategy):
        return self.filter(strategy=strategy)


class ConsulteeRecord(models.Model):
    """Evidence that a consultee the law names was consulted on a strategy:
    who, when, how, and what shows it (a serious violence strategy must
    consult the educational, prison and youth custody authorities).

    Officers keep the log; the strategy is adopted and published only once
    every required consultee has at least one entry
    (consultation.consultees.consultee_refusals)."""

    class Method(models.TextChoices):
        MEETING = "meeting", "Meeting"
        LETTER = "letter", "Letter or e-mail"
        WORKSHOP = "workshop", "Workshop or event"
        RESPONSE = "response", "Written response to the consultation"
        OTHER = "other", "Other"

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="consultee_records"
    )
    consultee_kind = models.CharField("which consultee", max_length=20)
    consultee = models.CharField(
        "who was consulted", max_length=200,
        help_text="The organisation, and the person or role if known.",
    )
    consulted_on = models.DateField("date consulted")
    method = models.CharField("how", max_length=20, choices=Method.choices)
    evidence = models.TextField(
        "evidence and notes", max_length=4000,
        help_text="What they said, and where the record is kept (minutes, letter reference).",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ConsulteeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "consulted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.consultee} ({self.consulted_on})"


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Documents anyone may see: those of a consultation that is no
        longer a draft (scheduled, open, closed or with feedback)."""
        return self.exclude(consultation__status=Consultation.Status.DRAFT)


class Document(models.Model):
    """A file beside the draft: an easy-read version, large print, a map, the
    assessment summary. The stored file was checked by its content; its
    name in storage is random, the name people download it by is made from
    its title."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"

    CONTENT_TYPES = {
        Kind.PDF: "application/pdf",
        Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Kind.PNG: "image/png",
        Kind.JPEG: "image/jpeg",
    }
    EXTENSIONS = {Kind.PDF: "pdf", Kind.DOCX: "docx", Kind.PNG: "png", Kind.JPEG: "jpg"}

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(
        max_length=2000,
        help_text="What the document holds, for people who cannot open it or see it.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(max_length=300)
    size = models.PositiveBigIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.kind]

    @property
    def is_image(self) -> bool:
        return self.kind in (self.Kind.PNG, self.Kind.JPEG)

    @property
    def download_name(self) -> str:
        """A file name made from the title: letters, digits and hyphens only."""
        stem = slugify(self.title)[:80].strip("-") or "document"
        return f"{stem}.{self.EXTENSIONS[self.kind]}"
