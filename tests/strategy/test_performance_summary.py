"""The performance summary of a strategy: measures counted by status overall,
by priority and by owner organisation, and the exceptions for the board."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Membership
from strategy.models import Strategy
from strategy.performance import last_full_period_end
from strategy.scorecard import scorecard
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# With a baseline of 100 on 31 March 2022 and a target of 80 in 2099, the
# expected value on 30 June 2022 is just under 100: 90 is on track, 101 is at
# risk (behind by less than a tenth of the planned change of 20), 150 is off
# track.
ON, AT_RISK, OFF = Decimal(90), Decimal(101), Decimal(150)


def _measure(objective, organisation, value, *, period=dt.date(2022, 6, 30), title=None):
    measure = factories.MeasureFactory(
        objective=objective, owner_organisation=organisation,
        baseline_date=dt.date(2022, 3, 31), target_date=dt.date(2099, 3, 31),
        frequency="quarterly", **({"title": title} if title else {}),
    )
    if value is not None:
        factories.MeasurementFactory(measure=measure, period_end=period, value=value)
    return measure


def _in_force(strategy):
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.PUBLISHED)
    strategy.refresh_from_db()
    return strategy


@pytest.fixture
def plan(partnership):
    """Two priorities, two owner organisations, every status, one measure up
    to date (its last full quarter has a figure)."""
    strategy = _in_force(factories.StrategyFactory(partnership=partnership, title="Plan"))
    police = factories.OrganisationFactory(partnership=partnership, name="Area Police")
    council = factories.OrganisationFactory(partnership=partnership, name="Borough Council")
    first = factories.PriorityFactory(strategy=strategy, title="Violence", order=1)
    second = factories.PriorityFactory(strategy=strategy, title="Burglary", order=2)
    empty = factories.PriorityFactory(strategy=strategy, title="Fraud", order=3)
    o1 = factories.ObjectiveFactory(priority=first, lead_organisation=police)
    o2 = factories.ObjectiveFactory(priority=second, lead_organisation=council)
    # The last quarter whose figure is due: 14 days (the default grace) after
    # its end have passed.
    due = last_full_period_end("quarterly", timezone.localdate() - dt.timedelta(days=14))
    measures = {
        "up_to_date": _measure(o1, police, ON, period=due, title="Up to date"),
        "on": _measure(o1, police, ON, title="On but late"),
        "at_risk": _measure(o1, council, AT_RISK, title="At risk and late"),
        "off": _measure(o2, council, OFF, title="Off and late"),
        "off_current": _measure(o2, police, Decimal(9999), period=due, title="Off, current"),
        "none": _measure(o2, council, None, title="Never measured"),
    }
    return strategy, measures, {"first": first, "second": second, "empty": empty}, due


def _counts(row):
    return {str(status): n for status, n in row.by_status.items()} | {"total": row.total}


def test_measures_are_counted_by_status_overall_by_priority_and_by_organisation(plan):
    strategy, measures, priorities, _ = plan
    card = scorecard(strategy, today=timezone.localdate())
    assert _counts(card.overall) == {
        "on_track": 2, "at_risk": 1, "off_track": 2, "no_data": 1, "total": 6,
    }
    assert [row.label for row in card.by_priority] == [
        "Priority 1: Violence", "Priority 2: Burglary", "Priority 3: Fraud",
    ]
    assert [_counts(row) for row in card.by_priority] == [
        {"on_track": 2, "at_risk": 1, "off_track": 0, "no_data": 0, "total": 3},
        {"on_track": 0, "at_risk": 0, "off_track": 2, "no_data": 1, "total": 3},
        {"on_track": 0, "at_risk": 0, "off_track": 0, "no_data": 0, "total": 0},
    ]
    assert [(row.label, _counts(row)) for row in card.by_organisation] == [
        ("Area Police", {"on_track": 2, "at_risk": 0, "off_track": 1, "no_data": 0,
                         "total": 3}),
        ("Borough Council", {"on_track": 0, "at_risk": 1, "off_track": 1, "no_data": 1,
                             "total": 3}),
    ]


def test_the_exceptions_are_the_measures_off_track_or_late(plan):
    strategy, m, _, due = plan
    card = scorecard(strategy, today=timezone.localdate())
    rows = {row.measure.title: (row.off_track, row.late, row.due) for row in card.exceptions}
    assert rows == {
        "On but late": (False, True, due),
        "At risk and late": (False, True, due),
        "Off and late": (True, True, due),
        "Off, current": (True, False, None),
        "Never measured": (False, True, due),
    }


def test_a_figure_is_late_only_once_the_partnerships_grace_days_have_passed(partnership):
    """As on the dashboard: a quarter's figure is due 14 days (by default)
    after the quarter ends, and late after that; a partnership may set more."""
    from reminders.models import ReminderSettings

    strategy = _in_force(factories.StrategyFactory(partnership=partnership))
    objective = factories.ObjectiveFactory(priority=factories.PriorityFactory(strategy=strategy))
    _measure(objective, objective.lead_organisation, ON, period=dt.date(2026, 6, 30))
    within = scorecard(strategy, today=dt.date(2026, 10, 14))
    assert within.exceptions == []
    after = scorecard(strategy, today=dt.date(2026, 10, 15))
    [row] = after.exceptions
    assert (row.late, row.due, row.due_on) == (True, dt.date(2026, 9, 30), dt.date(2026, 10, 14))
    ReminderSettings.objects.create(partnership=partnership, measure_grace_days=30)
    assert scorecard(strategy, today=dt.date(2026, 10, 15)).exceptions == []


def test_a_strategy_not_yet_in_force_has_no_late_measures(partnership):
    strategy = factories.StrategyFactory(partnership=partnership)
    objective = factories.ObjectiveFactory(priority=factories.PriorityFactory(strategy=strategy))
    organisation = objective.lead_organisation
    _measure(objective, organisation, None, title="Draft measure")
    off = _measure(objective, organisation, OFF, title="Draft off track")
    card = scorecard(strategy, today=timezone.localdate())
    assert [row.measure for row in card.exceptions] == [off]
    assert not card.checks_lateness


def _table(html, caption):
    """The rows of the table with this caption, as lists of cell texts."""
    region = re.search(
        rf'<div class="smk-table-scroll" role="region" aria-label="{re.escape(caption)}" '
        rf'tabindex="0">\s*<table.*?<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>',
        html, re.S,
    )
    assert region, f"no table captioned {caption!r}"
    body = region.group(1).split("<tbody", 1)[1]
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
         for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_page_shows_the_tables_and_the_exceptions_with_links(plan, officer):
    strategy, m, _, due = plan
    url = reverse("strategy:performance_summary", args=[strategy.slug])
    response = client_for(officer).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert strategy.partnership.name in html
    assert _table(html, "All measures of the strategy") == [
        ["All measures", "2", "1", "2", "1", "6"]]
    assert _table(html, "Measures by priority")[1] == [
        "Priority 2: Burglary", "0", "0", "2", "1", "3"]
    assert _table(html, "Measures by owner organisation")[0] == [
        "Area Police", "2", "0", "1", "0", "3"]
    exceptions = _table(html, "5 measures off track or late")
    # The first cell is the measure's title over its priority's.
    by_title = {row[0].rsplit(" ", 1)[0]: row for row in exceptions}
    assert [row[0] for row in exceptions] == [
        "On but late Violence", "At risk and late Violence", "Off and late Burglary",
        "Off, current Burglary", "Never measured Burglary",
    ]
    off = by_title["Off and late"]
    due_on = due + dt.timedelta(days=14)
    assert off[1] == (f"Off track Late: the figure for the period ending {due:%-d %b %Y} "
                      f"was due on {due_on:%-d %b %Y}")
    assert off[2:] == ["Borough Council", "150 incidents (period ending 30 Jun 2022)",
                       "80 incidents by 31 Mar 2099"]
    assert by_title["Never measured"][3] == "None yet"
    assert by_title["Off, current"][1] == "Off track"
    for measure in m.values():
        link = reverse("strategy:measure_detail", args=[strategy.slug, measure.pk])
        assert (f'href="{link}"' in html) == (measure.title != "Up to date")


def test_the_strategy_pages_link_to_the_summary(plan, officer):
    strategy = plan[0]
    url = reverse("strategy:performance_summary", args=[strategy.slug])
    client = client_for(officer)
    for page in ("strategy:detail", "strategy:version_list"):
        html = client.get(reverse(page, args=[strategy.slug])).content.decode()
        assert f'href="{url}"' in html, page


def test_a_strategy_without_measures_says_so(partnership, officer):
    strategy = factories.StrategyFactory(partnership=partnership)
    html = client_for(officer).get(
        reverse("strategy:performance_summary", args=[strategy.slug])).content.decode()
    assert "This strategy has no measures yet." in html


def test_the_partnerships_people_see_it_and_another_partnerships_do_not(
    plan, officer, partner_officer, board_member, other_officer, partnership
):
    strategy = plan[0]
    url = reverse("strategy:performance_summary", args=[strategy.slug])
    administrator = factories.MembershipFactory(
        partnership=partnership, role=Membership.Role.ADMINISTRATOR).user
    for user in (officer, administrator, partner_officer, board_member):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        html = response.content.decode()
        assert "Off and late" in html
        # Read-only for everyone: nothing to submit on the page.
        assert "<form" not in html.split("<h1", 1)[1].split("</main>", 1)[0]
    assert client_for(other_officer).get(url).status_code == 404
    other_board_member = factories.BoardMembershipFactory(
        board=factories.BoardFactory(partnership=other_officer.memberships.get().partnership)
    ).user
    assert client_for(other_board_member).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_a_second_partnership_sees_its_own_summary(other_partnership, other_officer):
    strategy = _in_force(factories.StrategyFactory(partnership=other_partnership))
    objective = factories.ObjectiveFactory(priority=factories.PriorityFactory(strategy=strategy))
    _measure(objective, objective.lead_organisation, OFF, title="Their measure")
    html = client_for(other_officer).get(
        reverse("strategy:performance_summary", args=[strategy.slug])).content.decode()
    assert other_partnership.name in html and "Their measure" in html


def _grow(strategy, size):
    for _ in range(size):
        priority = factories.PriorityFactory(strategy=strategy)
        for _ in range(2):
            objective = factories.ObjectiveFactory(priority=priority)
            for value in (ON, OFF, None):
                _measure(objective, factories.OrganisationFactory(
                    partnership=strategy.partnership), value)


def test_the_page_takes_the_same_number_of_queries_at_twice_the_size(partnership, officer):
    strategy = _in_force(factories.StrategyFactory(partnership=partnership))
    client = client_for(officer)
    url = reverse("strategy:performance_summary", args=[strategy.slug])
    counts = []
    # Two priorities of 6 measures each, then twice as many.
    for added, total in ((2, 12), (2, 24)):
        _grow(strategy, added)
        client.get(url)  # the same warm session for both sizes
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        html = response.content.decode()
        assert _table(html, "All measures of the strategy") == [
            ["All measures", str(total // 3), "0", str(total // 3), str(total // 3), str(total)]
        ]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
