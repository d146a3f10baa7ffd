"""Factories for strategy tests: assessments, proposals, versions, and a
whole golden thread."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from strategy.models import LineOfEnquiry, PriorityProposal, StrategicAssessment, Strategy
from tests import factories


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAssessment

    partnership = factory.SubFactory(factories.PartnershipFactory)
    year = 2021
    title = factory.Sequence(lambda n: f"Strategic Assessment {n}")


class LineOfEnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineOfEnquiry

    assessment = factory.SubFactory(AssessmentFactory)
    title = factory.Sequence(lambda n: f"Line of enquiry {n}")


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityProposal

    strategy = factory.SubFactory(factories.StrategyFactory)
    organisation = factory.LazyAttribute(
        lambda p: factories.OrganisationFactory(partnership=p.strategy.partnership)
    )
    title = factory.Sequence(lambda n: f"Proposed priority {n}")


def build_thread(strategy: Strategy, *, priorities: int, objectives: int = 2, measures: int = 2,
                 measurements: int = 3, owner=None) -> None:
    """Fill a strategy with priorities × objectives × measures × measurements."""
    for _ in range(priorities):
        priority = factories.PriorityFactory(strategy=strategy)
        for _ in range(objectives):
            objective = factories.ObjectiveFactory(priority=priority)
            for _ in range(measures):
                measure = factories.MeasureFactory(
                    objective=objective,
                    owner_organisation=owner or objective.lead_organisation,
                )
                for i in range(measurements):
                    factories.MeasurementFactory(
                        measure=measure,
                        period_end=dt.date(2022, 6, 30) + dt.timedelta(days=91 * i),
                        value=Decimal(98 - 3 * i),
                    )


def publish(strategy: Strategy, by=None) -> Strategy:
    """Take the strategy to published, with a board's approval recorded
    before it is adopted."""
    factories.move_through(strategy, ("drafting", "sign_off", "adopted", "published"), by=by)
    strategy.refresh_from_db()
    return strategy
