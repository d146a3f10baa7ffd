"""The demo's reviews read as current on the day it is loaded, and loading
it again that day keeps what officers changed."""

import datetime as dt

import pytest

from reviews import demo as reviews_demo
from reviews.models import Action, AsbCaseReviewReturn, Review
from safermk.demo import load_all

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 1)


def test_the_demo_has_a_dardr_with_actions_done_and_late_and_figures_about_to_be_published():
    load_all(today=DAY, superseded_pdfs=False, current_pdf=False)
    review = Review.objects.get(partnership__slug="safermk")
    assert (review.kind, review.status) == (Review.Kind.DARDR, Review.Status.AWAITING_QA)
    actions = Action.objects.filter(partnership__slug="safermk")
    assert actions.filter(status=Action.Status.DONE).count() == 3
    assert [a.owner.short_name for a in actions.overdue(DAY)] == ["TVP"]
    assert actions.filter(policing_recommendation__isnull=False).count() == 1
    years = list(AsbCaseReviewReturn.objects.order_by("year").values_list("year", "publish_on"))
    assert [y for y, _ in years] == [2023, 2024, 2025]
    assert years[-1][1] == DAY + dt.timedelta(days=10)
    assert AsbCaseReviewReturn.objects.published(DAY).count() == 2

    late = actions.overdue(DAY).get()
    Action.objects.filter(pk=late.pk).update(status=Action.Status.DONE, done_on=DAY,
                                             evidence="Done")
    reviews_demo.load(review.partnership, DAY)
    assert Action.objects.get(pk=late.pk).status == Action.Status.DONE
    reviews_demo.load(review.partnership, DAY + dt.timedelta(days=1))
    assert Action.objects.filter(partnership__slug="safermk").overdue(
        DAY + dt.timedelta(days=1)).count() == 1
