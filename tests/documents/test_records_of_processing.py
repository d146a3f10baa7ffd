"""A partnership's records of processing: for its administrators and
superusers, with the periods in force, its own consultations only, and a
fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.conftest import client_for
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(partnership):
    return factories.AdministratorFactory(partnership=partnership).user


def _url(partnership):
    return reverse("documents:records_of_processing", args=[partnership.slug])


def test_administrators_and_superusers_read_it(partnership, administrator):
    superuser = factories.UserFactory(is_superuser=True)
    for user in (administrator, superuser):
        response = client_for(user).get(_url(partnership))
        html = response.content.decode()
        assert response.status_code == 200
        assert f"<title>Records of processing – {partnership.name}" in html
        assert len(re.findall(r"<h1[ >]", html)) == 1
        assert "css/print.css" in html


@pytest.mark.parametrize("who", ["officer", "partner_officer", "board_member"])
def test_other_roles_are_refused(who, partnership, request):
    assert client_for(request.getfixturevalue(who)).get(_url(partnership)).status_code == 403


def test_another_partnerships_administrator_finds_nothing(partnership, other_partnership):
    other = factories.AdministratorFactory(partnership=other_partnership).user
    assert client_for(other).get(_url(partnership)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, partnership):
    response = client.get(_url(partnership))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@override_settings(AUDIT_RETENTION_DAYS=1095, RIGHTS_REQUEST_RETENTION_DAYS=90,
                   SESSION_IDLE_TIMEOUT_MINUTES=45, CONSULTATION_JOURNEY_SECONDS=7200)
def test_the_periods_are_the_settings_in_force_and_each_consultations_own(
    partnership, other_partnership, administrator
):
    kept = open_consultation(partnership, title="Street safety", retention_days=730)
    open_consultation(other_partnership, title="Someone else's consultation")
    factories.MembershipFactory(partnership=partnership)
    html = client_for(administrator).get(_url(partnership)).content.decode()
    assert "3 years (AUDIT_RETENTION_DAYS)" in html
    assert "90 days after the decision" in html
    assert "45 minutes without activity" in html
    assert "for 2 hours after their last page" in html
    assert "Street safety" in html and "2 years after closing" in html
    due = (kept.closes_at + dt.timedelta(days=730)).date()
    assert f"To be deleted on {due:%-d %b %Y}" in html
    assert "Someone else" not in html
    assert re.search(r"Partnership officers</th>.*?>1</td>", html, re.S)
    assert re.search(r"Partnership administrators</th>.*?>1</td>", html, re.S)


@override_settings(FORMAT_REQUEST_RETENTION_DAYS=180, PARTNERSHIP_ARCHIVE_KEEP_DAYS=3)
def test_it_names_format_requests_archives_and_backups_with_their_periods(
    partnership, administrator
):
    html = client_for(administrator).get(_url(partnership)).content.decode()
    assert "Requests for a document in another format" in html
    assert "deleted 180 days after the request is marked done" in html
    assert "Archives of the partnership&#x27;s data" in html
    assert "The file is deleted 3 days after it is made (PARTNERSHIP_ARCHIVE_KEEP_DAYS)" in html
    assert "Backups of the installation" in html and "35 days is suggested" in html
    assert "FORMAT_REQUEST_RETENTION_DAYS" in html and "PARTNERSHIP_ARCHIVE_KEEP_DAYS" in html


def test_the_page_runs_a_fixed_number_of_queries_with_twice_the_consultations(
    partnership, administrator
):
    client = client_for(administrator)
    client.get(_url(partnership))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(partnership)).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        open_consultation(partnership)
    few = queries()
    for _ in range(2):
        open_consultation(partnership)
    assert queries() == few
