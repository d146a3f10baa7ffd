"""The yearly ASB case review figures: recorded by officers with checks that
say what is wrong, public on the partnership's pages and in its open data
from their publication date, and never another partnership's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from reviews.models import AsbCaseReviewReturn
from tests.conftest import client_for
from tests.reviews.conftest import days

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
YEAR = TODAY.year - 1 if TODAY.month >= 4 else TODAY.year - 2


def _figures(**changes) -> dict:
    publish = days(-5)
    data = {"year": YEAR, "applications": 17, "threshold_not_met": 6, "reviews_held": 10,
            "reviews_with_recommendations": 7, "referred_to_policing_body": 2,
            "publish_on_0": publish.day, "publish_on_1": publish.month,
            "publish_on_2": publish.year}
    return {**data, **changes}


def _record(partnership, *, year=YEAR, publish_on=None, applications=17):
    return services.asb_return_save(
        partnership=partnership, year=year, applications=applications, threshold_not_met=6,
        reviews_held=10, reviews_with_recommendations=7, referred_to_policing_body=None,
        publish_on=publish_on or days(-5),
    )


def test_an_officer_records_the_figures_and_they_are_public_on_the_page_home_and_json(
    partnership, officer
):
    response = client_for(officer).post(
        reverse("reviews:asb_returns", args=[partnership.slug]), _figures())
    assert response.status_code == 302
    row = AsbCaseReviewReturn.objects.get()
    assert (row.applications, row.threshold_not_met, row.reviews_held,
            row.reviews_with_recommendations, row.referred_to_policing_body) == (17, 6, 10, 7, 2)

    public = Client()
    page = public.get(reverse("reviews:public_asb_returns", args=[partnership.slug]))
    html = page.content.decode()
    assert f"1 April {YEAR} to 31 March {YEAR + 1}" in html
    for figure in (">17<", ">6<", ">10<", ">7<", ">2<"):
        assert figure in html
    home = public.get(reverse("partnership_home", args=[partnership.slug])).content.decode()
    assert f"From 1 April {YEAR} to 31 March {YEAR + 1}" in home and ">17<" in home

    data = public.get(reverse("reviews:public_asb_returns_json", args=[partnership.slug])).json()
    assert data["partnership"] == partnership.slug
    assert data["asb_case_reviews"] == [{
        "year_from": f"{YEAR}-04-01", "year_to": f"{YEAR + 1}-03-31", "applications": 17,
        "threshold_not_met": 6, "reviews_held": 10, "reviews_with_recommendations": 7,
        "threshold_decisions_referred_to_policing_body": 2,
        "published_on": days(-5).isoformat(),
    }]


def test_figures_are_not_public_before_their_publication_date(partnership):
    _record(partnership, year=YEAR - 1, publish_on=days(-200), applications=16)
    _record(partnership, year=YEAR, publish_on=days(10), applications=99)
    client = Client()
    html = client.get(reverse("reviews:public_asb_returns", args=[partnership.slug])).content
    assert b">16<" in html and b">99<" not in html
    data = client.get(reverse("reviews:public_asb_returns_json", args=[partnership.slug])).json()
    assert [r["applications"] for r in data["asb_case_reviews"]] == [16]
    home = client.get(reverse("partnership_home", args=[partnership.slug])).content.decode()
    assert f"From 1 April {YEAR - 1}" in home and ">99<" not in home


def test_a_partnership_shows_only_its_own_figures(partnership, other_partnership):
    _record(partnership, applications=41)
    client = Client()
    for name in ("reviews:public_asb_returns", "partnership_home"):
        html = client.get(reverse(name, args=[other_partnership.slug])).content.decode()
        assert ">41<" not in html
        assert other_partnership.name in html
    data = client.get(reverse("reviews:public_asb_returns_json",
                              args=[other_partnership.slug])).json()
    assert data["asb_case_reviews"] == []
    assert client.get("/partnerships/no-such-place/asb-case-reviews.json").status_code == 404


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"threshold_not_met": 18}, "threshold_not_met",
     "cannot be more than the 17 applications received"),
    ({"reviews_held": 12}, "reviews_held",
     "cannot be more than the 11 applications that met the threshold"),
    ({"reviews_with_recommendations": 11}, "reviews_with_recommendations",
     "cannot be more than the 10 reviews carried out"),
    ({"referred_to_policing_body": 7}, "referred_to_policing_body",
     "cannot be more than the 6 applications that did not meet the threshold"),
    ({"applications": "a dozen"}, "applications",
     "Enter the number of applications as a whole number, like 12"),
    ({"applications": "-1"}, "applications", "The number of applications must be 0 or more"),
    ({"applications": "9" * 30}, "applications",
     "The number of applications must be 100000 or less"),
    ({"reviews_held": ""}, "reviews_held",
     "Enter the number of case reviews carried out, 0 if there were none"),
    ({"year": "1999"}, "year", "Enter a year from 2014"),
    ({"year": "2013"}, "year", "Enter a year from 2014 to"),
    ({"year": str(TODAY.year + 1)}, "year", f"Enter a year from 2014 to {TODAY.year}"),
    ({"publish_on_0": "1", "publish_on_1": "3", "publish_on_2": str(YEAR + 1)}, "publish_on",
     f"can be published only after the year ends on 31 March {YEAR + 1}"),
    ({"publish_on_0": "31", "publish_on_1": "2", "publish_on_2": "2027"}, "publish_on",
     "The date the figures are published must be a real date"),
    ({"year": "\x00"}, "year", "Enter the year as 4 digits"),
])
def test_figures_that_do_not_add_up_are_refused_next_to_the_field(
    partnership, officer, changes, field, message
):
    response = client_for(officer).post(
        reverse("reviews:asb_returns", args=[partnership.slug]), _figures(**changes))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    # The message sits next to its field (and in the summary at the top).
    error = html.index(f'id="id_{field}_1_error"')
    assert message in html[error:error + 400]
    assert message in html.split('govuk-error-summary__list">')[1][:2000]
    assert not AsbCaseReviewReturn.objects.exists()


def test_a_year_is_recorded_once_and_corrected_on_its_own_page(partnership, officer):
    row = _record(partnership)
    client = client_for(officer)
    html = client.post(reverse("reviews:asb_returns", args=[partnership.slug]),
                       _figures()).content.decode()
    assert "already has figures for this year" in html
    response = client.post(row.get_absolute_url(), _figures(applications=20))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.applications == 20


def test_only_the_partnerships_officers_manage_the_figures(
    partnership, partner_officer, other_officer, board_member
):
    row = _record(partnership)
    urls = [reverse("reviews:asb_returns", args=[partnership.slug]), row.get_absolute_url()]
    for user, status in ((partner_officer, 403), (board_member, 403), (other_officer, 404)):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
            assert client.post(url, _figures(applications=1)).status_code == status
    row.refresh_from_db()
    assert row.applications == 17


def test_the_public_page_makes_the_same_queries_for_twice_the_years(partnership):
    client = Client()
    url = reverse("reviews:public_asb_returns", args=[partnership.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for year in (YEAR, YEAR - 1):
        _record(partnership, year=year)
    few = queries()
    for year in (YEAR - 2, YEAR - 3):
        _record(partnership, year=year)
    assert queries() == few
