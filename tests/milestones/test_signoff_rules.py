"""The rules of sign-off: who may review and decide, quorum, one decision per
request, and a decision bound for ever to the hash of what was decided."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from milestones.models import (
    Milestone,
    ReviewPosition,
    SignOffDecision,
    SignOffOutcome,
    SignOffRequest,
)
from milestones.services import (
    signoff_decide,
    signoff_quorum,
    signoff_request,
    signoff_review,
    signoff_sync_version,
)
from strategy.models import StrategicAssessment, StrategyVersion
from tests import factories
from tests.milestones.factories import board_with_members, review_all, strategy_with_content

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 2, 10)


def _decide(request, by, outcome=SignOffOutcome.APPROVED, **kwargs):
    return signoff_decide(
        request=request, by=by, outcome=outcome, decided_on=DAY,
        minute_reference="RB/2022/02/4", **kwargs,
    )


@pytest.fixture
def setup(partnership, officer):
    board, people = board_with_members(partnership, quorum=2)
    strategy = strategy_with_content(partnership)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    return {"board": board, "people": people, "strategy": strategy, "request": request}


def test_a_request_freezes_the_strategy_into_a_version_and_asks_about_its_hash(setup):
    request = setup["request"]
    assert request.version.reason == StrategyVersion.Reason.SIGN_OFF
    assert request.content_hash == request.version.content_hash
    assert request.status == SignOffRequest.Status.PENDING


def test_a_decision_cannot_be_recorded_by_someone_who_is_not_on_the_board(setup, officer):
    review_all(setup["request"], setup["people"]["voters"])
    outsider = factories.BoardMembershipFactory(
        board=factories.BoardFactory(partnership=setup["board"].partnership)
    ).user
    for user in (outsider, officer):
        with pytest.raises(PermissionDenied):
            _decide(setup["request"], user)
    assert not SignOffDecision.objects.exists()


def test_an_ordinary_member_or_observer_cannot_record_the_decision(setup):
    review_all(setup["request"], setup["people"]["voters"])
    for role in ("member", "observer"):
        with pytest.raises(PermissionDenied):
            _decide(setup["request"], setup["people"][role])


def test_the_secretary_can_record_the_decision(setup):
    review_all(setup["request"], setup["people"]["voters"])
    decision = _decide(setup["request"], setup["people"]["secretary"])
    assert decision.recorded_by == setup["people"]["secretary"]


def test_observers_and_non_members_cannot_review(setup, officer):
    for user in (setup["people"]["observer"], setup["people"]["secretary"], officer):
        with pytest.raises(PermissionDenied):
            signoff_review(request=setup["request"], reviewer=user,
                           position=ReviewPosition.SUPPORT)


def test_objecting_or_supporting_with_comments_needs_a_comment(setup):
    with pytest.raises(ValidationError) as error:
        signoff_review(request=setup["request"], reviewer=setup["people"]["member"],
                       position=ReviewPosition.OBJECT)
    assert "Enter your comments" in str(error.value)


def test_a_member_who_reviews_again_changes_their_review_rather_than_adding_one(setup):
    member = setup["people"]["member"]
    signoff_review(request=setup["request"], reviewer=member, position=ReviewPosition.SUPPORT)
    signoff_review(request=setup["request"], reviewer=member, position=ReviewPosition.OBJECT,
                   comment="Target too low")
    assert setup["request"].reviews.get().position == ReviewPosition.OBJECT


def test_a_second_decision_on_the_same_request_is_refused(setup):
    review_all(setup["request"], setup["people"]["voters"])
    _decide(setup["request"], setup["people"]["chair"])
    with pytest.raises(ValidationError, match="already recorded"):
        _decide(setup["request"], setup["people"]["secretary"], SignOffOutcome.REJECTED)
    assert SignOffDecision.objects.count() == 1


def test_a_decision_row_can_never_be_changed_or_deleted(setup):
    review_all(setup["request"], setup["people"]["voters"])
    decision = _decide(setup["request"], setup["people"]["chair"])
    decision.outcome = SignOffOutcome.REJECTED
    with pytest.raises(ValidationError):
        decision.save()
    with pytest.raises(ValidationError):
        decision.delete()
    decision.refresh_from_db()
    assert decision.outcome == SignOffOutcome.APPROVED


def test_quorum_is_enforced_counting_only_the_chair_and_members(partnership, officer):
    board, people = board_with_members(partnership, quorum=3, voters=3)
    strategy = strategy_with_content(partnership)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    review_all(request, people["voters"][:2])
    assert signoff_quorum(request=request) == (2, 3)
    with pytest.raises(ValidationError, match="not quorate"):
        _decide(request, people["chair"])
    review_all(request, people["voters"][2:])
    assert signoff_quorum(request=request) == (3, 3)
    assert _decide(request, people["chair"]).supporting == 3


def test_a_former_member_review_does_not_count_towards_quorum(setup):
    review_all(setup["request"], setup["people"]["voters"][:2])
    setup["board"].memberships.filter(user=setup["people"]["member"]).delete()
    assert signoff_quorum(request=setup["request"]) == (1, 2)


def test_conditions_are_needed_for_an_approval_with_conditions(setup):
    review_all(setup["request"], setup["people"]["voters"])
    with pytest.raises(ValidationError, match="conditions"):
        _decide(setup["request"], setup["people"]["chair"],
                SignOffOutcome.APPROVED_WITH_CONDITIONS)


def test_editing_after_a_request_creates_a_new_version_and_the_approved_record_keeps_the_old_hash(
    partnership, officer
):
    risk, risk_people = board_with_members(partnership)
    management, management_people = board_with_members(partnership)
    strategy = strategy_with_content(partnership)
    first, second = signoff_request(boards=[risk, management], strategy=strategy, by=officer)
    assert second.status == SignOffRequest.Status.WAITING
    old_version, old_hash = first.version, first.content_hash

    review_all(first, risk_people["voters"])
    decision = _decide(first, risk_people["chair"])
    second.refresh_from_db()
    assert second.status == SignOffRequest.Status.PENDING
    assert second.version == old_version  # nothing changed yet

    strategy.foreword = "A new foreword after the Risk Board."
    strategy.save()
    moved = signoff_sync_version(strategy=strategy, by=officer)

    second.refresh_from_db()
    assert moved == [second]
    assert second.version.number == old_version.number + 1
    assert second.content_hash != old_hash
    assert second.version.content["strategy"]["foreword"] == "A new foreword after the Risk Board."
    decision.refresh_from_db()
    first.refresh_from_db()
    assert decision.content_hash == old_hash == first.content_hash
    assert decision.version == old_version
    assert StrategyVersion.objects.get(pk=old_version.pk).content_hash == old_hash


def test_reviews_of_an_earlier_version_do_not_count_for_the_new_one(setup, officer):
    review_all(setup["request"], setup["people"]["voters"])
    setup["strategy"].aim = "A changed aim"
    setup["strategy"].save()
    signoff_sync_version(strategy=setup["strategy"], by=officer)
    setup["request"].refresh_from_db()
    assert signoff_quorum(request=setup["request"]) == (0, 2)
    with pytest.raises(ValidationError, match="not quorate"):
        _decide(setup["request"], setup["people"]["chair"])


def test_a_decision_made_on_a_page_showing_an_old_version_is_refused(setup):
    review_all(setup["request"], setup["people"]["voters"])
    seen = setup["request"].content_hash
    setup["strategy"].aim = "Changed while the chair was reading"
    setup["strategy"].save()
    with pytest.raises(ValidationError, match="changed while you had this page open"):
        _decide(setup["request"], setup["people"]["chair"], seen_hash=seen)


def test_a_rejection_ends_the_route(partnership, officer):
    risk, people = board_with_members(partnership)
    management, _ = board_with_members(partnership)
    strategy = strategy_with_content(partnership)
    first, second = signoff_request(boards=[risk, management], strategy=strategy, by=officer)
    review_all(first, people["voters"], ReviewPosition.OBJECT)
    decision = _decide(first, people["chair"], SignOffOutcome.REJECTED)
    second.refresh_from_db()
    assert second.status == SignOffRequest.Status.CLOSED
    assert decision.objecting == 3


def test_approval_of_a_strategy_version_completes_the_matching_sign_off_milestone(
    partnership, officer
):
    board, people = board_with_members(partnership)
    strategy = strategy_with_content(partnership)
    other_board = factories.BoardFactory(partnership=partnership)
    other = factories.MilestoneFactory(partnership=partnership, strategy=strategy,
                                       board=other_board, kind="sign_off")
    discussion = factories.MilestoneFactory(partnership=partnership, strategy=strategy,
                                            board=board, kind="discussion")
    matching = factories.MilestoneFactory(partnership=partnership, strategy=strategy,
                                          board=board, kind="sign_off")
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    assert request.milestone == matching
    review_all(request, people["voters"])
    _decide(request, people["chair"])
    matching.refresh_from_db()
    assert matching.status == Milestone.Status.DONE and matching.completed_on == DAY
    assert "decision of" in matching.history.first().history_change_reason
    for untouched in (other, discussion):
        untouched.refresh_from_db()
        assert untouched.status == Milestone.Status.PLANNED


def test_a_deferral_leaves_the_milestone_open(setup):
    milestone = factories.MilestoneFactory(
        partnership=setup["board"].partnership, strategy=setup["strategy"],
        board=setup["board"], kind="sign_off",
    )
    review_all(setup["request"], setup["people"]["voters"])
    _decide(setup["request"], setup["people"]["chair"], SignOffOutcome.DEFERRED)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED


def test_approval_of_an_assessment_marks_it_signed_off_by_the_board(partnership, officer):
    board, people = board_with_members(partnership)
    assessment = StrategicAssessment.objects.create(
        partnership=partnership, year=2021, title="Strategic Assessment 2021", summary="Findings"
    )
    (request,) = signoff_request(boards=[board], assessment=assessment, by=officer)
    assert request.assessment_content["assessment"]["summary"] == "Findings"
    assert len(request.content_hash) == 64
    review_all(request, people["voters"])
    decision = _decide(request, people["chair"])
    assessment.refresh_from_db()
    assert assessment.status == StrategicAssessment.Status.SIGNED_OFF
    assert assessment.signed_off_on == DAY and assessment.signed_off_by == board.name
    assert decision.content_hash == request.content_hash and decision.version is None


def test_a_request_to_a_board_of_another_partnership_is_refused(partnership, officer):
    other_board = factories.BoardFactory()
    strategy = strategy_with_content(partnership)
    with pytest.raises(ValidationError, match="same partnership"):
        signoff_request(boards=[other_board], strategy=strategy, by=officer)


def test_a_board_cannot_be_asked_twice_while_it_has_not_decided(setup, officer):
    with pytest.raises(ValidationError, match="not yet decided"):
        signoff_request(boards=[setup["board"]], strategy=setup["strategy"], by=officer)


def test_a_decision_date_in_the_future_is_refused(setup):
    review_all(setup["request"], setup["people"]["voters"])
    with pytest.raises(ValidationError, match="today or in the past"):
        signoff_decide(request=setup["request"], by=setup["people"]["chair"],
                       outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2999, 1, 1),
                       minute_reference="X")


def test_a_past_decision_from_the_minutes_is_recorded_once_and_only_by_the_chair_or_secretary(
    partnership, officer
):
    from milestones.services import signoff_record_past

    board, people = board_with_members(partnership)
    strategy = strategy_with_content(partnership)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    version = request.version
    kwargs = {"board": board, "version": version, "outcome": SignOffOutcome.APPROVED,
              "decided_on": dt.date(2018, 2, 8), "minute_reference": "RB/2018/02/3"}
    with pytest.raises(PermissionDenied):
        signoff_record_past(by=people["member"], **kwargs)
    decision = signoff_record_past(by=people["secretary"], **kwargs)
    assert decision.content_hash == version.content_hash
    with pytest.raises(ValidationError, match="already recorded"):
        signoff_record_past(by=people["chair"], **kwargs)
