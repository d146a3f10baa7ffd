"""A published strategy with the whole golden thread, for document tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from strategy.models import StatutoryResponsibility
from tests import factories


def published_strategy(partnership, *, priorities=2, objectives=1, measures=2, measurements=4,
                       slug=None, assessments=(), up_to="published", description="",
                       period=None):
    """A strategy taken through its lifecycle to published, so it has a
    sign-off version (1) and a publication version (2); or only as far as
    `up_to`. `description` is the text of each priority and objective (and
    is added to the foreword), for documents as long as real ones."""
    kwargs = {"slug": slug} if slug else {}
    if period:
        kwargs |= {"period_start": period[0], "period_end": period[1]}
    strategy = factories.StrategyFactory(
        partnership=partnership,
        foreword="\n\n".join(
            filter(None, ["Our partners work together to keep the town safe.", description])
        ),
        pcc_plan_reference="Police and Crime Plan 2021–2025",
        pcc_alignment="The partners had regard to the police and crime plan.",
        **kwargs,
    )
    asb, _ = StatutoryResponsibility.objects.get_or_create(
        code="asb", defaults={"name": "Anti-Social Behaviour"}
    )
    strategy.responsibilities.add(asb)
    strategy.assessments.add(*assessments)
    for p in range(priorities):
        priority = factories.PriorityFactory(
            strategy=strategy, title=f"Safer streets {p + 1}", description=description
        )
        priority.responsibilities.add(asb)
        for o in range(objectives):
            objective = factories.ObjectiveFactory(
                priority=priority,
                title=f"Objective {p + 1}.{o + 1} reduce burglary",
                description=description,
            )
            for m in range(measures):
                measure = factories.MeasureFactory(
                    objective=objective, title=f"Recorded burglaries {p + 1}.{o + 1}.{m + 1}"
                )
                for q in range(measurements):
                    factories.MeasurementFactory(
                        measure=measure,
                        period_end=dt.date(2022, 6, 30) + dt.timedelta(days=91 * q),
                        value=Decimal(98 - 2 * q),
                    )
    statuses = ("drafting", "sign_off", "adopted", "published")
    factories.move_through(strategy, statuses[: statuses.index(up_to) + 1])
    return strategy


def measure_titles(version) -> list[str]:
    return [
        m["title"]
        for p in version.content["priorities"]
        for o in p["objectives"]
        for m in o["measures"]
    ]
