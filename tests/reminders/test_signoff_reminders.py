"""Board members are reminded of sign-offs awaiting their review, and the
chair and secretary of sign-offs awaiting the board's decision."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from milestones.models import ReviewPosition, SignOffOutcome, SignOffRequest
from milestones.services import signoff_decide, signoff_request, signoff_review
from reminders import engine
from reminders.models import ReminderPreferences, ReminderSettings, SentReminder
from tests.milestones.factories import board_with_members, strategy_with_content
from tests.reminders.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def signoff(partnership, officer):
    """A strategy before a board of three voters (quorum 2), a secretary and
    an observer; the board was asked today."""
    board, people = board_with_members(partnership, quorum=2, voters=3)
    strategy = strategy_with_content(partnership)
    (request,) = signoff_request(boards=[board], strategy=strategy, by=officer)
    asked = timezone.localdate(request.requested_at)
    return request, people, asked


def sent(kind):
    return sorted(SentReminder.objects.filter(kind=kind).values_list("recipient_id", "threshold"))


def review(request, user):
    signoff_review(request=request, reviewer=user, position=ReviewPosition.SUPPORT)


def run(day):
    return engine.run(now=at(day))


# Awaiting a member's review -------------------------------------------


def test_no_review_reminder_before_three_days(signoff):
    request, people, asked = signoff
    run(asked + dt.timedelta(days=2))
    assert sent("signoff_review") == []


def test_each_voter_who_has_not_reviewed_is_reminded_once_after_three_days(signoff):
    request, people, asked = signoff
    chair, member, third = people["voters"]
    review(request, member)
    run(asked + dt.timedelta(days=3))
    run(asked + dt.timedelta(days=3))
    run(asked + dt.timedelta(days=5))
    assert sent("signoff_review") == sorted([(chair.pk, "wait:0"), (third.pk, "wait:0")])
    emails = [m for m in mail.outbox if "Your review is awaited" in m.subject]
    assert sorted(m.to[0] for m in emails) == sorted([chair.email, third.email])
    link = reverse("milestones:signoff_review", args=[request.pk])
    assert all(link in m.body for m in emails)
    assert "1 of the 2 reviews needed" in emails[0].body


def test_the_review_reminder_repeats_weekly_until_the_member_reviews(signoff):
    request, people, asked = signoff
    chair, member, third = people["voters"]
    for days in (3, 9, 10, 11, 17):
        run(asked + dt.timedelta(days=days))
    assert [t for uid, t in sent("signoff_review") if uid == chair.pk] == [
        "wait:0",
        "wait:1",
        "wait:2",
    ]
    review(request, chair)
    run(asked + dt.timedelta(days=24))
    assert [t for uid, t in sent("signoff_review") if uid == chair.pk] == [
        "wait:0",
        "wait:1",
        "wait:2",
    ]
    assert [t for uid, t in sent("signoff_review") if uid == third.pk][-1] == "wait:3"


def test_secretaries_and_observers_are_not_asked_to_review(signoff):
    request, people, asked = signoff
    run(asked + dt.timedelta(days=3))
    recipients = {uid for uid, _ in sent("signoff_review")}
    assert recipients == {u.pk for u in people["voters"]}
    assert people["secretary"].pk not in recipients and people["observer"].pk not in recipients


def test_a_decided_sign_off_sends_no_review_reminder(signoff):
    request, people, asked = signoff
    chair, member, third = people["voters"]
    review(request, chair)
    review(request, member)
    signoff_decide(
        request=request,
        by=chair,
        outcome=SignOffOutcome.APPROVED,
        decided_on=asked,
        minute_reference="MB/1",
    )
    run(asked + dt.timedelta(days=3))
    run(asked + dt.timedelta(days=20))
    assert sent("signoff_review") == []
    assert sent("signoff_decision") == []


def test_a_member_who_turned_review_reminders_off_gets_none(signoff):
    request, people, asked = signoff
    chair, member, third = people["voters"]
    ReminderPreferences.objects.create(user=chair, disabled_kinds=["signoff_review"])
    run(asked + dt.timedelta(days=3))
    assert {uid for uid, _ in sent("signoff_review")} == {member.pk, third.pk}


def test_the_partnership_chooses_when_review_reminders_start_and_repeat(signoff, partnership):
    request, people, asked = signoff
    ReminderSettings.objects.create(
        partnership=partnership, signoff_review_days=5, signoff_repeat_days=2
    )
    run(asked + dt.timedelta(days=4))
    assert sent("signoff_review") == []
    run(asked + dt.timedelta(days=5))
    run(asked + dt.timedelta(days=7))
    chair = people["chair"]
    assert [t for uid, t in sent("signoff_review") if uid == chair.pk] == ["wait:0", "wait:1"]


def test_a_later_board_is_reminded_from_the_day_the_earlier_one_approved(partnership, officer):
    first, first_people = board_with_members(partnership, quorum=1, voters=1)
    second, second_people = board_with_members(partnership, quorum=2, voters=2)
    strategy = strategy_with_content(partnership)
    step1, step2 = signoff_request(boards=[first, second], strategy=strategy, by=officer)
    # The route was asked for ten days before the first board approved it.
    SignOffRequest.objects.filter(pk__in=[step1.pk, step2.pk]).update(
        requested_at=timezone.now() - dt.timedelta(days=10)
    )
    review(step1, first_people["chair"])
    approved = timezone.localdate()
    signoff_decide(
        request=step1,
        by=first_people["chair"],
        outcome=SignOffOutcome.APPROVED,
        decided_on=approved,
        minute_reference="RB/1",
    )
    run(approved + dt.timedelta(days=2))
    assert sent("signoff_review") == []
    run(approved + dt.timedelta(days=3))
    assert {uid for uid, _ in sent("signoff_review")} == {u.pk for u in second_people["voters"]}


# Awaiting the board's decision ----------------------------------------


def test_the_chair_and_secretary_are_told_once_when_the_quorum_is_in(signoff):
    request, people, asked = signoff
    chair, member, third = people["voters"]
    review(request, member)
    run(asked + dt.timedelta(days=1))
    assert sent("signoff_decision") == []
    review(request, third)
    run(asked + dt.timedelta(days=2))
    run(asked + dt.timedelta(days=2))
    run(asked + dt.timedelta(days=6))
    quorate = f"quorate:{request.content_hash[:12]}"
    assert sent("signoff_decision") == sorted(
        [(chair.pk, quorate), (people["secretary"].pk, quorate)]
    )
    emails = [m for m in mail.outbox if "Ready for the board's decision" in m.subject]
    assert sorted(m.to[0] for m in emails) == sorted([chair.email, people["secretary"].email])
    link = reverse("milestones:signoff_decide", args=[request.pk])
    assert all(link in m.body and "2 of the 2 reviews" in m.body for m in emails)


def test_without_a_quorum_they_are_told_after_fourteen_days_then_weekly(signoff):
    request, people, asked = signoff
    for days in (13, 14, 15, 20, 21, 28):
        run(asked + dt.timedelta(days=days))
    deciders = {people["chair"].pk, people["secretary"].pk}
    rows = sent("signoff_decision")
    assert {uid for uid, _ in rows} == deciders
    assert sorted({t for _, t in rows}) == ["waiting:0", "waiting:1", "waiting:2"]
    assert len(rows) == 6
    assert people["member"].pk not in {uid for uid, _ in rows}


def test_a_decided_sign_off_stops_the_decision_reminders(signoff):
    request, people, asked = signoff
    chair, member, third = people["voters"]
    run(asked + dt.timedelta(days=14))
    review(request, chair)
    review(request, member)
    signoff_decide(
        request=request,
        by=chair,
        outcome=SignOffOutcome.DEFERRED,
        decided_on=asked,
        minute_reference="MB/2",
    )
    before = sent("signoff_decision")
    run(asked + dt.timedelta(days=21))
    run(asked + dt.timedelta(days=28))
    assert sent("signoff_decision") == before


def test_decision_reminders_honour_preferences_and_the_partnership_s_days(signoff, partnership):
    request, people, asked = signoff
    ReminderSettings.objects.create(partnership=partnership, signoff_decision_days=5)
    ReminderPreferences.objects.create(
        user=people["secretary"], disabled_kinds=["signoff_decision"]
    )
    run(asked + dt.timedelta(days=4))
    assert sent("signoff_decision") == []
    run(asked + dt.timedelta(days=5))
    assert sent("signoff_decision") == [(people["chair"].pk, "waiting:0")]


def test_a_digest_reader_gets_the_sign_off_reminder_in_the_digest(signoff):
    request, people, asked = signoff
    ReminderPreferences.objects.create(user=people["chair"], daily_digest=True)
    run(asked + dt.timedelta(days=3))
    assert not [m for m in mail.outbox if m.to == [people["chair"].email]]
    engine.send_digests(now=at(asked + dt.timedelta(days=3), hour=18))
    digests = [m for m in mail.outbox if m.to == [people["chair"].email]]
    assert len(digests) == 1 and "Your review is awaited" in digests[0].body
