"""Lifecycle steps recorded after they happened: the day they happened is
kept apart from when (and by whom) they were recorded, checked (never in the
future, never before the step before it, never an adoption before the
boards approved) and used by milestones, pages and the public record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone
from strategy import services
from strategy.models import Strategy, StrategyTransition
from tests import factories
from tests.conftest import client_for
from tests.strategy.factories import build_thread

pytestmark = pytest.mark.django_db

S = Strategy.Status
TODAY = dt.date.today


def _drafting(partnership, officer, *, on=None):
    strategy = factories.StrategyFactory(partnership=partnership)
    services.strategy_transition(strategy=strategy, to_status=S.DRAFTING, by=officer,
                                 happened_on=on)
    return strategy


def _date(day: dt.date, prefix="happened_on") -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month),
            f"{prefix}_2": str(day.year)}


# The service --------------------------------------------------------------------


def test_a_step_recorded_today_happened_today(partnership, officer):
    strategy = _drafting(partnership, officer)
    transition = strategy.transitions.get()
    assert transition.happened_on == timezone.localdate()
    assert not transition.is_backdated


def test_a_backdated_step_keeps_the_day_it_happened_and_who_recorded_it_when(
    partnership, officer
):
    strategy = _drafting(partnership, officer, on=dt.date(2023, 1, 9))
    transition = strategy.transitions.get()
    assert transition.happened_on == dt.date(2023, 1, 9)
    assert transition.by == officer
    assert timezone.localdate(transition.at) == timezone.localdate()
    assert transition.is_backdated


def test_a_step_cannot_be_dated_in_the_future(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    with pytest.raises(ValidationError) as caught:
        services.strategy_transition(strategy=strategy, to_status=S.DRAFTING, by=officer,
                                     happened_on=TODAY() + dt.timedelta(days=1))
    assert caught.value.message_dict == {
        "happened_on": ["The date it happened must be today or in the past"]
    }
    assert not StrategyTransition.objects.filter(strategy=strategy).exists()
    assert Strategy.objects.get(pk=strategy.pk).status == S.PLANNING


def test_a_step_cannot_be_dated_before_the_step_before_it(partnership, officer):
    strategy = _drafting(partnership, officer, on=dt.date(2023, 1, 9))
    with pytest.raises(ValidationError) as caught:
        services.strategy_transition(strategy=strategy, to_status=S.CONSULTATION,
                                     by=officer, happened_on=dt.date(2023, 1, 8))
    assert caught.value.message_dict["happened_on"] == [
        "The date it happened must be on or after 9 January 2023, when the strategy "
        "moved to drafting"
    ]
    services.strategy_transition(strategy=strategy, to_status=S.CONSULTATION, by=officer,
                                 happened_on=dt.date(2023, 1, 9))
    assert Strategy.objects.get(pk=strategy.pk).status == S.CONSULTATION


def test_adoption_cannot_be_dated_before_the_board_approved_it(partnership, officer):
    strategy = _drafting(partnership, officer, on=dt.date(2023, 1, 9))
    services.strategy_transition(strategy=strategy, to_status=S.SIGN_OFF, by=officer,
                                 happened_on=dt.date(2023, 2, 1))
    decision = factories.approve_for_adoption(strategy, decided_on=dt.date(2023, 3, 14))
    with pytest.raises(ValidationError) as caught:
        services.strategy_transition(strategy=strategy, to_status=S.ADOPTED, by=officer,
                                     happened_on=dt.date(2023, 3, 13))
    assert caught.value.message_dict["happened_on"] == [
        f"The date it happened must be on or after 14 March 2023, when "
        f"{decision.request.board.name} approved it"
    ]
    adopted = services.strategy_transition(strategy=strategy, to_status=S.ADOPTED,
                                           by=officer, happened_on=dt.date(2023, 3, 14))
    assert adopted.happened_on == dt.date(2023, 3, 14)


def test_publishing_on_a_past_day_supersedes_the_old_strategy_on_that_day(
    partnership, officer
):
    old = factories.StrategyFactory(partnership=partnership)
    factories.move_through(old, (S.DRAFTING, S.SIGN_OFF, S.ADOPTED), by=officer)
    services.strategy_transition(strategy=old, to_status=S.PUBLISHED, by=officer)
    StrategyTransition.objects.filter(strategy=old).update(happened_on=dt.date(2020, 4, 1))

    new = _drafting(partnership, officer, on=dt.date(2023, 1, 9))
    services.strategy_transition(strategy=new, to_status=S.SIGN_OFF, by=officer,
                                 happened_on=dt.date(2023, 2, 1))
    factories.approve_for_adoption(new, decided_on=dt.date(2023, 3, 1))
    services.strategy_transition(strategy=new, to_status=S.ADOPTED, by=officer,
                                 happened_on=dt.date(2023, 3, 14))
    services.strategy_transition(strategy=new, to_status=S.PUBLISHED, by=officer,
                                 happened_on=dt.date(2023, 4, 3))
    superseded = old.transitions.get(to_status=S.SUPERSEDED)
    assert superseded.happened_on == dt.date(2023, 4, 3)


def test_a_milestone_completed_by_a_backdated_step_takes_the_day_it_happened(
    partnership, officer
):
    strategy = factories.StrategyFactory(partnership=partnership)
    milestone = Milestone.objects.create(
        partnership=partnership, strategy=strategy, title="Adoption",
        kind=Milestone.Kind.ADOPTION, due_date=dt.date(2023, 3, 31),
    )
    priorities = Milestone.objects.create(
        partnership=partnership, strategy=strategy, title="Priorities agreed",
        kind=Milestone.Kind.PRIORITIES, due_date=dt.date(2022, 10, 31),
    )
    services.strategy_transition(strategy=strategy, to_status=S.DRAFTING, by=officer,
                                 happened_on=dt.date(2022, 10, 20))
    services.strategy_transition(strategy=strategy, to_status=S.SIGN_OFF, by=officer,
                                 happened_on=dt.date(2023, 2, 1))
    factories.approve_for_adoption(strategy, decided_on=dt.date(2023, 3, 1))
    services.strategy_transition(strategy=strategy, to_status=S.ADOPTED, by=officer,
                                 happened_on=dt.date(2023, 3, 14))
    milestone.refresh_from_db()
    priorities.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == ("done", dt.date(2023, 3, 14))
    assert (priorities.status, priorities.completed_on) == ("done", dt.date(2022, 10, 20))
    assert milestone.completed_by == officer
    assert not milestone.is_overdue(TODAY())


# Pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status", [("officer", 200), ("board_member", 403), ("partner_officer", 403),
                    ("other_officer", 404), ("anonymous", 302)],
)
def test_who_may_open_the_record_a_step_page(request, partnership, officer, who, status):
    strategy = _drafting(partnership, officer, on=dt.date(2022, 10, 1))
    user = None if who == "anonymous" else request.getfixturevalue(who)
    url = reverse("strategy:transition_record", args=[strategy.slug])
    client = client_for(user)
    assert client.get(url).status_code == status
    response = client.post(url, {"to_status": S.CONSULTATION, **_date(dt.date(2023, 1, 9))})
    assert response.status_code == (302 if who == "officer" else status)
    assert Strategy.objects.get(pk=strategy.pk).status == (
        S.CONSULTATION if who == "officer" else S.DRAFTING
    )


def test_an_officer_records_a_step_with_the_day_it_happened(partnership, officer):
    strategy = _drafting(partnership, officer, on=dt.date(2022, 10, 20))
    url = reverse("strategy:transition_record", args=[strategy.slug])
    page = client_for(officer).get(url).content.decode()
    assert "Start consultation" in page and "Return to planning" in page
    response = client_for(officer).post(url, {
        "to_status": S.CONSULTATION, **_date(dt.date(2022, 11, 1)), "note": "From the minutes",
    })
    assert response.status_code == 302
    transition = strategy.transitions.get(to_status=S.CONSULTATION)
    assert transition.happened_on == dt.date(2022, 11, 1) and transition.by == officer
    assert transition.note == "From the minutes"

    page = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "1 Nov 2022" in page and "Recorded later" in page
    assert f"{timezone.localdate():%-d %b %Y}" in page


@pytest.mark.parametrize(
    "date, message",
    [
        ({"happened_on_0": "", "happened_on_1": "", "happened_on_2": ""},
         "Enter the date it happened"),
        ({"happened_on_0": "31", "happened_on_1": "2", "happened_on_2": "2023"},
         "The date it happened must be a real date"),
        ({"happened_on_0": "1", "happened_on_1": "1", "happened_on_2": "9" * 30},
         "Year must include 4 numbers"),
        ({"happened_on_0": "x\x00", "happened_on_1": "<script>", "happened_on_2": "2023"},
         "The date it happened must be a real date"),
        ({"happened_on_0": "1", "happened_on_1": "10", "happened_on_2": "2022"},
         "The date it happened must be on or after 20 October 2022, when the strategy "
         "moved to drafting"),
        (_date(dt.date.today() + dt.timedelta(days=3)),
         "The date it happened must be today or in the past"),
    ],
)
def test_a_wrong_date_is_shown_next_to_the_field(partnership, officer, date, message):
    strategy = _drafting(partnership, officer, on=dt.date(2022, 10, 20))
    url = reverse("strategy:transition_record", args=[strategy.slug])
    response = client_for(officer).post(url, {"to_status": S.CONSULTATION, **date})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "<title>Error:" in page
    # In the summary at the top and next to the field.
    assert page.count(message) == 2 and "govuk-error-message" in page
    assert Strategy.objects.get(pk=strategy.pk).status == S.DRAFTING


def test_a_step_not_open_to_the_strategy_is_refused_on_the_record_page(partnership, officer):
    strategy = _drafting(partnership, officer)
    url = reverse("strategy:transition_record", args=[strategy.slug])
    response = client_for(officer).post(url, {"to_status": S.PUBLISHED,
                                              **_date(dt.date(2023, 1, 9))})
    assert response.status_code == 200
    assert "Choose one of the steps listed" in response.content.decode()
    assert Strategy.objects.get(pk=strategy.pk).status == S.DRAFTING


def test_adoption_confirmed_with_a_past_date_is_recorded_on_that_date(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    build_thread(strategy, priorities=1, objectives=1, measures=1, measurements=0)
    services.strategy_transition(strategy=strategy, to_status=S.DRAFTING, by=officer,
                                 happened_on=dt.date(2022, 10, 1))
    services.strategy_transition(strategy=strategy, to_status=S.SIGN_OFF, by=officer,
                                 happened_on=dt.date(2023, 2, 1))
    factories.approve_for_adoption(strategy, decided_on=dt.date(2023, 3, 1))
    url = reverse("strategy:transition_confirm", args=[strategy.slug, S.ADOPTED])
    client = client_for(officer)

    too_early = client.post(url, _date(dt.date(2023, 2, 28)))
    page = too_early.content.decode()
    assert too_early.status_code == 200 and "There is a problem" in page
    assert "must be on or after 1 March 2023" in page
    assert Strategy.objects.get(pk=strategy.pk).status == S.SIGN_OFF

    response = client.post(url, {**_date(dt.date(2023, 3, 14)), "note": "MB/2023/03/4"})
    assert response.status_code == 302
    adopted = strategy.transitions.get(to_status=S.ADOPTED)
    assert adopted.happened_on == dt.date(2023, 3, 14) and adopted.is_backdated


def test_adoption_confirmed_without_a_date_happened_today(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    factories.move_through(strategy, (S.DRAFTING, S.SIGN_OFF), by=officer)
    factories.approve_for_adoption(strategy)
    url = reverse("strategy:transition_confirm", args=[strategy.slug, S.ADOPTED])
    assert client_for(officer).post(url, {"note": ""}).status_code == 302
    adopted = strategy.transitions.get(to_status=S.ADOPTED)
    assert adopted.happened_on == timezone.localdate() and not adopted.is_backdated


def test_the_public_page_gives_the_day_it_was_published_not_the_day_it_was_recorded(
    client, partnership, officer
):
    strategy = factories.StrategyFactory(partnership=partnership, title="Safer Town 2023-26")
    build_thread(strategy, priorities=1, objectives=1, measures=1, measurements=0)
    services.strategy_transition(strategy=strategy, to_status=S.DRAFTING, by=officer,
                                 happened_on=dt.date(2022, 10, 1))
    services.strategy_transition(strategy=strategy, to_status=S.SIGN_OFF, by=officer,
                                 happened_on=dt.date(2023, 2, 1))
    factories.approve_for_adoption(strategy, decided_on=dt.date(2023, 3, 1))
    services.strategy_transition(strategy=strategy, to_status=S.ADOPTED, by=officer,
                                 happened_on=dt.date(2023, 3, 14))
    services.strategy_transition(strategy=strategy, to_status=S.PUBLISHED, by=officer,
                                 happened_on=dt.date(2023, 4, 3))
    detail = client.get(strategy.get_public_url()).content.decode()
    assert "Published on 3 April 2023" in detail
    listing = client.get(reverse("strategy:public_list")).content.decode()
    assert "Published 3 April 2023" in listing
    data = client.get(reverse("strategy:public_json", args=[strategy.slug])).json()
    assert data["published_on"] == "2023-04-03"
