"""A board's chair or secretary records, from the minutes, a decision the
board took before it was recorded here: dated the day of the meeting, with
who recorded it and when; an approval completes the board's sign-off
milestone on that day and, once every board approved, the strategy can be
adopted on a day no earlier than the last approval."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone, SignOffDecision, SignOffRequest
from milestones.services import signoff_record_from_minutes, signoff_request
from strategy import services as strategy_services
from strategy.models import Strategy
from tests.conftest import client_for
from tests.milestones.factories import board_with_members, strategy_with_content

pytestmark = pytest.mark.django_db

S = Strategy.Status


@pytest.fixture
def past(partnership, officer):
    """A strategy entered mid-cycle, at sign-off since February 2023, and the
    partnership's two boards, each with a sign-off milestone in its plan."""
    risk, risk_people = board_with_members(partnership, quorum=2)
    management, management_people = board_with_members(partnership, quorum=3)
    strategy = strategy_with_content(partnership)
    Strategy.objects.filter(pk=strategy.pk).update(status=S.PLANNING)
    strategy.refresh_from_db()
    strategy_services.strategy_transition(strategy=strategy, to_status=S.DRAFTING, by=officer,
                                          happened_on=dt.date(2022, 7, 1))
    strategy_services.strategy_transition(strategy=strategy, to_status=S.SIGN_OFF, by=officer,
                                          happened_on=dt.date(2023, 2, 1))
    milestones = {
        board.pk: Milestone.objects.create(
            partnership=partnership, strategy=strategy, title=f"{board.name} signs off",
            kind=Milestone.Kind.SIGN_OFF, board=board, due_date=dt.date(2023, 3, 31),
        )
        for board in (risk, management)
    }
    return {"strategy": strategy, "risk": risk, "management": management,
            "risk_people": risk_people, "management_people": management_people,
            "milestones": milestones}


def _record(past, which, on, **kwargs):
    people = past[f"{which}_people"]
    fields = {"outcome": "approved", "minute_reference": f"{which.upper()}/2023/3",
              "decided_on": on, "by": people["secretary"]}
    fields.update(kwargs)
    return signoff_record_from_minutes(strategy=past["strategy"], board=past[which], **fields)


def test_a_past_approval_is_recorded_with_the_meeting_date_and_completes_its_milestone(past):
    decision = _record(past, "risk", dt.date(2023, 3, 1))
    assert decision.decided_on == dt.date(2023, 3, 1)
    assert decision.recorded_by == past["risk_people"]["secretary"]
    assert decision.recorded_on == timezone.localdate() and decision.is_backdated
    assert decision.request.status == SignOffRequest.Status.DECIDED
    assert decision.content_hash == decision.version.content_hash
    milestone = Milestone.objects.get(pk=past["milestones"][past["risk"].pk].pk)
    assert (milestone.status, milestone.completed_on) == ("done", dt.date(2023, 3, 1))
    other = Milestone.objects.get(pk=past["milestones"][past["management"].pk].pk)
    assert other.status == "planned"


def test_two_boards_minutes_make_a_route_and_allow_adoption_on_the_real_day(past, officer):
    first = _record(past, "risk", dt.date(2023, 3, 1))
    second = _record(past, "management", dt.date(2023, 3, 14))
    assert second.request.previous_step == first.request
    assert second.version == first.version  # the same frozen text
    strategy = past["strategy"]
    with pytest.raises(ValidationError) as caught:
        strategy_services.strategy_transition(strategy=strategy, to_status=S.ADOPTED,
                                              by=officer, happened_on=dt.date(2023, 3, 13))
    assert "14 March 2023" in caught.value.message_dict["happened_on"][0]
    adopted = strategy_services.strategy_transition(
        strategy=strategy, to_status=S.ADOPTED, by=officer, happened_on=dt.date(2023, 3, 14)
    )
    assert adopted.happened_on == dt.date(2023, 3, 14)


