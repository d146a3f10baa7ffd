"""Actions and the year's ASB figures are reminded through the reminder scan
(reminders.engine.run, as the beat task and `send_reminders` run it): at the
partnership's thresholds, to the right people, each reminder exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from partnerships.models import Membership
from reminders import engine
from reminders.models import Notice, ReminderSettings, SentReminder
from reviews import services
from reviews.models import AsbCaseReviewReturn
from tests import factories
from tests.reminders.helpers import at
from tests.reviews.conftest import add_action, days

pytestmark = pytest.mark.django_db


def _scan(day: dt.date) -> list[tuple[str, str]]:
    """Run the scan on `day`; the (username, subject) of the e-mails it sent."""
    before = len(mail.outbox)
    engine.run(now=at(day))
    return sorted((m.to[0].split("@")[0], m.subject.split("] ", 1)[-1])
                  for m in mail.outbox[before:])


def test_an_action_is_reminded_like_a_milestone_once_per_threshold_until_done(
    partnership, recommendation, council, officer
):
    owner = factories.MembershipFactory(partnership=partnership, organisation=council,
                                        role=Membership.Role.PARTNER).user
    action = add_action(recommendation, council, due=7, text="Agree a protocol with GPs.")
    today = dt.date.today()
    name = owner.username

    assert _scan(today) == [(name, "Action due in 7 days: Agree a protocol with GPs.")]
    # The same day again, and the next day (still the 7-day reminder): nothing.
    assert _scan(today) == []
    assert _scan(today + dt.timedelta(days=1)) == []
    assert _scan(today + dt.timedelta(days=6)) == [
        (name, "Action due in 1 day: Agree a protocol with GPs.")]
    assert _scan(today + dt.timedelta(days=8)) == [
        (name, "Action late: Agree a protocol with GPs.")]
    assert _scan(today + dt.timedelta(days=9)) == []
    rows = SentReminder.objects.filter(subject_id=action.pk, kind="review_action")
    assert sorted(rows.values_list("threshold", flat=True)) == ["1", "7", "overdue"]
    assert set(rows.values_list("recipient", flat=True)) == {owner.pk}
    assert Notice.objects.filter(recipient=owner).count() == 3
    assert "Record its progress" in mail.outbox[0].body


def test_a_done_action_is_not_reminded(partnership, recommendation, council):
    factories.MembershipFactory(partnership=partnership, organisation=council,
                                role=Membership.Role.PARTNER)
    action = add_action(recommendation, council, due=1)
    services.action_progress(action=action, status="done", done_on=days(0), evidence="Minutes")
    for offset in (0, 1, 2, 20):
        assert _scan(dt.date.today() + dt.timedelta(days=offset)) == []


def test_with_nobody_in_the_owner_organisation_the_officers_are_reminded(
    partnership, recommendation, officer
):
    nobody = factories.OrganisationFactory(partnership=partnership, name="Probation")
    add_action(recommendation, nobody, due=-2, text="Audit transferred cases.")
    assert _scan(dt.date.today()) == [(officer.username, "Action late: Audit transferred cases.")]


def test_each_partnership_uses_its_own_thresholds_and_people(
    partnership, other_partnership, recommendation, council, officer, other_officer
):
    from reviews.models import Review

    ReminderSettings.objects.create(partnership=other_partnership, milestone_days="3")
    theirs = factories.OrganisationFactory(partnership=other_partnership)
    their_review = services.review_create(
        partnership=other_partnership, kind=Review.Kind.ASB, title="ASB case review 4",
        started_on=days(-20), status=Review.Status.UNDER_WAY)
    their_rec = services.recommendation_add(review=their_review, number=1, text="Theirs.")
    add_action(recommendation, council, due=7, text="Ours.")
    add_action(their_rec, theirs, due=7, text="Theirs.")
    # Ours at 7 days to our officer (nobody works for the council here); theirs not
    # before 3 days, then to their officer only.
    assert _scan(dt.date.today()) == [(officer.username, "Action due in 7 days: Ours.")]
    assert _scan(dt.date.today() + dt.timedelta(days=4)) == [
        (other_officer.username, "Action due in 3 days: Theirs.")]


def test_the_asb_figures_are_reminded_to_officers_before_publication_exactly_once(
    partnership, other_partnership, officer, other_officer, partner_officer
):
    today = dt.date.today()
    year = today.year - 1 if today.month >= 4 else today.year - 2
    row = services.asb_return_save(
        partnership=partnership, year=year, applications=10, threshold_not_met=4,
        reviews_held=5, reviews_with_recommendations=3, referred_to_policing_body=None,
        publish_on=days(10),
    )
    period = f"{year} to {year + 1}"
    assert _scan(today) == [
        (officer.username, f"ASB case review figures for {period} published in 10 days")]
    assert _scan(today) == []
    assert _scan(today + dt.timedelta(days=3)) == [
        (officer.username, f"ASB case review figures for {period} published in 7 days")]
    # A new date is a new reminder.
    services.asb_return_save(partnership=partnership, instance=row, **{
        f: getattr(row, f) for f in services.ASB_FIELDS if f != "publish_on"},
        publish_on=days(12))
    assert _scan(today + dt.timedelta(days=3)) == [
        (officer.username, f"ASB case review figures for {period} published in 9 days")]
    # Once public, nothing more.
    assert _scan(today + dt.timedelta(days=13)) == []
    assert not SentReminder.objects.filter(recipient__in=[other_officer, partner_officer])
    assert AsbCaseReviewReturn.objects.count() == 1


def test_the_action_source_reads_only_due_actions_in_a_fixed_number_of_queries(
    partnership, other_partnership, recommendation, council, officer, other_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.sources import ScanContext
    from reviews.models import Review
    from reviews.reminders import actions_due

    their_review = services.review_create(
        partnership=other_partnership, kind=Review.Kind.OTHER, title="Theirs",
        started_on=days(-20), status=Review.Status.UNDER_WAY)
    their_rec = services.recommendation_add(review=their_review, number=1, text="Theirs.")
    theirs = factories.OrganisationFactory(partnership=other_partnership)

    def scan() -> tuple[int, int]:
        ctx = ScanContext(at(dt.date.today()))
        ctx.content_type_id(AsbCaseReviewReturn)  # cached, as after a first scan
        with CaptureQueriesContext(connection) as queries:
            due = list(actions_due(ctx))
        return len(due), len(queries)

    for n in range(3):
        add_action(recommendation, council, due=7 - n)
        add_action(recommendation, council, due=200 + n)  # far off: never read
    few_due, few_queries = scan()
    for _ in range(3):
        add_action(recommendation, council, due=1)
        add_action(their_rec, theirs, due=-1)
    many_due, many_queries = scan()
    assert (few_due, many_due) == (3, 9)
    assert many_queries == few_queries <= 4
