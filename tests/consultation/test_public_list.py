"""The public list of every partnership's consultations: open ones first,
closing soonest first, then coming, then closed; searched and filtered by a
GET form that needs no JavaScript, 20 a page, the filters kept from page to
page, hostile query strings refused politely, the same queries whatever the
rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.models import Audience, Channel, Consultation
from consultation.services import response_submit
from tests import factories
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db

LIST = reverse("consultation:list")


def _page(query: str = "", **params):
    response = Client().get(LIST + query, params)
    assert response.status_code == 200
    return response


def _titles(response) -> list[str]:
    return [c.title for c in response.context["consultations"]]


def _consultation(partnership=None, *, days_open=(-1, 30), **kwargs) -> Consultation:
    now = timezone.now()
    return open_consultation(
        partnership, priorities=0,
        opens_at=now + dt.timedelta(days=days_open[0]),
        closes_at=now + dt.timedelta(days=days_open[1]),
        **kwargs,
    )


def _respond(consultation, n: int) -> None:
    for _ in range(n):
        response_submit(consultation=consultation, audience="public", answers={},
                        channel=Channel.PAPER)


@pytest.fixture
def mixed():
    """Two partnerships' consultations in each state."""
    borough = factories.PartnershipFactory(name="Safer Borough Partnership")
    town = factories.PartnershipFactory(name="Other Town Partnership")
    rows = {
        "open later": _consultation(borough, title="Open later", days_open=(-5, 60)),
        "open soon": _consultation(town, title="Open soon", days_open=(-50, 3)),
        "coming": _consultation(town, title="Coming next month", days_open=(30, 120)),
        "coming soon": _consultation(borough, title="Coming next week", days_open=(7, 90)),
        "closed long ago": _consultation(borough, title="Closed long ago", days_open=(-300, -200)),
        "closed lately": _consultation(town, title="Closed lately", days_open=(-100, -2)),
    }
    return borough, town, rows


def test_open_ones_come_first_closing_soonest_then_coming_then_closed_latest_first(mixed):
    assert _titles(_page()) == [
        "Open soon", "Open later", "Coming next week", "Coming next month",
        "Closed lately", "Closed long ago",
    ]


def test_each_row_shows_its_status_dates_partnership_and_responses_so_far(mixed):
    borough, town, rows = mixed
    _respond(rows["open soon"], 3)
    _respond(rows["closed lately"], 2)
    Consultation.objects.filter(pk=rows["closed lately"].pk).update(
        status=Consultation.Status.FEEDBACK
    )

    html = _page().content.decode()

    open_soon = html[html.index("Open soon"):html.index("Open later")]
    assert "Open</strong>" in open_soon and "Closing soon" in open_soon
    closes = timezone.localtime(rows["open soon"].closes_at)
    assert f"Closes {closes:%-d %B %Y}" in open_soon and "3 responses so far" in open_soon
    assert reverse("partnership_home", args=[town.slug]) in open_soon
    assert reverse("consultation:respond", args=[rows["open soon"].slug]) in open_soon
    open_later = html[html.index("Open later"):html.index("Coming next week")]
    assert "Closing soon" not in open_later and "0 responses so far" in open_later
    coming = html[html.index("Coming next week"):html.index("Coming next month")]
    opens = timezone.localtime(rows["coming soon"].opens_at)
    assert "Coming soon</strong>" in coming and f"Opens {opens:%-d %B %Y}" in coming
    assert "response" not in coming
    closed = html[html.index("Closed lately"):html.index("Closed long ago")]
    assert "Closed</strong>" in closed and "2 responses." in closed
    assert reverse("consultation:results", args=[rows["closed lately"].slug]) in closed
    assert "You said, we did" not in html[html.index("Closed long ago"):]
    assert "6 consultations</h2>" in html


def test_a_draft_is_never_listed(mixed):
    borough, _, _ = mixed
    services.consultation_create(
        strategy=factories.StrategyFactory(partnership=borough), title="Still a draft",
        slug="still-a-draft", summary="Not yet.", opens_at=timezone.now(), closes_at=None,
        audiences=[Audience.PUBLIC],
    )
    assert "Still a draft" not in _page(status="all").content.decode()


@pytest.mark.parametrize("status, expected", [
    ("open", ["Open soon", "Open later"]),
    ("coming", ["Coming next week", "Coming next month"]),
    ("closed", ["Closed lately", "Closed long ago"]),
    ("all", ["Open soon", "Open later", "Coming next week", "Coming next month",
             "Closed lately", "Closed long ago"]),
])
def test_the_status_filter(mixed, status, expected):
    response = _page(status=status)
    assert _titles(response) == expected
    assert re.search(rf'value="{status}" checked', response.content.decode())


def test_the_partnership_filter_shows_only_that_partnerships_consultations(mixed):
    borough, town, _ = mixed
    response = _page(partnership=borough.slug)
    assert _titles(response) == ["Open later", "Coming next week", "Closed long ago"]
    assert f'<option value="{borough.slug}" selected>' in response.content.decode()
    assert _titles(_page(partnership=town.slug, status="open")) == ["Open soon"]


