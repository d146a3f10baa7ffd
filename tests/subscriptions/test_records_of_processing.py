"""The records of processing name followers' addresses, receipts and saved
answers with their retention, counting this partnership's followers only."""

import pytest
from django.utils import timezone

from documents.processing import records_of_processing
from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def test_followers_receipts_and_saved_answers_are_recorded_with_their_retention(
    partnership, other_partnership, settings
):
    settings.SUBSCRIPTION_UNCONFIRMED_DAYS = 5
    Subscription.objects.create(kind="partnership", partnership=partnership,
                                email="a@example.org", confirmed_at=timezone.now())
    Subscription.objects.create(kind="partnership", partnership=partnership,
                                email="b@example.org")
    for email in ("c@example.org", "d@example.org"):
        Subscription.objects.create(kind="partnership", partnership=other_partnership,
                                    email=email, confirmed_at=timezone.now())
    data = records_of_processing(partnership)
    records = {r.name: r for r in data["records"]}
    followers = records["People who follow consultations by e-mail"]
    assert "1 confirmed and 1 unconfirmed" in followers.notes[0]
    assert "5 days" in followers.retention and "unsubscribes" in followers.retention
    receipts = records["Receipts and saved answers"]
    assert "never stored with the response" in receipts.retention
    names = [name for name, _value, _unit in data["settings"]]
    assert {"SUBSCRIPTION_UNCONFIRMED_DAYS", "CONSULTATION_SAVED_DAYS"} <= set(names)
