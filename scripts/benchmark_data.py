"""Realistic volumes for benchmarks: many partnerships, each with a published
three-year strategy, objectives, measures and quarterly measurements.

Used by scripts/benchmark_pages.py; idempotent (skips partnerships that exist).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from partnerships.models import Organisation, Partnership
from strategy import services
from strategy.models import Measure, Measurement, Objective, Priority, Strategy

PRIORITIES = 4
OBJECTIVES = 3
MEASURES = 3
QUARTERS = 8


@transaction.atomic
def make_partnerships(*, count: int) -> int:
    rng = random.Random(20261124)
    made = 0
    for n in range(count):
        slug = f"bench-{n:03d}"
        if Partnership.objects.filter(slug=slug).exists():
            continue
        partnership = Partnership.objects.create(
            name=f"Bench Town {n} Community Safety Partnership",
            slug=slug,
            short_code=f"B{n:03d}",
            area=f"Bench Town {n}",
            aim="To make the town a safe place to live, work and visit.",
        )
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(partnership=partnership, name=f"{kind.label} {n}", kind=kind)
                for kind in (
                    Organisation.Kind.COUNCIL,
                    Organisation.Kind.POLICE,
                    Organisation.Kind.FIRE,
                )
            ]
        )
        strategy = Strategy.objects.create(
            partnership=partnership,
            title=f"Bench Town {n} Community Safety Strategy 2024–2027",
            slug=f"{slug}-strategy-2024-2027",
            period_start=dt.date(2024, 4, 1),
            period_end=dt.date(2027, 3, 31),
            aim=partnership.aim,
        )
        for p in range(PRIORITIES):
            priority = Priority.objects.create(
                strategy=strategy, title=f"Priority {p + 1}", order=p
            )
            for o in range(OBJECTIVES):
                objective = Objective.objects.create(
                    priority=priority,
                    title=f"Objective {p + 1}.{o + 1}",
                    lead_organisation=orgs[o % len(orgs)],
                    order=o,
                )
                measures = Measure.objects.bulk_create(
                    [
                        Measure(
                            objective=objective,
                            title=f"Measure {p + 1}.{o + 1}.{m + 1}",
                            unit="incidents",
                            baseline_value=Decimal(1000),
                            baseline_date=dt.date(2024, 3, 31),
                            target_value=Decimal(850),
                            target_date=dt.date(2027, 3, 31),
                            direction="lower",
                            frequency="quarterly",
                            data_source="Police recorded crime",
                            owner_organisation=orgs[m % len(orgs)],
                            order=m,
                        )
                        for m in range(MEASURES)
                    ]
                )
                Measurement.objects.bulk_create(
                    [
                        Measurement(
                            measure=measure,
                            period_end=_quarter_end(dt.date(2024, 6, 30), q),
                            value=Decimal(1000 - q * 12 + rng.randint(-30, 30)),
                        )
                        for measure in measures
                        for q in range(QUARTERS)
                    ]
                )
        for status in ("drafting", "consultation", "sign_off"):
            services.strategy_transition(strategy=strategy, to_status=status)
        approve_from_minutes(strategy)
        for status in ("adopted", "published"):
            services.strategy_transition(strategy=strategy, to_status=status)
        made += 1
    return made


def approve_from_minutes(strategy: Strategy) -> None:
    """Record a board's approval of the strategy as it is now, as from its
    minutes: a strategy is adopted only as its boards approved it. The board
    and its chair are made for the benchmark if the partnership has none."""
    from django.contrib.auth import get_user_model

    from milestones.models import SignOffOutcome
    from milestones.services import signoff_record_past
    from partnerships.models import Board, BoardMembership

    membership = BoardMembership.objects.filter(
        board__partnership=strategy.partnership_id, role=BoardMembership.Role.CHAIR
    ).select_related("board", "user").first()
    if membership is None:
        board = Board.objects.create(
            partnership=strategy.partnership, name="Partnership Board",
            slug="partnership-board", quorum=1,
        )
        chair = get_user_model().objects.create(username=f"{strategy.partnership.slug}-chair")
        membership = BoardMembership.objects.create(
            board=board, user=chair, role=BoardMembership.Role.CHAIR
        )
    version = services.version_matching_current(strategy=strategy) or services.version_create(
        strategy=strategy, reason="sign_off"
    )
    signoff_record_past(
        board=membership.board, version=version, by=membership.user,
        outcome=SignOffOutcome.APPROVED, decided_on=dt.date(2024, 3, 1),
        minute_reference="PB/2024/03/1",
    )


def _quarter_end(first: dt.date, quarters: int) -> dt.date:
    month = first.month + 3 * quarters
    year = first.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = {3: 31, 6: 30, 9: 30, 12: 31}[month]
    return dt.date(year, month, last)
