"""Writes for following consultations by e-mail.

Every write is saved first; e-mails go through the worker after the
commit, and a sweep every few minutes sends what the broker never got. A
confirmation is claimed on the subscription row, and each e-mail about an
event is a Notification row unique per (subscription, consultation,
event), claimed by a conditional update before it is sent: two workers, a
retried task and the sweep together still send each e-mail once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from consultation.models import Consultation
from partnerships.models import Partnership
from subscriptions import emails, links
from subscriptions.models import Notification, Subscription

logger = logging.getLogger(__name__)

# How long an e-mail may wait for the worker before the sweep sends it.
SWEEP_GRACE = dt.timedelta(minutes=5)
# A claim older than this belongs to a worker that died before sending.
CLAIM_TIMEOUT = dt.timedelta(minutes=30)
# Asking again for a subscription not yet confirmed sends the confirmation
# again, at most this often (so the form cannot flood someone's inbox).
CONFIRMATION_RESEND_AFTER = dt.timedelta(hours=1)
# A follower of a partnership hears of consultations that open after they
# confirmed; this allows for the periodic task recording an opening a few
# minutes after the clock.
OPENED_SLACK = dt.timedelta(minutes=15)
# The sweep looks this far back for openings it may have to announce.
SWEEP_WINDOW = dt.timedelta(days=7)


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def enqueue(task_name: str, *args) -> None:
    """After the commit, never failing the caller: with the broker down,
    the sweep sends what is still unsent."""
    from subscriptions import tasks

    def send():
        try:
            getattr(tasks, task_name).delay(*args)
        except Exception:  # noqa: BLE001 - any broker failure; the sweep retries
            logger.warning("Could not queue %s%r; the sweep will send it", task_name, args,
                           exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def subscription_request(
    *, email: str, partnership: Partnership | None = None,
    consultation: Consultation | None = None, now: dt.datetime | None = None,
) -> Subscription:
    """Ask to follow a partnership's new consultations, or one
    consultation's results. Nothing but the confirmation e-mail is sent
    before the link in it is used. Asking again for what is already asked
    for (confirmed or not) makes no second row."""
    now = now or timezone.now()
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": "Enter an e-mail address like name@example.org"}
        ) from exc
    if (partnership is None) == (consultation is None):
        raise ValueError("Follow a partnership or a consultation")
    if consultation is not None:
        kind, partnership = Subscription.Kind.RESULTS, consultation.partnership
        lookup = {"kind": kind, "consultation": consultation, "email": email}
    else:
        kind = Subscription.Kind.PARTNERSHIP
        lookup = {"kind": kind, "partnership": partnership, "email": email}
    existing = Subscription.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        subscription = Subscription(**{"partnership": partnership, **lookup})
        subscription.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:
            # The same address asked at the same moment: the other request's
            # row stands, and its confirmation is the one sent.
            return Subscription.objects.get(**lookup)
        enqueue("subscription_send_confirmation", subscription.pk)
        return subscription
    if existing.confirmed_at is None and (
        existing.confirmation_sent_at is not None
        and existing.confirmation_sent_at < now - CONFIRMATION_RESEND_AFTER
    ):
        Subscription.objects.filter(pk=existing.pk).update(confirmation_sent_at=None)
        enqueue("subscription_send_confirmation", existing.pk)
    return existing


def subscription_send_confirmation(*, subscription_id: int) -> bool:
    """Send the confirmation e-mail once: the row is claimed first."""
    claimed = Subscription.objects.filter(
        pk=subscription_id, confirmed_at__isnull=True, confirmation_sent_at__isnull=True
    ).update(confirmation_sent_at=timezone.now())
    if not claimed:
        return False
    subscription = Subscription.objects.select_related("partnership", "consultation").get(
        pk=subscription_id
    )
    emails.send_confirmation(subscription)
    return True


@dataclass(frozen=True)
class Outcome:
    """What a signed link did: `result` is one of "confirmed",
    "already_confirmed", "unsubscribed", "gone", "expired" or "invalid"."""

    result: str
    subscription: Subscription | None = None

    @property
    def changed(self) -> bool:
        return self.result in ("confirmed", "unsubscribed")


def _from_link(token: str, purpose: str, *, max_age: int | None = None):
    unsigned = links.read(token, purpose, max_age=max_age)
    if unsigned.problem:
        return Outcome(unsigned.problem), None
    subscription = (
        Subscription.objects.select_for_update()
        .filter(pk=unsigned.subscription_id, key=unsigned.key).first()
    )
    if subscription is None:
        return Outcome("gone"), None
    return None, subscription


def subscription_check(*, token: str, purpose: str) -> Outcome:
    """What a link would do, without doing it (for the page that asks to
    confirm or unsubscribe with a button)."""
    max_age = links.confirm_max_age() if purpose == links.CONFIRM else None
    with transaction.atomic():
        outcome, subscription = _from_link(token, purpose, max_age=max_age)
    if outcome:
        return outcome
    if purpose == links.CONFIRM and subscription.is_confirmed:
        return Outcome("already_confirmed", subscription)
    return Outcome("valid", subscription)


@transaction.atomic
def subscription_confirm(*, token: str, now: dt.datetime | None = None) -> Outcome:
    """Confirm with the link from the confirmation e-mail. A link used
    again, expired, for a deleted subscription or tampered with changes
    nothing and says which."""
    now = now or timezone.now()
    outcome, subscription = _from_link(token, links.CONFIRM, max_age=links.confirm_max_age())
    if outcome:
        return outcome
    if subscription.is_confirmed:
        return Outcome("already_confirmed", subscription)
    subscription.confirmed_at = now
    subscription.save(update_fields=["confirmed_at"])
    if subscription.kind == Subscription.Kind.RESULTS and (
        subscription.consultation.results_published
    ):
        # Confirmed after the results came out: they are sent now.
        enqueue("event_announce", subscription.consultation_id, Notification.Event.RESULTS)
    return Outcome("confirmed", subscription)


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Outcome:
    """Unsubscribe with the link from any of its e-mails: the address is
    deleted at once, with every record of what was sent to it."""
    outcome, subscription = _from_link(token, links.UNSUBSCRIBE)
    if outcome:
        return outcome
    subscription.delete()
    return Outcome("unsubscribed", subscription)


# Events ----------------------------------------------------------------------


def _followers(consultation: Consultation, event: str):
    confirmed = Subscription.objects.confirmed()
    if event == Notification.Event.RESULTS:
        return confirmed.filter(kind=Subscription.Kind.RESULTS, consultation=consultation)
    opened = consultation.opened_at or consultation.opens_at
    return confirmed.filter(
        kind=Subscription.Kind.PARTNERSHIP, partnership_id=consultation.partnership_id,
        confirmed_at__lte=opened + OPENED_SLACK,
    )


def _announceable(consultation: Consultation, event: str) -> bool:
    if consultation.is_historical:
        return False
    if event == Notification.Event.RESULTS:
        return consultation.results_published
    return consultation.opened_at is not None


def notifications_create(*, consultation_id: int, event: str) -> list[int]:
    """One Notification per follower of this event (a second call, or a
    second worker at the same moment, makes none more); returns the ids
    not yet sent."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None or not _announceable(consultation, event):
        return []
    ids = list(_followers(consultation, event).values_list("pk", flat=True))
    Notification.objects.bulk_create(
        [Notification(subscription_id=pk, consultation=consultation, event=event) for pk in ids],
        ignore_conflicts=True,
    )
    return list(
        Notification.objects.unsent()
        .filter(consultation=consultation, event=event, claimed_at__isnull=True)
        .values_list("pk", flat=True)
    )


