"""Partners propose priorities; an officer accepts, merges or declines each,
always with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from strategy import services
from strategy.models import Priority, PriorityProposal
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_partner_officer_proposes_a_priority_for_their_own_organisation(world):
    client = client_for(world.partner)
    url = reverse("strategy:proposal_create", args=[world.strategy.slug])
    page = client.get(url).content.decode()
    assert "You are proposing on behalf of" in page and 'name="organisation"' not in page
    # Even a forged organisation field is ignored: the membership decides.
    client.post(url, {"title": "Violence against women and girls", "rationale": "Rising",
                      "organisation": world.other_org.pk})
    proposal = PriorityProposal.objects.get(title="Violence against women and girls")
    assert proposal.organisation == world.objective.lead_organisation  # the partner's own
    assert proposal.proposed_by == world.partner
    assert proposal.status == PriorityProposal.Status.PROPOSED


def test_an_officer_proposes_on_behalf_of_any_partner_organisation(world):
    client = client_for(world.officer)
    url = reverse("strategy:proposal_create", args=[world.strategy.slug])
    html = client.post(url, {"title": "Modern slavery"}).content.decode()
    assert "Choose the organisation you propose it for" in html
    client.post(url, {"title": "Modern slavery", "organisation": world.other_org.pk})
    assert PriorityProposal.objects.get(title="Modern slavery").organisation == world.other_org


def test_accepting_a_proposal_creates_a_priority_and_records_the_reason(world):
    client = client_for(world.officer)
    url = reverse("strategy:proposal_decide", args=[world.strategy.slug, world.proposal.pk])
    client.post(url, {"decision": "accept", "reason": "The assessment recommends it."})
    world.proposal.refresh_from_db()
    assert world.proposal.status == PriorityProposal.Status.ACCEPTED
    assert world.proposal.priority.title == world.proposal.title
    assert world.proposal.priority.strategy == world.strategy
    assert world.proposal.decided_by == world.officer and world.proposal.decided_at
    assert world.proposal.decision_reason == "The assessment recommends it."


def test_merging_a_proposal_points_it_at_an_existing_priority(world):
    count = Priority.objects.count()
    url = reverse("strategy:proposal_decide", args=[world.strategy.slug, world.proposal.pk])
    client = client_for(world.officer)
    html = client.post(url, {"decision": "merge", "reason": "Overlaps"}).content.decode()
    assert "Choose the priority to merge the proposal into" in html
    client.post(url, {"decision": "merge", "priority": world.priority.pk, "reason": "Overlaps"})
    world.proposal.refresh_from_db()
    assert world.proposal.status == PriorityProposal.Status.MERGED
    assert world.proposal.priority == world.priority
    assert Priority.objects.count() == count


def test_declining_needs_a_reason(world):
    url = reverse("strategy:proposal_decide", args=[world.strategy.slug, world.proposal.pk])
    client = client_for(world.officer)
    html = client.post(url, {"decision": "decline", "reason": ""}).content.decode()
    assert "Enter the reason for your decision" in html
    world.proposal.refresh_from_db()
    assert world.proposal.status == PriorityProposal.Status.PROPOSED
    client.post(url, {"decision": "decline", "reason": "Led by another partnership."})
    world.proposal.refresh_from_db()
    assert world.proposal.status == PriorityProposal.Status.DECLINED
    assert world.proposal.priority is None


def test_every_decision_service_refuses_a_blank_reason(world):
    for call in (
        lambda: services.proposal_accept(proposal=world.proposal, reason=" "),
        lambda: services.proposal_merge(proposal=world.proposal, into=world.priority, reason=""),
        lambda: services.proposal_decline(proposal=world.proposal, reason=""),
    ):
        with pytest.raises(ValidationError):
            call()
    world.proposal.refresh_from_db()
    assert world.proposal.status == PriorityProposal.Status.PROPOSED


def test_a_proposal_is_decided_only_once(world):
    services.proposal_decline(proposal=world.proposal, reason="No")
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=world.proposal, reason="Changed our mind")


def test_proposals_close_once_the_strategy_leaves_drafting(world):
    services.strategy_transition(strategy=world.strategy, to_status="consultation")
    with pytest.raises(ValidationError):
        services.proposal_submit(strategy=world.strategy, organisation=world.other_org,
                                 title="Too late")
    response = client_for(world.partner).get(
        reverse("strategy:proposal_create", args=[world.strategy.slug])
    )
    assert response.status_code == 302


def test_the_proposals_page_shows_each_decision_and_its_reason(world):
    services.proposal_decline(proposal=world.proposal, reason="Covered by section 17")
    html = client_for(world.partner).get(
        reverse("strategy:proposal_list", args=[world.strategy.slug])
    ).content.decode()
    assert world.proposal.title in html and "Covered by section 17" in html
    assert "Declined" in html
