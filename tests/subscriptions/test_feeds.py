"""Atom feeds of consultations opening and publishing results: one per
partnership (only its own) and one across all, linked from the pages."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation.models import Consultation
from tests.consultation.factories import open_consultation
from tests.subscriptions.helpers import publish_results

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"))
            for e in root.findall(f"{ATOM}entry")]


def test_a_partnerships_feed_lists_its_openings_and_results_and_no_one_elses(
    client, partnership, other_partnership
):
    mine = open_consultation(partnership, title="Safer streets")
    publish_results(mine)
    open_consultation(other_partnership, title="Other town survey")
    entries = _entries(client, reverse("subscriptions:partnership_feed",
                                       args=[partnership.slug]))
    titles = [t for t, _ in entries]
    assert titles == ["Results published: Safer streets", "Consultation opened: Safer streets"]
    assert entries[0][1].endswith(reverse("consultation:results", args=[mine.slug]))
    assert entries[1][1].endswith(mine.get_absolute_url())


def test_the_feed_across_partnerships_lists_both_and_leaves_out_drafts_and_coming_ones(
    client, partnership, other_partnership
):
    open_consultation(partnership, title="Safer streets")
    open_consultation(other_partnership, title="Other town survey")
    coming = open_consultation(partnership, title="Next year",
                               opens_at=timezone.now() + dt.timedelta(days=3))
    draft = open_consultation(partnership, title="Not yet scheduled")
    Consultation.objects.filter(pk=draft.pk).update(status=Consultation.Status.DRAFT)
    titles = {t for t, _ in _entries(client, reverse("subscriptions:all_feed"))}
    assert titles == {"Consultation opened: Safer streets",
                      "Consultation opened: Other town survey"}
    assert coming.title not in str(titles)


def test_an_unknown_partnership_has_no_feed(client):
    assert client.get("/partnerships/no-such/feed.atom").status_code == 404


def test_the_feeds_run_a_fixed_number_of_queries_with_twice_the_consultations(
    client, partnership
):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    urls = [reverse("subscriptions:all_feed"),
            reverse("subscriptions:partnership_feed", args=[partnership.slug])]
    for _ in range(2):
        open_consultation(partnership)
    before = [count(u) for u in urls]
    for _ in range(2):
        open_consultation(partnership)
    assert [count(u) for u in urls] == before


def test_the_hub_and_the_partnership_home_link_their_feeds_as_alternates(client, partnership):
    hub = client.get(reverse("consultation:list")).content.decode()
    head = hub.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert reverse("subscriptions:all_feed") in head
    home = client.get(reverse("partnership_home", args=[partnership.slug])).content.decode()
    head = home.split("</head>")[0]
    assert 'rel="alternate" type="application/atom+xml"' in head
    assert reverse("subscriptions:partnership_feed", args=[partnership.slug]) in head
    assert reverse("subscriptions:follow_partnership", args=[partnership.slug]) in home
