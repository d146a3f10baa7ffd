"""The scan: what is due, to whom, and that each reminder goes out once."""

import datetime as dt

import pytest
from django.core import mail

from milestones.models import Milestone
from partnerships.models import BoardMembership
from reminders import engine, services
from reminders.kinds import Kind
from reminders.models import Notice, ReminderSettings, SentReminder
from tests import factories
from tests.reminders.helpers import TODAY, at, milestone_due_in

pytestmark = pytest.mark.django_db


def test_a_milestone_due_in_ten_days_sends_one_email_with_links(partnership, officer, settings):
    settings.SITE_URL = "https://csp.example.org"
    milestone = milestone_due_in(10, partnership=partnership, owner=officer, title="Risk Board")

    report = engine.run(now=at(TODAY))

    assert report.count("sent") == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "Milestone due in 10 days: Risk Board" in message.subject
    assert "https://csp.example.org/dashboard/" in message.body
    assert "https://csp.example.org/reminders/preferences/" in message.body
    html = message.alternatives[0][0]
    assert 'href="https://csp.example.org/reminders/preferences/"' in html
    row = SentReminder.objects.get()
    assert (row.subject, row.kind, row.threshold, row.state) == (
        milestone,
        "milestone",
        "14",
        "sent",
    )
    assert Notice.objects.get(recipient=officer).title == "Milestone due in 10 days: Risk Board"


def test_running_the_scan_again_sends_nothing_more(partnership, officer):
    milestone_due_in(10, partnership=partnership, owner=officer)
    engine.run(now=at(TODAY))
    engine.run(now=at(TODAY))
    engine.run(now=at(TODAY, 15))
    assert len(mail.outbox) == 1
    assert Notice.objects.count() == 1


def test_each_threshold_is_sent_once_as_the_due_date_comes_closer(partnership, officer):
    milestone_due_in(14, partnership=partnership, owner=officer)
    sent = []
    for day in range(0, 20):
        engine.run(now=at(TODAY + dt.timedelta(days=day)))
        sent.append(len(mail.outbox))
    thresholds = list(
        SentReminder.objects.order_by("claimed_at").values_list("threshold", flat=True)
    )
    assert thresholds == ["14", "7", "1", "overdue"]
    # Day 0: 14 days left; day 7: 7 days; day 13: 1 day; day 15: late.
    assert sent[0] == 1 and sent[6] == 1 and sent[7] == 2 and sent[13] == 3 and sent[15] == 4


def test_a_done_milestone_produces_no_reminder(partnership, officer):
    milestone_due_in(1, partnership=partnership, owner=officer, status=Milestone.Status.DONE)
    milestone_due_in(-3, partnership=partnership, owner=officer, status=Milestone.Status.DONE)
    report = engine.run(now=at(TODAY))
    assert report.outcomes == []
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_a_milestone_late_longer_than_the_window_is_not_reminded(partnership, officer):
    milestone_due_in(-29, partnership=partnership, owner=officer, title="Long late")
    milestone_due_in(-28, partnership=partnership, owner=officer, title="Just late")
    engine.run(now=at(TODAY))
    assert [m.subject for m in mail.outbox] == [f"[{partnership.name}] Milestone late: Just late"]


def test_a_board_milestone_also_reminds_the_board_secretary(partnership, officer, board):
    secretary = factories.BoardMembershipFactory(
        board=board, role=BoardMembership.Role.SECRETARY
    ).user
    factories.BoardMembershipFactory(board=board, role=BoardMembership.Role.MEMBER)
    milestone_due_in(7, partnership=partnership, owner=officer, board=board)
    engine.run(now=at(TODAY))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, secretary.email])


def test_the_owner_who_is_also_secretary_gets_one_email(partnership, officer, board):
    factories.BoardMembershipFactory(board=board, user=officer, role=BoardMembership.Role.SECRETARY)
    milestone_due_in(7, partnership=partnership, owner=officer, board=board)
    engine.run(now=at(TODAY))
    assert len(mail.outbox) == 1


