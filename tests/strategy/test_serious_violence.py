"""Kinds of statutory document: a serious violence strategy beside the
community safety strategy, with its own assessment, authorities that must
each sign off, required consultees and an annual review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultation.consultees import consultee_record_create, required_consultees
from milestones.models import SignOffOutcome
from milestones.services import signoff_decide, signoff_request
from partnerships.models import BoardMembership, Organisation
from reminders.duties import Status, add_years, duties_for
from reminders.models import Duty
from strategy import lifecycle
from strategy.duties import StrategyDuty
from strategy.models import StrategicAssessment, Strategy
from strategy.services import assessment_create, strategy_transition, strategy_update
from strategy.snapshot import strategy_content
from tests import factories
from tests.serious_violence import SV, authorities_at, log_consultees, sign_off_by_each, sv_strategy

pytestmark = pytest.mark.django_db

SERIOUS = StrategyDuty.SERIOUS_VIOLENCE


def test_a_strategy_is_a_community_safety_strategy_unless_told_otherwise(partnership):
    strategy = factories.StrategyFactory(partnership=partnership)
    assert strategy.duty == StrategyDuty.COMMUNITY_SAFETY
    assert strategy.profile.assessment_name == "strategic assessment"
    assert "duty" not in strategy_content(strategy)["strategy"]


def test_the_serious_violence_profile_names_what_the_duty_names():
    assert SV.assessment_name == "strategic needs assessment"
    assert SV.authority_labels == [
        "the police", "the fire and rescue authority", "the integrated care board",
        "the council", "the youth offending team", "the probation service",
    ]
    assert SV.consultee_labels == [
        "the educational authorities", "the prison authority", "the youth custody authority",
    ]
    assert SV.review_months == 12


def test_a_partnership_has_one_assessment_of_each_kind_a_year(partnership):
    assessment_create(partnership=partnership, year=2026, title="Strategic assessment 2026")
    needs = assessment_create(
        partnership=partnership, year=2026, title="Serious violence needs assessment 2026",
        duty=SERIOUS, local_definition="Homicide, knife crime and violence causing injury.",
        public_summary="Violence is concentrated in the town centre at night.",
    )
    assert needs.is_needs_assessment
    assert needs.get_absolute_url().endswith("/needs-assessments/2026/")
    with pytest.raises(ValidationError) as err:
        assessment_create(partnership=partnership, year=2026, title="Again", duty=SERIOUS)
    assert "already a strategic needs assessment for this year" in str(err.value)


def test_a_strategic_assessment_keeps_no_local_definition(partnership):
    a = assessment_create(
        partnership=partnership, year=2025, title="SA", local_definition="x", public_summary="y"
    )
    assert (a.local_definition, a.public_summary) == ("", "")


def test_a_serious_violence_strategy_rests_only_on_needs_assessments(partnership):
    strategy = sv_strategy(partnership)
    sa = assessment_create(partnership=partnership, year=2025, title="Strategic assessment")
    with pytest.raises(ValidationError) as err:
        strategy_update(strategy=strategy, assessments=[sa])
    assert "Choose only strategic needs assessments" in str(err.value)
    sna = assessment_create(partnership=partnership, year=2025, title="SNA", duty=SERIOUS)
    strategy_update(strategy=strategy, assessments=[sna])
    assert list(strategy.assessments.all()) == [sna]


def test_the_frozen_content_carries_the_public_summary_never_the_restricted_text(partnership):
    strategy = sv_strategy(partnership)
    sna = assessment_create(
        partnership=partnership, year=2025, title="SNA", duty=SERIOUS,
        summary="RESTRICTED: named locations and offenders.",
        public_summary="Violence fell by a tenth.", local_definition="Knife crime and homicide.",
    )
    strategy_update(strategy=strategy, assessments=[sna])
    content = strategy_content(strategy)["strategy"]
    assert content["duty"] == SERIOUS
    assert content["assessments"] == [{
        "year": 2025, "title": "SNA", "summary": "Violence fell by a tenth.",
        "local_definition": "Knife crime and homicide.",
    }]
    assert "RESTRICTED" not in str(content)


@pytest.fixture
def sv_world(partnership, officer):
    board = factories.BoardFactory(partnership=partnership, name="Serious Violence Board")
    authorities = authorities_at(board)
    strategy = sv_strategy(partnership)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.SIGN_OFF, by=officer)
    return strategy, board, authorities


def test_a_board_approval_alone_does_not_adopt_a_serious_violence_strategy(sv_world, officer):
    strategy, board, _ = sv_world
    log_consultees(strategy, by=officer)
    factories.approve_for_adoption(strategy, by=officer)
    reasons = lifecycle.refusals(strategy, Strategy.Status.ADOPTED)
    for label in SV.authority_labels:
        assert any(label[:1].upper() + label[1:] in r for r in reasons), label


def test_each_authority_signs_off_then_it_is_adopted_and_published(sv_world, officer):
    strategy, board, authorities = sv_world
    log_consultees(strategy, by=officer)
    requests = sign_off_by_each(strategy, board, authorities, by=officer)
    assert [r.authority.kind for r in requests] == list(SV.authority_kinds)
    assert lifecycle.refusals(strategy, Strategy.Status.ADOPTED) == []
    strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.PUBLISHED, by=officer)
    assert strategy.status == Strategy.Status.PUBLISHED


def test_while_an_authority_is_still_asked_it_is_named(sv_world, officer):
    strategy, board, authorities = sv_world
    log_consultees(strategy, by=officer)
    orgs = [authorities[k][0] for k in SV.authority_kinds]
    first, second, *_ = signoff_request(boards=[board], strategy=strategy, authorities=orgs)
    reasons = lifecycle.refusals(strategy, Strategy.Status.ADOPTED)
    assert f"Waiting for a decision from {orgs[0].name} (at {board.name}) on version 1." in reasons
    assert any(r.startswith(f"{orgs[1].name} (at {board.name}) will be asked") for r in reasons)


def test_an_approval_of_an_earlier_text_does_not_count(sv_world, officer):
    strategy, board, authorities = sv_world
    log_consultees(strategy, by=officer)
    sign_off_by_each(strategy, board, authorities, by=officer)
    strategy_update(strategy=strategy, aim="A changed aim")
    reasons = lifecycle.refusals(strategy, Strategy.Status.ADOPTED)
    assert any("has changed since" in r for r in reasons), reasons


def test_a_partnership_without_a_youth_offending_team_is_told_to_add_one(partnership, officer):
    board = factories.BoardFactory(partnership=partnership)
    authorities = authorities_at(board, skip=(Organisation.Kind.YOUTH_JUSTICE,))
    strategy = sv_strategy(partnership)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.SIGN_OFF, by=officer)
    log_consultees(strategy, by=officer)
    sign_off_by_each(strategy, board, authorities, by=officer)
    assert lifecycle.refusals(strategy, Strategy.Status.ADOPTED) == [
        "The partnership has no organisation recorded as the youth offending team, which must "
        "sign off the serious violence strategy: add it to the partnership's organisations "
        "and send the strategy to it for sign-off."
    ]


def test_only_the_authoritys_own_representative_records_its_sign_off(sv_world, officer):
    strategy, board, authorities = sv_world
    police, police_rep = authorities[Organisation.Kind.POLICE]
    fire_rep = authorities[Organisation.Kind.FIRE][1]
    chair = factories.BoardMembershipFactory(board=board, role=BoardMembership.Role.CHAIR).user
    observer = factories.BoardMembershipFactory(
        board=board, role=BoardMembership.Role.OBSERVER, organisation=police
    ).user
    (request,) = signoff_request(boards=[board], strategy=strategy, authorities=[police])
    for someone in (fire_rep, chair, observer, officer):
        with pytest.raises(PermissionDenied):
            signoff_decide(request=request, by=someone, outcome=SignOffOutcome.APPROVED,
                           decided_on=dt.date.today(), minute_reference="M1")
    decision = signoff_decide(request=request, by=police_rep, outcome=SignOffOutcome.APPROVED,
                              decided_on=dt.date.today(), minute_reference="M1")
    assert decision.content_hash == request.content_hash


def test_another_partnerships_organisation_cannot_sign_off(sv_world, other_partnership):
    strategy, board, _ = sv_world
    stranger = factories.OrganisationFactory(
        partnership=other_partnership, kind=Organisation.Kind.POLICE
    )
    with pytest.raises(ValidationError) as err:
        signoff_request(boards=[board], strategy=strategy, authorities=[stranger])
    assert "Choose organisations of the same partnership" in str(err.value)


def test_publication_waits_for_every_required_consultee(sv_world, officer):
    strategy, board, authorities = sv_world
    log_consultees(strategy, by=officer, skip=(Organisation.Kind.PRISON,))
    sign_off_by_each(strategy, board, authorities, by=officer)
    assert lifecycle.refusals(strategy, Strategy.Status.ADOPTED) == [
        "There is no record that the prison authority was consulted on the serious violence "
        "strategy: add it to the log of consultees."
    ]
    with pytest.raises(ValidationError):
        strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer)
    log_consultees(strategy, by=officer, skip=(Organisation.Kind.EDUCATION,
                                               Organisation.Kind.YOUTH_CUSTODY))
    assert all(row.consulted for row in required_consultees(strategy))
    strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer)


def test_a_community_safety_strategy_needs_no_consultee_log(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership, status="sign_off")
    factories.approve_for_adoption(strategy, by=officer)
    assert lifecycle.refusals(strategy, Strategy.Status.ADOPTED) == []
    assert required_consultees(strategy) == []


def test_the_log_refuses_other_consultees_and_future_dates(partnership, officer):
    strategy = sv_strategy(partnership)
    with pytest.raises(ValidationError) as err:
        consultee_record_create(strategy=strategy, consultee_kind=Organisation.Kind.POLICE,
                                consultee="Police", consulted_on=dt.date.today(),
                                method="meeting", evidence="x")
    assert "consultee_kind" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        consultee_record_create(strategy=strategy, consultee_kind=Organisation.Kind.PRISON,
                                consultee="HMP", consulted_on=dt.date.today() + dt.timedelta(1),
                                method="meeting", evidence="x")
    assert "consulted_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        consultee_record_create(strategy=strategy, consultee_kind=Organisation.Kind.PRISON,
                                consultee=" ", consulted_on=dt.date.today(),
                                method="pigeon", evidence="")
    assert {"consultee", "method", "evidence"} <= set(err.value.message_dict)


def test_the_serious_violence_strategy_is_reviewed_a_year_after_it_took_effect(
    sv_world, officer, other_partnership
):
    strategy, board, authorities = sv_world
    log_consultees(strategy, by=officer)
    sign_off_by_each(strategy, board, authorities, by=officer)
    strategy_transition(strategy=strategy, to_status=Strategy.Status.ADOPTED, by=officer)
    today = dt.date.today()
    result = duties_for([strategy.partnership_id, other_partnership.pk], today=today)
    (row,) = [r for r in result[strategy.partnership_id] if r.duty == Duty.SV_REVIEW]
    assert row.last_done == min(today, strategy.period_start)
    assert row.next_due == add_years(row.last_done, 1)
    assert row.status == Status.UP_TO_DATE
    assert not [r for r in result[other_partnership.pk] if r.duty == Duty.SV_REVIEW]
    # The community safety duties read only community safety strategies.
    (three_year,) = [r for r in result[strategy.partnership_id] if r.duty == Duty.STRATEGY]
    assert three_year.last_done is None


def test_a_needs_assessment_does_not_count_as_the_annual_strategic_assessment(partnership):
    StrategicAssessment.objects.create(
        partnership=partnership, year=2026, title="SNA", duty=SERIOUS, status="signed_off",
        signed_off_on=dt.date(2026, 6, 1),
    )
    (row,) = [r for r in duties_for([partnership.pk], today=dt.date(2026, 12, 1))[partnership.pk]
              if r.duty == Duty.ASSESSMENT]
    assert row.last_done is None


def _needs_assessment(partnership, **fields):
    fields.setdefault("status", StrategicAssessment.Status.SIGNED_OFF)
    return StrategicAssessment.objects.create(
        partnership=partnership, year=2026, duty=SERIOUS, title="Serious violence SNA 2026",
        summary="RESTRICTED: hotspots by street and named groups.",
        local_definition="Homicide, knife and gun crime, and violence with injury in public.",
        public_summary="Violence with injury is highest in the town centre at night.",
        signed_off_on=dt.date(2026, 6, 30), **fields,
    )


def test_the_public_read_only_the_summary_of_a_signed_off_needs_assessment(
    client, partnership
):
    needs = _needs_assessment(partnership)
    html = client.get(needs.get_public_url()).content.decode()
    assert "Violence with injury is highest in the town centre" in html
    assert "Homicide, knife and gun crime" in html
    assert "strategic needs assessment" in html
    assert "RESTRICTED" not in html
    assert partnership.name in html
    assert client.get(needs.get_absolute_url()).status_code == 302  # sign in first


def test_a_needs_assessment_not_signed_off_or_without_a_summary_is_not_public(
    client, partnership
):
    draft = _needs_assessment(partnership, )
    draft.status = StrategicAssessment.Status.IN_PROGRESS
    draft.save()
    assert client.get(draft.get_public_url()).status_code == 404
    draft.status = StrategicAssessment.Status.SIGNED_OFF
    draft.public_summary = ""
    draft.save()
    assert client.get(draft.get_public_url()).status_code == 404


def test_only_the_partnerships_officers_open_the_full_needs_assessment(
    partnership, officer, board_member, other_officer
):
    from partnerships.models import Membership
    from tests.conftest import client_for

    needs = _needs_assessment(partnership)
    partner = factories.MembershipFactory(partnership=partnership,
                                          role=Membership.Role.PARTNER).user
    html = client_for(officer).get(needs.get_absolute_url()).content.decode()
    assert "RESTRICTED: hotspots" in html and "Local definition of serious violence" in html
    assert "for the partnership's officers only" in html
    assert client_for(partner).get(needs.get_absolute_url()).status_code == 403
    assert client_for(board_member).get(needs.get_absolute_url()).status_code == 403
    assert client_for(other_officer).get(needs.get_absolute_url()).status_code == 404


def test_an_officer_creates_a_needs_assessment_with_its_local_definition(partnership, officer):
    from django.urls import reverse

    from tests.conftest import client_for

    client = client_for(officer)
    url = reverse("strategy:needs_assessment_create", args=[partnership.slug])
    page = client.get(url).content.decode()
    assert "Create a strategic needs assessment" in page
    assert "strategic assessment<" not in page
    response = client.post(url, {"year": "2026", "title": "SNA 2026", "status": "in_progress"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the local definition of serious violence" in html
    response = client.post(url, {
        "year": "2026", "title": "SNA 2026", "status": "in_progress",
        "local_definition": "Knife crime.", "public_summary": "Summary.",
    })
    needs = StrategicAssessment.objects.get(partnership=partnership, duty=SERIOUS)
    assert response.status_code == 302 and response.url == needs.get_absolute_url()
    assert needs.local_definition == "Knife crime."
    # A community safety assessment's form asks for neither.
    page = client.get(reverse("strategy:assessment_create", args=[partnership.slug]))
    assert "local_definition" not in page.content.decode()


def test_an_authoritys_step_reminds_its_representative_not_the_board(sv_world, officer):
    from django.utils import timezone

    from reminders import engine
    from reminders.models import SentReminder
    from tests.reminders.helpers import at

    strategy, board, authorities = sv_world
    chair = factories.BoardMembershipFactory(board=board, role=BoardMembership.Role.CHAIR).user
    police, police_rep = authorities[Organisation.Kind.POLICE]
    (request,) = signoff_request(boards=[board], strategy=strategy, authorities=[police])
    asked = timezone.localdate(request.requested_at)
    engine.run(now=at(asked + dt.timedelta(days=30)))
    decisions = set(SentReminder.objects.filter(kind="signoff_decision")
                    .values_list("recipient_id", flat=True))
    assert decisions == {police_rep.pk}
    assert chair.pk not in decisions
    assert not SentReminder.objects.filter(kind="signoff_review").exists()


def test_the_plan_templates_authority_sign_off_is_done_when_the_last_authority_approves(
    partnership, officer, installation_plan_templates
):
    from milestones.models import Milestone, MilestoneTemplate
    from milestones.services import plan_generate

    board = factories.BoardFactory(partnership=partnership)
    authorities = authorities_at(board)
    strategy = sv_strategy(partnership)
    template = MilestoneTemplate.objects.installation().get(name="Serious violence strategy")
    plan_generate(strategy=strategy, template=template,
                  adoption=dt.date.today() + dt.timedelta(days=60), owner=officer)
    assert strategy.milestones.filter(title="Required consultees consulted").exists()
    milestone = strategy.milestones.get(kind=Milestone.Kind.SIGN_OFF)
    assert milestone.board == board  # the partnership's only board
    strategy_transition(strategy=strategy, to_status=Strategy.Status.SIGN_OFF, by=officer)
    orgs = [authorities[k][0] for k in SV.authority_kinds]
    requests = signoff_request(boards=[board], strategy=strategy, authorities=orgs)
    for number, request in enumerate(requests, start=1):
        request.refresh_from_db()
        signoff_decide(request=request, by=authorities[request.authority.kind][1],
                       outcome=SignOffOutcome.APPROVED, decided_on=dt.date.today(),
                       minute_reference=f"M{number}")
        milestone.refresh_from_db()
        done = milestone.status == Milestone.Status.DONE
        assert done == (number == len(requests)), number
    assert "the last of the authorities" in milestone.completed_because


def test_existing_strategies_and_assessments_become_community_safety_ones():
    import importlib

    from django.db.migrations import AddField

    migration = importlib.import_module(
        "strategy.migrations.0005_strategy_kinds_of_statutory_document").Migration
    added = {(op.model_name, op.name): op.field for op in migration.operations
             if isinstance(op, AddField)}
    for model in ("strategy", "strategicassessment"):
        assert added[(model, "duty")].default == "community_safety"


def test_the_plan_template_migration_installs_the_serious_violence_template_once(db):
    import importlib

    from django.apps import apps

    from milestones.models import MilestoneTemplate

    migration = importlib.import_module("milestones.migrations.0007_serious_violence_plan_template")
    MilestoneTemplate.objects.filter(name="Serious violence strategy").delete()
    migration.forwards(apps, None)
    migration.forwards(apps, None)
    (template,) = MilestoneTemplate.objects.installation().filter(name="Serious violence strategy")
    assert not template.is_default
    titles = list(template.steps.order_by("order").values_list("title", flat=True))
    assert "Signed off by each specified authority" in titles
    assert "Required consultees consulted" in titles
