"""The serious violence strategy's pages: the log of consultees, sending the
strategy to each specified authority and recording each authority's
sign-off, and the strategy's own wording on its pages and in its PDF.
Each on the partnership's own data and refused to others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from consultation.consultees import consultee_record_create
from consultation.models import ConsulteeRecord
from milestones.models import SignOffRequest
from partnerships.models import Membership, Organisation
from strategy.models import Strategy
from strategy.services import strategy_transition
from tests import factories
from tests.conftest import client_for
from tests.serious_violence import SV, authorities_at, log_consultees, sign_off_by_each, sv_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def sv(partnership, officer):
    board = factories.BoardFactory(partnership=partnership, name="Serious Violence Board")
    authorities = authorities_at(board)
    strategy = sv_strategy(partnership)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.SIGN_OFF, by=officer)
    return strategy, board, authorities


def test_officers_keep_the_log_of_consultees(sv, officer):
    strategy, _, _ = sv
    url = reverse("consultation:consultees", args=[strategy.slug])
    client = client_for(officer)
    html = client.get(url).content.decode()
    assert "No record yet for the educational authorities, the prison authority, the youth " \
           "custody authority" in html
    response = client.post(url, {"consultee_kind": "prison"})
    html = response.content.decode()
    assert response.status_code == 200
    for message in ("Enter who was consulted", "Enter the date consulted",
                    "Choose how they were consulted",
                    "Enter the evidence that they were consulted"):
        assert message in html
    response = client.post(url, {
        "consultee_kind": "prison", "consultee": "HMP Example, governor",
        "consulted_on_0": "3", "consulted_on_1": "9", "consulted_on_2": "2026",
        "method": "letter", "evidence": "Letter ref. 12: supports the priorities.",
    })
    assert response.status_code == 302
    record = ConsulteeRecord.objects.get(strategy=strategy)
    assert (record.consultee_kind, record.consulted_on, record.recorded_by) == (
        "prison", dt.date(2026, 9, 3), officer)
    html = client.get(url).content.decode()
    assert "HMP Example, governor" in html and "Letter ref. 12" in html
    assert "No record yet for the educational authorities, the youth custody authority" in html


def test_the_log_refuses_a_consultee_the_duty_does_not_name_and_a_future_date(sv, officer):
    strategy, _, _ = sv
    url = reverse("consultation:consultees", args=[strategy.slug])
    response = client_for(officer).post(url, {
        "consultee_kind": "police", "consultee": "x",
        "consulted_on_0": "1", "consulted_on_1": "1", "consulted_on_2": "2099",
        "method": "letter", "evidence": "x",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the consultees listed" in html
    assert not ConsulteeRecord.objects.exists()


def test_only_the_partnerships_officers_see_the_log(sv, partnership, other_officer,
                                                       board_member):
    strategy, _, _ = sv
    url = reverse("consultation:consultees", args=[strategy.slug])
    partner = factories.MembershipFactory(partnership=partnership,
                                          role=Membership.Role.PARTNER).user
    assert client_for(None).get(url).status_code == 302
    assert client_for(partner).get(url).status_code == 403
    assert client_for(other_officer).get(url).status_code == 404
    assert client_for(other_officer).post(url, {}).status_code == 404


def _entry(strategy, officer, kind="prison", who="HMP Example, governor"):
    return consultee_record_create(
        strategy=strategy, consultee_kind=kind, consultee=who,
        consulted_on=dt.date(2026, 9, 3), method="letter", evidence="Letter ref. 12", by=officer,
    )


def test_an_entry_recorded_in_error_is_removed_and_the_audit_log_keeps_it(sv, officer):
    strategy, _, _ = sv
    record = _entry(strategy, officer)
    url = reverse("consultation:consultee_remove", args=[strategy.slug, record.pk])
    response = client_for(officer).post(url, follow=True)
    assert "Removed: HMP Example, governor consulted on 3 September 2026" in (
        response.content.decode())
    assert not ConsulteeRecord.objects.exists()
    added, removed = AuditEvent.objects.filter(action="consultee").order_by("pk")
    assert added.detail["change"] == "added" and removed.detail["change"] == "removed"
    assert removed.detail["evidence"] == "Letter ref. 12" and removed.actor == officer
    assert removed.partnership_id == strategy.partnership_id


def test_once_adopted_the_last_entry_for_a_consultee_stays(sv, officer):
    strategy, _, _ = sv
    first = _entry(strategy, officer)
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.PUBLISHED)
    client = client_for(officer)
    url = reverse("consultation:consultee_remove", args=[strategy.slug, first.pk])
    html = client.post(url, follow=True).content.decode()
    assert "This is the only record that the prison authority was consulted" in html
    assert ConsulteeRecord.objects.filter(pk=first.pk).exists()
    # With the right entry added first, the wrong one goes.
    _entry(strategy, officer, who="HMP Example, deputy governor")
    client.post(url)
    assert list(ConsulteeRecord.objects.values_list("consultee", flat=True)) == [
        "HMP Example, deputy governor"]


def test_only_the_partnerships_officers_remove_an_entry(sv, partnership, officer, other_officer):
    strategy, _, _ = sv
    record = _entry(strategy, None)
    url = reverse("consultation:consultee_remove", args=[strategy.slug, record.pk])
    partner = factories.MembershipFactory(partnership=partnership,
                                          role=Membership.Role.PARTNER).user
    assert client_for(None).post(url).status_code == 302
    assert client_for(partner).post(url).status_code == 403
    assert client_for(other_officer).post(url).status_code == 404
    assert client_for(other_officer).get(url).status_code == 405  # POST only
    # An entry of another strategy, through this strategy's address: not found.
    other = sv_strategy(partnership, slug="another-sv-strategy")
    elsewhere = _entry(other, None)
    wrong = reverse("consultation:consultee_remove", args=[strategy.slug, elsewhere.pk])
    assert client_for(officer).post(wrong).status_code == 404
    assert ConsulteeRecord.objects.count() == 2


def test_a_community_safety_strategy_has_no_log_of_consultees(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    url = reverse("consultation:consultees", args=[strategy.slug])
    assert client_for(officer).get(url).status_code == 404


def test_the_officer_sends_it_to_each_authority_and_each_representative_signs(sv, officer):
    strategy, board, authorities = sv
    client = client_for(officer)
    url = reverse("milestones:signoff_new", args=[strategy.slug])
    page = client.get(url).content.decode()
    assert "Each specified authority, one after another" in page
    chosen = [authorities[k][0].pk for k in SV.authority_kinds]
    # The officer's own council is offered too: one of each kind is chosen.
    response = client.post(url, {"subject": "strategy", "first_board": board.pk,
                                 "signed_by": "authorities", "authorities": chosen[:-1]})
    assert "Choose one organisation of each kind" in response.content.decode()
    response = client.post(url, {"subject": "strategy", "first_board": board.pk,
                                 "signed_by": "authorities", "authorities": chosen})
    assert response.status_code == 302
    steps = list(SignOffRequest.objects.filter(strategy=strategy).order_by("step"))
    assert [s.authority.kind for s in steps] == list(SV.authority_kinds)
    first = steps[0]
    police, police_rep = authorities[Organisation.Kind.POLICE]
    fire_rep = authorities[Organisation.Kind.FIRE][1]
    page = client_for(police_rep).get(reverse("milestones:signoff", args=[first.pk]))
    html = page.content.decode()
    assert f"You represent {police.name} on this board" in html
    assert f"The sign-off of {police.name}" in html
    other = client_for(fire_rep).get(reverse("milestones:signoff", args=[first.pk]))
    assert f"the representative of {police.name} records its sign-off" in \
        other.content.decode()
    decide = reverse("milestones:signoff_decide", args=[first.pk])
    posted = {"outcome": "approved", "decided_on_0": "1", "decided_on_1": "11",
              "decided_on_2": "2026", "minute_reference": "SV/1",
              "seen_hash": first.content_hash, "conditions": ""}
    assert client_for(fire_rep).post(decide, posted).status_code == 403
    assert client_for(police_rep).post(decide, posted).status_code == 302
    first.refresh_from_db()
    assert first.decision.recorded_by == police_rep
    steps[1].refresh_from_db()
    assert steps[1].status == SignOffRequest.Status.PENDING


def test_the_form_says_which_authority_the_partnership_lacks(partnership, officer):
    board = factories.BoardFactory(partnership=partnership)
    authorities_at(board, skip=(Organisation.Kind.YOUTH_JUSTICE,))
    strategy = sv_strategy(partnership)
    response = client_for(officer).post(
        reverse("milestones:signoff_new", args=[strategy.slug]),
        {"subject": "strategy", "first_board": board.pk, "signed_by": "authorities"},
    )
    assert response.status_code == 200
    assert "The partnership has no organisation recorded as the youth offending team" in \
        response.content.decode()
    assert not SignOffRequest.objects.exists()


def test_the_strategy_page_says_what_publication_still_needs(sv, officer):
    strategy, board, authorities = sv
    html = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "Serious violence strategy" in html
    assert "There is no record that the prison authority was consulted" in html
    assert "No specified authority has been asked to sign off this strategy" in html
    log_consultees(strategy, by=officer)
    sign_off_by_each(strategy, board, authorities, by=officer)
    html = client_for(officer).get(strategy.get_absolute_url()).content.decode()
    assert "There is no record that" not in html
    assert reverse("strategy:transition_confirm", args=[strategy.slug, "adopted"]) in html


def test_published_it_reads_as_a_serious_violence_strategy_in_public_json_and_pdf(
    sv, officer, client
):
    from documents.rendering import strategy_html
    from documents.services import published_version

    strategy, board, authorities = sv
    log_consultees(strategy, by=officer)
    sign_off_by_each(strategy, board, authorities, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.PUBLISHED, by=officer)
    html = client.get(strategy.get_public_url()).content.decode()
    assert "serious violence strategy under the Serious Violence Duty" in html
    assert "How the authorities approved it" in html
    data = client.get(reverse("strategy:public_json", args=[strategy.slug])).json()
    assert data["kind"] == "serious_violence"
    assert data["kind_name"] == "Serious violence strategy"
    document = strategy_html(published_version(strategy))
    assert "Serious Violence Duty" in document
    assert "Who we consulted" in document and "The prison consultee" in document
    assert "Authority or board" in document
    assert "Crime and Disorder Act 1998 s" not in document
    for org, _rep in authorities.values():
        assert f"{org.name} (at {board.name})" in document
    approvals = client.get(reverse("milestones:approvals", args=[strategy.slug]))
    assert "Approvals by the authorities and boards" in approvals.content.decode()


def test_publishing_a_serious_violence_strategy_leaves_the_community_safety_one_in_force(
    sv, partnership, officer
):
    from tests.strategy.factories import publish

    csp = publish(factories.StrategyFactory(partnership=partnership), by=officer)
    strategy, board, authorities = sv
    log_consultees(strategy, by=officer)
    sign_off_by_each(strategy, board, authorities, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.PUBLISHED, by=officer)
    csp.refresh_from_db()
    assert csp.status == Strategy.Status.PUBLISHED
    home = client_for(None).get(reverse("partnership_home", args=[partnership.slug]))
    html = home.content.decode()
    assert csp.title in html and strategy.title in html
    assert html.count("In force") == 2
