"""A consultation is drafted, scheduled on a frozen version of the draft,
opens and closes by the clock, and publishes "you said, we did"."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from consultation import services, tasks
from consultation.models import Consultation
from strategy.models import StrategyVersion
from strategy.services import strategy_transition
from tests import factories
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db


def _draft(opens_at, closes_at=None, **kwargs):
    strategy = factories.StrategyFactory()
    factories.PriorityFactory(strategy=strategy)
    return services.consultation_create(
        strategy=strategy, title="Draft", slug=f"draft-{strategy.pk}", summary="S",
        opens_at=opens_at, closes_at=closes_at, **kwargs,
    )


def test_a_new_consultation_runs_for_12_weeks_by_default():
    opens = timezone.now() + dt.timedelta(days=1)
    consultation = _draft(opens)
    assert consultation.closes_at - consultation.opens_at == dt.timedelta(weeks=12)
    assert services.duration_warning(opens_at=consultation.opens_at,
                                     closes_at=consultation.closes_at) == ""


def test_a_period_shorter_than_12_weeks_gets_a_warning():
    opens = timezone.now()
    warning = services.duration_warning(opens_at=opens, closes_at=opens + dt.timedelta(weeks=6))
    assert "6 weeks" in warning and "12 weeks" in warning


def test_closing_before_opening_is_refused():
    opens = timezone.now()
    with pytest.raises(ValidationError):
        _draft(opens, opens - dt.timedelta(days=1))


def test_scheduling_freezes_a_consultation_version_of_the_draft():
    consultation = _draft(timezone.now() + dt.timedelta(days=2))
    services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.SCHEDULED
    assert consultation.version.reason == StrategyVersion.Reason.CONSULTATION
    assert consultation.version.content["priorities"][0]["title"]


def test_a_draft_changed_after_scheduling_is_frozen_again_when_the_consultation_opens():
    consultation = _draft(timezone.now() + dt.timedelta(hours=1))
    services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    scheduled_version = consultation.version
    priority = consultation.strategy.priorities.get()
    priority.title = "Reworded before opening"
    priority.save()
    services.consultations_advance_all(now=timezone.now() + dt.timedelta(hours=2))
    consultation.refresh_from_db()
    assert consultation.status == "open"
    assert consultation.version.number == scheduled_version.number + 1
    assert consultation.version.reason == StrategyVersion.Reason.CONSULTATION
    assert consultation.version.content["priorities"][0]["title"] == "Reworded before opening"


def test_an_unchanged_draft_keeps_its_scheduled_version_when_opening():
    consultation = _draft(timezone.now() + dt.timedelta(hours=1))
    services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    version = consultation.version_id
    services.consultations_advance_all(now=timezone.now() + dt.timedelta(hours=2))
    consultation.refresh_from_db()
    assert consultation.version_id == version
    assert StrategyVersion.objects.filter(strategy=consultation.strategy).count() == 1


def test_the_status_follows_the_clock_even_before_the_task_runs():
    now = timezone.now()
    consultation = _draft(now + dt.timedelta(hours=1))
    services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status_at(now) == "scheduled"
    assert consultation.status_at(now + dt.timedelta(hours=2)) == "open"
    assert consultation.status_at(consultation.closes_at) == "closed"
    assert consultation.status == "scheduled"  # stored status untouched by reading


def test_the_periodic_task_opens_and_closes_consultations_at_their_times():
    now = timezone.now()
    consultation = _draft(now - dt.timedelta(minutes=5))
    services.consultation_schedule(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == "open"  # scheduling after the time opens at once
    assert consultation.opened_at and consultation.strategy_status_at_open == "planning"

    Consultation.objects.filter(pk=consultation.pk).update(closes_at=now - dt.timedelta(seconds=1))
    assert tasks.consultations_advance.delay().get() == 1
    consultation.refresh_from_db()
    assert consultation.status == "closed" and consultation.closed_at
    assert tasks.consultations_advance() == 0


def test_a_scheduled_consultation_opens_when_the_task_runs_after_its_time():
    consultation = _draft(timezone.now() + dt.timedelta(hours=1))
    services.consultation_schedule(consultation=consultation)
    later = timezone.now() + dt.timedelta(hours=2)
    assert services.consultations_advance_all(now=later) == 1
    consultation.refresh_from_db()
    assert consultation.status == "open"


def test_feedback_needs_every_theme_answered_and_a_closed_consultation():
    consultation = open_consultation()
    theme = services.theme_create(consultation=consultation, name="Lighting")
    with pytest.raises(ValidationError, match="closed"):
        services.consultation_publish_feedback(consultation=consultation)
    services.consultation_close_now(consultation=consultation)
    with pytest.raises(ValidationError, match="Lighting"):
        services.consultation_publish_feedback(consultation=consultation)
    priority = consultation.strategy.priorities.first()
    services.theme_update(theme=theme, name="Lighting", you_said="Dark paths",
                          we_did="Added lighting", priority=priority)
    services.consultation_publish_feedback(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.FEEDBACK


def test_fairness_checks_report_each_gunning_principle():
    consultation = open_consultation()
    checks = services.fairness_checks(consultation)
    labels = [label for label, _passed, _detail in checks]
    assert labels == [
        "Consulted while the strategy was still a draft",
        "Background information and the draft published",
        "Adequate time to respond",
        "Every theme has a “we did” answer",
        "“You said, we did” published",
    ]
    passed = dict((label, ok) for label, ok, _ in checks)
    assert passed["Consulted while the strategy was still a draft"]
    assert passed["Background information and the draft published"]
    assert passed["Adequate time to respond"]
    assert not passed["Every theme has a “we did” answer"]


def test_fairness_check_fails_when_the_strategy_was_already_sent_for_sign_off():
    strategy = factories.StrategyFactory()
    factories.PriorityFactory(strategy=strategy)
    strategy_transition(strategy=strategy, to_status="drafting")
    strategy_transition(strategy=strategy, to_status="sign_off")
    consultation = services.consultation_create(
        strategy=strategy, title="Late", slug="late", summary="S",
        opens_at=timezone.now() + dt.timedelta(seconds=1),
        closes_at=timezone.now() + dt.timedelta(weeks=4),
    )
    services.consultation_schedule(consultation=consultation)
    services.consultations_advance_all(now=timezone.now() + dt.timedelta(seconds=5))
    consultation.refresh_from_db()
    checks = {label: (ok, detail) for label, ok, detail in services.fairness_checks(consultation)}
    assert checks["Consulted while the strategy was still a draft"][0] is False
    assert checks["Adequate time to respond"][0] is False


def test_the_results_page_is_published_only_after_feedback():
    consultation = open_consultation()
    address = f"/consultations/{consultation.slug}/results/"
    assert "Results not published yet" in Client().get(address).content.decode()
    theme = services.theme_create(consultation=consultation, name="Lighting")
    services.theme_update(theme=theme, name="Lighting", you_said="Dark paths",
                          we_did="Nothing yet", why_not="Another partnership leads on it")
    services.consultation_close_now(consultation=consultation)
    services.consultation_publish_feedback(consultation=consultation)
    html = Client().get(address).content.decode()
    assert "You said, we did" in html and "Dark paths" in html
    assert "Another partnership leads on it" in html


def test_you_said_we_did_gives_the_pdf_each_published_theme():
    consultation = open_consultation()
    priority = consultation.strategy.priorities.first()
    theme = services.theme_create(consultation=consultation, name="Lighting")
    services.theme_update(theme=theme, name="Lighting", you_said="Dark paths",
                          we_did="Added lighting", priority=priority)
    services.consultation_close_now(consultation=consultation)
    assert services.you_said_we_did(consultation.strategy) == []
    services.consultation_publish_feedback(consultation=consultation)
    [entry] = services.you_said_we_did(consultation.strategy)
    assert entry["title"] == consultation.title
    assert entry["themes"] == [{
        "name": "Lighting", "you_said": "Dark paths", "we_did": "Added lighting",
        "priority": priority.title, "why_not": "", "mentions": 0,
    }]


def test_the_officer_schedules_and_closes_from_the_overview(partnership, officer):
    from django.urls import reverse

    from tests.conftest import client_for

    strategy = factories.StrategyFactory(partnership=partnership)
    consultation = services.consultation_create(
        strategy=strategy, title="T", slug="t", summary="S",
        opens_at=timezone.now() - dt.timedelta(minutes=1),
    )
    client = client_for(officer)
    action = reverse("consultation:action", args=[consultation.slug])
    client.post(action, {"action": "schedule"})
    consultation.refresh_from_db()
    assert consultation.status == "open" and consultation.version_id
    client.post(action, {"action": "close"})
    consultation.refresh_from_db()
    assert consultation.status == "closed"
    page = client.post(action, {"action": "publish"}, follow=True)
    assert "Code the responses into themes" in page.content.decode()


def test_a_consultation_whose_closing_date_has_passed_cannot_be_scheduled(partnership, officer):
    """It would open and close at once with nobody able to answer; the officer
    is told to change the dates or record it as a past consultation."""
    strategy = factories.StrategyFactory(partnership=partnership)
    now = timezone.now()
    consultation = services.consultation_create(
        strategy=strategy, title="Too late", slug="too-late", summary="Summary.",
        opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=2),
    )
    with pytest.raises(ValidationError, match="The closing date has passed"):
        services.consultation_schedule(consultation=consultation, by=officer)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DRAFT and consultation.version is None