def test_the_audience_filter_finds_consultations_for_that_audience():
    _consultation(title="For schools", audiences=[Audience.YOUNG_PEOPLE])
    _consultation(title="For everyone",
                  audiences=[Audience.PUBLIC, Audience.STAKEHOLDER, Audience.YOUNG_PEOPLE])
    _consultation(title="For the public", audiences=[Audience.PUBLIC])
    assert sorted(_titles(_page(audience="young_people"))) == ["For everyone", "For schools"]
    assert sorted(_titles(_page(audience="public"))) == ["For everyone", "For the public"]
    assert _titles(_page(audience="stakeholder")) == ["For everyone"]


def test_search_looks_in_titles_and_summaries_whatever_the_case():
    lighting = _consultation(title="Street lighting and safety")
    summary = _consultation(title="Our draft plan")
    Consultation.objects.filter(pk=summary.pk).update(summary="Knife crime and young people.")
    _consultation(title="Something else")
    assert _titles(_page(q="LIGHTING")) == [lighting.title]
    assert _titles(_page(q="knife CRIME")) == [summary.title]
    response = _page(q="lighting")
    assert 'value="lighting"' in response.content.decode()


def test_search_and_filters_combine(mixed):
    borough, town, _ = mixed
    assert _titles(_page(q="open", partnership=town.slug)) == ["Open soon"]
    assert _titles(_page(q="closed", status="open")) == []


def test_nothing_found_says_so_with_what_to_try_next(mixed):
    html = _page(q="no such words anywhere").content.decode()
    assert "0 consultations</h2>" in html
    assert "No consultation matches your search and filters." in html
    assert f'href="{LIST}">clear the filters</a>' in html


def test_twenty_a_page_and_the_links_keep_the_filters():
    partnership = factories.PartnershipFactory()
    for n in range(23):
        _consultation(partnership, title=f"Safety plan {n:02}", days_open=(-1, 10 + n))
    _consultation(title="Safety plan elsewhere")

    first = _page(q="safety plan", partnership=partnership.slug, status="open")
    html = first.content.decode()
    assert len(_titles(first)) == 20 and "23 consultations</h2>" in html
    query = f"q=safety+plan&amp;status=open&amp;partnership={partnership.slug}"
    assert f'href="?{query}&amp;page=2" rel="next"' in html
    assert f'href="?{query}&amp;page=2" aria-label="Page 2"' in html

    second = _page(q="safety plan", partnership=partnership.slug, status="open", page="2")
    assert _titles(second) == [f"Safety plan {n:02}" for n in range(20, 23)]
    html = second.content.decode()
    assert f'href="?{query}&amp;page=1" rel="prev"' in html
    assert "Consultations (page 2)" in html
    assert 'aria-current="page">2<' in html


@pytest.mark.parametrize("query", [
    "?page=-1", "?page=abc", "?page=0", "?page=" + "9" * 30, "?page=1.5", "?page=%00",
])
def test_a_page_number_that_is_not_one_shows_the_first_page(mixed, query):
    response = _page(query)
    assert response.context["page"].number == 1
    assert "These filters were not used" not in response.content.decode()


def test_a_page_beyond_the_last_shows_the_last(mixed):
    assert _page("?page=999999").context["page"].number == 1  # only one page


@pytest.mark.parametrize("query, problem", [
    ("?status=%3Cscript%3Ealert(1)%3C/script%3E", "Status: Choose from the list"),
    ("?partnership=999999", "Partnership: Choose from the list"),
    ("?partnership=%3Cscript%3E", "Partnership: Choose from the list"),
    ("?audience=everyone", "Who it is for: Choose from the list"),
    ("?q=" + "x" * 1000, "Search: Search must be 200 characters or fewer"),
    ("?q=a%00b", "Search: Remove the hidden control characters"),
])
def test_a_filter_that_is_not_valid_is_left_out_with_a_message_and_never_reflected(
    mixed, query, problem
):
    response = _page(query)
    html = response.content.decode()
    assert "These filters were not used" in html and problem in html
    assert "<script>" not in html.split("<main")[1] and "x" * 201 not in html
    # The other filters still apply: the list is the whole list.
    assert len(_titles(response)) == 6


def test_unicode_and_markup_in_a_search_are_searched_for_and_shown_escaped(mixed):
    borough, _, rows = mixed
    Consultation.objects.filter(pk=rows["open later"].pk).update(title="Zoë's café 東京 plan")
    # Letters beyond ASCII match in their own case (SQLite's LIKE folds
    # only ASCII letters; PostgreSQL folds them all).
    response = _page(q="ZOë'S CAFé 東京")
    assert _titles(response) == ["Zoë's café 東京 plan"]
    response = _page(q='"><script>alert(1)</script>')
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _titles(response) == []


def test_the_list_makes_the_same_number_of_queries_with_twice_the_rows():
    borough = factories.PartnershipFactory()
    town = factories.PartnershipFactory()

    def grow():
        for partnership in (borough, town):
            _respond(_consultation(partnership), 2)
            _consultation(partnership, days_open=(5, 60))
            _respond(_consultation(partnership, days_open=(-60, -1)), 2)

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            _page(**params)
        return len(ctx)

    filters = [{}, {"status": "open", "q": "have", "partnership": borough.slug},
               {"audience": "public", "page": "2"}]
    grow()
    few = [queries(**f) for f in filters]
    grow()
    grow()
    assert [queries(**f) for f in filters] == few
    # The partnerships to choose from, the count, the page, its responses so far.
    assert few[0] == 4
