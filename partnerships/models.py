"""The tenant (a Community Safety Partnership), its partner organisations,
its boards, and who belongs to which.

Every officer and board member sees only the partnerships they belong to;
partnerships.access turns these rows into the checks every view makes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour like #1d5c63.")


class Partnership(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    area = models.CharField(max_length=200, help_text="The area the partnership covers.")
    aim = models.TextField(
        "overarching aim",
        help_text="For example: to make Milton Keynes a safe place to live, work and visit.",
    )
    pcc_plan_title = models.CharField(
        "Police and Crime Commissioner's plan", max_length=200, blank=True
    )
    pcc_plan_url = models.URLField("link to the PCC plan", blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    colour = models.CharField(max_length=7, default="#1d5c63", validators=[hex_colour])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A partner organisation: a responsible authority or another partner."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health (CCG or ICB)"
        PCC = "pcc", "Police and Crime Commissioner"
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


class Membership(models.Model):
    """An officer's place in a partnership.

    A partnership officer runs the process; a partner officer works for one
    partner organisation and updates only what that organisation owns.
    """

    class Role(models.TextChoices):
        OFFICER = "officer", "Partnership officer"
        PARTNER = "partner", "Partner officer"

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


class Board(models.Model):
    """A governance body of a partnership: Risk Board, Management Board, the
    Partnership itself, the Scrutiny Committee."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    purpose = models.TextField(blank=True)
    quorum = models.PositiveSmallIntegerField(
        default=3, help_text="Members (chair and members, not observers) needed for a decision."
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

    @property
    def can_vote(self) -> bool:
        return self.role in (self.Role.CHAIR, self.Role.MEMBER)

    @property
    def can_record_decision(self) -> bool:
        return self.role in (self.Role.CHAIR, self.Role.SECRETARY)
