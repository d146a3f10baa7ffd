"""The strategies panel on the dashboard: strategies by status, measures off
track, measures awaiting an update."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from strategy.models import Strategy
from strategy.performance import is_awaiting_update, last_full_period_end
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 15)


@pytest.mark.parametrize(
    "frequency, today, expected",
    [
        ("monthly", dt.date(2024, 5, 15), dt.date(2024, 4, 30)),
        ("monthly", dt.date(2024, 5, 1), dt.date(2024, 4, 30)),
        ("quarterly", dt.date(2024, 5, 15), dt.date(2024, 3, 31)),
        ("quarterly", dt.date(2024, 7, 1), dt.date(2024, 6, 30)),
        ("annually", dt.date(2024, 5, 15), dt.date(2024, 3, 31)),
        ("annually", dt.date(2024, 3, 31), dt.date(2023, 3, 31)),
    ],
)
def test_the_last_full_period_follows_the_frequency(frequency, today, expected):
    assert last_full_period_end(frequency, today) == expected


def test_a_measure_awaits_an_update_when_the_last_full_period_has_no_value():
    measure = SimpleNamespace(
        frequency="quarterly", baseline_date=dt.date(2023, 3, 31),
        target_date=dt.date(2026, 3, 31),
    )
    assert is_awaiting_update(measure, dt.date(2023, 12, 31), TODAY)
    assert not is_awaiting_update(measure, dt.date(2024, 3, 31), TODAY)
    assert is_awaiting_update(measure, None, TODAY)
    # Before the first period has ended, nothing is due.
    assert not is_awaiting_update(measure, None, dt.date(2023, 5, 1))
    # After the target date, nothing more falls due.
    done = SimpleNamespace(
        frequency="quarterly", baseline_date=dt.date(2020, 3, 31),
        target_date=dt.date(2022, 3, 31),
    )
    assert not is_awaiting_update(done, dt.date(2022, 3, 31), TODAY)


def _in_force_measure(partnership, owner, value):
    strategy = factories.StrategyFactory(partnership=partnership)
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.PUBLISHED)
    objective = factories.ObjectiveFactory(priority=factories.PriorityFactory(strategy=strategy))
    measure = factories.MeasureFactory(
        objective=objective, owner_organisation=owner, baseline_date=dt.date(2022, 3, 31),
        target_date=dt.date(2099, 3, 31),
    )
    factories.MeasurementFactory(measure=measure, period_end=dt.date(2022, 6, 30),
                                 value=Decimal(value))
    return measure


def test_the_panel_lists_strategies_by_status_and_measures_off_track(world):
    bad = _in_force_measure(world.partnership, world.other_org, 150)
    good = _in_force_measure(world.partnership, world.other_org, 90)
    html = client_for(world.officer).get(reverse("dashboard:home")).content.decode()
    assert "Measures off track" in html
    assert bad.title in html.split("Measures off track")[1].split("Measures awaiting")[0]
    assert good.title not in html.split("Measures off track")[1].split("Measures awaiting")[0]
    assert "Drafting</strong> 1 strategy" in html and "Published</strong> 2 strategies" in html


def test_partner_officers_see_the_updates_their_organisation_owes(world):
    own = _in_force_measure(world.partnership, world.objective.lead_organisation, 90)
    theirs = _in_force_measure(world.partnership, world.other_org, 90)
    awaiting = client_for(world.partner).get(reverse("dashboard:home")).content.decode()
    awaiting = awaiting.split("Measures awaiting an update")[1]
    assert own.title in awaiting and theirs.title not in awaiting
    officer_view = client_for(world.officer).get(reverse("dashboard:home")).content.decode()
    officer_view = officer_view.split("Measures awaiting an update")[1]
    assert own.title in officer_view and theirs.title in officer_view


def test_another_partnerships_measures_never_appear(world):
    elsewhere = factories.PartnershipFactory()
    foreign = _in_force_measure(
        elsewhere, factories.OrganisationFactory(partnership=elsewhere), 150
    )
    html = client_for(world.officer).get(reverse("dashboard:home")).content.decode()
    assert foreign.title not in html
