"""Each follower's e-mail goes once on a real Celery worker and the real
Redis, even when two workers announce the same event at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from subscriptions import services
from subscriptions.models import Notification, Subscription
from tests import factories
from tests.consultation.factories import open_consultation
from tests.reminders.conftest import real_worker, wait_for  # noqa: F401 - fixture

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_two_workers_announcing_one_opening_at_once_send_each_follower_one_email(
    real_worker, monkeypatch  # noqa: F811
):
    partnership = factories.PartnershipFactory()
    emails = [f"follower{n}@example.org" for n in range(3)]
    for email in emails:
        Subscription.objects.create(kind="partnership", partnership=partnership, email=email,
                                    confirmed_at=timezone.now())
    # Opening queues one announcement on the broker after its commit.
    consultation = open_consultation(partnership)
    # Two more announcers, as two workers would be, both reading the
    # followers before either records them: the unique rows must decide.
    barrier = threading.Barrier(2, timeout=30)
    racers = set()
    original = services._followers

    def both_read_first(c, event):
        found = original(c, event)
        list(found)
        if threading.current_thread().name in racers:
            barrier.wait()
        return found

    monkeypatch.setattr(services, "_followers", both_read_first)
    results, errors = [], []

    def announce():
        try:
            results.append(services.event_announce(
                consultation_id=consultation.pk, event=Notification.Event.OPENED))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=announce, name=f"announcer-{n}") for n in range(2)]
    racers.update(t.name for t in threads)
    with real_worker("subscriptions-test"):
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        wait_for(lambda: Notification.objects.filter(sent_at__isnull=False).count() == 3,
                 timeout=60)
        # Let any duplicate sends the broker still holds run out.
        wait_for(lambda: not Notification.objects.filter(sent_at__isnull=True).exists())
    assert not errors, errors
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == emails
    assert services.subscriptions_sweep(now=timezone.now() + services.CLAIM_TIMEOUT * 2) == 0
    assert len(mail.outbox) == 3
