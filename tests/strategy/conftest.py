from types import SimpleNamespace

import pytest

from partnerships.models import Membership
from strategy import services
from strategy.models import Strategy, StrategyVersion
from tests import factories
from tests.strategy.factories import AssessmentFactory, LineOfEnquiryFactory, ProposalFactory


@pytest.fixture
def partner_membership(partnership):
    return factories.MembershipFactory(partnership=partnership, role=Membership.Role.PARTNER)


@pytest.fixture
def world(partnership, officer, partner_membership, board_member, other_officer):
    """One partnership with a strategy in drafting and every kind of row a
    strategy page shows; the measure belongs to the partner officer's
    organisation, a second measure to another organisation."""
    strategy = factories.StrategyFactory(partnership=partnership, title="Draft strategy")
    services.strategy_transition(strategy=strategy, to_status="drafting", by=officer)
    priority = factories.PriorityFactory(strategy=strategy)
    objective = factories.ObjectiveFactory(
        priority=priority, lead_organisation=partner_membership.organisation
    )
    measure = factories.MeasureFactory(
        objective=objective, owner_organisation=partner_membership.organisation
    )
    other_org = factories.OrganisationFactory(partnership=partnership)
    other_measure = factories.MeasureFactory(objective=objective, owner_organisation=other_org)
    measurement = factories.MeasurementFactory(measure=measure)
    other_measurement = factories.MeasurementFactory(measure=other_measure)
    proposal = ProposalFactory(strategy=strategy, organisation=other_org)
    version = services.version_create(
        strategy=strategy, reason=StrategyVersion.Reason.MANUAL, by=officer
    )
    assessment = AssessmentFactory(partnership=partnership, year=2021)
    line = LineOfEnquiryFactory(assessment=assessment)
    # A strategic needs assessment of the same year: restricted to officers.
    needs = AssessmentFactory(partnership=partnership, year=2021, duty="serious_violence",
                              title="Serious violence needs assessment 2021")
    needs_line = LineOfEnquiryFactory(assessment=needs)
    return SimpleNamespace(
        needs=needs, needs_line=needs_line,
        partnership=partnership, strategy=strategy, priority=priority, objective=objective,
        measure=measure, other_measure=other_measure, measurement=measurement,
        other_measurement=other_measurement, proposal=proposal, version=version,
        assessment=assessment, line=line, officer=officer,
        partner=partner_membership.user, board_member=board_member,
        other_officer=other_officer, other_org=other_org,
    )


@pytest.fixture
def published(partnership, officer):
    from tests.strategy.factories import build_thread, publish

    strategy = factories.StrategyFactory(partnership=partnership, title="Published strategy")
    build_thread(strategy, priorities=1, objectives=1, measures=1, measurements=2)
    return publish(strategy, by=officer)


def strategy_status(strategy) -> str:
    return Strategy.objects.get(pk=strategy.pk).status
