"""A strategy is adopted, and published, only as every board it was sent to
approved it: checked in strategy_transition whoever calls it, shown on the
strategy page instead of the button, and confirmed on a page of its own."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import ReviewPosition, SignOffOutcome, SignOffRequest
from milestones.services import signoff_decide, signoff_request
from partnerships.models import Membership
from strategy import lifecycle, services
from strategy.models import Strategy, StrategyTransition, StrategyVersion
from tests import factories
from tests.conftest import client_for
from tests.milestones.factories import board_with_members, review_all, strategy_with_content
from tests.strategy.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

S = Strategy.Status
DAY = dt.date(2022, 2, 10)


@pytest.fixture
def strategy(partnership):
    strategy = strategy_with_content(partnership)
    services.strategy_transition(strategy=strategy, to_status=S.SIGN_OFF)
    return strategy


@pytest.fixture
def two_boards(partnership):
    risk = board_with_members(partnership, quorum=2)
    management = board_with_members(partnership, quorum=2)
    return risk, management


def _decide(request, people, outcome=SignOffOutcome.APPROVED, **extra):
    review_all(request, people["voters"])
    return signoff_decide(request=request, by=people["chair"], outcome=outcome, decided_on=DAY,
                          minute_reference="M/22/4", **extra)


def _adopt(strategy, **kwargs):
    return services.strategy_transition(strategy=strategy, to_status=S.ADOPTED, **kwargs)


def _refused(strategy, to_status=S.ADOPTED) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        services.strategy_transition(strategy=strategy, to_status=to_status)
    return refused.value.messages


def _status(strategy) -> str:
    return Strategy.objects.get(pk=strategy.pk).status


def _add_priority(strategy):
    services.priority_create(strategy=strategy, title="Added after the decision")


# The rule, in the service ---------------------------------------------------

def test_a_strategy_never_sent_for_sign_off_cannot_be_adopted_even_by_a_direct_service_call(
    strategy,
):
    reasons = _refused(strategy)
    assert reasons == [
        "No board has been asked to approve this strategy: send it for sign-off, and adopt it "
        "once every board has approved it."
    ]
    assert _status(strategy) == S.SIGN_OFF
    assert not StrategyTransition.objects.filter(strategy=strategy, to_status=S.ADOPTED).exists()


def test_adoption_is_refused_while_the_boards_decision_is_pending(strategy, two_boards, officer):
    (board, _people), _ = two_boards
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    assert _refused(strategy) == [
        f"Waiting for a decision from {board.name} on version {request.version.number}."
    ]
    assert _status(strategy) == S.SIGN_OFF


def test_adoption_is_refused_when_one_board_of_two_on_the_route_has_approved(
    strategy, two_boards, officer
):
    (risk, risk_people), (management, _) = two_boards
    first, second = signoff_request(boards=[risk, management], strategy=strategy, by=officer)
    assert _refused(strategy) == [
        f"Waiting for a decision from {risk.name} on version {first.version.number}.",
        f"{management.name} will be asked about version {second.version.number} once "
        f"{risk.name} approves it.",
    ]
    _decide(first, risk_people)
    assert _refused(strategy) == [
        f"Waiting for a decision from {management.name} on version {second.version.number}."
    ]
    assert _status(strategy) == S.SIGN_OFF


def test_a_board_asked_on_a_separate_route_must_approve_too(strategy, two_boards, officer):
    (risk, risk_people), (management, _) = two_boards
    (first,) = signoff_request(boards=[risk], strategy=strategy, by=officer)
    _decide(first, risk_people)
    signoff_request(boards=[management], strategy=strategy, by=officer)
    assert _refused(strategy)[0].startswith(f"Waiting for a decision from {management.name}")


def test_adoption_is_refused_after_a_rejection(strategy, two_boards, officer):
    (risk, risk_people), (management, _) = two_boards
    first, second = signoff_request(boards=[risk, management], strategy=strategy, by=officer)
    _decide(first, risk_people, outcome=SignOffOutcome.REJECTED)
    reasons = _refused(strategy)
    assert (
        f"{risk.name} rejected version {first.version.number} on 10 February 2022: revise the "
        "strategy and send it for sign-off again."
    ) in reasons
    # The Management Board was never reached: it has not approved either.
    second.refresh_from_db()
    assert second.status == SignOffRequest.Status.CLOSED
    assert any(r.startswith(f"{management.name} has not decided") for r in reasons)
    assert _status(strategy) == S.SIGN_OFF


def test_adoption_is_refused_after_a_deferral(strategy, two_boards, officer):
    (board, people), _ = two_boards
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    _decide(request, people, outcome=SignOffOutcome.DEFERRED)
    assert _refused(strategy) == [
        f"{board.name} deferred its decision on version {request.version.number} on "
        "10 February 2022: send the strategy for sign-off again when the board is ready to "
        "decide."
    ]


def test_an_approval_of_an_older_version_does_not_adopt_the_changed_content(
    strategy, two_boards, officer
):
    (board, people), _ = two_boards
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    decision = _decide(request, people)
    _add_priority(strategy)
    assert _refused(strategy) == [
        f"Version {decision.version.number} was approved by {board.name}, but the strategy has "
        "changed since: send the current version for sign-off."
    ]
    assert _status(strategy) == S.SIGN_OFF


def test_a_board_that_approved_the_text_before_it_changed_must_approve_it_again(
    strategy, two_boards, officer
):
    # The Risk Board's condition is met by a change, and the Management Board
    # approves the changed text: the Risk Board has not seen it.
    (risk, risk_people), (management, management_people) = two_boards
    first, second = signoff_request(boards=[risk, management], strategy=strategy, by=officer)
    old = _decide(first, risk_people, outcome=SignOffOutcome.APPROVED_WITH_CONDITIONS,
                  conditions="Say how the strategy has regard to the police and crime plan.")
    _add_priority(strategy)
    second.refresh_from_db()
    _decide(second, management_people)
    assert _refused(strategy) == [
        f"Version {old.version.number} was approved by {risk.name}, but the strategy has "
        "changed since: send the current version for sign-off."
    ]
    (again,) = signoff_request(boards=[risk], strategy=strategy, by=officer)
    _decide(again, risk_people)
    _adopt(strategy)
    assert _status(strategy) == S.ADOPTED


def test_the_boards_latest_decision_is_the_one_that_counts(strategy, two_boards, officer):
    (board, people), _ = two_boards
    (approved,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    _decide(approved, people)
    (asked_again,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    _decide(asked_again, people, outcome=SignOffOutcome.REJECTED)
    assert _refused(strategy)[0].startswith(f"{board.name} rejected version")


def test_a_strategy_every_board_approved_as_it_is_now_is_adopted(strategy, two_boards, officer):
    (risk, risk_people), (management, management_people) = two_boards
    first, second = signoff_request(boards=[risk, management], strategy=strategy, by=officer)
    _decide(first, risk_people, outcome=SignOffOutcome.APPROVED_WITH_CONDITIONS,
            conditions="Report progress to the Risk Board each quarter.")
    second.refresh_from_db()
    _decide(second, management_people)
    assert lifecycle.refusals(strategy, S.ADOPTED) == []
    transition = _adopt(strategy, by=officer, note="Adopted by the Partnership, minute P/22/3")
    assert _status(strategy) == S.ADOPTED
    assert transition.by == officer and transition.note.endswith("P/22/3")


def test_publication_without_adoption_is_refused(strategy):
    factories.approve_for_adoption(strategy)
    assert _refused(strategy, S.PUBLISHED) == [
        "A strategy cannot move from sign-off to published."
    ]
    assert not strategy.versions.filter(reason=StrategyVersion.Reason.PUBLICATION).exists()


def test_publication_is_refused_when_the_content_changed_after_adoption(strategy, partnership):
    # Adopted content is locked, but what it shows of a linked assessment is not.
    assessment = AssessmentFactory(partnership=partnership, summary="First findings.")
    strategy.assessments.add(assessment)
    decision = factories.approve_for_adoption(strategy)
    _adopt(strategy)
    services.assessment_update(assessment=assessment, summary="Revised findings.")
    reasons = _refused(strategy, S.PUBLISHED)
    assert reasons == [
        f"{decision.request.board.name} approved version {decision.version.number}, but the "
        "strategy's content has changed since: only the text the boards approved can be "
        "published."
    ]
    services.assessment_update(assessment=assessment, summary="First findings.")
    services.strategy_transition(strategy=strategy, to_status=S.PUBLISHED)
    assert _status(strategy) == S.PUBLISHED


def test_without_a_registered_guard_adoption_is_refused_not_let_through(strategy, monkeypatch):
    factories.approve_for_adoption(strategy)
    monkeypatch.setattr(lifecycle, "_GUARDS", [])
    reasons = _refused(strategy)
    assert "the governance part of the service is not installed" in reasons[0]


def test_the_milestones_app_registers_its_guard_once(monkeypatch):
    monkeypatch.setattr(lifecycle, "_GUARDS", list(lifecycle._GUARDS))
    config = apps.get_app_config("milestones")
    config.ready()
    config.ready()
    from milestones.governance import approval_refusals

    assert lifecycle._GUARDS.count(approval_refusals) == 1


def test_other_moves_are_not_held_up_by_the_boards(strategy, two_boards, officer):
    (board, _), _ = two_boards
    signoff_request(boards=[board], strategy=strategy, by=officer)
    services.strategy_transition(strategy=strategy, to_status=S.DRAFTING)
    assert _status(strategy) == S.DRAFTING


# The strategy page -----------------------------------------------------------

def _page(user, strategy) -> str:
    return client_for(user).get(strategy.get_absolute_url()).content.decode()


def _confirm_url(strategy, to_status=S.ADOPTED) -> str:
    return reverse("strategy:transition_confirm", args=[strategy.slug, to_status])


def test_the_page_says_why_adoption_is_not_offered_and_hides_the_button(
    strategy, two_boards, officer
):
    (board, _), _ = two_boards
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    html = _page(officer, strategy)
    assert "Mark as adopted</strong> is not available yet" in html
    assert f"Waiting for a decision from {board.name} on version {request.version.number}." in html
    assert _confirm_url(strategy) not in html and 'value="adopted"' not in html
    assert 'value="drafting"' in html and "Return to drafting" in html


def test_the_page_offers_adoption_once_every_board_approved(strategy, officer):
    factories.approve_for_adoption(strategy)
    html = _page(officer, strategy)
    assert f'href="{_confirm_url(strategy)}"' in html
    assert "is not available yet" not in html


def test_an_adopted_strategy_offers_publication_on_its_confirmation_page(strategy, officer):
    factories.approve_for_adoption(strategy)
    _adopt(strategy)
    assert f'href="{_confirm_url(strategy, S.PUBLISHED)}"' in _page(officer, strategy)


def test_readers_see_no_lifecycle_buttons_or_reasons(strategy, board_member):
    html = _page(board_member, strategy)
    assert "is not available yet" not in html and _confirm_url(strategy) not in html


# The confirmation page -------------------------------------------------------

def test_the_confirmation_page_says_what_adoption_does_and_post_adopts(strategy, officer):
    factories.approve_for_adoption(strategy)
    client = client_for(officer)
    page = client.get(_confirm_url(strategy))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<h1") == 1 and "Are you sure you want to adopt this strategy?" in html
    assert "can no longer change" in html and "This cannot be undone" in html
    assert ">Confirm</button>" in html and f'href="{strategy.get_absolute_url()}"' in html
    assert _status(strategy) == S.SIGN_OFF  # a GET changes nothing

    response = client.post(_confirm_url(strategy), {"note": "Minute P/22/3"})
    assert response.status_code == 302 and response["Location"] == strategy.get_absolute_url()
    assert _status(strategy) == S.ADOPTED
    last = strategy.transitions.last()
    assert (last.to_status, last.by, last.note) == (S.ADOPTED, officer, "Minute P/22/3")


def test_the_confirmation_page_of_a_refused_step_gives_the_reasons_and_no_button(
    strategy, officer
):
    html = client_for(officer).get(_confirm_url(strategy)).content.decode()
    assert "You cannot adopt this strategy yet" in html
    assert "No board has been asked to approve this strategy" in html
    assert ">Confirm</button>" not in html


def test_confirming_a_refused_step_changes_nothing_and_shows_the_error(strategy, officer):
    response = client_for(officer).post(_confirm_url(strategy), {"note": "Trying anyway"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "govuk-error-summary" in html
    assert "No board has been asked to approve this strategy" in html
    assert _status(strategy) == S.SIGN_OFF


def test_the_page_form_sends_adoption_to_its_confirmation_page(strategy, officer):
    factories.approve_for_adoption(strategy)
    response = client_for(officer).post(
        reverse("strategy:transition", args=[strategy.slug]), {"to_status": "adopted"}
    )
    assert response.status_code == 302 and response["Location"] == _confirm_url(strategy)
    assert _status(strategy) == S.SIGN_OFF


def test_publishing_is_confirmed_and_says_which_strategy_it_supersedes(
    strategy, partnership, officer
):
    from tests.strategy.factories import publish

    older = publish(factories.StrategyFactory(partnership=partnership, title="Old strategy"))
    factories.approve_for_adoption(strategy)
    _adopt(strategy)
    client = client_for(officer)
    html = client.get(_confirm_url(strategy, S.PUBLISHED)).content.decode()
    assert "Are you sure you want to publish this strategy?" in html
    assert "Old strategy is marked as superseded" in html
    assert client.post(_confirm_url(strategy, S.PUBLISHED), {}).status_code == 302
    assert _status(strategy) == S.PUBLISHED and _status(older) == S.SUPERSEDED


def test_only_adoption_and_publication_have_a_confirmation_page(strategy, officer):
    client = client_for(officer)
    for to_status in ("drafting", "superseded", "nonsense"):
        assert client.get(_confirm_url(strategy, to_status)).status_code == 404


def test_another_partnerships_officer_is_told_the_confirmation_page_does_not_exist(
    strategy, other_officer
):
    factories.approve_for_adoption(strategy)
    client = client_for(other_officer)
    assert client.get(_confirm_url(strategy)).status_code == 404
    assert client.post(_confirm_url(strategy), {}).status_code == 404
    assert _status(strategy) == S.SIGN_OFF


def test_partner_officers_and_board_members_may_not_adopt(strategy, partnership, board_member):
    factories.approve_for_adoption(strategy)
    partner = factories.MembershipFactory(partnership=partnership,
                                          role=Membership.Role.PARTNER).user
    for user in (partner, board_member):
        client = client_for(user)
        assert client.get(_confirm_url(strategy)).status_code == 403
        assert client.post(_confirm_url(strategy), {}).status_code == 403
        response = client.post(reverse("strategy:transition", args=[strategy.slug]),
                               {"to_status": "adopted"})
        assert response.status_code == 403
    assert _status(strategy) == S.SIGN_OFF


def test_anonymous_visitors_are_sent_to_sign_in(strategy, client):
    for method in ("get", "post"):
        response = getattr(client, method)(_confirm_url(strategy))
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


# Labels --------------------------------------------------------------------

def test_each_label_says_whether_the_move_goes_forward_or_back():
    for status in S.values:
        for to_status, label in lifecycle.next_steps(status):
            going_back = S.values.index(to_status) < S.values.index(status)
            assert label.startswith("Return to") == going_back, (status, to_status, label)


def test_a_planning_strategy_is_moved_on_with_start_drafting(partnership, officer):
    planning = factories.StrategyFactory(partnership=partnership)
    html = _page(officer, planning)
    assert "Start drafting" in html and "Return to drafting" not in html
    drafting = factories.StrategyFactory(partnership=partnership, status=S.DRAFTING)
    html = _page(officer, drafting)
    assert "Return to planning" in html and "Start consultation" in html


def test_a_review_is_what_a_board_member_gives_not_an_approval(strategy, two_boards, officer):
    # Every member supporting the text is not the board's decision.
    (board, people), _ = two_boards
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    review_all(request, people["voters"], position=ReviewPosition.SUPPORT)
    assert _refused(strategy)[0].startswith("Waiting for a decision from")


def test_the_strategy_page_checks_the_boards_in_a_fixed_number_of_queries(strategy, officer):
    client = client_for(officer)
    factories.approve_for_adoption(strategy)
    with CaptureQueriesContext(connection) as one_board:
        client.get(strategy.get_absolute_url())
    factories.approve_for_adoption(strategy)
    with CaptureQueriesContext(connection) as two_boards:
        assert _confirm_url(strategy) in client.get(strategy.get_absolute_url()).content.decode()
    assert len(two_boards) == len(one_board)