def test_thresholds_follow_the_partnership_settings(partnership, officer, other_partnership):
    ReminderSettings.objects.create(partnership=partnership, milestone_days="30,3")
    milestone_due_in(20, partnership=partnership, owner=officer)
    other_owner = factories.MembershipFactory(partnership=other_partnership).user
    milestone_due_in(20, partnership=other_partnership, owner=other_owner)
    engine.run(now=at(TODAY))
    assert [m.to[0] for m in mail.outbox] == [officer.email]
    assert SentReminder.objects.get().threshold == "30"


def test_a_kind_turned_off_sends_nothing_to_that_person(partnership, officer):
    colleague = factories.MembershipFactory(partnership=partnership).user
    services.preferences_update(user=officer, disabled_kinds=[Kind.MILESTONE], daily_digest=False)
    milestone_due_in(7, partnership=partnership, owner=officer)
    milestone_due_in(7, partnership=partnership, owner=colleague)
    engine.run(now=at(TODAY))
    assert [m.to[0] for m in mail.outbox] == [colleague.email]
    assert not Notice.objects.filter(recipient=officer).exists()


def test_the_daily_digest_merges_the_days_reminders_into_one_email(partnership, officer):
    services.preferences_update(user=officer, disabled_kinds=[], daily_digest=True)
    first = milestone_due_in(7, partnership=partnership, owner=officer, title="First step")
    second = milestone_due_in(1, partnership=partnership, owner=officer, title="Second step")

    report = engine.run(now=at(TODAY))
    assert report.count("queued for digest") == 2
    assert mail.outbox == []
    assert Notice.objects.filter(recipient=officer).count() == 2

    engine.send_digests(now=at(TODAY, 7, 30))
    engine.send_digests(now=at(TODAY, 8, 30))
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "2 reminders for today" in digest.subject
    assert first.title in digest.body and second.title in digest.body
    assert "/reminders/preferences/" in digest.body
    assert set(SentReminder.objects.values_list("state", flat=True)) == {"sent"}


def test_a_reminder_queued_after_the_days_digest_waits_for_the_next_day(partnership, officer):
    services.preferences_update(user=officer, disabled_kinds=[], daily_digest=True)
    milestone_due_in(7, partnership=partnership, owner=officer)
    engine.run(now=at(TODAY))
    engine.send_digests(now=at(TODAY, 7, 30))
    milestone_due_in(1, partnership=partnership, owner=officer, title="Added later")
    engine.run(now=at(TODAY, 12))
    engine.send_digests(now=at(TODAY, 13))
    assert len(mail.outbox) == 1
    engine.send_digests(now=at(TODAY + dt.timedelta(days=1), 7, 30))
    assert len(mail.outbox) == 2
    assert "Added later" in mail.outbox[1].body


def test_a_failed_send_is_retried_once_after_the_claim_times_out(partnership, officer, monkeypatch):
    milestone_due_in(7, partnership=partnership, owner=officer)
    calls = []

    def broken(reminder, user):
        calls.append(reminder.pk)
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(engine.emails, "send_reminder", broken)
    report = engine.run(now=at(TODAY))
    assert report.count("failed") == 1
    assert SentReminder.objects.get().state == "claimed"
    monkeypatch.undo()

    engine.run(now=at(TODAY, 7, 10))  # the claim is young: its sender may still be working
    assert mail.outbox == []
    report = engine.run(now=at(TODAY, 7, 25))
    assert report.count("retried") == 1
    engine.run(now=at(TODAY, 8, 0))
    assert len(mail.outbox) == 1
    row = SentReminder.objects.get()
    assert (row.state, row.attempts) == ("sent", 2)


def test_dry_run_claims_and_sends_nothing(partnership, officer):
    milestone_due_in(7, partnership=partnership, owner=officer)
    report = engine.run(now=at(TODAY), dry_run=True)
    assert [o.result for o in report.outcomes] == ["would send"]
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_a_person_without_an_email_address_still_gets_the_notice(partnership):
    owner = factories.MembershipFactory(partnership=partnership, user__email="").user
    milestone_due_in(7, partnership=partnership, owner=owner)
    engine.run(now=at(TODAY))
    assert mail.outbox == []
    assert Notice.objects.filter(recipient=owner).count() == 1
