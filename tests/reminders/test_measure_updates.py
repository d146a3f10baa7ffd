"""A measure's owner is reminded at the end of each period, and when late."""

import datetime as dt

import pytest
from django.core import mail

from reminders import engine
from strategy.models import Measure, Strategy
from tests import factories
from tests.reminders.helpers import at

pytestmark = pytest.mark.django_db


def measure_mail():
    """The measure e-mails (the strategy's statutory reminders go to the same officer)."""
    return [m for m in mail.outbox if "Measure update" in m.subject]


@pytest.fixture
def measure(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership, status=Strategy.Status.PUBLISHED)
    return factories.MeasureFactory(
        objective__priority__strategy=strategy,
        owner=officer,
        title="Violent crime",
        frequency=Measure.Frequency.QUARTERLY,
    )


def test_a_quarterly_measure_is_due_after_the_quarter_and_late_after_the_grace_days(
    measure, partnership
):
    engine.run(now=at(dt.date(2023, 6, 29)))
    assert measure_mail() == []
    engine.run(now=at(dt.date(2023, 7, 1)))
    engine.run(now=at(dt.date(2023, 7, 10)))
    engine.run(now=at(dt.date(2023, 7, 14)))
    engine.run(now=at(dt.date(2023, 7, 20)))
    assert [m.subject for m in measure_mail()] == [
        f"[{partnership.name}] Measure update due: Violent crime",
        f"[{partnership.name}] Measure update late: Violent crime",
    ]
    assert "30 June 2023" in measure_mail()[0].body


def test_an_entered_value_stops_the_reminders(measure):
    factories.MeasurementFactory(measure=measure, period_end=dt.date(2023, 6, 30))
    engine.run(now=at(dt.date(2023, 7, 1)))
    engine.run(now=at(dt.date(2023, 7, 20)))
    assert measure_mail() == []


def test_a_measure_of_a_strategy_still_in_drafting_is_not_reminded(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership, status=Strategy.Status.DRAFTING)
    factories.MeasureFactory(objective__priority__strategy=strategy, owner=officer)
    engine.run(now=at(dt.date(2023, 7, 1)))
    assert measure_mail() == []


@pytest.mark.parametrize(
    "frequency, day, period_end",
    [
        ("monthly", dt.date(2023, 5, 15), dt.date(2023, 4, 30)),
        ("monthly", dt.date(2023, 5, 31), dt.date(2023, 5, 31)),
        ("quarterly", dt.date(2023, 2, 1), dt.date(2022, 12, 31)),
        ("annually", dt.date(2023, 3, 30), dt.date(2022, 3, 31)),
        ("annually", dt.date(2023, 4, 1), dt.date(2023, 3, 31)),
    ],
)
def test_periods_end_at_month_quarter_and_financial_year_ends(frequency, day, period_end):
    from reminders.sources import period_end_on_or_before

    assert period_end_on_or_before(day, frequency) == period_end
