"""Public pages show the published version only, with live performance."""

import json

import pytest
from django.urls import reverse

from strategy.models import Measure, Priority, StrategyVersion
from tests import factories
from tests.strategy.factories import publish

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_published_strategies_by_partnership(published, world, client):
    html = client.get(reverse("strategy:public_list")).content.decode()
    assert published.title in html and published.partnership.name in html
    assert world.strategy.title not in html  # a draft


def test_the_public_page_renders_the_published_version_not_the_live_rows(published, client):
    priority = Priority.objects.get(strategy=published)
    version = published.versions.get(reason=StrategyVersion.Reason.PUBLICATION)
    published_title = version.content["priorities"][0]["title"]
    # Whatever happens to the rows later, the public reads what was published.
    Priority.objects.filter(pk=priority.pk).update(title="Edited behind the scenes")
    html = client.get(published.get_public_url()).content.decode()
    assert published_title in html
    assert "Edited behind the scenes" not in html


def test_the_public_page_sums_up_each_prioritys_live_status(published, client):
    measure = Measure.objects.get(objective__priority__strategy=published)
    factories.MeasurementFactory(measure=measure, period_end="2023-06-30", value=70)
    html = client.get(published.get_public_url()).content.decode()
    assert "1 on track" in html and "0 off track" in html and "0 no data" in html
    # The charts are one step away, on the priority's own page.
    assert 'role="img"' not in html
    priority = measure.objective.priority
    assert reverse("strategy:public_priority", args=[published.slug, priority.pk]) in html


def test_a_public_priority_page_shows_live_status_and_a_chart_with_its_data_table(
    published, client
):
    measure = Measure.objects.get(objective__priority__strategy=published)
    factories.MeasurementFactory(measure=measure, period_end="2023-06-30", value=70)
    url = reverse("strategy:public_priority", args=[published.slug, measure.objective.priority_id])
    html = client.get(url).content.decode()
    assert "On track" in html
    assert 'role="img"' in html and "30 Jun 2023" in html
    assert f"Measurements: {measure.title}" in html


def test_a_priority_not_in_the_published_version_is_not_found(published, client):
    url = reverse("strategy:public_priority", args=[published.slug, 999999])
    assert client.get(url).status_code == 404


def test_the_public_page_links_to_the_boards_approvals(published, client):
    html = client.get(published.get_public_url()).content.decode()
    assert reverse("milestones:approvals", args=[published.slug]) in html


def test_a_strategy_never_published_is_not_public(world, client):
    factories.move_through(world.strategy, ("sign_off", "adopted"))
    assert client.get(world.strategy.get_public_url()).status_code == 404


def test_a_superseded_strategy_stays_public_and_points_to_its_successor(published, client):
    newer = publish(factories.StrategyFactory(partnership=published.partnership))
    html = client.get(published.get_public_url()).content.decode()
    assert "This strategy has been replaced" in html and newer.get_public_url() in html


def test_open_data_gives_the_published_versions_content_number_hash_and_date(published, client):
    version = published.versions.get(reason=StrategyVersion.Reason.PUBLICATION)
    response = client.get(reverse("strategy:public_json", args=[published.slug]))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["version"] == version.number
    assert data["content_hash"] == version.content_hash
    assert data["published_at"] == version.created_at.isoformat()
    assert data["content"] == version.content
