"""The demo lives in the present: loaded on any day, its current cycle reads
as a partnership on top of its duties would on that day, and its history
keeps the dates and people of the reports.

The demo is loaded twice in all (it costs seconds): on 30 November 2026 and
again a year later, on the same database, as a re-run would."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultation.models import Consultation
from documents.models import RenderedDocument
from milestones.models import Milestone, SignOffRequest
from partnerships.models import Partnership
from safermk.democlock import at, moment
from strategy.demo import LATE_MEASURE
from strategy.models import (
    Measurement,
    PriorityProposal,
    Strategy,
    StrategyTransition,
    StrategyVersion,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200, response
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _user(username):
    return get_user_model().objects.get(username=username)


def _check_the_present(today: dt.date) -> None:
    partnership = Partnership.objects.get(slug="safermk")
    current = Strategy.objects.get(partnership=partnership, status="published",
                                   duty="community_safety")
    refresh = Strategy.objects.get(partnership=partnership, kind="refresh")
    assert current.period_start <= today <= current.period_end
    assert refresh.parent == current and refresh.period_start > today
    assert set(
        Strategy.objects.filter(partnership=partnership, duty="community_safety").exclude(
            pk__in=[current.pk, refresh.pk]
        ).values_list("status", flat=True)
    ) == {"superseded"}
    # The serious violence strategy sits beside it, in force on the day too.
    violence = Strategy.objects.get(partnership=partnership, duty="serious_violence")
    assert violence.status == "published"
    assert violence.period_start <= today <= violence.period_end
    with at(moment(today, 10)):
        # Signed in on that day, so the sessions are that day's.
        officer, chair = client_for(_user("officer")), client_for(_user("chair"))
        # Statutory duties: all up to date but the annual consultation, due
        # soon while one is open.
        compliance = _text(officer.get(reverse("reminders:compliance", args=["safermk"])))
        assert "Overdue" not in compliance and "Not recorded" not in compliance
        # Seven up to date: six duties of the community safety strategy and
        # the serious violence strategy's annual review.
        assert compliance.count("Due soon") == 1 and compliance.count("Up to date") == 7

        # The plan: steps before today done, the consultation in progress,
        # steps to come planned, nothing late.
        plan = officer.get(reverse("milestones:plan", args=[refresh.slug])).content.decode()
        assert "govuk-tag--red" not in plan
        assert f"Today is {today:%-d %B %Y}" in plan
        for milestone in Milestone.objects.filter(strategy=refresh):
            if milestone.kind == "consultation":
                assert milestone.status == "in_progress"
                assert milestone.starts_on == today - dt.timedelta(weeks=8)
                assert milestone.due_date == today + dt.timedelta(weeks=4)
            elif milestone.due_date < today:
                assert milestone.status == "done", milestone.title
            else:
                assert milestone.status == "planned", milestone.title

        # The officer's dashboard: the one late item is the measure the demo
        # leaves a quarter behind; no notice says anything is late.
        dashboard = officer.get(reverse("dashboard:home")).content.decode()
        awaiting = dashboard.split("Measures awaiting an update", 1)[1].split("</ul>", 1)[0]
        assert awaiting.count("<li>") == 1 and LATE_MEASURE in awaiting
        notices = _text(officer.get(reverse("dashboard:home"))).split("Notices", 1)[1]
        assert "late" not in notices.split("Statutory duties", 1)[0].lower()
        assert "Milestone due in 7 days" in notices

        # The chair: the draft refresh before the board, its meeting next week.
        pending = SignOffRequest.objects.pending().get(partnership=partnership)
        assert pending.strategy == refresh and pending.board.slug == "management-board"
        assert pending.meeting_date == today + dt.timedelta(days=7)
        assert pending.reviews.count() == 3
        assert pending.previous_step.reviews.filter(reviewer__username="riskboard").exists()
        chair_page = _text(chair.get(reverse("dashboard:home")))
        assert "Before your boards" in chair_page and refresh.title in chair_page

        # The public: the consultation open, closing in four weeks, a click
        # from its start page.
        [consultation] = Consultation.objects.open_at(timezone.now())
        assert consultation.strategy == refresh
        closes = timezone.localdate(consultation.closes_at)
        assert closes == today + dt.timedelta(weeks=4)
        home = client_for(None).get(reverse("home")).content.decode()
        assert reverse("consultation:respond", args=[consultation.slug]) in home
        assert f"Open until {closes:%-d %B %Y}" in home
        public_list = _text(client_for(None).get(reverse("strategy:public_list")))
        assert f"{current.title} In force" in public_list

    # Nothing in the current cycle happened after today.
    assert not StrategyVersion.objects.filter(created_at__gt=moment(today, 8)).exists()
    assert not StrategyTransition.objects.filter(at__gt=moment(today, 8)).exists()
    assert not Measurement.objects.filter(entered_at__gt=moment(today, 8)).exists()
    assert not Measurement.objects.filter(period_end__gte=today).exists()


def _check_the_history() -> None:
    """Versions, transitions, history rows, measurements and proposals carry
    their own dates, in order, and the people who made them."""
    for strategy in Strategy.objects.filter(partnership__slug="safermk"):
        created = list(strategy.versions.order_by("number").values_list("created_at", flat=True))
        assert created == sorted(created), strategy.slug
        moves = list(strategy.transitions.order_by("pk").values_list("at", flat=True))
        assert moves == sorted(moves), strategy.slug
        history = strategy.history.order_by("history_date")
        assert history.first().history_type == "+"
        assert history.exclude(history_user=None).exists()
    strategy_2018 = Strategy.objects.get(slug="safermk-strategy-2018-2021")
    first = strategy_2018.versions.get(number=1)
    assert first.created_at.date() == dt.date(2017, 12, 4)
    assert first.created_by.username == "officer"
    published = strategy_2018.transitions.get(to_status="published")
    superseded = strategy_2018.transitions.get(to_status="superseded")
    assert published.at.date() == dt.date(2018, 4, 3)
    assert superseded.at.date() == dt.date(2022, 4, 4)
    assert {h.history_date.year for h in strategy_2018.history.all()} <= {2017, 2018, 2022}
    assert all(
        m.period_end < m.entered_at.date() for m in Measurement.objects.filter(
            measure__objective__priority__strategy=strategy_2018)
    )
    for proposal in PriorityProposal.objects.filter(strategy__slug="safermk-strategy-2022"):
        assert proposal.created_at.date() == dt.date(2021, 9, 1)
        if proposal.decided_at:
            assert proposal.decided_at.date() == dt.date(2021, 9, 23)
            assert proposal.decided_by.username == "officer"
    assert SignOffRequest.objects.get(
        strategy__slug="safermk-strategy-2022", board__slug="management-board"
    ).decision.recorded_at.date() == dt.date(2022, 2, 24)
    # The superseded strategy's PDF is as at the day it was superseded.
    document = RenderedDocument.objects.get(version__strategy=strategy_2018)
    assert document.is_ready and document.finished_at.date() == dt.date(2022, 4, 4)


def test_the_demo_loaded_a_year_apart_shows_the_present_each_time_and_keeps_its_history():
    call_command("load_demo", "--today", "2026-11-30", "--quiet-users")
    _check_the_present(dt.date(2026, 11, 30))
    _check_the_history()
    first_2022 = Strategy.objects.get(slug="safermk-strategy-2022").transitions.count()

    call_command("load_demo", "--today", "2027-11-30", "--quiet-users")
    _check_the_present(dt.date(2027, 11, 30))
    _check_the_history()
    # The current cycle was rebuilt, not added to: the same four community
    # safety strategies and the serious violence one,
    # the 2022/25 strategy superseded once.
    strategies = Strategy.objects.filter(partnership__slug="safermk")
    assert strategies.filter(duty="community_safety").count() == 4
    assert strategies.filter(duty="serious_violence").count() == 1
    strategy_2022 = Strategy.objects.get(slug="safermk-strategy-2022")
    assert strategy_2022.transitions.count() == first_2022
    [superseded] = strategy_2022.history.filter(status="superseded")
    assert timezone.localdate(superseded.history_date) == dt.date(2026, 4, 2)
    assert Consultation.objects.filter(partnership__slug="safermk").count() == 2


def test_load_demo_refuses_a_date_that_is_not_one(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-11-30"):
        call_command("load_demo", "--today", "30/11/2026")
