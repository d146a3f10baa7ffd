"""People who follow a partnership's new consultations, or one
consultation's results, by e-mail, without an account.

A subscription is asked for (confirmation_sent_at says when the e-mail
with the signed confirmation link went) and only once confirmed does
anything else reach the address. Unsubscribing deletes the row; an
unconfirmed one is deleted SUBSCRIPTION_UNCONFIRMED_DAYS after it was
asked for. Each e-mail about an event is one Notification row, unique per
(subscription, consultation, event), claimed before it is sent.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.db.models import Q

from consultation.models import Consultation
from partnerships.models import Partnership


def new_key() -> str:
    return secrets.token_urlsafe(16)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_before(self, before: dt.datetime):
        return self.filter(confirmed_at__isnull=True, created_at__lt=before)

    def results_sent_before(self, before: dt.datetime):
        return self.filter(
            kind=Subscription.Kind.RESULTS, notifications__event="results",
            notifications__sent_at__lt=before,
        )

    def confirmation_not_sent_before(self, before: dt.datetime):
        return self.filter(
            confirmed_at__isnull=True, confirmation_sent_at__isnull=True, created_at__lt=before
        )


class Subscription(models.Model):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "New consultations of a partnership"
        RESULTS = "results", "The results of one consultation"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField(max_length=254)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="subscriptions",
        help_text="The partnership followed, or whose consultation is followed.",
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True,
        related_name="subscriptions",
    )
    # Bound into every signed link, so a link names this row and no other.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "partnership"], condition=Q(kind="partnership"),
                name="subscription_one_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["email", "consultation"], condition=Q(kind="results"),
                name="subscription_one_per_consultation",
            ),
            models.CheckConstraint(
                condition=Q(kind="partnership", consultation__isnull=True)
                | Q(kind="results", consultation__isnull=False),
                name="subscription_kind_matches_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.consultation or self.partnership}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class NotificationQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def claimable(self, *, stale_before: dt.datetime):
        """Not sent, and not claimed, or claimed by a worker that died
        before sending (its claim is older than stale_before)."""
        return self.unsent().filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before))


class Notification(models.Model):
    class Event(models.TextChoices):
        OPENED = "opened", "A consultation opened"
        RESULTS = "results", "Results published"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="notifications"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(max_length=20, choices=Event.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "consultation", "event"],
                name="notification_once_per_subscription_and_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: {self.consultation_id} to {self.subscription_id}"
