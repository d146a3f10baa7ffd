"""The lead officer is reminded when a consultation opens tomorrow, closes in
7 days and has closed (with the responses so far), and before its data is
deleted."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from consultation import services
from consultation.models import Audience, Consultation, Response
from reminders import engine
from reminders.models import ReminderPreferences, ReminderSettings, SentReminder
from tests import factories
from tests.consultation.factories import schedule as schedule_as_officer
from tests.reminders.helpers import at

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
OPENS = dt.datetime(2024, 3, 4, 9, 0, tzinfo=LONDON)
CLOSES = dt.datetime(2024, 5, 27, 17, 0, tzinfo=LONDON)


def make_consultation(partnership, lead, *, slug="have-your-say", schedule=True, **kwargs):
    strategy = factories.StrategyFactory(partnership=partnership)
    factories.PriorityFactory(strategy=strategy)
    consultation = services.consultation_create(
        strategy=strategy,
        title=kwargs.pop("title", "Have your say on community safety"),
        slug=slug,
        summary="Tell us what you think.",
        opens_at=kwargs.pop("opens_at", OPENS),
        closes_at=kwargs.pop("closes_at", CLOSES),
        lead_officer=lead,
        **kwargs,
    )
    if schedule:
        schedule_as_officer(consultation)
        consultation.refresh_from_db()
    return consultation


def respond(consultation, *, on: dt.datetime, n: int = 1):
    for _ in range(n):
        Response.objects.create(
            consultation=consultation,
            reference=services.new_reference(partnership=consultation.partnership),
            audience=Audience.PUBLIC,
            submitted_at=on,
        )


def thresholds(kind="consultation"):
    return sorted(SentReminder.objects.filter(kind=kind).values_list("threshold", flat=True))


def subjects():
    return [
        # Every reminder here is about one partnership and says so first.
        m.subject.split("] ", 1)[1]
        for m in mail.outbox
        if "Consultation" in m.subject
    ]


@pytest.fixture
def consultation(partnership, officer):
    return make_consultation(partnership, officer)


def test_the_lead_officer_hears_the_day_before_it_opens_once(consultation, officer):
    engine.run(now=at(dt.date(2024, 3, 2)))
    assert thresholds() == []
    engine.run(now=at(dt.date(2024, 3, 3)))
    engine.run(now=at(dt.date(2024, 3, 3), hour=12))
    engine.run(now=at(dt.date(2024, 3, 4)))  # opening day, before 9:00
    engine.run(now=at(dt.date(2024, 3, 5)))
    assert thresholds() == ["opening"]
    assert subjects() == ["Consultation opens tomorrow: Have your say on community safety"]
    (email,) = [m for m in mail.outbox if "Consultation" in m.subject]
    assert email.to == [officer.email]
    assert consultation.get_manage_url() in email.body


def test_seven_days_before_closing_the_officer_hears_how_many_have_responded(consultation):
    respond(consultation, on=OPENS + dt.timedelta(days=1), n=3)
    respond(consultation, on=dt.datetime(2024, 5, 25, 12, tzinfo=LONDON))  # after the reminder
    engine.run(now=at(dt.date(2024, 5, 19)))
    assert thresholds() == []
    engine.run(now=at(dt.date(2024, 5, 20)))
    engine.run(now=at(dt.date(2024, 5, 21)))
    engine.run(now=at(dt.date(2024, 5, 26)))
    assert thresholds() == ["closing"]
    assert subjects() == ["Consultation closes in 7 days: Have your say on community safety"]
    assert "It has 3 responses so far" in mail.outbox[-1].body


def test_the_day_after_closing_the_officer_hears_the_final_count_once(consultation):
    respond(consultation, on=OPENS + dt.timedelta(days=1), n=2)
    # The first scan in the closing window is on the closing day, before
    # 17:00: the most urgent closing reminder still goes out.
    engine.run(now=at(dt.date(2024, 5, 27)))
    engine.run(now=at(dt.date(2024, 5, 27), hour=18))
    engine.run(now=at(dt.date(2024, 5, 28)))
    engine.run(now=at(dt.date(2024, 6, 10)))
    assert thresholds() == ["closed", "closing"]
    assert subjects() == [
        "Consultation closes today: Have your say on community safety",
        "Consultation closed with 2 responses: Have your say on community safety",
    ]


def test_a_consultation_closed_long_ago_is_not_announced_late(consultation):
    engine.run(now=at(dt.date(2024, 7, 1)))
    assert thresholds() == []


def test_a_draft_consultation_sends_nothing(partnership, officer):
    make_consultation(partnership, officer, schedule=False)
    for day in (dt.date(2024, 3, 3), dt.date(2024, 5, 20), dt.date(2024, 5, 28)):
        engine.run(now=at(day))
    assert thresholds() == []


def test_an_officer_who_turned_consultation_reminders_off_gets_none(consultation, officer):
    ReminderPreferences.objects.create(user=officer, disabled_kinds=["consultation"])
    for day in (dt.date(2024, 3, 3), dt.date(2024, 5, 20), dt.date(2024, 5, 28)):
        engine.run(now=at(day))
    assert thresholds() == [] and subjects() == []


def test_the_partnership_chooses_how_early_opening_and_closing_are_reminded(
    consultation, partnership
):
    ReminderSettings.objects.create(
        partnership=partnership, consultation_opening_days=3, consultation_closing_days=14
    )
    engine.run(now=at(dt.date(2024, 3, 1)))
    engine.run(now=at(dt.date(2024, 5, 13)))
    assert thresholds() == ["closing", "opening"]
    assert subjects() == [
        "Consultation opens on 4 March 2024: Have your say on community safety",
        "Consultation closes in 14 days: Have your say on community safety",
    ]


# Retention -------------------------------------------------------------


def test_the_officer_hears_fourteen_days_before_the_data_is_deleted(consultation, officer):
    deletes_on = timezone.localdate(CLOSES + dt.timedelta(days=365))
    engine.run(now=at(deletes_on - dt.timedelta(days=15)))
    assert thresholds("retention") == []
    engine.run(now=at(deletes_on - dt.timedelta(days=14)))
    engine.run(now=at(deletes_on - dt.timedelta(days=10)))
    engine.run(now=at(deletes_on))
    assert thresholds("retention") == [f"delete:{deletes_on.isoformat()}"]
    (email,) = [m for m in mail.outbox if "data deleted" in m.subject]
    assert email.to == [officer.email]
    assert "Consultation data deleted in 14 days" in email.subject
    assert consultation.get_manage_url() in email.body


def test_data_already_deleted_sends_no_retention_reminder(consultation):
    services.consultation_apply_retention(consultation=consultation)
    deletes_on = timezone.localdate(CLOSES + dt.timedelta(days=365))
    engine.run(now=at(deletes_on - dt.timedelta(days=14)))
    assert thresholds("retention") == []


def test_retention_reminders_honour_preferences_and_the_partnership_s_days(
    consultation, partnership, officer
):
    deletes_on = timezone.localdate(CLOSES + dt.timedelta(days=365))
    ReminderSettings.objects.create(partnership=partnership, retention_notice_days=30)
    engine.run(now=at(deletes_on - dt.timedelta(days=30)))
    assert thresholds("retention") == [f"delete:{deletes_on.isoformat()}"]

    other = make_consultation(partnership, officer, slug="second", retention_days=400)
    ReminderPreferences.objects.create(user=officer, disabled_kinds=["retention"])
    engine.run(now=at(timezone.localdate(other.closes_at + dt.timedelta(days=390))))
    assert thresholds("retention") == [f"delete:{deletes_on.isoformat()}"]


def test_a_longer_retention_period_is_a_new_deletion_date(consultation):
    first = timezone.localdate(CLOSES + dt.timedelta(days=365))
    engine.run(now=at(first - dt.timedelta(days=14)))
    Consultation.objects.filter(pk=consultation.pk).update(retention_days=730)
    second = timezone.localdate(CLOSES + dt.timedelta(days=730))
    engine.run(now=at(second - dt.timedelta(days=14)))
    engine.run(now=at(second - dt.timedelta(days=1)))
    assert thresholds("retention") == [f"delete:{first}", f"delete:{second}"]
