"""Small factories for tests. Each builds the least a row needs; tests say
what matters to them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from milestones.models import Milestone
from partnerships.models import Board, BoardMembership, Membership, Organisation, Partnership
from strategy.models import Measure, Measurement, Objective, Priority, Strategy

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Safer Town {n} Partnership")
    slug = factory.Sequence(lambda n: f"safer-town-{n}")
    area = factory.Sequence(lambda n: f"Town {n}")
    aim = "To make the town a safe place to live, work and visit."
    short_code = factory.Sequence(lambda n: f"T{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.COUNCIL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Membership.Role.OFFICER
    organisation = factory.LazyAttribute(
        lambda m: OrganisationFactory(partnership=m.partnership)
    )


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")
    quorum = 2


class BoardMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMembership

    board = factory.SubFactory(BoardFactory)
    user = factory.SubFactory(UserFactory)
    role = BoardMembership.Role.MEMBER


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Community Safety Strategy {n}")
    slug = factory.Sequence(lambda n: f"strategy-{n}")
    period_start = dt.date(2022, 4, 1)
    period_end = dt.date(2025, 3, 31)
    aim = "To make the town a safe place to live, work and visit."


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(lambda n: n)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    lead_organisation = factory.LazyAttribute(
        lambda o: OrganisationFactory(partnership=o.priority.strategy.partnership)
    )


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Measure {n}")
    unit = "incidents"
    baseline_value = Decimal("100")
    baseline_date = dt.date(2022, 3, 31)
    target_value = Decimal("80")
    target_date = dt.date(2025, 3, 31)
    direction = Measure.Direction.LOWER
    frequency = Measure.Frequency.QUARTERLY
    data_source = "Police recorded crime"
    owner_organisation = factory.LazyAttribute(lambda m: m.objective.lead_organisation)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    measure = factory.SubFactory(MeasureFactory)
    period_end = dt.date(2022, 6, 30)
    value = Decimal("95")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    kind = Milestone.Kind.DISCUSSION
    due_date = dt.date(2022, 3, 24)


def approve_for_adoption(strategy: Strategy, *, by=None, decided_on: dt.date | None = None):
    """Put the strategy as it is now to a new board of its partnership and
    record that board's approval, through the real sign-off services: what
    adoption and publication require. Returns the decision."""
    from milestones.models import ReviewPosition, SignOffOutcome
    from milestones.services import signoff_decide, signoff_request, signoff_review

    board = BoardFactory(partnership=strategy.partnership, quorum=1)
    chair = BoardMembershipFactory(board=board, role=BoardMembership.Role.CHAIR).user
    (request,) = signoff_request(boards=[board], strategy=strategy, by=by)
    signoff_review(request=request, reviewer=chair, position=ReviewPosition.SUPPORT)
    return signoff_decide(
        request=request, by=chair, outcome=SignOffOutcome.APPROVED,
        decided_on=decided_on or dt.date.today(), minute_reference="M/1",
    )


def move_through(strategy: Strategy, statuses, *, by=None) -> Strategy:
    """Take the strategy through `statuses` with the real transition service,
    recording a board's approval of its content just before it is adopted."""
    from strategy.services import strategy_transition

    for status in statuses:
        if status == Strategy.Status.ADOPTED:
            approve_for_adoption(strategy, by=by)
        strategy_transition(strategy=strategy, to_status=status, by=by)
    return strategy


class AdministratorFactory(MembershipFactory):
    """A partnership administrator: sets up the partnership's details,
    organisations, boards and people."""

    role = Membership.Role.ADMINISTRATOR
