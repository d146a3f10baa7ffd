"""Consultations for tests: built through the services, as officers would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from consultation import services
from consultation.models import Audience, Consultation
from safermk import democlock
from tests import factories


def open_consultation(partnership=None, *, priorities: int = 3, slug: str | None = None,
                      **kwargs) -> Consultation:
    """An open consultation with the standard questions on a strategy with
    `priorities` priorities."""
    strategy = factories.StrategyFactory(
        **({"partnership": partnership} if partnership else {})
    )
    for _ in range(priorities):
        factories.PriorityFactory(strategy=strategy)
    now = timezone.now()
    consultation = services.consultation_create(
        strategy=strategy,
        title=kwargs.pop("title", "Have your say"),
        slug=slug or f"consult-{strategy.pk}",
        summary="Tell us what you think.",
        background="Background to the draft.",
        opens_at=kwargs.pop("opens_at", now - dt.timedelta(days=1)),
        closes_at=kwargs.pop("closes_at", None),
        audiences=kwargs.pop(
            "audiences", [Audience.PUBLIC, Audience.STAKEHOLDER, Audience.YOUNG_PEOPLE]
        ),
        **kwargs,
    )
    schedule(consultation)
    consultation.refresh_from_db()
    return consultation


def schedule(consultation: Consultation, by=None) -> None:
    """Schedule it as the officer would have: a consultation whose closing
    date has passed was scheduled before it opened (the service refuses to
    schedule one that is already over), then the clock catches up."""
    if consultation.closes_at > timezone.now():
        services.consultation_schedule(consultation=consultation, by=by)
        return
    with democlock.at(consultation.opens_at - dt.timedelta(minutes=1), user=by):
        services.consultation_schedule(consultation=consultation, by=by)
    services.consultation_advance(consultation=consultation)
