"""The sign-off and consultation sources read in a fixed number of queries:
twice the sign-offs and consultations, the same queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from milestones.models import SignOffRequest
from milestones.services import signoff_request
from reminders import engine, sources
from tests.milestones.factories import board_with_members, review_all, strategy_with_content
from tests.reminders.helpers import at
from tests.reminders.test_consultation_reminders import CLOSES, make_consultation, respond

pytestmark = pytest.mark.django_db

NEW_SOURCES = [
    sources.signoff_reviews_due,
    sources.signoff_decisions_due,
    sources.consultations_due,
    sources.retention_deletions_due,
]


def add_things(partnership, officer, *, n: int, start: int) -> None:
    """n pending sign-offs (half with the quorum in) and n consultations
    closing in 7 days, with responses."""
    for i in range(start, start + n):
        board, people = board_with_members(partnership, quorum=2, voters=3)
        (request,) = signoff_request(
            boards=[board], strategy=strategy_with_content(partnership, priorities=1), by=officer
        )
        if i % 2:
            review_all(request, people["voters"][:2])
        consultation = make_consultation(partnership, officer, slug=f"c-{i}")
        respond(consultation, on=consultation.opens_at + dt.timedelta(days=1), n=2)


def scan_day():
    # Seven days before the consultations close, and 3 weeks after the
    # sign-offs were asked: every new kind is due.
    return timezone.localdate(CLOSES) - dt.timedelta(days=7)


def count_scan(now):
    ctx = sources.ScanContext(now)
    for source in NEW_SOURCES:  # content types cached first
        list(source(ctx))
    ctx = sources.ScanContext(now)
    with CaptureQueriesContext(connection) as queries:
        due = [d for source in NEW_SOURCES for d in source(ctx)]
    return due, len(queries)


def test_twice_the_sign_offs_and_consultations_take_the_same_queries(partnership, officer):
    add_things(partnership, officer, n=3, start=0)
    # The board was asked three weeks before the scan day.
    asked = at(scan_day() - dt.timedelta(days=21))
    SignOffRequest.objects.update(requested_at=asked)
    due, queries = count_scan(at(scan_day()))
    kinds = {d.kind for d in due}
    assert kinds == {"signoff_review", "signoff_decision", "consultation"}

    add_things(partnership, officer, n=3, start=3)
    SignOffRequest.objects.update(requested_at=asked)
    due_after, queries_after = count_scan(at(scan_day()))
    assert len(due_after) == 2 * len(due)
    assert queries_after == queries
    assert queries <= 7


def test_the_whole_scan_with_them_sends_each_once(partnership, officer):
    add_things(partnership, officer, n=2, start=0)
    SignOffRequest.objects.update(requested_at=at(scan_day() - dt.timedelta(days=21)))
    first = engine.run(now=at(scan_day()))
    again = engine.run(now=at(scan_day()))
    assert first.count("sent") > 0
    assert again.count("sent") == 0
