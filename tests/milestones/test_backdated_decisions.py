"""A board's decision recorded after the meeting: dated the day the board
decided (never in the future, never before the board before it on the
route), with when and by whom it was recorded kept apart, and shown so."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone, SignOffOutcome
from milestones.services import signoff_decide, signoff_request
from tests.conftest import client_for
from tests.milestones.factories import board_with_members, review_all, strategy_with_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def route(partnership, officer):
    """A strategy sent to two boards in turn, with a sign-off milestone for
    the second board in its plan."""
    first, first_people = board_with_members(partnership, quorum=1, voters=1)
    second, second_people = board_with_members(partnership, quorum=1, voters=1)
    strategy = strategy_with_content(partnership)
    milestone = Milestone.objects.create(
        partnership=partnership, strategy=strategy, title="Management board sign-off",
        kind=Milestone.Kind.SIGN_OFF, board=second, due_date=dt.date(2023, 3, 31),
    )
    one, two = signoff_request(boards=[first, second], strategy=strategy, by=officer)
    return {"strategy": strategy, "one": one, "two": two, "milestone": milestone,
            "first": first_people, "second": second_people}


def _decide(request, people, on):
    review_all(request, people["voters"])
    return signoff_decide(request=request, by=people["secretary"],
                          outcome=SignOffOutcome.APPROVED, decided_on=on,
                          minute_reference="M/2023/1")


def test_a_decision_dated_before_the_board_before_it_is_refused(route):
    _decide(route["one"], route["first"], dt.date(2023, 3, 1))
    route["two"].refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        _decide(route["two"], route["second"], dt.date(2023, 2, 28))
    assert caught.value.message_dict["decided_on"] == [
        f"The date of the decision must be on or after 1 March 2023, when "
        f"{route['one'].board.name} decided"
    ]


def test_a_past_decision_completes_the_milestone_on_the_day_the_board_decided(route):
    _decide(route["one"], route["first"], dt.date(2023, 3, 1))
    route["two"].refresh_from_db()
    decision = _decide(route["two"], route["second"], dt.date(2023, 3, 14))
    milestone = Milestone.objects.get(pk=route["milestone"].pk)
    assert (milestone.status, milestone.completed_on) == ("done", dt.date(2023, 3, 14))
    assert decision.decided_on == dt.date(2023, 3, 14)
    assert decision.recorded_on == timezone.localdate() and decision.is_backdated


def test_a_decision_in_the_future_is_refused(route):
    with pytest.raises(ValidationError) as caught:
        _decide(route["one"], route["first"], timezone.localdate() + dt.timedelta(days=1))
    assert caught.value.message_dict["decided_on"] == [
        "The date of the decision must be today or in the past"
    ]


def test_the_decision_form_says_what_is_wrong_with_the_date_next_to_it(route):
    _decide(route["one"], route["first"], dt.date(2023, 3, 1))
    two = route["two"]
    two.refresh_from_db()
    review_all(two, route["second"]["voters"])
    response = client_for(route["second"]["secretary"]).post(
        reverse("milestones:signoff_decide", kwargs={"signoff": two.pk}),
        {"outcome": "approved", "decided_on_0": "28", "decided_on_1": "2",
         "decided_on_2": "2023", "minute_reference": "MB/1", "seen_hash": two.content_hash},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert page.count("The date of the decision must be on or after 1 March 2023") == 2
    two.refresh_from_db()
    assert two.status == "pending"


def test_pages_show_the_day_decided_and_the_day_recorded(route, client):
    _decide(route["one"], route["first"], dt.date(2023, 3, 1))
    route["two"].refresh_from_db()
    _decide(route["two"], route["second"], dt.date(2023, 3, 14))
    today = timezone.localdate()
    detail = client_for(route["second"]["chair"]).get(
        reverse("milestones:signoff", kwargs={"signoff": route["two"].pk})
    ).content.decode()
    assert "On 14 March 2023" in detail
    assert f"on {today:%-d %B %Y}." in detail
    decisions = client_for(route["second"]["chair"]).get(
        reverse("milestones:decisions")
    ).content.decode()
    assert "14 March 2023" in decisions and f"(recorded on {today:%-d %B %Y})" in decisions


def test_a_decision_recorded_the_same_day_is_not_marked_as_recorded_later(route):
    decision = _decide(route["one"], route["first"], timezone.localdate())
    assert not decision.is_backdated
    page = client_for(route["first"]["chair"]).get(reverse("milestones:decisions"))
    assert "recorded on" not in page.content.decode()


def test_another_partnerships_officer_cannot_see_the_decision(route, other_officer):
    _decide(route["one"], route["first"], dt.date(2023, 3, 1))
    url = reverse("milestones:signoff", kwargs={"signoff": route["one"].pk})
    assert client_for(other_officer).get(url).status_code == 404
