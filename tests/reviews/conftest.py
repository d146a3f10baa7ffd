"""Shared builders for the reviews tests: a partnership's review with a
recommendation, and actions owned by its organisations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reviews import services
from reviews.models import Review
from tests import factories


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def review(partnership):
    return services.review_create(
        partnership=partnership, kind=Review.Kind.DARDR, title="DARDR 2025/01 (Adult A)",
        started_on=days(-300), status=Review.Status.UNDER_WAY,
    )


@pytest.fixture
def recommendation(review):
    return services.recommendation_add(review=review, number=1,
                                       text="Share domestic abuse concerns with GPs.")


@pytest.fixture
def council(partnership):
    return factories.OrganisationFactory(partnership=partnership, name="Borough Council")


def add_action(recommendation, owner, *, due: int, text: str = "Agree a protocol with GPs."):
    return services.action_create(
        partnership=recommendation.review.partnership, source=recommendation,
        description=text, owner=owner, due_on=days(due), priority=None,
    )
