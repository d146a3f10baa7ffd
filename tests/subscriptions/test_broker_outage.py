"""With the broker really down (a Redis of the test's own, stopped), asking
to follow, a consultation opening and a response with a receipt all carry
on; nothing is sent until the sweeps run, and then each e-mail goes once."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultation import receipts
from consultation.models import ReceiptRequest, Response
from safermk.celery import app as celery_app
from subscriptions import services
from subscriptions.models import Notification, Subscription
from tests import factories
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answer_everything_as_public, check_token, url
from tests.own_redis import own_redis  # noqa: F401 - fixture

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def broker_down(own_redis, on_commit_at_once):  # noqa: F811
    """Tasks go to a broker that has stopped: every .delay() fails."""
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    own_redis.stop()
    celery_app.conf.broker_url = own_redis.url
    celery_app.conf.task_always_eager = False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def test_everything_public_carries_on_and_the_sweeps_send_each_email_once(broker_down, caplog):
    caplog.set_level(logging.WARNING)
    partnership = factories.PartnershipFactory()
    Subscription.objects.create(kind="partnership", partnership=partnership,
                                email="follower@example.org", confirmed_at=timezone.now())
    client = Client()
    followed = client.post(reverse("subscriptions:follow_partnership", args=[partnership.slug]),
                           {"email": "new@example.org"})
    assert followed.status_code == 302
    consultation = open_consultation(partnership)
    assert consultation.status == "open"
    answer_everything_as_public(client, consultation)
    sent = client.post(url("respond_check", consultation),
                       {"token": check_token(client, consultation),
                        "receipt_email": "resident@example.org"})
    assert sent.status_code == 302
    assert Response.objects.count() == 1 and ReceiptRequest.objects.count() == 1
    assert not mail.outbox and not Notification.objects.exists()
    # The broker was really asked, and refused, three times.
    assert caplog.text.count("the sweep will send it") == 3

    later = timezone.now() + dt.timedelta(minutes=10)
    assert services.subscriptions_sweep(now=later) == 2  # the confirmation and the opening
    assert receipts.receipts_sweep(now=later) == 1
    assert services.subscriptions_sweep(now=later) == 0
    assert receipts.receipts_sweep(now=later) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "follower@example.org", "new@example.org", "resident@example.org"]
    assert not ReceiptRequest.objects.exists()
