"""The strategic assessment's page shows its officers the last 12 months'
police recorded crime against the 12 months before, with the source."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crimedata import services
from crimedata.streetfile import StreetFile
from tests.conftest import client_for
from tests.strategy.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _import(partnership, first, n, counts):
    files = [
        StreetFile(name="street.csv", month=services.add_months(first, i), rows_read=10,
                   rows_in_area=5, falls_within="Shire Constabulary", counts=dict(counts))
        for i in range(n)
    ]
    services.crime_import_save(partnership=partnership, files=files)


@pytest.fixture
def assessment(partnership):
    return AssessmentFactory(partnership=partnership, year=2026)


def _url(assessment):
    return reverse("strategy:assessment_detail", args=[assessment.partnership.slug, 2026])


def test_officers_see_the_last_12_months_against_the_12_before(
    partnership, officer, area, assessment
):
    _import(partnership, dt.date(2024, 10, 1), 12, {"Burglary": 10, "Robbery": 2})
    _import(partnership, dt.date(2025, 10, 1), 12, {"Burglary": 5, "Robbery": 3,
                                                    "Anti-social behaviour": 1})
    response = client_for(officer).get(_url(assessment))
    page = response.content.decode()
    assert "Evidence: police recorded crime" in page
    assert ("Source: police.uk street-level crime, October 2025 to September 2026, compared "
            "with October 2024 to September 2025.") in page
    rows = {row.label: row for row in response.context["panels"][0].context["comparison"]["rows"]}
    assert (rows["Burglary"].recent, rows["Burglary"].earlier) == (60, 120)
    assert rows["Burglary"].percent == "-50%"
    assert rows["Robbery"].percent == "+50%"
    assert rows["Anti-social behaviour"].percent == "new"
    assert (rows["Total crime"].recent, rows["Total crime"].earlier) == (96, 144)
    assert "-60 (-50%)" in page


def test_without_the_previous_year_the_change_is_not_shown(
    partnership, officer, area, assessment
):
    _import(partnership, dt.date(2026, 1, 1), 9, {"Drugs": 1})
    page = client_for(officer).get(_url(assessment)).content.decode()
    assert "Source: police.uk street-level crime, October 2025 to September 2026." in page
    assert "Not imported in the last 12 months: October 2025, November 2025, December 2025" \
        in page
    assert "The change is not shown" in page
    assert "Previous 12 months" not in page


def test_before_any_import_the_section_says_where_to_import(
    partnership, officer, assessment
):
    page = client_for(officer).get(_url(assessment)).content.decode()
    assert "No police.uk crime files are imported" in page
    assert reverse("crimedata:counts", args=[partnership.slug]) in page


def test_partner_officers_and_board_members_do_not_see_the_section(
    partnership, partner_officer, board_member, area, assessment
):
    _import(partnership, dt.date(2026, 1, 1), 3, {"Drugs": 1})
    for user in (partner_officer, board_member):
        response = client_for(user).get(_url(assessment))
        assert response.status_code == 200
        assert "Evidence: police recorded crime" not in response.content.decode()


def test_the_section_costs_the_same_queries_with_twice_the_months(
    partnership, officer, area, assessment
):
    client = client_for(officer)
    _import(partnership, dt.date(2025, 1, 1), 6, {"Drugs": 1})
    client.get(_url(assessment))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(assessment))
    _import(partnership, dt.date(2025, 7, 1), 12, {"Drugs": 1})
    with CaptureQueriesContext(connection) as more:
        client.get(_url(assessment))
    assert len(more) == len(few)
