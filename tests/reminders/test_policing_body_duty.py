"""The duty to send the plan names the local policing body in force on the
due date: the commissioner until a recorded change, the board from it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import PolicingBody
from partnerships.services import policing_body_add
from reminders import duties
from reminders.models import Duty, DutyRecord
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CHANGE = dt.date(2028, 5, 8)


@pytest.fixture
def bodies(partnership):
    policing_body_add(partnership=partnership, kind=PolicingBody.Kind.PCC,
                      name="Townshire Police and Crime Commissioner",
                      from_date=dt.date(2012, 11, 22))
    policing_body_add(partnership=partnership, kind=PolicingBody.Kind.BOARD,
                      name="Townshire Policing and Crime Board", from_date=CHANGE)


def _send_plan(partnership, today):
    rows = duties.duties_for([partnership.pk], today=today)[partnership.pk]
    return next(r for r in rows if r.duty == Duty.PCC)


def test_the_duty_names_the_body_in_force_on_its_due_date(partnership, bodies):
    DutyRecord.objects.create(partnership=partnership, duty=Duty.PCC,
                              done_on=dt.date(2027, 5, 7))
    row = _send_plan(partnership, dt.date(2027, 6, 1))
    assert row.next_due == dt.date(2028, 5, 7)
    assert row.name == "Send the plan to the Townshire Police and Crime Commissioner"
    assert row.explanation == (
        "The plan sent to the Townshire Police and Crime Commissioner every year."
    )

    DutyRecord.objects.create(partnership=partnership, duty=Duty.PCC,
                              done_on=dt.date(2027, 5, 8))
    row = _send_plan(partnership, dt.date(2027, 6, 1))
    assert row.next_due == CHANGE
    assert row.name == "Send the plan to the Townshire Policing and Crime Board"


def test_with_nothing_due_yet_the_duty_names_the_body_in_force_today(partnership, bodies):
    assert _send_plan(partnership, dt.date(2026, 1, 1)).name == (
        "Send the plan to the Townshire Police and Crime Commissioner"
    )
    assert _send_plan(partnership, dt.date(2029, 1, 1)).name == (
        "Send the plan to the Townshire Policing and Crime Board"
    )


def test_another_partnership_keeps_its_own_body(partnership, other_partnership, bodies):
    policing_body_add(partnership=other_partnership, kind=PolicingBody.Kind.MAYOR,
                      name="Mayor of Elsewhere", from_date=dt.date(2017, 5, 8))
    rows = duties.duties_for([partnership.pk, other_partnership.pk], today=dt.date(2029, 1, 1))
    names = {pid: next(r.name for r in found if r.duty == Duty.PCC)
             for pid, found in rows.items()}
    assert names == {
        partnership.pk: "Send the plan to the Townshire Policing and Crime Board",
        other_partnership.pk: "Send the plan to the Mayor of Elsewhere",
    }


def test_the_compliance_page_and_the_record_form_name_the_body(partnership, officer, bodies):
    today = timezone.localdate()
    DutyRecord.objects.create(partnership=partnership, duty=Duty.PCC, done_on=today,
                              note="Letter to the commissioner")
    client = client_for(officer)
    page = client.get(reverse("reminders:compliance", args=[partnership.slug])).content.decode()
    in_force = "Commissioner" if today < CHANGE else "Board"
    assert page.count(f"Send the plan to the Townshire Police and Crime {in_force}") >= 2
    form = client.get(reverse("reminders:duty_record", args=[partnership.slug])).content.decode()
    assert f"Send the plan to the Townshire Police and Crime {in_force}" in form


def test_the_duty_queries_do_not_grow_with_more_partnerships_and_bodies(
    partnership, other_partnership, bodies
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        duties.duties_for([partnership.pk], today=dt.date(2027, 1, 1))
    policing_body_add(partnership=other_partnership, kind=PolicingBody.Kind.PCC,
                      name="Elsewhere Police and Crime Commissioner",
                      from_date=dt.date(2012, 11, 22))
    policing_body_add(partnership=other_partnership, kind=PolicingBody.Kind.MAYOR,
                      name="Mayor of Elsewhere", from_date=dt.date(2024, 5, 8))
    with CaptureQueriesContext(connection) as two:
        duties.duties_for([partnership.pk, other_partnership.pk], today=dt.date(2027, 1, 1))
    assert len(two) == len(one)
