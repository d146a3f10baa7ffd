"""`send_reminders --now` over the demo plan sends what the calendar says.

The demo itself ran the scan as of 14 February 2022 (notices only), so the
plan's table starts the day after; the consultation's table follows its own
dates, before and long after."""

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
# The Management Board's pending sign-off: asked on 10 February 2022, when
# the Risk Board approved; three members' reviews are in (its quorum), the
# chair's is not, and the board has no secretary.
SIGNOFF = "SaferMK Community Safety Strategy 2022–2025, version 4"
CONSULTATION = "Have your say on the draft Community Safety Strategy 2022–2025"

TABLE_KINDS = {
    "milestone",
    "assessment_due",
    "refresh_due",
    "renewal_due",
    "measure_update",
    "signoff_review",
    "signoff_decision",
}


def officer(title):
    return ("officer", title)


def chair(title):
    return ("chair", title)


def review(day):
    """The chair's review is reminded 3 days after the board was asked, then
    every 7 days: on 13 Feb, 20 Feb, 27 Feb, 6 Mar, ... (the demo's own scan
    on 14 February sent the first). `day` is the day of the board's wait, for
    the reader of the table: the title does not name it."""
    return chair(f"Your review is awaited: {SIGNOFF}")


def decision(waited):
    """The chair (who records decisions) is reminded 14 days after the board
    was asked, on 24 February, then every 7 days, until the board decides."""
    return chair(f"Sign-off waiting {waited} days for a decision: {SIGNOFF}")


# --now, then (recipient, subject) of the e-mails that run sends. The Risk
# Board has already signed the final draft off in the demo, so only the
# Management Board's step and adoption remain open.
TABLE = [
    ("2022-02-15", []),
    ("2022-02-17", [officer(f"Milestone due in 7 days: {MANAGEMENT}")]),
    # Day 10 of the Management Board's wait: the second review reminder.
    ("2022-02-20", [review(10)]),
    ("2022-02-23", [officer(f"Milestone due in 1 day: {MANAGEMENT}")]),
    # No scan on the 24th: the first decision reminder goes on the 25th.
    ("2022-02-25", [officer(f"Milestone late: {MANAGEMENT}"), decision(15)]),
    # Missed weeks are not sent late: only the current step of each.
    ("2022-03-10", [officer(f"Milestone due in 14 days: {ADOPTION}"), review(28), decision(28)]),
    # Scans missed between 10 and 23 March: only the most urgent reminder goes.
    ("2022-03-23", [officer(f"Milestone due in 1 day: {ADOPTION}"), review(41), decision(41)]),
    # Day 43: a new decision week (day 42) but the review week began on day 38.
    ("2022-03-25", [officer(f"Milestone late: {ADOPTION}"), decision(43)]),
    ("2022-05-01", [review(80), decision(80)]),
]

# The consultation's own calendar (opened 11 October 2021 at 9:00, closed 10
# January 2022 at 17:00, data kept 3650 days: deleted on 8 January 2032), all
# to its lead officer. The demo's responses are seeded: 325 by 3 January, 350
# in all.
CONSULTATION_TABLE = [
    ("2021-10-09", []),
    ("2021-10-10", [officer(f"Consultation opens tomorrow: {CONSULTATION}")]),
    ("2021-10-11", []),
    ("2022-01-02", []),
    ("2022-01-03", [officer(f"Consultation closes in 7 days: {CONSULTATION}")]),
    ("2022-01-10", []),
    ("2022-01-11", [officer(f"Consultation closed with 350 responses: {CONSULTATION}")]),
    ("2022-02-08", []),
    ("2031-12-24", []),
    ("2031-12-25", [officer(f"Consultation data deleted in 14 days: {CONSULTATION}")]),
    ("2032-01-08", []),
]


def test_the_demo_load_left_notices_for_the_officer_and_sent_no_email(demo):
    titles = set(
        Notice.objects.filter(recipient__username="officer").values_list("title", flat=True)
    )
    assert {
        f"Milestone due in 10 days: {MANAGEMENT}",
        "Late: A new three-year strategy, due by 31 March 2021",
    } <= titles
    # Done in the demo before 14 February 2022: no reminder about them.
    assert f"Milestone due in 10 days: {RISK}" not in titles
    assert "Milestone late: Consult key stakeholders on draft strategy" not in titles
    assert "Late: The annual strategic assessment, due by 30 September 2021" not in titles
    assert mail.outbox == []


def test_the_demo_load_left_the_management_board_chair_review_and_decision_notices(demo):
    notices = sorted(
        Notice.objects.filter(
            reminder__kind__in=["signoff_review", "signoff_decision"]
        ).values_list("recipient__username", "title")
    )
    # Day 4 of the wait: past the 3 days for reviews, and the quorum is in.
    assert notices == [
        chair(f"Ready for the board's decision: {SIGNOFF}"),
        chair(f"Your review is awaited: {SIGNOFF}"),
    ]


def _run_table(table, kinds):
    for now, expected in table:
        before = len(mail.outbox)
        call_command("send_reminders", "--now", now, stdout=open("/dev/null", "w"))
        claimed = SentReminder.objects.filter(
            claimed_at=at(dt.date.fromisoformat(now)), kind__in=kinds
        )
        assert sorted(claimed.values_list("recipient__username", "title")) == sorted(expected), now
        assert set(claimed.values_list("state", flat=True)) <= {"sent"}, now
        sent = [
            (m.to[0].removesuffix("@example.org"), m.subject.removeprefix("[SaferMK Strategy] "))
            for m in mail.outbox[before:]
        ]
        assert sorted(e for e in sent if e in expected) == sorted(expected), now


def test_send_reminders_over_the_demo_plan_sends_the_expected_emails(demo):
    _run_table(TABLE, TABLE_KINDS)


def test_send_reminders_over_the_demo_consultation_sends_the_expected_emails(demo):
    _run_table(CONSULTATION_TABLE, {"consultation", "retention"})
    closing = [m for m in mail.outbox if "closes in 7 days" in m.subject]
    assert len(closing) == 1 and "It has 325 responses so far" in closing[0].body
    retention = [m for m in mail.outbox if "data deleted" in m.subject]
    assert len(retention) == 1 and "8 January 2032" in retention[0].body


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
