"""`send_reminders --now` over the demo plan sends what the calendar says.

The demo itself ran the scan as of 14 February 2022 (notices only), so the
table starts the day after."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from reminders.models import Notice, SentReminder
from tests.reminders.helpers import at

pytestmark = pytest.mark.django_db

RISK = "Final draft signed off by Risk Board"
MANAGEMENT = "Final draft agreed by MK Together Management Board"
ADOPTION = "Strategy adopted by Safer MK"

# The kinds the demo plan exercises. A source added later (sign-offs,
# consultations) adds its kind here and its rows to the table.
TABLE_KINDS = {"milestone", "assessment_due", "refresh_due", "renewal_due", "measure_update"}

# --now, then the subjects of the e-mails that run sends (all to the officer,
# who owns the plan). The Risk Board has already signed the final draft off in
# the demo, so only the Management Board's step and adoption remain open.
TABLE = [
    ("2022-02-15", []),
    ("2022-02-17", [f"Milestone due in 7 days: {MANAGEMENT}"]),
    ("2022-02-20", []),
    ("2022-02-23", [f"Milestone due in 1 day: {MANAGEMENT}"]),
    ("2022-02-25", [f"Milestone late: {MANAGEMENT}"]),
    ("2022-03-10", [f"Milestone due in 14 days: {ADOPTION}"]),
    # Scans missed between 10 and 23 March: only the most urgent reminder goes.
    ("2022-03-23", [f"Milestone due in 1 day: {ADOPTION}"]),
    ("2022-03-25", [f"Milestone late: {ADOPTION}"]),
    ("2022-05-01", []),
]


def test_the_demo_load_left_notices_for_the_officer_and_sent_no_email(demo):
    titles = set(
        Notice.objects.filter(recipient__username="officer").values_list("title", flat=True)
    )
    assert {
        f"Milestone due in 10 days: {MANAGEMENT}",
        "Milestone late: Consult key stakeholders on draft strategy",
        "Late: A new three-year strategy, due by 31 March 2021",
    } <= titles
    # Done in the demo before 14 February 2022: no reminder about them.
    assert f"Milestone due in 10 days: {RISK}" not in titles
    assert "Late: The annual strategic assessment, due by 30 September 2021" not in titles
    assert mail.outbox == []


def test_send_reminders_over_the_demo_plan_sends_the_expected_emails(demo):
    for now, expected in TABLE:
        before = len(mail.outbox)
        call_command("send_reminders", "--now", now, stdout=open("/dev/null", "w"))
        claimed = SentReminder.objects.filter(
            claimed_at=at(dt.date.fromisoformat(now)), kind__in=TABLE_KINDS
        )
        assert sorted(claimed.values_list("title", flat=True)) == sorted(expected), now
        assert set(claimed.values_list("recipient__username", "state")) <= {("officer", "sent")}
        sent = [
            m.subject.removeprefix("[SaferMK Strategy] ")
            for m in mail.outbox[before:]
            if m.to == ["officer@example.org"]
        ]
        assert sorted(t for t in sent if t in expected) == sorted(expected), now


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(demo, capsys):
    call_command("send_reminders", "--dry-run", "--now", "2022-02-17")
    out = capsys.readouterr().out
    assert "dry run" in out
    assert out.count("would send") == 1 and MANAGEMENT in out and RISK not in out
    assert mail.outbox == []
    assert not SentReminder.objects.filter(threshold="7").exists()


def test_a_real_run_prints_what_it_sent(demo, capsys):
    call_command("send_reminders", "--now", "2022-02-17T09:00")
    out = capsys.readouterr().out
    assert out.count("sent ") == 1 and "officer@example.org" in out and MANAGEMENT in out


def test_a_bad_date_is_refused_in_plain_words(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO date"):
        call_command("send_reminders", "--now", "next tuesday")


def test_loading_the_demo_again_adds_no_reminder_notice_or_record():
    from reminders.models import DutyRecord

    call_command("load_demo", "--quiet-users")
    counts = (SentReminder.objects.count(), Notice.objects.count(), DutyRecord.objects.count())
    assert counts[0] > 0 and counts[1] == counts[0] and counts[2] > 0
    call_command("load_demo", "--quiet-users")
    assert (
        SentReminder.objects.count(),
        Notice.objects.count(),
        DutyRecord.objects.count(),
    ) == counts
