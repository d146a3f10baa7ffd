"""The governance part of the SaferMK demo."""

import pytest
from django.urls import reverse

from milestones.evidence import consultation_summary
from milestones.models import Milestone, SignOffDecision, SignOffRequest
from milestones.services import signoff_quorum
from strategy.models import StrategicAssessment, Strategy
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_assessment_was_signed_off_by_the_risk_board(demo):
    assessment = StrategicAssessment.objects.get(partnership=demo, year=2021)
    assert assessment.status == "signed_off" and assessment.signed_off_by == "Risk Board"
    milestone = Milestone.objects.get(title="Risk Board sign off strategic assessment")
    assert milestone.status == "done"


def test_the_final_draft_is_pending_with_the_management_board_and_the_chair_can_decide(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2022")
    assert strategy.status == "sign_off"
    risk = SignOffRequest.objects.get(strategy=strategy, board__slug="risk-board")
    pending = SignOffRequest.objects.pending().get(strategy=strategy)
    assert pending.board.slug == "management-board"
    assert risk.decision.outcome == "approved_with_conditions"
    # The condition was met after the Risk Board decided: the Management Board
    # is asked about a newer version, and the Risk Board's record is unchanged.
    assert pending.version.number > risk.version.number
    assert risk.decision.content_hash == risk.version.content_hash != pending.content_hash
    count, quorum = signoff_quorum(request=pending)
    assert count >= quorum
    assert risk.reviews.filter(reviewer__username="riskboard").exists()
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


def test_the_pending_final_draft_shows_the_2021_22_consultation(demo):
    pending = SignOffRequest.objects.pending().get(board__slug="management-board")
    summary = consultation_summary(pending.version)
    assert summary["title"] == "Have your say on the draft Community Safety Strategy 2022–2025"
    assert summary["opens_at"].year == 2021 and summary["closes_at"].year == 2022
    assert summary["on_this_version"] is False and summary["published"] is True
    assert summary["responses"] > 0 and summary["themes"] and summary["you_said_we_did"]
    page = client_for(pending.board.memberships.get(role="chair").user).get(
        reverse("milestones:signoff", kwargs={"signoff": pending.pk})
    ).content.decode()
    assert "Have your say on the draft Community Safety Strategy 2022–2025" in page
    assert "You said, we did" in page and summary["you_said_we_did"][0]["name"] in page


def test_the_2018_strategy_was_adopted_only_after_both_boards_approved_its_text(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2018-2021")
    adopted = strategy.transitions.get(to_status="adopted")
    published = strategy.versions.filter(reason="publication").order_by("number").first()
    decisions = SignOffDecision.objects.filter(request__strategy=strategy)
    assert {d.request.board.slug for d in decisions} == {"risk-board", "management-board"}
    for decision in decisions:
        assert decision.is_approval
        assert decision.decided_on < adopted.at.date()
        assert decision.content_hash == published.content_hash
    # The seeds' dates are kept: approvals in February, adoption on 22 March 2018.
    assert adopted.at.date().isoformat() == "2018-03-22"
    assert sorted(d.decided_on.isoformat() for d in decisions) == ["2018-02-08", "2018-02-22"]


def test_the_2022_final_draft_waits_for_the_management_board_before_adoption(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2022")
    pending = SignOffRequest.objects.pending().get(strategy=strategy)
    officer = pending.requested_by
    html = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert (
        f"Waiting for a decision from {pending.board.name} on version {pending.version.number}."
        in html
    )
    assert reverse("strategy:transition_confirm", args=[strategy.slug, "adopted"]) not in html
