"""The governance part of the SaferMK demo."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.evidence import consultation_summary
from milestones.models import Milestone, SignOffDecision, SignOffRequest
from milestones.services import signoff_quorum
from strategy.models import StrategicAssessment, Strategy
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_assessment_was_signed_off_by_the_risk_board(demo):
    assessment = StrategicAssessment.objects.get(partnership=demo, year=2021)
    assert assessment.status == "signed_off" and assessment.signed_off_by == "Risk Board"
    milestone = Milestone.objects.get(
        title="Risk Board sign off strategic assessment", strategy__slug="safermk-strategy-2022"
    )
    assert milestone.status == "done"


def test_both_boards_approved_the_2022_final_draft_before_it_was_adopted(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2022")
    assert strategy.status == "superseded"
    risk, confirmation = SignOffRequest.objects.filter(
        strategy=strategy, board__slug="risk-board").order_by("pk")
    management = SignOffRequest.objects.get(strategy=strategy, board__slug="management-board")
    assert risk.decision.outcome == "approved_with_conditions"
    assert confirmation.decision.outcome == "approved"
    assert management.decision.outcome == "approved"
    # The condition was met after the Risk Board decided: the Risk Board
    # confirmed, and the Management Board approved, the newer version; the
    # Risk Board's first record is unchanged.
    assert management.version.number > risk.version.number
    assert confirmation.version == management.version
    assert risk.decision.content_hash == risk.version.content_hash
    assert management.decision.content_hash == management.version.content_hash
    assert (risk.decision.decided_on < confirmation.decision.decided_on
            < management.decision.decided_on < dt.date(2022, 3, 24))
    assert management.decision.recorded_by.username == "chair"
    adopted = strategy.transitions.get(to_status="adopted").at
    assert timezone.localdate(adopted) == dt.date(2022, 3, 24)
    assert not Milestone.objects.filter(strategy=strategy).exclude(status="done").exists()


def test_the_draft_refresh_awaits_the_management_board_next_week_and_the_chair_can_decide(
    demo,
):
    pending = SignOffRequest.objects.pending().get(partnership=demo)
    refresh = pending.strategy
    assert refresh.kind == "refresh" and refresh.parent.status == "published"
    assert pending.board.slug == "management-board"
    assert pending.meeting_date == timezone.localdate() + dt.timedelta(days=7)
    assert pending.milestone.due_date == pending.meeting_date
    risk = SignOffRequest.objects.get(strategy=refresh, board__slug="risk-board")
    assert risk.decision.outcome == "approved"
    assert risk.reviews.filter(reviewer__username="riskboard").exists()
    count, quorum = signoff_quorum(request=pending)
    assert count >= quorum
    page = client_for(pending.board.memberships.get(role="chair").user).get(
        reverse("milestones:signoff", kwargs={"signoff": pending.pk})
    )
    assert "Record the decision" in page.content.decode()


def test_the_public_can_see_which_version_each_board_approved_in_2018(demo, client):
    page = client.get(reverse("milestones:approvals",
                              kwargs={"strategy": "safermk-strategy-2018-2021"}))
    html = page.content.decode()
    decisions = SignOffDecision.objects.filter(request__strategy__slug="safermk-strategy-2018-2021")
    assert decisions.count() == 2
    for decision in decisions:
        assert decision.content_hash in html
    assert html.count("govuk-tag--green") == 2  # both match the published text


def test_the_assessment_sign_off_page_shows_its_lines_of_enquiry(demo):
    request = SignOffRequest.objects.get(assessment__year=2021)
    officer = request.requested_by
    html = client_for(officer).get(
        reverse("milestones:signoff", kwargs={"signoff": request.pk})
    ).content.decode()
    assert "Violence against women and girls" in html and "Modern day slavery" in html


def test_loading_the_demo_again_adds_no_sign_offs_versions_or_milestones(demo):
    from milestones.models import SignOffReview
    from safermk.demo import load_all
    from strategy.models import StrategyVersion

    models = (Milestone, SignOffRequest, SignOffReview, SignOffDecision, StrategyVersion)
    before = {m.__name__: m.objects.count() for m in models}
    load_all()
    assert {m.__name__: m.objects.count() for m in models} == before


def test_the_pending_draft_refresh_shows_its_open_consultation(demo):
    pending = SignOffRequest.objects.pending().get(board__slug="management-board")
    summary = consultation_summary(pending.version)
    assert summary["title"].startswith("Have your say on community safety in Milton Keynes")
    assert summary["opens_at"] < timezone.now() < summary["closes_at"]
    assert summary["on_this_version"] is True and summary["published"] is False
    assert summary["responses"] > 0 and summary["status"] == "Open"
    page = client_for(pending.board.memberships.get(role="chair").user).get(
        reverse("milestones:signoff", kwargs={"signoff": pending.pk})
    ).content.decode()
    assert summary["title"] in page


def test_the_2022_final_draft_shows_the_2021_22_consultation_and_its_feedback(demo):
    approved = SignOffRequest.objects.get(
        strategy__slug="safermk-strategy-2022", board__slug="management-board"
    )
    summary = consultation_summary(approved.version)
    assert summary["title"] == "Have your say on the draft Community Safety Strategy 2022–2025"
    assert summary["opens_at"].year == 2021 and summary["closes_at"].year == 2022
    assert summary["on_this_version"] is False and summary["published"] is True
    assert summary["responses"] > 0 and summary["themes"] and summary["you_said_we_did"]