def event_announce(*, consultation_id: int, event: str) -> int:
    """Record who is to hear of the event, and queue each e-mail."""
    ids = notifications_create(consultation_id=consultation_id, event=event)
    for pk in ids:
        _send_later(pk)
    return len(ids)


def _send_later(notification_id: int) -> None:
    from subscriptions import tasks

    try:
        tasks.notification_send.delay(notification_id)
    except Exception:  # noqa: BLE001 - the sweep sends it
        logger.warning("Could not queue notification %s; the sweep will send it",
                       notification_id, exc_info=True)


def notification_send(*, notification_id: int, now: dt.datetime | None = None) -> bool:
    """Send one e-mail about an event, once: claimed first by a conditional
    update, so of two workers only one sends; marked sent after."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(pk=notification_id).claimable(
        stale_before=now - CLAIM_TIMEOUT
    ).update(claimed_at=now)
    if not claimed:
        return False
    notification = (
        Notification.objects.select_related(
            "subscription__partnership", "consultation__partnership"
        ).filter(pk=notification_id).first()
    )
    if notification is None:  # unsubscribed in between
        return False
    consultation = notification.consultation
    if notification.event == Notification.Event.RESULTS:
        themes = list(consultation.themes.order_by("order", "name"))
        emails.send_results(notification.subscription, consultation, themes)
    else:
        emails.send_opened(notification.subscription, consultation)
    Notification.objects.filter(pk=notification_id).update(sent_at=timezone.now())
    return True


def subscriptions_sweep(*, now: dt.datetime | None = None) -> int:
    """What the broker missed: confirmations not sent, events whose
    followers were never recorded, and e-mails recorded but not sent (or
    claimed by a worker that died). Returns how many e-mails went."""
    now = now or timezone.now()
    before = now - SWEEP_GRACE
    sent = 0
    for pk in Subscription.objects.confirmation_not_sent_before(before).values_list(
        "pk", flat=True
    ):
        sent += subscription_send_confirmation(subscription_id=pk)
    opened = Consultation.objects.filter(
        is_historical=False, opened_at__gte=now - SWEEP_WINDOW, opened_at__lt=before,
    ).values_list("pk", flat=True)
    for pk in opened:
        notifications_create(consultation_id=pk, event=Notification.Event.OPENED)
    with_results = (
        Subscription.objects.confirmed()
        .filter(kind=Subscription.Kind.RESULTS, consultation__status=Consultation.Status.FEEDBACK,
                consultation__feedback_published_at__lt=before)
        .exclude(notifications__event=Notification.Event.RESULTS)
        .values_list("consultation_id", flat=True).distinct()
    )
    for pk in with_results:
        notifications_create(consultation_id=pk, event=Notification.Event.RESULTS)
    waiting = Notification.objects.claimable(stale_before=now - CLAIM_TIMEOUT).filter(
        Q(created_at__lt=before)
    ).values_list("pk", flat=True)
    for pk in list(waiting):
        sent += notification_send(notification_id=pk, now=now)
    return sent


@transaction.atomic
def subscriptions_apply_retention(*, now: dt.datetime | None = None) -> int:
    """Delete addresses never confirmed SUBSCRIPTION_UNCONFIRMED_DAYS after
    they were given, and those that followed one consultation's results
    SUBSCRIPTION_RESULTS_KEPT_DAYS after the results e-mail went (nothing
    more is sent to them). Unsubscribing deletes at once."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.SUBSCRIPTION_UNCONFIRMED_DAYS)
    _, unconfirmed = Subscription.objects.unconfirmed_before(before).delete()
    done = Subscription.objects.results_sent_before(
        now - dt.timedelta(days=settings.SUBSCRIPTION_RESULTS_KEPT_DAYS)
    )
    ids = list(done.values_list("pk", flat=True))
    _, fulfilled = Subscription.objects.filter(pk__in=ids).delete()
    label = Subscription._meta.label
    return unconfirmed.get(label, 0) + fulfilled.get(label, 0)
