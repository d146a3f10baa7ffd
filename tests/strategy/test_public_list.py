"""The public list of every partnership's published strategies: by
partnership, the strategy in force first; searched by title, partnership
name or area, filtered by partnership and by in force or replaced, 20 a
page with the filters kept, hostile query strings refused politely, the same
queries whatever the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy.models import Strategy
from tests import factories
from tests.strategy.factories import publish

pytestmark = pytest.mark.django_db

LIST = reverse("strategy:public_list")


def _page(query: str = "", **params):
    response = Client().get(LIST + query, params)
    assert response.status_code == 200
    return response


def _titles(response) -> list[str]:
    return [s.title for group in response.context["groups"] for s in group["strategies"]]


def _published(partnership, title: str, year: int) -> Strategy:
    return publish(factories.StrategyFactory(
        partnership=partnership, title=title,
        period_start=dt.date(year, 4, 1), period_end=dt.date(year + 3, 3, 31),
    ))


@pytest.fixture
def two():
    """Two partnerships, each with a strategy in force and one it replaced,
    and a draft."""
    borough = factories.PartnershipFactory(name="Safer Borough Partnership", area="Anyborough")
    town = factories.PartnershipFactory(name="Other Town Partnership", area="Othertown")
    _published(borough, "Borough strategy 2018", 2018)
    _published(borough, "Borough strategy 2021", 2021)
    _published(town, "Town plan 2019", 2019)
    _published(town, "Town plan 2022", 2022)
    factories.StrategyFactory(partnership=town, title="Town draft")
    return borough, town


def test_strategies_come_by_partnership_name_the_one_in_force_first_and_never_a_draft(two):
    response = _page()
    assert _titles(response) == [
        "Town plan 2022", "Town plan 2019", "Borough strategy 2021", "Borough strategy 2018",
    ]
    html = response.content.decode()
    assert "Town draft" not in html
    assert "4 strategies</h2>" in html
    results = html[html.index("4 strategies</h2>"):]
    town_part = results[:results.index("Safer Borough Partnership</a>")]
    assert "Other Town Partnership</a>" in town_part
    assert town_part.index("In force") < town_part.index("Town plan 2019")
    assert town_part.count("Replaced</strong>") == 1


def test_each_partnership_and_strategy_links_to_its_public_page(two):
    borough, _ = two
    html = _page().content.decode()
    assert f'href="{reverse("partnership_home", args=[borough.slug])}"' in html
    for strategy in Strategy.objects.public():
        assert f'href="{strategy.get_public_url()}"' in html


@pytest.mark.parametrize("words, expected", [
    ("PLAN 2019", ["Town plan 2019"]),
    ("safer borough", ["Borough strategy 2021", "Borough strategy 2018"]),
    ("othertown", ["Town plan 2022", "Town plan 2019"]),
    ("draft", []),
])
def test_search_looks_in_the_title_and_the_partnerships_name_and_area(two, words, expected):
    response = _page(q=words)
    assert _titles(response) == expected
    assert f'value="{words}"' in response.content.decode()


@pytest.mark.parametrize("status, expected", [
    ("current", ["Town plan 2022", "Borough strategy 2021"]),
    ("replaced", ["Town plan 2019", "Borough strategy 2018"]),
    ("all", ["Town plan 2022", "Town plan 2019", "Borough strategy 2021", "Borough strategy 2018"]),
])
def test_the_status_filter(two, status, expected):
    response = _page(status=status)
    assert _titles(response) == expected
    assert f'value="{status}" checked' in response.content.decode()


def test_the_partnership_filter_shows_only_that_partnerships_strategies(two):
    borough, town = two
    response = _page(partnership=borough.slug)
    assert _titles(response) == ["Borough strategy 2021", "Borough strategy 2018"]
    assert f'<option value="{borough.slug}" selected>' in response.content.decode()
    assert _titles(_page(partnership=town.slug, status="current")) == ["Town plan 2022"]


def test_the_kind_filter_separates_serious_violence_strategies_from_the_others(two):
    borough, town = two
    serious = _published(town, "Town serious violence strategy", 2023)
    # Publishing one goes through each authority's sign-off (tested in
    # test_serious_violence_pages.py); here only the list's filter matters.
    Strategy.objects.filter(pk=serious.pk).update(duty=Strategy.Duty.SERIOUS_VIOLENCE)
    response = _page(kind=Strategy.Duty.SERIOUS_VIOLENCE)
    assert _titles(response) == [serious.title]
    assert 'value="serious_violence" checked' in response.content.decode()
    assert "Town serious violence strategy" not in " ".join(
        _titles(_page(kind=Strategy.Duty.COMMUNITY_SAFETY)))
    assert len(_titles(_page(kind="all"))) == 5
    assert _titles(_page(kind=Strategy.Duty.SERIOUS_VIOLENCE, partnership=borough.slug)) == []


def test_nothing_found_says_so_with_what_to_try_next(two):
    html = _page(q="no such strategy").content.decode()
    assert "0 strategies</h2>" in html
    assert "No published strategy matches your search and filters." in html
    assert f'href="{LIST}">clear the filters</a>' in html


def test_twenty_a_page_and_the_links_keep_the_filters():
    partnership = factories.PartnershipFactory(name="Safer Borough Partnership")
    for year in range(2000, 2023):
        _published(partnership, f"Borough strategy {year}", year)
    _published(factories.PartnershipFactory(), "Elsewhere", 2020)

    first = _page(q="borough", status="replaced")
    html = first.content.decode()
    assert len(_titles(first)) == 20 and "22 strategies</h2>" in html
    assert 'href="?q=borough&amp;status=replaced&amp;page=2" rel="next"' in html

    second = _page(q="borough", status="replaced", page="2")
    assert _titles(second) == ["Borough strategy 2001", "Borough strategy 2000"]
    html = second.content.decode()
    assert 'href="?q=borough&amp;status=replaced&amp;page=1" rel="prev"' in html
    # The partnership's heading again above the rest of its strategies.
    assert "Safer Borough Partnership</a></h3>" in html
    assert "Published strategies (page 2)" in html


@pytest.mark.parametrize("query, problem", [
    ("?status=%3Cscript%3Ealert(1)%3C/script%3E", "Status: Choose from the list"),
    ("?partnership=999999", "Partnership: Choose from the list"),
    ("?kind=%3Cb%3Eall", "Kind of strategy: Choose from the list"),
    ("?q=" + "x" * 1000, "Search: Search must be 200 characters or fewer"),
    ("?q=%1b%5b31m", "Search: Remove the hidden control characters"),
])
def test_a_filter_that_is_not_valid_is_left_out_with_a_message_and_never_reflected(
    two, query, problem
):
    response = _page(query)
    html = response.content.decode()
    assert "These filters were not used" in html and problem in html
    assert "<script>" not in html.split("<main")[1] and "x" * 201 not in html
    assert len(_titles(response)) == 4


@pytest.mark.parametrize(
    "query", ["?page=-1", "?page=abc", "?page=" + "1" * 40, "?page=%F0%9F%98%80"]
)
def test_a_page_number_that_is_not_one_shows_the_first_page(two, query):
    response = _page(query)
    assert response.context["page"].number == 1
    assert len(_titles(response)) == 4


def test_unicode_and_markup_in_a_search_are_shown_escaped(two):
    html = _page(q='Zoë 東京 "><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)" not in html
    assert "Zoë 東京 &quot;&gt;&lt;script&gt;" in html


def test_the_list_makes_the_same_number_of_queries_with_twice_the_rows():
    borough = factories.PartnershipFactory()
    town = factories.PartnershipFactory()
    year = iter(range(2000, 2030))

    def grow():
        for partnership in (borough, town):
            _published(partnership, "A strategy", next(year))

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            _page(**params)
        return len(ctx)

    filters = [{}, {"status": "replaced", "q": "strategy", "partnership": borough.slug}]
    grow()
    grow()
    few = [queries(**f) for f in filters]
    grow()
    grow()
    assert [queries(**f) for f in filters] == few
    # The partnerships to choose from, the count, the page.
    assert few[0] == 3
