"""A milestone done before it was marked here keeps the day it was done:
never in the future, with who marked it, and when, in its history."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(milestone):
    return reverse("milestones:milestone_done_on", kwargs={"milestone": milestone.pk})


def _date(day):
    return {"completed_on_0": str(day.day), "completed_on_1": str(day.month),
            "completed_on_2": str(day.year)}


def test_an_officer_marks_a_milestone_done_on_the_day_it_was_done(world, officer):
    milestone = world["milestone"]
    response = client_for(officer).post(_url(milestone), {**_date(dt.date(2022, 7, 12)),
                                                          "note": "Board minutes 12 July"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == ("done", dt.date(2022, 7, 12))
    latest = milestone.history.order_by("-history_date").first()
    assert latest.history_user == officer
    assert timezone.localdate(latest.history_date) == timezone.localdate()
    assert latest.history_change_reason == "Board minutes 12 July"
    page = client_for(officer).get(
        reverse("milestones:milestone", kwargs={"milestone": milestone.pk})
    ).content.decode()
    assert "12 July 2022" in page


@pytest.mark.parametrize(
    "data, message",
    [
        (_date(dt.date.today() + dt.timedelta(days=2)),
         "The date it was done must be today or in the past"),
        ({"completed_on_0": "", "completed_on_1": "", "completed_on_2": ""},
         "Enter the date it was done"),
        ({"completed_on_0": "29", "completed_on_1": "2", "completed_on_2": "2023"},
         "The date it was done must be a real date"),
        ({"completed_on_0": "1", "completed_on_1": "1", "completed_on_2": "1"},
         "Year must include 4 numbers"),
        ({"completed_on_0": "\x00", "completed_on_1": "<b>", "completed_on_2": "2022"},
         "The date it was done must be a real date"),
    ],
)
def test_a_wrong_date_is_shown_next_to_the_field(world, officer, data, message):
    milestone = world["milestone"]
    response = client_for(officer).post(_url(milestone), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and page.count(message) == 2
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED and milestone.completed_on is None


def test_only_the_partnerships_officers_may_mark_it(world):
    milestone = world["milestone"]
    for role, status in (("chair", 403), ("partner", 403), ("other_partnership", 404),
                         ("anonymous", 302)):
        response = client_for(world["users"][role]).post(_url(milestone),
                                                         _date(dt.date(2022, 7, 12)))
        assert response.status_code == status, role
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED
