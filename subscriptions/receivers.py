"""Receivers of consultation's signals: after the commit, the worker
records who follows the consultation and sends each of them one e-mail.
Queuing never fails the consultation's own change; with the broker down,
the sweep (subscriptions_sweep) finds the event and sends."""

from __future__ import annotations

from subscriptions.models import Notification
from subscriptions.services import enqueue


def consultation_opened(sender, *, consultation, **kwargs) -> None:
    if not consultation.is_historical:
        enqueue("event_announce", consultation.pk, Notification.Event.OPENED)


def consultation_results_published(sender, *, consultation, **kwargs) -> None:
    if not consultation.is_historical:
        enqueue("event_announce", consultation.pk, Notification.Event.RESULTS)
