"""Closing a consultation early keeps the closing date it was published with
and records when it really closed; pages, checks, milestones, retention and
reminders follow the real closing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.models import Consultation
from milestones.models import Milestone
from tests.conftest import client_for
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(partnership):
    return open_consultation(partnership)


def test_close_now_keeps_the_planned_date_and_records_the_real_one(consultation):
    planned = consultation.closes_at
    moment = timezone.now()
    services.consultation_close_now(consultation=consultation, now=moment)
    consultation.refresh_from_db()
    assert consultation.closes_at == planned
    assert consultation.closed_at == moment and consultation.ended_at == moment
    assert consultation.closed_early
    assert consultation.status == Consultation.Status.CLOSED
    assert consultation.status_at() == Consultation.Status.CLOSED
    assert not Consultation.objects.open_at(timezone.now()).filter(pk=consultation.pk).exists()
    assert Consultation.objects.closed_at(timezone.now()).filter(pk=consultation.pk).exists()
    # The clock does not move it again, nor touch the date it really closed.
    assert services.consultations_advance_all(now=planned + dt.timedelta(hours=1)) == 0
    consultation.refresh_from_db()
    assert consultation.closed_at == moment


def test_a_consultation_that_is_not_open_cannot_be_closed_now(partnership):
    consultation = open_consultation(partnership, opens_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="Only an open consultation"):
        services.consultation_close_now(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.closed_at is None and consultation.status == "scheduled"


def test_a_consultation_closed_when_planned_is_not_closed_early(consultation):
    services.consultations_advance_all(now=consultation.closes_at + dt.timedelta(minutes=1))
    consultation.refresh_from_db()
    assert consultation.status == "closed" and not consultation.closed_early
    assert consultation.ended_at == consultation.closes_at


def test_the_milestone_is_completed_on_the_day_it_really_closed(consultation):
    window = Milestone.objects.create(
        partnership=consultation.partnership, strategy=consultation.strategy,
        title="Consultation closes", kind=Milestone.Kind.CONSULTATION_CLOSE,
        due_date=timezone.localdate(consultation.closes_at),
    )
    moment = timezone.now()
    services.consultation_close_now(consultation=consultation, now=moment)
    window.refresh_from_db()
    assert (window.status, window.completed_on) == ("done", timezone.localdate(moment))


def test_the_fair_consultation_check_counts_the_weeks_it_was_really_open(consultation):
    services.consultation_close_now(consultation=consultation)
    checks = {label: (passed, detail) for label, passed, detail in
              services.fairness_checks(consultation)}
    passed, detail = checks["Adequate time to respond"]
    assert passed is False
    assert detail.startswith("Planned for 12 weeks; closed early after 0.1 weeks")


def test_data_is_deleted_counting_from_the_real_closing(consultation):
    moment = timezone.now()
    services.consultation_close_now(consultation=consultation, now=moment)
    consultation.refresh_from_db()
    after = moment + dt.timedelta(days=consultation.retention_days, minutes=1)
    assert after < consultation.closes_at + dt.timedelta(days=consultation.retention_days)
    assert services.consultations_apply_retention(now=after) == 1
    consultation.refresh_from_db()
    assert consultation.data_deleted_at is not None


def test_pages_say_it_closed_early_and_when_it_was_planned_to_close(
    client, consultation, officer
):
    planned = consultation.closes_at
    response = client_for(officer).post(
        reverse("consultation:action", args=[consultation.slug]), {"action": "close"}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    today = f"{timezone.localdate():%-d %B %Y}"
    planned_day = f"{timezone.localdate(planned):%-d %B %Y}"
    manage = client_for(officer).get(consultation.get_manage_url()).content.decode()
    assert "Closed early" in manage and f"(planned {planned_day})" in manage
    public = client.get(consultation.get_absolute_url()).content.decode()
    assert f"closed early on {today}" in public
    assert f"(planned to close on {planned_day})" in public
    listing = client.get(reverse("consultation:list")).content.decode()
    assert f"Closed early on {today} (planned {planned_day})" in listing
    respond = client.get(reverse("consultation:respond", args=[consultation.slug]))
    assert "earlier than planned" in respond.content.decode()


def test_only_the_partnerships_officers_may_close_it(
    consultation, partner_officer, board_member, other_officer, client
):
    url = reverse("consultation:action", args=[consultation.slug])
    assert client.post(url, {"action": "close"}).status_code == 302  # to sign in
    assert client_for(other_officer).post(url, {"action": "close"}).status_code == 404
    assert client_for(partner_officer).post(url, {"action": "close"}).status_code == 403
    assert client_for(board_member).post(url, {"action": "close"}).status_code == 403
    consultation.refresh_from_db()
    assert consultation.status == "open" and consultation.closed_at is None
