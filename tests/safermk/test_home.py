"""The public home page leads with open consultations, closing soonest
first, each a click from its start page, then the strategies in force."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db


def _published(partnership=None):
    strategy = factories.StrategyFactory(**({"partnership": partnership} if partnership else {}))
    # Adoption needs a board's approval of the content, recorded for real.
    return factories.move_through(strategy, ("drafting", "sign_off", "adopted", "published"))


def test_the_consultation_closing_soonest_comes_first_with_its_date_and_respond_link(client):
    now = timezone.now()
    later = open_consultation(title="Later one", closes_at=now + dt.timedelta(days=60))
    soon = open_consultation(title="Soon one", closes_at=now + dt.timedelta(days=5))
    html = client.get(reverse("home")).content.decode()
    assert html.index("Soon one") < html.index("Later one")
    assert reverse("consultation:respond", args=[soon.slug]) in html
    assert reverse("consultation:respond", args=[later.slug]) in html
    assert f"Open until {timezone.localtime(soon.closes_at):%-d %B %Y}" in html
    assert html.count("Closing soon") == 1


def test_the_respond_link_leads_to_the_start_page_with_the_first_question_one_click_away(
    client,
):
    consultation = open_consultation(title="Have your say on safety")
    home = client.get(reverse("home")).content.decode()
    start_url = reverse("consultation:respond", args=[consultation.slug])
    assert f'href="{start_url}"' in home
    assert client.get(start_url).status_code == 200
    # The start page's one button ("Continue") is the second click.
    answered = client.post(start_url, {"audience": "public", "consent": "on"})
    first_step = reverse("consultation:respond_step", args=[consultation.slug, 1])
    assert answered.status_code == 302 and answered["Location"] == first_step
    assert client.get(first_step).status_code == 200


def test_the_home_page_lists_published_strategies_and_not_drafts(client):
    published = _published()
    draft = factories.StrategyFactory()
    html = client.get(reverse("home")).content.decode()
    assert published.title in html and published.get_public_url() in html
    assert draft.title not in html


def test_the_home_page_says_when_no_consultation_is_open(client):
    html = client.get(reverse("home")).content.decode()
    assert "No consultation is open at the moment" in html


def _rows(n):
    for _ in range(n):
        open_consultation()
        _published()


def test_the_home_page_reads_in_a_fixed_number_of_queries(client):
    _rows(4)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    _rows(8)  # past the page size: the list is cut, with a link to the rest
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("home")).content.decode()
    assert len(many) == len(few)
    assert f'href="{reverse("consultation:list")}?status=open">See all open consultations' in html
