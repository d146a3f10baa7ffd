"""The local policing body is data: each partnership records the body whose
police and crime plan its strategy must have regard to, with dates, so the
change when commissioners go (May 2028) is a record, not a code change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import PolicingBody, policing_body_on
from partnerships.services import policing_body_add
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CHANGE = dt.date(2028, 5, 8)


def add_pcc(partnership, **changes):
    fields = {"kind": PolicingBody.Kind.PCC, "name": "Townshire Police and Crime Commissioner",
              "from_date": dt.date(2012, 11, 22)}
    return policing_body_add(partnership=partnership, **(fields | changes))


def add_board(partnership):
    return policing_body_add(partnership=partnership, kind=PolicingBody.Kind.BOARD,
                             name="Townshire Policing and Crime Board", from_date=CHANGE)


def form_data(**changes):
    data = {"kind": "board", "name": "Townshire Policing and Crime Board", "plan_title": "",
            "plan_url": "", "from_date_0": "8", "from_date_1": "5", "from_date_2": "2028"}
    return data | changes


def test_the_body_in_force_on_a_date_is_the_latest_from_on_or_before_it(partnership):
    assert policing_body_on(partnership, dt.date(2026, 1, 1)) is None
    pcc = add_pcc(partnership)
    board = add_board(partnership)
    assert policing_body_on(partnership, dt.date(2012, 11, 21)) is None
    assert policing_body_on(partnership, dt.date(2012, 11, 22)) == pcc
    assert policing_body_on(partnership, CHANGE - dt.timedelta(days=1)) == pcc
    assert policing_body_on(partnership, CHANGE) == board
    assert policing_body_on(partnership, dt.date(2040, 1, 1)) == board


def test_each_body_ends_the_day_before_the_next_whatever_order_they_are_recorded(partnership):
    board = add_board(partnership)
    mayor = policing_body_add(partnership=partnership, kind=PolicingBody.Kind.MAYOR,
                              name="Mayor of Townshire", from_date=dt.date(2030, 4, 1))
    pcc = add_pcc(partnership)
    for body in (board, mayor, pcc):
        body.refresh_from_db()
    assert pcc.to_date == dt.date(2028, 5, 7)
    assert board.to_date == dt.date(2030, 3, 31)
    assert mayor.to_date is None
    day = dt.date(2029, 6, 1)
    assert list(PolicingBody.objects.in_force_on(day)) == [board]


def test_two_bodies_from_the_same_date_are_refused_by_the_service(partnership):
    add_pcc(partnership)
    with pytest.raises(ValidationError) as refused:
        add_pcc(partnership, name="Another")
    assert "already has a policing body from 22 November 2012" in str(refused.value)
    assert PolicingBody.objects.for_partnership(partnership).count() == 1


def test_another_partnerships_bodies_do_not_count(partnership, other_partnership):
    add_pcc(other_partnership)
    assert policing_body_on(partnership, dt.date(2026, 1, 1)) is None
    add_pcc(partnership)  # the same date in another partnership is fine


def test_the_sentence_form_adds_the_article_once(partnership):
    assert add_pcc(partnership).in_sentence == "the Townshire Police and Crime Commissioner"
    mopac = policing_body_add(partnership=partnership, kind=PolicingBody.Kind.MAYORS_OFFICE,
                              name="The Mayor's Office for Policing and Crime",
                              from_date=dt.date(2020, 1, 1))
    assert mopac.in_sentence == "The Mayor's Office for Policing and Crime"


def test_an_administrator_records_a_change_and_sees_the_dates(partnership, administrator):
    add_pcc(partnership)
    client = client_for(administrator)
    url = reverse("partnerships:policing_body", args=[partnership.slug])
    response = client.post(url, form_data(plan_title="Townshire Plan",
                                          plan_url="https://example.org/plan"))
    assert response.status_code == 302
    board = PolicingBody.objects.get(partnership=partnership, from_date=CHANGE)
    assert (board.kind, board.name, board.plan_title, board.created_by) == (
        "board", "Townshire Policing and Crime Board", "Townshire Plan", administrator
    )
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert "Townshire Policing and Crime Board" in page and "8 May 2028" in page
    assert "7 May 2028" in page  # the commissioner's last day
    assert "Today it is <strong>the Townshire Police and Crime Commissioner</strong>" in page


@pytest.mark.parametrize("changes, field, message", [
    ({"from_date_0": "22", "from_date_1": "11", "from_date_2": "2012"}, "from_date",
     "Townshire Police and Crime Commissioner is already recorded from 22 November 2012"),
    ({"from_date_0": "31", "from_date_1": "2", "from_date_2": "2028"}, "from_date",
     "must be a real date"),
    ({"from_date_0": "", "from_date_1": "", "from_date_2": ""}, "from_date",
     "Enter the date it takes on the policing functions"),
    ({"from_date_2": "1850"}, "from_date", "Year must be between 2000 and 2100"),
    ({"name": "  "}, "name", "Enter the name of the body"),
    ({"kind": ""}, "kind", "Choose the kind of body"),
    ({"kind": "sheriff"}, "kind", "Select a valid choice"),
    ({"plan_url": "not a link"}, "plan_url", "Enter a web address, like https://"),
])
def test_the_form_says_what_to_fix_next_to_the_field(
    partnership, administrator, changes, field, message
):
    add_pcc(partnership)
    url = reverse("partnerships:policing_body", args=[partnership.slug])
    response = client_for(administrator).post(url, form_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Error: Local policing body" in page
    assert response.context["form"].errors[field], response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert message.split(",")[0] in page
    assert PolicingBody.objects.for_partnership(partnership).count() == 1


def test_the_page_takes_the_same_queries_with_twice_the_bodies(partnership, administrator):
    client = client_for(administrator)
    url = reverse("partnerships:policing_body", args=[partnership.slug])
    add_pcc(partnership)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_board(partnership)
    policing_body_add(partnership=partnership, kind="other", name="Someone else",
                      from_date=dt.date(2030, 1, 1))
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_the_overview_names_the_body_in_force_today(partnership, administrator):
    page = client_for(administrator).get(
        reverse("partnerships:manage", args=[partnership.slug])).content.decode()
    assert "No local policing body recorded" in page
    add_pcc(partnership)
    page = client_for(administrator).get(
        reverse("partnerships:manage", args=[partnership.slug])).content.decode()
    assert "Townshire Police and Crime Commissioner" in page


def test_the_migration_records_each_partnerships_current_body(partnership, other_partnership):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("partnerships.migrations.0007_policing_body")
    partnership.plan_body = "Mayor of Greater Manchester"
    partnership.pcc_plan_title = "Standing Together"
    partnership.pcc_plan_url = "https://example.org/standing-together"
    partnership.save()
    migration.record_current_bodies(apps, None)
    migration.record_current_bodies(apps, None)  # once only, whenever it runs
    body = PolicingBody.objects.get(partnership=partnership)
    assert (body.kind, body.name, body.plan_title, body.plan_url, body.from_date) == (
        "mayor", "Mayor of Greater Manchester", "Standing Together",
        "https://example.org/standing-together", dt.date(2012, 11, 22),
    )
    other = PolicingBody.objects.get(partnership=other_partnership)
    assert (other.kind, other.name) == ("pcc", "Police and Crime Commissioner")
    assert migration._kind("Police, Fire and Crime Commissioner for Essex") == "pfcc"
    assert migration._kind("Thames Valley Policing and Crime Board") == "board"


# Recommendations from the local policing body and the partnership's responses


def test_a_recommendation_is_recorded_from_the_body_in_force_and_answered(
    partnership, administrator
):
    pcc = add_pcc(partnership)
    client = client_for(administrator)
    url = reverse("partnerships:policing_recommendations", args=[partnership.slug])
    response = client.post(url, {"received_on_0": "10", "received_on_1": "3",
                                 "received_on_2": "2026", "recommendation": "Rural crime"})
    row = partnership.policing_recommendations.get()
    assert response.status_code == 302
    assert (row.policing_body, row.response, row.created_by) == (pcc, "pending", administrator)
    answer = reverse("partnerships:policing_recommendation", args=[partnership.slug, row.pk])
    assert client.post(answer, {"response": "partly", "reasons": "Two wards only",
                                "responded_on_0": "2", "responded_on_1": "4",
                                "responded_on_2": "2026"}).status_code == 302
    row.refresh_from_db()
    assert (row.response, row.reasons, row.responded_on) == (
        "partly", "Two wards only", dt.date(2026, 4, 2))
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert "Townshire Police and Crime Commissioner" in page and "Two wards only" in page


@pytest.mark.parametrize("changes, field, message", [
    ({"reasons": ""}, "reasons", "Give the partnership's reasons"),
    ({"responded_on_0": "", "responded_on_1": "", "responded_on_2": ""}, "responded_on",
     "Enter the date the partnership answered"),
    ({"responded_on_2": "2025"}, "responded_on",
     "must be on or after the date it was received"),
    ({"responded_on_2": "2099"}, "responded_on", "must be today or in the past"),
    ({"response": ""}, "response", "Choose the partnership's response"),
])
def test_a_response_without_reasons_or_with_a_bad_date_is_refused_next_to_the_field(
    partnership, administrator, changes, field, message
):
    from partnerships.services import policing_recommendation_record

    row = policing_recommendation_record(partnership=partnership,
                                         received_on=dt.date(2026, 3, 10), recommendation="X")
    data = {"response": "declined", "reasons": "Not in the assessment",
            "responded_on_0": "2", "responded_on_1": "4", "responded_on_2": "2026"}
    url = reverse("partnerships:policing_recommendation", args=[partnership.slug, row.pk])
    response = client_for(administrator).post(url, data | changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "govuk-error-summary" in response.content.decode()
    row.refresh_from_db()
    assert row.response == "pending"


def test_another_partnerships_recommendation_is_not_found(
    partnership, other_partnership, administrator
):
    from partnerships.services import policing_recommendation_record

    theirs = policing_recommendation_record(partnership=other_partnership,
                                            received_on=dt.date(2026, 3, 10),
                                            recommendation="X")
    url = reverse("partnerships:policing_recommendation", args=[partnership.slug, theirs.pk])
    assert client_for(administrator).get(url).status_code == 404


def test_the_recommendations_page_takes_the_same_queries_with_twice_the_rows(
    partnership, administrator
):
    from partnerships.services import policing_recommendation_record

    add_pcc(partnership)
    client = client_for(administrator)
    url = reverse("partnerships:policing_recommendations", args=[partnership.slug])

    def add(n):
        for i in range(n):
            policing_recommendation_record(partnership=partnership,
                                           received_on=dt.date(2026, 1, 1 + i),
                                           recommendation=f"R{i}")

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(2)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)
