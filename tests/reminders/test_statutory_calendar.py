"""The statutory calendar: last done, next due and status of each duty, and the
reminders it sends to a partnership's officers."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from milestones.models import Milestone
from reminders import engine
from reminders.duties import Status, duties_for
from reminders.models import Duty, DutyRecord, ReminderSettings
from strategy.models import StrategicAssessment, Strategy, StrategyTransition
from tests import factories
from tests.reminders.helpers import at

pytestmark = pytest.mark.django_db


def _duty(partnership, duty, today):
    rows = duties_for([partnership.pk], today=today)[partnership.pk]
    return next(r for r in rows if r.duty == duty)


def _adopt(strategy, on: dt.date):
    transition = StrategyTransition.objects.create(
        strategy=strategy, from_status="sign_off", to_status="adopted", happened_on=on
    )
    StrategyTransition.objects.filter(pk=transition.pk).update(
        at=timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    )


def test_the_assessment_is_due_by_the_end_of_september_after_the_last_signed_off(partnership):
    StrategicAssessment.objects.create(
        partnership=partnership,
        year=2023,
        title="SA 2023",
        status="signed_off",
        signed_off_on=dt.date(2023, 8, 20),
    )
    row = _duty(partnership, Duty.ASSESSMENT, dt.date(2024, 6, 1))
    assert (row.last_done, row.next_due, row.status) == (
        dt.date(2023, 8, 20),
        dt.date(2024, 9, 30),
        Status.UP_TO_DATE,
    )
    assert _duty(partnership, Duty.ASSESSMENT, dt.date(2024, 8, 1)).status == Status.DUE_SOON
    assert _duty(partnership, Duty.ASSESSMENT, dt.date(2024, 10, 1)).status == Status.OVERDUE


def test_an_assessment_in_progress_is_due_in_its_own_year(partnership):
    StrategicAssessment.objects.create(partnership=partnership, year=2024, title="SA 2024")
    row = _duty(partnership, Duty.ASSESSMENT, dt.date(2024, 6, 1))
    assert (row.last_done, row.next_due) == (None, dt.date(2024, 9, 30))


def test_the_due_month_follows_the_partnership_settings(partnership):
    ReminderSettings.objects.create(partnership=partnership, assessment_due_month=7)
    StrategicAssessment.objects.create(
        partnership=partnership, year=2023, title="SA 2023", status="signed_off"
    )
    assert _duty(partnership, Duty.ASSESSMENT, dt.date(2024, 1, 1)).next_due == dt.date(2024, 7, 31)


def test_the_next_strategy_is_due_when_the_current_one_ends(partnership):
    strategy = factories.StrategyFactory(
        partnership=partnership,
        status=Strategy.Status.PUBLISHED,
        period_start=dt.date(2022, 4, 1),
        period_end=dt.date(2025, 3, 31),
    )
    _adopt(strategy, dt.date(2022, 3, 24))
    row = _duty(partnership, Duty.STRATEGY, dt.date(2024, 1, 1))
    assert (row.last_done, row.next_due, row.status) == (
        dt.date(2022, 3, 24),
        dt.date(2025, 3, 31),
        Status.UP_TO_DATE,
    )
    # 270 days before the end, the renewal is due soon.
    assert _duty(partnership, Duty.STRATEGY, dt.date(2024, 7, 5)).status == Status.DUE_SOON
    refresh = _duty(partnership, Duty.REFRESH, dt.date(2023, 4, 1))
    assert (refresh.last_done, refresh.next_due, refresh.status) == (
        dt.date(2022, 3, 24),
        dt.date(2023, 3, 24),
        Status.OVERDUE,
    )


def test_an_adopted_refresh_restarts_the_refresh_year(partnership):
    parent = factories.StrategyFactory(
        partnership=partnership,
        status=Strategy.Status.PUBLISHED,
        period_start=dt.date(2022, 4, 1),
        period_end=dt.date(2025, 3, 31),
    )
    factories.StrategyFactory(
        partnership=partnership,
        kind=Strategy.Kind.REFRESH,
        parent=parent,
        status=Strategy.Status.ADOPTED,
        period_start=dt.date(2023, 4, 1),
        period_end=dt.date(2024, 3, 31),
    )
    row = _duty(partnership, Duty.REFRESH, dt.date(2023, 6, 1))
    assert (row.last_done, row.next_due) == (dt.date(2023, 4, 1), dt.date(2024, 4, 1))


def test_consultation_comes_from_done_consultation_milestones_and_records(partnership):
    factories.MilestoneFactory(
        partnership=partnership,
        kind=Milestone.Kind.CONSULTATION,
        status=Milestone.Status.DONE,
        due_date=dt.date(2023, 1, 31),
    )
    row = _duty(partnership, Duty.CONSULTATION, dt.date(2023, 6, 1))
    assert (row.last_done, row.next_due) == (dt.date(2023, 1, 31), dt.date(2024, 1, 31))
    DutyRecord.objects.create(
        partnership=partnership, duty=Duty.CONSULTATION, done_on=dt.date(2023, 5, 1)
    )
    assert _duty(partnership, Duty.CONSULTATION, dt.date(2023, 6, 1)).last_done == dt.date(
        2023, 5, 1
    )


def test_duties_with_no_data_are_not_recorded_until_an_officer_records_them(partnership):
    today = dt.date(2024, 6, 1)
    for duty in (Duty.PCC, Duty.SCRUTINY, Duty.SUMMARY):
        assert _duty(partnership, duty, today).status == Status.NOT_RECORDED
    DutyRecord.objects.create(partnership=partnership, duty=Duty.PCC, done_on=dt.date(2024, 4, 2))
    row = _duty(partnership, Duty.PCC, today)
    assert (row.last_done, row.next_due, row.status) == (
        dt.date(2024, 4, 2),
        dt.date(2025, 4, 2),
        Status.UP_TO_DATE,
    )


def test_officers_are_reminded_once_when_the_assessment_is_due_and_once_when_late(
    partnership, officer, partner_officer
):
    StrategicAssessment.objects.create(
        partnership=partnership, year=2023, title="SA 2023", status="signed_off"
    )
    for day in (
        dt.date(2024, 8, 1),
        dt.date(2024, 8, 2),
        dt.date(2024, 10, 1),
        dt.date(2024, 11, 1),
    ):
        engine.run(now=at(day))
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        f"[{partnership.name}] Due by 30 September 2024: The annual strategic assessment",
        f"[{partnership.name}] Late: The annual strategic assessment, due by 30 September 2024",
    ]
    assert all(m.to == [officer.email] for m in mail.outbox)
    assert f"/reminders/{partnership.slug}/compliance/" in mail.outbox[0].body


def test_the_renewal_reminder_goes_out_when_the_strategy_nears_its_end(partnership, officer):
    factories.StrategyFactory(
        partnership=partnership,
        status=Strategy.Status.PUBLISHED,
        period_start=dt.date(2022, 4, 1),
        period_end=dt.date(2025, 3, 31),
    )
    engine.run(now=at(dt.date(2024, 7, 1)))
    assert not any("three-year" in m.subject for m in mail.outbox)
    engine.run(now=at(dt.date(2024, 7, 5)))
    assert [m.subject for m in mail.outbox if "three-year" in m.subject] == [
        f"[{partnership.name}] Due by 31 March 2025: A new three-year strategy"
    ]
