"""A partnership's public home: its strategy in force and earlier ones, its
consultations open, coming and closed, and how to reach it; nothing of any
other partnership; the same queries however much history it has."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation.models import Channel, Consultation
from consultation.services import response_submit
from strategy.models import Strategy
from tests import factories
from tests.consultation.factories import open_consultation
from tests.strategy.factories import publish

pytestmark = pytest.mark.django_db


def _home(partnership) -> str:
    response = Client().get(reverse("partnership_home", args=[partnership.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _respond(consultation, n: int) -> None:
    # Paper forms, which officers may key in after the closing date too.
    for _ in range(n):
        response_submit(consultation=consultation, audience="public", answers={},
                        channel=Channel.PAPER)


def _closed(partnership, **kwargs) -> Consultation:
    now = timezone.now()
    return open_consultation(
        partnership, opens_at=now - dt.timedelta(days=100),
        closes_at=kwargs.pop("closes_at", now - dt.timedelta(days=1)), **kwargs,
    )


def _results_published(consultation) -> None:
    # "You said, we did" published; the service's rules for it are tested
    # in tests/consultation/test_lifecycle.py.
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.FEEDBACK)


def test_a_partnership_home_shows_its_name_area_aim_and_contact_details():
    partnership = factories.PartnershipFactory(
        name="Safer Borough Partnership", area="Anyborough", aim="To make Anyborough safe.",
        contact_email="safety@anyborough.example", contact_phone="01234 567890",
        contact_address="Town Hall\nHigh Street", website="https://anyborough.example/safety",
    )
    html = _home(partnership)
    assert "<title>Strategy, consultations and contact details – Safer Borough Partnership" in html
    assert '<h1 class="govuk-heading-xl">Safer Borough Partnership</h1>' in html
    assert "Anyborough" in html and "To make Anyborough safe." in html
    assert 'href="mailto:safety@anyborough.example"' in html
    assert "01234 567890" in html and "Town Hall<br>High Street" in html
    assert 'href="https://anyborough.example/safety"' in html
    assert f'href="{reverse("privacy")}"' in html
    assert f'href="{reverse("accessibility:statement", args=[partnership.slug])}"' in html
    # The header wears the partnership's brand.
    assert '<span class="govuk-header__logotype-text smk-header__brand">Safer Borough' in html


def test_without_contact_details_the_page_says_so_rather_than_showing_empty_fields():
    html = _home(factories.PartnershipFactory())
    assert "has not given contact details here yet" in html
    assert "mailto:" not in html


def test_the_strategy_in_force_comes_first_then_earlier_ones_and_never_a_draft():
    partnership = factories.PartnershipFactory()
    first = publish(factories.StrategyFactory(partnership=partnership, title="First strategy"))
    second = publish(factories.StrategyFactory(partnership=partnership, title="Second strategy"))
    factories.StrategyFactory(partnership=partnership, title="A draft in the making")
    first.refresh_from_db()
    assert first.status == Strategy.Status.SUPERSEDED

    html = _home(partnership)

    assert second.get_public_url() in html and first.get_public_url() in html
    assert html.index("Second strategy") < html.index("In force") < html.index(
        "Earlier strategies") < html.index("First strategy")
    assert "A draft in the making" not in html


def test_with_no_published_strategy_or_consultation_the_page_says_so():
    html = _home(factories.PartnershipFactory())
    assert "We have not published a strategy here yet." in html
    assert "We have not consulted on a strategy here yet." in html


def test_open_consultations_close_soonest_first_with_responses_so_far_and_a_respond_link():
    partnership = factories.PartnershipFactory()
    now = timezone.now()
    later = open_consultation(partnership, title="Later one", closes_at=now + dt.timedelta(days=60))
    soon = open_consultation(partnership, title="Soon one", closes_at=now + dt.timedelta(days=5))
    _respond(soon, 3)
    _respond(later, 1)

    html = _home(partnership)

    open_part = html[html.index("Open now"):html.index("All consultations by")]
    assert open_part.index("Soon one") < open_part.index("Later one")
    assert open_part.count("Closing soon") == 1
    assert open_part.index("Closing soon") < open_part.index("Later one")
    assert f"Closes {timezone.localtime(soon.closes_at):%-d %B %Y}" in open_part
    assert "3 responses so far" in open_part and "1 response so far" in open_part
    assert reverse("consultation:respond", args=[soon.slug]) in open_part


def test_coming_consultations_show_when_they_open_and_closed_ones_link_to_published_results():
    partnership = factories.PartnershipFactory()
    now = timezone.now()
    coming = open_consultation(partnership, title="Coming one",
                               opens_at=now + dt.timedelta(days=10))
    with_results = _closed(partnership, title="Closed with results",
                           closes_at=now - dt.timedelta(days=2))
    _respond(with_results, 2)
    _results_published(with_results)
    _closed(partnership, title="Closed awaiting results", closes_at=now - dt.timedelta(days=30))

    html = _home(partnership)

    assert f"Opens {timezone.localtime(coming.opens_at):%-d %B %Y}" in html
    closed_part = html[html.index("Recently closed"):]
    assert closed_part.index("Closed with results") < closed_part.index("Closed awaiting")
    assert reverse("consultation:results", args=[with_results.slug]) in closed_part
    assert closed_part.count("You said, we did") == 1
    assert "2 responses." in closed_part
    assert "We have not published what people said and what we did yet." in closed_part


def test_only_the_latest_closed_consultations_show_with_a_link_to_the_filtered_hub_list():
    partnership = factories.PartnershipFactory()
    now = timezone.now()
    for days in range(1, 6):
        _closed(partnership, title=f"Closed {days} days ago",
                closes_at=now - dt.timedelta(days=days))

    html = _home(partnership)

    assert "Closed 1 days ago" in html and "Closed 3 days ago" in html
    assert "Closed 4 days ago" not in html and "Closed 5 days ago" not in html
    assert f'href="{reverse("consultation:list")}?partnership={partnership.slug}"' in html


def test_no_other_partnerships_strategy_or_consultation_appears():
    mine = factories.PartnershipFactory()
    other = factories.PartnershipFactory(name="Other Town Partnership")
    publish(factories.StrategyFactory(partnership=mine, title="My strategy"))
    publish(factories.StrategyFactory(partnership=other, title="Their strategy"))
    open_consultation(mine, title="My consultation")
    open_consultation(other, title="Their open consultation")
    open_consultation(other, title="Their coming consultation",
                      opens_at=timezone.now() + dt.timedelta(days=3))
    _closed(other, title="Their closed consultation")

    html = _home(mine)

    assert "My strategy" in html and "My consultation" in html
    assert "Their" not in html and "Other Town" not in html


def test_an_unknown_partnership_answers_404():
    factories.PartnershipFactory(slug="known")
    assert Client().get(reverse("partnership_home", args=["unknown"])).status_code == 404


def _grow(partnership) -> None:
    """One more of everything the page lists, with responses."""
    now = timezone.now()
    publish(factories.StrategyFactory(partnership=partnership))
    _respond(open_consultation(partnership), 2)
    open_consultation(partnership, opens_at=now + dt.timedelta(days=20))
    closed = _closed(partnership)
    _respond(closed, 2)
    _results_published(closed)


def test_the_page_makes_the_same_number_of_queries_with_twice_the_rows():
    partnership = factories.PartnershipFactory()
    other = factories.PartnershipFactory()
    url = reverse("partnership_home", args=[partnership.slug])
    for _ in range(2):
        _grow(partnership)
        _grow(other)
    with CaptureQueriesContext(connection) as few:
        assert Client().get(url).status_code == 200
    for _ in range(2):
        _grow(partnership)
        _grow(other)
    with CaptureQueriesContext(connection) as many:
        html = Client().get(url).content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert html.count("Respond now") == 4 and html.count("You said, we did") == 3


def test_partnership_names_on_public_pages_link_to_its_home():
    partnership = factories.PartnershipFactory(name="Safer Borough Partnership")
    strategy = publish(factories.StrategyFactory(partnership=partnership))
    consultation = open_consultation(partnership)
    home = reverse("partnership_home", args=[partnership.slug])
    link = f'<a class="govuk-link" href="{home}">Safer Borough Partnership</a>'
    client = Client()
    for url in (reverse("home"), reverse("strategy:public_list"), reverse("consultation:list"),
                strategy.get_public_url(), consultation.get_absolute_url()):
        html = client.get(url).content.decode()
        assert link in html, url
