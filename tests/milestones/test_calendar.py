"""The private iCalendar feed of a person's partnerships."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from milestones.models import Milestone, SignOffOutcome
from milestones.services import calendar_token_get_or_create, signoff_decide
from tests import factories
from tests.conftest import client_for
from tests.milestones.factories import review_all

pytestmark = pytest.mark.django_db


def _feed(client, user):
    token = calendar_token_get_or_create(user=user)
    return client.get(reverse("milestones:calendar_feed", kwargs={"feed_token": token.token}))


def test_the_feed_parses_and_lists_every_milestone_of_the_partnership(world, client):
    factories.MilestoneFactory()  # another partnership's
    window = factories.MilestoneFactory(
        partnership=world["partnership"], strategy=world["strategy"], kind="consultation",
        title="Consult key stakeholders on draft strategy",
        starts_on=dt.date(2021, 10, 1), due_date=dt.date(2022, 1, 31),
    )
    response = _feed(client, world["users"]["officer"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    ours = Milestone.objects.filter(partnership=world["partnership"])
    expected = sorted(f"milestone-{m.pk}@safermk" for m in ours)
    assert sorted(str(e["uid"]) for e in events) == expected
    by_uid = {str(e["uid"]): e for e in events}
    event = by_uid[f"milestone-{window.pk}@safermk"]
    assert event.decoded("dtstart") == dt.date(2021, 10, 1)
    assert event.decoded("dtend") == dt.date(2022, 2, 1)  # exclusive end: all of January
    assert str(event["summary"]).endswith("Consult key stakeholders on draft strategy")


def test_the_feed_lists_board_decisions_with_the_hash_they_are_bound_to(world, client):
    signoff = world["signoff"]
    review_all(signoff, world["people"]["voters"])
    signoff_decide(request=signoff, by=world["people"]["chair"], outcome=SignOffOutcome.APPROVED,
                   decided_on=dt.date(2022, 2, 10), minute_reference="RB/2022/02/4")
    events = Calendar.from_ical(_feed(client, world["users"]["chair"]).content).walk("VEVENT")
    decisions = [e for e in events if str(e["uid"]).startswith("decision-")]
    assert len(decisions) == 1
    assert "Approved" in str(decisions[0]["summary"])
    assert signoff.content_hash in str(decisions[0]["description"])
    assert decisions[0].decoded("dtstart") == dt.date(2022, 2, 10)


def test_an_unknown_or_regenerated_address_is_not_found(world, client):
    officer = world["users"]["officer"]
    old = calendar_token_get_or_create(user=officer).token

    def status(token):
        url = reverse("milestones:calendar_feed", kwargs={"feed_token": token})
        return client.get(url).status_code

    assert status("nope") == 404
    response = client_for(officer).post(reverse("milestones:calendar_regenerate"))
    assert response.status_code == 302
    assert status(old) == 404
    assert _feed(client, officer).status_code == 200


def test_the_calendar_page_shows_the_private_address(world):
    officer = world["users"]["officer"]
    page = client_for(officer).get(reverse("milestones:calendar")).content.decode()
    token = calendar_token_get_or_create(user=officer).token
    assert f"/calendar/{token}.ics" in page and "webcal://" in page


def test_the_feed_makes_as_many_queries_for_twice_the_milestones(world, client):
    officer = world["users"]["officer"]
    calendar_token_get_or_create(user=officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert _feed(client, officer).status_code == 200
        return len(ctx)

    before = count()
    for _ in range(Milestone.objects.count()):
        factories.MilestoneFactory(partnership=world["partnership"], board=world["board"])
    assert count() == before
