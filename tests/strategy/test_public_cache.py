"""Public pages of a published strategy are cached with its figures, and
never stale: an officer's save shows on the next page."""

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.models import Measure, Measurement
from tests import factories
from tests.conftest import client_for
from tests.strategy.factories import build_thread, publish

pytestmark = pytest.mark.django_db


def _date(prefix, d, m, y):
    return {f"{prefix}_0": d, f"{prefix}_1": m, f"{prefix}_2": y}


def _pages(strategy):
    priority = strategy.priorities.get()
    return [strategy.get_public_url(),
            reverse("strategy:public_priority", args=[strategy.slug, priority.pk])]


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(ctx.captured_queries)


def _without_nonces(html):
    return re.sub(r'nonce="[^"]*"', "", html)


def test_a_figure_an_officer_saves_shows_on_the_next_public_page(published, officer, client):
    summary, priority_page = _pages(published)
    for url in (summary, priority_page):
        client.get(url)  # both pages cached
    measure = Measure.objects.get(objective__priority__strategy=published)
    latest = measure.measurements.order_by("-period_end").first()
    edit = reverse("strategy:measurement_edit", args=[published.slug, latest.pk])
    data = {**_date("period_end", latest.period_end.day, latest.period_end.month,
                    latest.period_end.year), "value": "98765", "note": ""}
    assert client_for(officer).post(edit, data).status_code == 302
    assert "98,765" in client.get(priority_page).content.decode()

    add = reverse("strategy:measurement_create", args=[published.slug, measure.pk])
    data = {**_date("period_end", "31", "3", "2024"), "value": "45678"}
    assert client_for(officer).post(add, data).status_code == 302
    assert "45,678" in client.get(priority_page).content.decode()

    Measurement.objects.filter(measure=measure, value=Decimal("45678")).delete()
    assert "45,678" not in client.get(priority_page).content.decode()


def test_the_second_visit_reads_the_cached_part_with_fewer_queries(
    partnership, other_partnership, client
):
    strategy = factories.StrategyFactory(partnership=partnership)
    build_thread(strategy, priorities=1, objectives=3, measures=3, measurements=4)
    publish(strategy)
    for url in _pages(strategy):
        first, cold = _get(client, url)
        second, warm = _get(client, url)
        assert _without_nonces(second) == _without_nonces(first)
        assert warm < cold


def test_the_public_pages_work_when_the_cache_is_down(published, client):
    with mock.patch("strategy.public_cache.cache.get", side_effect=ConnectionError), \
            mock.patch("strategy.public_cache.cache.set", side_effect=ConnectionError):
        for url in _pages(published):
            assert client.get(url).status_code == 200


def test_the_pdf_label_comes_from_the_view_in_a_fixed_number_of_queries(published, client):
    from documents.models import RenderedDocument
    from documents.services import document_request

    version = published.versions.filter(reason="publication").latest("number")
    document = document_request(version=version)
    summary = _pages(published)[0]
    client.get(summary)
    _, without = _get(client, summary)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=RenderedDocument.Status.READY, size=421_000, pages=13)
    html, with_label = _get(client, summary)
    assert "411.1 KB, 13 pages" in html
    assert with_label == without
