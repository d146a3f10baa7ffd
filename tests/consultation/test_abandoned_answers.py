"""Answers given but never sent (equality answers among them) do not stay in
the session table: a visitor's session ends 24 hours after their last page
and the nightly clearsessions task deletes it."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from safermk import tasks
from tests import factories
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answer_everything_as_public, url

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(seconds=settings.CONSULTATION_JOURNEY_SECONDS)


@pytest.fixture
def consultation():
    return open_consultation(opens_at=timezone.now() - dt.timedelta(days=7))


def _hours_ago(hours: float):
    now = timezone.now() - dt.timedelta(hours=hours)
    return mock.patch("django.utils.timezone.now", return_value=now)


def _session(client) -> Session | None:
    return Session.objects.filter(session_key=client.cookies["sessionid"].value).first()


def test_a_visitors_answers_live_24_hours_after_their_last_page_not_two_weeks(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    expires = _session(client).expire_date
    assert abs(expires - (timezone.now() + DAY)) < dt.timedelta(minutes=1)
    assert settings.SESSION_COOKIE_AGE > settings.CONSULTATION_JOURNEY_SECONDS


def test_the_nightly_task_deletes_an_abandoned_journey_and_keeps_a_fresh_one(consultation):
    abandoned, fresh = Client(), Client()
    with _hours_ago(25):
        answer_everything_as_public(abandoned, consultation)
    answer_everything_as_public(fresh, consultation)
    assert "postcode_district" in str(_session(abandoned).get_decoded())

    tasks.sessions_clear.delay()

    assert _session(abandoned) is None
    kept = _session(fresh).get_decoded()
    equality = kept[f"consultation-journey-{consultation.pk}"]["equality"]
    assert equality["postcode_district"] == "MK9"


def test_a_journey_23_hours_old_is_kept_and_can_still_be_sent(consultation):
    client = Client()
    with _hours_ago(23):
        answer_everything_as_public(client, consultation)
    tasks.sessions_clear.delay()
    page = client.get(url("respond_check", consultation))
    assert page.status_code == 200
    token = page.context["state"]["token"]
    sent = client.post(url("respond_check", consultation), {"token": token})
    assert sent.status_code == 302


def test_a_signed_in_persons_old_answers_are_not_used_and_their_session_age_is_unchanged(
    consultation,
):
    client = Client()
    client.force_login(factories.MembershipFactory().user)
    with _hours_ago(25):
        answer_everything_as_public(client, consultation)
    # The journey's 24-hour expiry is for visitors; a signed-in person's
    # session keeps the expiry of a staff session (the idle timeout's).
    assert _session(client).get_decoded().get("_session_expiry") != (
        settings.CONSULTATION_JOURNEY_SECONDS
    )
    page = client.get(url("respond_check", consultation))
    assert page.status_code == 302 and page["Location"] == url("respond", consultation)
