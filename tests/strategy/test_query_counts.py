"""Pages cost the same number of queries with twice the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.models import Strategy
from tests import factories
from tests.conftest import client_for
from tests.strategy.factories import build_thread, publish

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(strategy, n):
    build_thread(strategy, priorities=n, objectives=2, measures=2, measurements=2 * n)


def test_the_strategy_detail_page_does_not_grow_with_the_golden_thread(world):
    client = client_for(world.officer)
    url = world.strategy.get_absolute_url()
    _grow(world.strategy, 2)
    small = _queries(client, url)
    _grow(world.strategy, 2)  # twice the priorities, objectives, measures, measurements
    assert _queries(client, url) == small


def test_the_public_strategy_page_does_not_grow_with_the_golden_thread(
    partnership, other_partnership, client
):
    # Two partnerships, so neither strategy supersedes the other.
    small_strategy = factories.StrategyFactory(partnership=partnership)
    _grow(small_strategy, 2)
    publish(small_strategy)
    large_strategy = factories.StrategyFactory(partnership=other_partnership)
    _grow(large_strategy, 4)
    publish(large_strategy)
    assert _queries(client, large_strategy.get_public_url()) == _queries(
        client, small_strategy.get_public_url()
    )


def test_a_public_priority_page_does_not_grow_with_its_objectives_and_measures(
    partnership, other_partnership, client
):
    small_strategy = factories.StrategyFactory(partnership=partnership)
    build_thread(small_strategy, priorities=1, objectives=2, measures=2, measurements=2)
    publish(small_strategy)
    large_strategy = factories.StrategyFactory(partnership=other_partnership)
    build_thread(large_strategy, priorities=1, objectives=4, measures=4, measurements=4)
    publish(large_strategy)

    def url(strategy):
        return reverse(
            "strategy:public_priority", args=[strategy.slug, strategy.priorities.get().pk]
        )

    assert _queries(client, url(large_strategy)) == _queries(client, url(small_strategy))


def test_the_dashboard_does_not_grow_with_strategies_and_measures(partnership, officer):
    client = client_for(officer)
    url = reverse("dashboard:home")

    def add_published():
        s = factories.StrategyFactory(partnership=partnership)
        _grow(s, 2)
        Strategy.objects.filter(pk=s.pk).update(status=Strategy.Status.PUBLISHED)

    add_published()
    small = _queries(client, url)
    add_published()
    assert _queries(client, url) == small


def test_the_lists_do_not_grow_with_strategies_and_assessments(world):
    from tests.strategy.factories import AssessmentFactory

    client = client_for(world.officer)
    urls = [reverse("strategy:list"), reverse("strategy:assessment_list"),
            reverse("strategy:public_list")]
    publish(factories.StrategyFactory(partnership=world.partnership))
    before = [_queries(client, u) for u in urls]
    for year in (2019, 2020):
        AssessmentFactory(partnership=world.partnership, year=year)
    for _ in range(2):
        publish(factories.StrategyFactory(partnership=world.partnership))
    assert [_queries(client, u) for u in urls] == before


def test_history_and_versions_pages_do_not_grow(world):
    from strategy import services

    client = client_for(world.officer)
    s = world.strategy.slug
    urls = [reverse("strategy:history", args=[s]), reverse("strategy:version_list", args=[s]),
            reverse("strategy:proposal_list", args=[s]),
            reverse("strategy:measure_detail", args=[s, world.measure.pk])]
    before = [_queries(client, u) for u in urls]
    _grow(world.strategy, 2)
    for i in range(3):
        services.priority_update(priority=world.priority, title=f"Renamed {i}")
        services.version_create(strategy=world.strategy, reason="manual")
        factories.MeasurementFactory(measure=world.measure, period_end=f"202{i + 3}-03-31")
    assert [_queries(client, u) for u in urls] == before
