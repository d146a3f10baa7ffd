"""The tenant (a Community Safety Partnership), its partner organisations,
its boards, and who belongs to which.

Every officer and board member sees only the partnerships they belong to;
partnerships.access turns these rows into the checks every view makes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour like #1d5c63.")
short_code_format = RegexValidator(
    r"^[A-Z0-9]{2,5}$",
    "Enter 2 to 5 capital letters or digits, like BD or CSP7.",
)

# WCAG 2.2 AA for normal text: white text on the brand colour needs 4.5:1.
MIN_CONTRAST_WITH_WHITE = 4.5


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of white text on `colour` (#rrggbb)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def readable_with_white(colour: str) -> None:
    if not hex_colour.regex.match(colour or ""):
        return  # hex_colour reports the format
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError(
            f"White text on {colour} has a contrast of {ratio:.1f} to 1; it needs at least "
            f"{MIN_CONTRAST_WITH_WHITE} to 1. Choose a darker colour.",
            code="low_contrast",
        )


def default_board_quorum() -> int:
    return settings.SAFERMK_DEFAULT_BOARD_QUORUM


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Partnership(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    area = models.CharField(max_length=200, help_text="The area the partnership covers.")
    aim = models.TextField(
        "overarching aim",
        help_text="For example: to make the area a safe place to live, work and visit.",
    )
    short_code = models.CharField(
        max_length=5,
        unique=True,
        validators=[short_code_format],
        help_text="Starts every consultation response reference, like BD-7Q4K-92XD.",
    )
    # Superseded by PolicingBody (the body with dates), which the product
    # reads; kept so that code written before it keeps working.
    plan_body = models.CharField(
        "body whose plan the strategy must have regard to",
        max_length=200,
        default="Police and Crime Commissioner",
    )
    pcc_plan_title = models.CharField("title of the police and crime plan", max_length=200,
                                      blank=True)
    pcc_plan_url = models.URLField("link to the police and crime plan", blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_address = models.TextField("postal address", blank=True)
    website = models.URLField(blank=True)
    colour = models.CharField(
        max_length=7, default="#1d5c63", validators=[hex_colour, readable_with_white]
    )
    # A PNG we made from the uploaded image (partnership_logo_set), named
    # partnership-logos/<pk>-<digest>.png; never the uploaded bytes themselves.
    logo = models.FileField(upload_to="partnership-logos/", max_length=200, blank=True)
    # The partnership's accessibility statement (accessibility.views.statement)
    # is written by the product; these are the partnership's own dates.
    accessibility_prepared_on = models.DateField(
        "accessibility statement prepared on", null=True, blank=True,
        help_text="Left empty: the day the partnership was set up here.",
    )
    accessibility_reviewed_on = models.DateField(
        "accessibility statement last reviewed on", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def logo_digest(self) -> str:
        """The content fingerprint in the logo's file name: it changes with the
        image, so its address can be cached for ever."""
        if not self.logo:
            return ""
        return self.logo.name.rsplit("/", 1)[-1].removesuffix(".png").rsplit("-", 1)[-1]
    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        prepared, reviewed = self.accessibility_prepared_on, self.accessibility_reviewed_on
        if prepared and prepared > today:
            errors["accessibility_prepared_on"] = (
                "The date it was prepared must be today or in the past"
            )
        if reviewed and reviewed > today:
            errors["accessibility_reviewed_on"] = (
                "The date it was reviewed must be today or in the past"
            )
        elif reviewed and reviewed < self.statement_prepared_on:
            errors["accessibility_reviewed_on"] = (
                "The date it was reviewed must be on or after the date it was prepared"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def statement_prepared_on(self):
        """When the accessibility statement was prepared: the date given, or
        the day the partnership was set up here (its statement exists since)."""
        if self.accessibility_prepared_on:
            return self.accessibility_prepared_on
        created = self.created_at or timezone.now()
        return timezone.localdate(created)


class Organisation(models.Model):
    """A partner organisation: a responsible authority or another partner."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health (CCG or ICB)"
        PCC = "pcc", "Police and Crime Commissioner"
        # The Serious Violence Duty's specified authority for youth justice,
        # and the educational, prison and youth custody authorities it
        # must consult (strategy.duties).
        YOUTH_JUSTICE = "youth_justice", "Youth offending team"
        EDUCATION = "education", "Educational authority"
        PRISON = "prison", "Prison authority"
        YOUTH_CUSTODY = "youth_custody", "Youth custody authority"
        VOLUNTARY = "voluntary", "Voluntary and community sector"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_responsible_authority = models.BooleanField(
        default=False,
        help_text="A responsible authority under s.5 of the Crime and Disorder Act 1998.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class PolicingBodyQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def in_force_on(self, day):
        """The rows in force on `day`: at most one per partnership."""
        return self.filter(from_date__lte=day).filter(
            models.Q(to_date__isnull=True) | models.Q(to_date__gte=day)
        )


class PolicingBody(models.Model):
    """The local policing body whose police and crime plan a partnership's
    strategy must have regard to, and to which the strategy is sent, from a
    date. A change (a commissioner's functions passing to a mayor or a board)
    is a new row with its own from_date; the one before ends the day before."""

    class Kind(models.TextChoices):
        PCC = "pcc", "Police and Crime Commissioner"
        PFCC = "pfcc", "Police, Fire and Crime Commissioner"
        MAYOR = "mayor", "Mayor (with policing functions)"
        MAYORS_OFFICE = "mayors_office", "Deputy Mayor for Policing and Crime or Mayor's office"
        BOARD = "board", "Policing and Crime Board"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="policing_bodies"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(
        max_length=200,
        help_text="As it reads after “the” in a sentence, like "
                  "Thames Valley Policing and Crime Board.",
    )
    plan_title = models.CharField("title of its plan", max_length=200, blank=True)
    plan_url = models.URLField("link to its plan", blank=True)
    from_date = models.DateField("in force from")
    # The day before the next row's from_date; empty for the latest.
    # Kept by partnerships.services.policing_body_add, never typed.
    to_date = models.DateField("in force until", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicingBodyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "from_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "from_date"], name="policing_body_unique_from_date",
                violation_error_message="The partnership already has a policing body from "
                                        "this date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.from_date:%-d %B %Y})"

    @property
    def in_sentence(self) -> str:
        """Its name after "to" or "of": "the Mayor of Greater Manchester"."""
        return self.name if self.name.lower().startswith("the ") else f"the {self.name}"

    def clean(self) -> None:
        if self.to_date and self.from_date and self.to_date < self.from_date:
            raise ValidationError({"to_date": "The end date must be on or after the start date"})


class PolicingRecommendation(models.Model):
    """A recommendation the local policing body made to the partnership, and
    the partnership's response with its reasons and date."""

    class Response(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        ACCEPTED = "accepted", "Accepted"
        PARTLY = "partly", "Partly accepted"
        DECLINED = "declined", "Not accepted"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="policing_recommendations"
    )
    # The body in force on the day it was received (set by the service).
    policing_body = models.ForeignKey(
        PolicingBody, on_delete=models.PROTECT, null=True, blank=True,
        related_name="recommendations",
    )
    received_on = models.DateField("received on")
    recommendation = models.TextField(max_length=2000)
    response = models.CharField(max_length=20, choices=Response.choices,
                                default=Response.PENDING)
    reasons = models.TextField(max_length=2000, blank=True)
    responded_on = models.DateField("answered on", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Recommendation received on {self.received_on}"

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.received_on and self.received_on > today:
            errors["received_on"] = "The date it was received must be today or in the past"
        if self.response == self.Response.PENDING:
            if self.responded_on:
                errors["response"] = "Choose the partnership's response"
        else:
            if not self.reasons.strip():
                errors["reasons"] = "Give the partnership's reasons"
            if not self.responded_on:
                errors["responded_on"] = "Enter the date the partnership answered"
            elif self.responded_on > today:
                errors["responded_on"] = "The date it was answered must be today or in the past"
            elif self.received_on and self.responded_on < self.received_on:
                errors["responded_on"] = (
                    "The date it was answered must be on or after the date it was received"
                )
        if errors:
            raise ValidationError(errors)


# Said where no policing body is recorded for the date.
UNRECORDED_POLICING_BODY = "the local policing body"


def policing_body_on(partnership: Partnership | int, day) -> PolicingBody | None:
    """The body in force for the partnership on `day`; None before the first."""
    pid = partnership if isinstance(partnership, int) else partnership.pk
    return (
        PolicingBody.objects.filter(partnership_id=pid, from_date__lte=day)
        .order_by("-from_date").first()
    )


def policing_bodies_of(partnership_ids) -> dict[int, list[PolicingBody]]:
    """Each partnership's bodies, earliest first, in one query (for pages and
    scans that ask about many partnerships or many dates)."""
    found: dict[int, list[PolicingBody]] = {pid: [] for pid in partnership_ids}
    for body in PolicingBody.objects.filter(partnership_id__in=list(found)).order_by(
        "partnership_id", "from_date"
    ):
        found[body.partnership_id].append(body)
    return found


def body_on(bodies: list[PolicingBody], day) -> PolicingBody | None:
    """From one partnership's bodies (earliest first), the one in force on `day`."""
    in_force = None
    for body in bodies:
        if body.from_date > day:
            break
        in_force = body
    return in_force


def policing_body_in_sentence(body: PolicingBody | None) -> str:
    return body.in_sentence if body else UNRECORDED_POLICING_BODY


class Membership(models.Model):
    """An officer's place in a partnership.

    A partnership officer runs the process; a partner officer works for one
    partner organisation and updates only what that organisation owns.
    """

    class Role(models.TextChoices):
        OFFICER = "officer", "Partnership officer"
        PARTNER = "partner", "Partner officer"
        # Everything an officer does, and sets up the partnership: its
        # details, organisations, boards and people.
        ADMINISTRATOR = "administrator", "Partnership administrator"

    # Roles that run the partnership's process.
    OFFICER_ROLES = (Role.OFFICER, Role.ADMINISTRATOR)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.partnership}"

    def clean(self) -> None:
        if (
            self.organisation_id
            and self.partnership_id
            and self.organisation.partnership_id != self.partnership_id
        ):
            raise ValidationError(
                {"organisation": "Choose one of this partnership's organisations."}
            )


class Board(models.Model):
    """A governance body of a partnership: Risk Board, Management Board, the
    Partnership itself, the Scrutiny Committee."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    purpose = models.TextField(blank=True)
    quorum = models.PositiveSmallIntegerField(
        default=default_board_quorum,
        help_text="Members (chair and members, not observers) needed for a decision.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["partnership", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="board_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:board", args=[self.partnership.slug, self.slug])


class BoardMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        SECRETARY = "secretary", "Secretary"
        MEMBER = "member", "Member"
        OBSERVER = "observer", "Observer"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_members",
        help_text="The organisation this member represents.",
    )

    class Meta:
        ordering = ["board", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="boardmembership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.board}"

    def clean(self) -> None:
        if not self.board_id:
            return
        partnership_id = self.board.partnership_id
        if self.organisation_id and self.organisation.partnership_id != partnership_id:
            raise ValidationError(
                {"organisation": "Choose one of this partnership's organisations."}
            )
        if self.user_id and not is_person_of(self.user_id, partnership_id):
            raise ValidationError(
                {"user": "Choose a person of this partnership; invite them first."}
            )

    @property
    def can_vote(self) -> bool:
        return self.role in (self.Role.CHAIR, self.Role.MEMBER)

    @property
    def can_record_decision(self) -> bool:
        return self.role in (self.Role.CHAIR, self.Role.SECRETARY)


def is_person_of(user_id: int, partnership_id: int) -> bool:
    """Someone with a role in the partnership, or already on one of its boards."""
    return (
        Membership.objects.filter(user_id=user_id, partnership_id=partnership_id).exists()
        or BoardMembership.objects.filter(
            user_id=user_id, board__partnership_id=partnership_id
        ).exists()
    )


class RoleChange(models.Model):
    """Who granted, changed or removed whose role in a partnership, and when.

    Kept when the membership itself is removed, so the history of a person
    who left stays readable.
    """

    class Action(models.TextChoices):
        GRANTED = "granted", "Role granted"
        CHANGED = "changed", "Role changed"
        REMOVED = "removed", "Role removed"
        BOARD_ADDED = "board_added", "Added to a board"
        BOARD_CHANGED = "board_changed", "Board role changed"
        BOARD_REMOVED = "board_removed", "Removed from a board"
        INVITED = "invited", "Invited"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        DEACTIVATED = "deactivated", "Deactivated"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="role_changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="role_changes",
    )
    # The e-mail of the person, kept for invitations not yet accepted and for
    # people whose account was later deleted.
    email = models.EmailField(blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    old_role = models.CharField(max_length=40, blank=True)
    new_role = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.email} ({self.partnership})"


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A one-time link that lets a person set their password and take up a
    role in a partnership. Only the SHA-256 of the token is stored."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    job_title = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.partnership}"

    def clean(self) -> None:
        if (
            self.organisation_id
            and self.partnership_id
            and self.organisation.partnership_id != self.partnership_id
        ):
            raise ValidationError(
                {"organisation": "Choose one of this partnership's organisations."}
            )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
