"""The national volume loader, and the main pages' queries at two volumes
of it: the same number with three times the partnerships."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.services import calendar_token_get_or_create
from partnerships.models import Partnership
from safermk import volume
from strategy.models import Strategy
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _pages():
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username=volume.OFFICER)
    first = f"{volume.SLUG_PREFIX}000"
    published = Strategy.objects.get(partnership__slug=first, status=Strategy.Status.PUBLISHED)
    refresh = Strategy.objects.get(partnership__slug=first, kind=Strategy.Kind.REFRESH)
    slug = volume.CONSULTATION_SLUG
    feed = calendar_token_get_or_create(user=officer).token
    public = [
        "/",
        reverse("partnership_home", args=[first]),
        reverse("strategy:public_list"),
        published.get_public_url(),
        reverse("strategy:public_priority", args=[published.slug,
                                                  published.priorities.first().pk]),
        reverse("strategy:public_json", args=[published.slug]),
        reverse("consultation:list"),
        reverse("consultation:detail", args=[slug]),
        reverse("consultation:respond", args=[slug]),
        reverse("milestones:calendar_feed", args=[feed]),
    ]
    officer_pages = [
        reverse("dashboard:home"),
        reverse("strategy:detail", args=[published.slug]),
        reverse("consultation:analysis", args=[slug]),
        reverse("milestones:plan", args=[refresh.slug]),
    ]
    return officer, public, officer_pages


def _queries(client, url) -> int:
    cache.clear()  # the public strategy pages are cached: count them cold
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _counts(client) -> dict[str, int]:
    officer, public, officer_pages = _pages()
    signed_in = client_for(officer)
    counts = {url: _queries(client, url) for url in public}
    counts.update({url: _queries(signed_in, url) for url in officer_pages})
    return counts


def test_the_main_pages_make_the_same_queries_with_three_times_the_partnerships(client):
    volume.load(scale=2 / volume.PARTNERSHIPS, responses=20, log=lambda line: None)
    small = _counts(client)
    volume.load(scale=6 / volume.PARTNERSHIPS, responses=60, log=lambda line: None)
    assert Partnership.objects.filter(slug__startswith=volume.SLUG_PREFIX).count() == 6
    assert _counts(client) == small


def test_the_loader_adds_nothing_the_second_time_and_makes_valid_published_strategies():
    made = volume.load(scale=2 / volume.PARTNERSHIPS, responses=10, log=lambda line: None)
    assert (made.partnerships, made.strategies, made.responses) == (2, 5, 10)
    assert made.measures == 2 * 2 * volume.PRIORITIES * volume.OBJECTIVES * volume.MEASURES
    before = volume.counts()
    again = volume.load(scale=2 / volume.PARTNERSHIPS, responses=10, log=lambda line: None)
    assert again == volume.Made()
    assert volume.counts() == before
    for strategy in Strategy.objects.filter(kind=Strategy.Kind.FULL):
        assert strategy.versions.filter(reason="publication").exists()
    statuses = sorted(Strategy.objects.filter(kind=Strategy.Kind.FULL)
                      .values_list("status", flat=True))
    assert statuses == ["published", "published", "superseded", "superseded"]


def test_the_command_refuses_sqlite_unless_scaled_down_and_asked():
    with mock.patch.object(connection, "vendor", "sqlite"):
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("load_volume", "--scale", "0.01")
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("load_volume", "--scale", "0.5", "--allow-sqlite")


def test_the_command_refuses_a_scale_that_is_not_a_fraction():
    for scale in ("0", "2", "lots"):
        with pytest.raises(CommandError, match="--scale"):
            call_command("load_volume", "--scale", scale)
