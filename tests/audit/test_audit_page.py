"""The audit page of a partnership: its administrators and superusers read
it; everyone else is refused; filters by action, person, dates and words;
a fixed number of queries however many records there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action
from audit.services import audit_record
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(partnership):
    return reverse("audit:log", args=[partnership.slug])


def test_the_partnerships_administrators_and_superusers_read_its_audit(
    partnership, administrator, superuser
):
    audit_record(action=Action.EXPORT, summary="Downloaded the responses",
                 partnership=partnership)
    for user in (administrator, superuser):
        response = client_for(user).get(_url(partnership))
        assert response.status_code == 200
        assert "Downloaded the responses" in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "partner_officer", "board_member"])
def test_its_other_people_are_refused(who, partnership, request):
    assert client_for(request.getfixturevalue(who)).get(_url(partnership)).status_code == 403


def test_another_partnerships_administrator_finds_nothing(partnership, other_administrator):
    assert client_for(other_administrator).get(_url(partnership)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, partnership):
    response = client.get(_url(partnership))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_a_partnership_sees_only_its_own_records(partnership, other_partnership, administrator):
    audit_record(action=Action.EXPORT, summary="Ours", partnership=partnership)
    audit_record(action=Action.EXPORT, summary="Theirs", partnership=other_partnership)
    audit_record(action=Action.AUDIT_PURGE, summary="Nobody's")
    html = client_for(administrator).get(_url(partnership)).content.decode()
    assert "Ours" in html and "Theirs" not in html and "Nobody&#x27;s" not in html


def test_filters_by_action_person_dates_and_words(partnership, administrator):
    alice = factories.MembershipFactory(partnership=partnership, user__first_name="Alice").user
    now = timezone.now()
    audit_record(action=Action.EXPORT, summary="Export by Alice", actor=alice,
                 partnership=partnership, at=now - dt.timedelta(days=10))
    audit_record(action=Action.DECISION, summary="Decision by Alice", actor=alice,
                 partnership=partnership, at=now)
    audit_record(action=Action.EXPORT, summary="Export by the administrator",
                 actor=administrator, partnership=partnership, at=now)
    client = client_for(administrator)

    def shown(**params):
        html = client.get(_url(partnership), params).content.decode()
        return {s for s in ("Export by Alice", "Decision by Alice", "Export by the administrator")
                if s in html}

    assert shown(action="export") == {"Export by Alice", "Export by the administrator"}
    assert shown(person=alice.pk) == {"Export by Alice", "Decision by Alice"}
    today = timezone.localdate()
    assert shown(since_0=today.day, since_1=today.month, since_2=today.year) == {
        "Decision by Alice", "Export by the administrator"
    }
    early = today - dt.timedelta(days=5)
    assert shown(until_0=early.day, until_1=early.month, until_2=early.year) == {
        "Export by Alice"
    }
    assert shown(q="decision") == {"Decision by Alice"}
    assert shown(action="export", person=alice.pk) == {"Export by Alice"}


def test_a_filter_that_does_not_make_sense_is_named_and_not_used(partnership, administrator):
    audit_record(action=Action.EXPORT, summary="Downloaded", partnership=partnership)
    stranger = factories.UserFactory()
    response = client_for(administrator).get(_url(partnership), {
        "action": "delete_everything", "person": stranger.pk, "since_0": "31", "since_1": "2",
        "since_2": "2024", "until_0": "1", "until_1": "1", "until_2": "99999", "q": "a\x00b",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "These filters were not used" in html
    for message in ("What happened: Choose from the list", "Who: Choose from the list",
                    "From: The first day must be a real date",
                    "To: Year must include 4 numbers",
                    "Search: Remove the hidden control characters"):
        assert message in html
    assert "Downloaded" in html


def test_the_last_day_must_not_be_before_the_first(partnership, administrator):
    html = client_for(administrator).get(_url(partnership), {
        "since_0": "2", "since_1": "1", "since_2": "2025",
        "until_0": "1", "until_1": "1", "until_2": "2025",
    }).content.decode()
    assert "The last day must be the same as or after the first day" in html


def _fill(partnership, people, count):
    for n in range(count):
        audit_record(action=Action.EXPORT, summary=f"Row {n}", actor=people[n % len(people)],
                     partnership=partnership)


def test_the_page_runs_a_fixed_number_of_queries_with_twice_the_rows(
    partnership, administrator
):
    people = [factories.MembershipFactory(partnership=partnership).user for _ in range(3)]
    client = client_for(administrator)
    client.get(_url(partnership))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(partnership), {"q": "Row"}).status_code == 200
        return len(ctx.captured_queries)

    _fill(partnership, people, 20)
    few = queries()
    _fill(partnership, people + [factories.MembershipFactory(partnership=partnership).user
                                 for _ in range(3)], 40)
    assert queries() == few


def test_the_list_is_paginated_newest_first(partnership, administrator):
    now = timezone.now()
    for n in range(55):
        audit_record(action=Action.EXPORT, summary=f"Export number {n:02d}",
                     partnership=partnership, at=now - dt.timedelta(minutes=55 - n))
    client = client_for(administrator)
    first = client.get(_url(partnership)).content.decode()
    assert "Export number 54" in first and "Export number 04" not in first
    assert 'aria-label="Page 1" aria-current="page"' in first
    assert 'href="?page=2" aria-label="Page 2"' in first
    second = client.get(_url(partnership), {"page": 2}).content.decode()
    assert "Export number 04" in second and "Export number 54" not in second