def test_only_the_boards_chair_or_secretary_records_its_decision(past, officer):
    for user in (past["risk_people"]["member"], past["risk_people"]["observer"], officer,
                 past["management_people"]["secretary"]):
        with pytest.raises(PermissionDenied):
            _record(past, "risk", dt.date(2023, 3, 1), by=user)
    _record(past, "risk", dt.date(2023, 3, 1), by=past["risk_people"]["chair"])
    assert SignOffDecision.objects.count() == 1


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"on": timezone.localdate() + dt.timedelta(days=1)}, "decided_on",
         "The date of the decision must be today or in the past"),
        ({"outcome": "approved_with_conditions"}, "conditions",
         "Enter the conditions of the approval"),
        ({"outcome": "maybe"}, "outcome", "Choose the board's decision"),
        ({"minute_reference": "  "}, "minute_reference", "Enter the minute reference"),
    ],
)
def test_a_past_decision_that_does_not_add_up_is_refused(past, change, field, message):
    on = change.pop("on", dt.date(2023, 3, 1))
    with pytest.raises(ValidationError) as caught:
        _record(past, "risk", on, **change)
    assert caught.value.message_dict[field] == [message]
    assert not SignOffDecision.objects.exists()


def test_a_board_with_a_request_awaiting_its_decision_decides_there(past, officer):
    signoff_request(boards=[past["risk"]], strategy=past["strategy"], by=officer)
    with pytest.raises(ValidationError) as caught:
        _record(past, "risk", dt.date(2023, 3, 1))
    assert "awaiting its decision" in caught.value.message_dict["board"][0]


def test_an_adopted_strategy_takes_no_more_past_decisions(past, officer):
    _record(past, "risk", dt.date(2023, 3, 1))
    _record(past, "management", dt.date(2023, 3, 14))
    strategy_services.strategy_transition(strategy=past["strategy"], to_status=S.ADOPTED,
                                          by=officer, happened_on=dt.date(2023, 3, 20))
    past["strategy"].refresh_from_db()
    with pytest.raises(ValidationError, match="adopted"):
        _record(past, "risk", dt.date(2023, 3, 1), minute_reference="again")
    page = client_for(past["risk_people"]["secretary"]).get(
        reverse("milestones:signoff_record_minutes", kwargs={"strategy": past["strategy"].slug})
    ).content.decode()
    assert "decisions on it can no longer be recorded" in page and "<form" not in page.split(
        "<main")[1].split("</main>")[0].replace('<form method="post" action="/sign-out/"', "")


def _form(**overrides):
    data = {"outcome": "approved", "decided_on_0": "1", "decided_on_1": "3",
            "decided_on_2": "2023", "minute_reference": "RB/2023/3", "conditions": ""}
    data.update(overrides)
    return data


def test_the_secretary_records_it_through_the_page(past):
    secretary = past["risk_people"]["secretary"]
    url = reverse("milestones:signoff_record_minutes", kwargs={"strategy": past["strategy"].slug})
    page = client_for(secretary).get(url).content.decode()
    assert past["risk"].name in page and past["management"].name not in page
    plan = client_for(secretary).get(
        reverse("milestones:plan", kwargs={"strategy": past["strategy"].slug})
    ).content.decode()
    assert url in plan
    response = client_for(secretary).post(url, _form(board=str(past["risk"].pk)))
    decision = SignOffDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("milestones:signoff",
                                           kwargs={"signoff": decision.request_id})
    detail = client_for(secretary).get(response["Location"]).content.decode()
    assert "On 1 March 2023" in detail
    assert f"on {timezone.localdate():%-d %B %Y}." in detail


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"decided_on_0": "30", "decided_on_1": "2"},
         "The date of the decision must be a real date"),
        ({"decided_on_2": "3023"}, "Year must be between 2000 and 2100"),
        ({"decided_on_0": "\x00"}, "The date of the decision must be a real date"),
        ({"outcome": "approved_with_conditions"}, "Enter the conditions of the approval"),
        ({"outcome": "<script>"}, "Choose one of the decisions listed"),
        ({"minute_reference": "x" * 101}, "Ensure this value has at most 100 characters"),
        ({"board": "99999999999999"}, "Choose one of the boards listed"),
    ],
)
def test_the_page_says_what_to_fix_next_to_the_field(past, overrides, message):
    secretary = past["risk_people"]["secretary"]
    url = reverse("milestones:signoff_record_minutes", kwargs={"strategy": past["strategy"].slug})
    response = client_for(secretary).post(url, _form(**{"board": str(past["risk"].pk),
                                                        **overrides}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and page.count(message) == 2, message
    assert not SignOffDecision.objects.exists()


def test_another_boards_secretary_cannot_record_for_this_board_through_the_page(past):
    secretary = past["management_people"]["secretary"]
    url = reverse("milestones:signoff_record_minutes", kwargs={"strategy": past["strategy"].slug})
    response = client_for(secretary).post(url, _form(board=str(past["risk"].pk)))
    assert "Choose one of the boards listed" in response.content.decode()
    assert not SignOffDecision.objects.exists()
