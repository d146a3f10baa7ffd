"""The scan over 10,000 milestones reads only the due ones."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from milestones.models import Milestone
from reminders import engine
from reminders.sources import milestones_in_window
from tests.reminders.helpers import TODAY, at
from tests.reminders.scale import make_milestones

pytestmark = pytest.mark.django_db


def _scan_counting_milestones():
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=Milestone)
    try:
        with CaptureQueriesContext(connection) as queries:
            due = engine.scan(now=at(TODAY))
    finally:
        post_init.disconnect(count, sender=Milestone)
    return due, loaded, len(queries)


def test_the_scan_reads_only_the_due_milestones_in_a_fixed_number_of_queries(partnership, officer):
    in_window = make_milestones(partnership=partnership, owner=officer, count=10_000, today=TODAY)
    engine.scan(now=at(TODAY))  # content types are cached after the first scan
    due, loaded, queries = _scan_counting_milestones()
    assert len(loaded) == in_window
    assert 0 < len(due) <= in_window

    make_milestones(partnership=partnership, owner=officer, count=10_000, today=TODAY, seed=2)
    due_after, loaded_after, queries_after = _scan_counting_milestones()
    assert queries_after == queries
    assert len(loaded_after) > len(loaded)  # the new due ones, and nothing else
    # The milestone, measure and duty sources took at most 12; with nothing
    # pending, the sign-off, consultation, retention, review action and ASB
    # figure sources add one each.
    assert queries <= 17


@pytest.mark.postgres
def test_postgres_uses_the_status_and_due_date_index_for_the_scan(partnership, officer):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN shows PostgreSQL's plan: run with DATABASE_URL set to PostgreSQL.")
    make_milestones(partnership=partnership, owner=officer, count=10_000, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE milestones_milestone")
    plan = milestones_in_window(
        earliest=TODAY - dt.timedelta(days=28), latest=TODAY + dt.timedelta(days=14)
    ).explain()
    assert "milestone_status_due" in plan, plan
    assert "Seq Scan on milestones_milestone" not in plan, plan
