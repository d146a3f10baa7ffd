"""`send_reminders --now` over the demo's current cycle sends what the
calendar says.

The demo is loaded as of 30 November 2026 and ran the scan itself that
morning (notices only), so the tables start the next day. On that day the
annual refresh's consultation has been open since 5 October and closes on 28
December at 17:00; the Risk Board approved the draft refresh in principle on
9 November, so the Management Board has been asked since then, with three
members' reviews in (its quorum) but not its chair's; its meeting, and the
milestone, are on 7 December."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from reminders.models import Notice, SentReminder
from tests.reminders.helpers import at

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2026, 11, 30)
MANAGEMENT = "Draft refresh agreed in principle by MK Together Management Board"
WINDOW = "Public consultation on the draft refresh"
SIGNOFF = "SaferMK Community Safety Strategy 2025–2028: refresh for 2027/28, version 2"
CONSULTATION = "Have your say on community safety in Milton Keynes 2027/28"
CONSULTATION_2022 = "Have your say on the draft Community Safety Strategy 2022–2025"

TABLE_KINDS = {
    "milestone",
    "assessment_due",
    "refresh_due",
    "renewal_due",
    "measure_update",
    "signoff_review",
    "signoff_decision",
}


@pytest.fixture
def demo_day(db):
    """The demo as `load_demo --today 2026-11-30` loads it."""
    from safermk.demo import load_all

    load_all(today=DEMO_DAY, superseded_pdfs=False)


def officer(title):
    return ("officer", title)


def chair(title):
    return ("chair", title)


def police(title):
    return ("police", title)


def manager(title):
    return ("manager", title)


# The demo's actions from reviews (reviews/demo.py), dated from the demo day:
# nobody signs in for Probation, so its action is reminded to the
# partnership's officers (the officer and the administrator).
PROBATION_ACTION = "Audit 20 transferred cases for the new domestic abuse check."
POLICE_ACTION = "Add a domestic abuse flag to the police referral form sent to GP practices."
ASB_FIGURES = "ASB case review figures for 2025 to 2026 published {when}"


def officers(title):
    return [officer(title), manager(title)]


def review(day):
    """The chair's review is reminded 3 days after the board was asked, then
    every 7 days: on 12, 19 and 26 November (the demo's own scan on the 30th
    sent that week's), 3 December, ... `day` is the day of the board's wait,
    for the reader of the table: the title does not name it."""
    return chair(f"Your review is awaited: {SIGNOFF}")


def decision(waited):
    """The chair (who records decisions) is reminded 14 days after the board
    was asked, on 23 November, then every 7 days, until the board decides."""
    return chair(f"Sign-off waiting {waited} days for a decision: {SIGNOFF}")


# --now, then (recipient, subject) of the e-mails that run sends.
TABLE = [
    ("2026-12-01", []),
    # Day 24 of the Management Board's wait: the next review reminder.
    ("2026-12-03", [review(24)]),
    ("2026-12-06", [officer(f"Milestone due in 1 day: {MANAGEMENT}")]),
    ("2026-12-07", [decision(28)]),
    # Nobody recorded the board's decision: the milestone is late the next day.
    ("2026-12-08", [officer(f"Milestone late: {MANAGEMENT}")]),
    ("2026-12-10", [review(31)]),
    # Missed scans are not sent late; the monthly measures' November values
    # are now past their 14 days.
    ("2026-12-14", [
        decision(35),
        officer(f"Milestone due in 14 days: {WINDOW}"),
        police("Measure update late: Anti-social behaviour incidents reported to police"),
        police("Measure update late: Violence with injury offences in the night-time economy"),
    ]),
    ("2026-12-15", []),
]

# The consultations' own calendars, all to their lead officer: the refresh's
# (closes 28 December 2026 at 17:00, data kept a year) and the 2021-22 one
# (data kept 3650 days: deleted on 8 January 2032). The responses are seeded:
# 142 so far, and nobody answers after the demo was loaded.
CONSULTATION_TABLE = [
    ("2026-12-20", []),
    ("2026-12-21", [officer(f"Consultation closes in 7 days: {CONSULTATION}")]),
    ("2026-12-28", []),
    ("2026-12-29", [officer(f"Consultation closed with 142 responses: {CONSULTATION}")]),
    ("2027-12-13", []),
    ("2027-12-14", [officer(f"Consultation data deleted in 14 days: {CONSULTATION}")]),
    ("2031-12-24", []),
    ("2031-12-25", [officer(f"Consultation data deleted in 14 days: {CONSULTATION_2022}")]),
    ("2032-01-08", []),
]


# The Probation action is due on 7 December; the ASB figures go public on 10
# December: reminded at the milestone thresholds (14, 7, 1 days, and late).
REVIEWS_TABLE = [
    ("2026-12-01", []),
    ("2026-12-03", officers(ASB_FIGURES.format(when="in 7 days"))),
    ("2026-12-05", []),
    ("2026-12-06", officers(f"Action due in 1 day: {PROBATION_ACTION}")),
    ("2026-12-07", []),
    ("2026-12-08", officers(f"Action late: {PROBATION_ACTION}")),
    ("2026-12-09", officers(ASB_FIGURES.format(when="in 1 day"))),
    ("2026-12-10", []),
    ("2026-12-31", officers(
        "Action due in 14 days: Run the “Know the signs” coercive control campaign in the "
        "area.")),
]


def test_the_demo_load_left_notices_for_the_officer_and_sent_no_email(demo_day):
    titles = set(
        Notice.objects.filter(recipient__username="officer").values_list("title", flat=True)
    )
    assert titles == {
        f"Milestone due in 7 days: {MANAGEMENT}",
        # The demo's review actions and ASB case review figures (tests/reviews).
        f"Action due in 7 days: {PROBATION_ACTION}",
        ASB_FIGURES.format(when="in 10 days"),
    }
    # No duty is late, no milestone is late, and nothing says "due in 10
    # days" beside a late one; the one late thing is a review action.
    assert set(Notice.objects.filter(title__icontains="late").values_list("title", flat=True)) \
        == {f"Action late: {POLICE_ACTION}"}
    assert mail.outbox == []


def test_the_demo_load_left_the_management_board_chair_review_and_decision_notices(demo_day):
    notices = sorted(
        Notice.objects.filter(
            reminder__kind__in=["signoff_review", "signoff_decision"]
        ).values_list("recipient__username", "title")
    )
    # Day 21 of the wait: a review week and a decision week, and the quorum is in.
    assert notices == [
        chair(f"Ready for the board's decision: {SIGNOFF}"),
        decision(21),
        chair(f"Your review is awaited: {SIGNOFF}"),
    ]


def test_the_demo_load_told_the_police_officer_which_measures_are_due(demo_day):
    titles = set(
        Notice.objects.filter(recipient__username="police").values_list("title", flat=True)
    )
    assert titles == {
        "Measure update due: Anti-social behaviour incidents reported to police",
        "Measure update due: Violence with injury offences in the night-time economy",
        # The late action Thames Valley Police owns.
        f"Action late: {POLICE_ACTION}",
    }


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
            (m.to[0].removesuffix("@example.org"), m.subject.removeprefix("[SaferMK Partnership] "))
            for m in mail.outbox[before:]
        ]
        assert sorted(e for e in sent if e in expected) == sorted(expected), now


def test_send_reminders_over_the_demo_plan_sends_the_expected_emails(demo_day):
    _run_table(TABLE, TABLE_KINDS)


def test_send_reminders_over_the_demo_consultations_sends_the_expected_emails(demo_day):
    _run_table(CONSULTATION_TABLE, {"consultation", "retention"})
    closing = [m for m in mail.outbox if "closes in 7 days" in m.subject]
    assert len(closing) == 1 and "It has 142 responses so far" in closing[0].body
    retention = [m for m in mail.outbox if "data deleted" in m.subject]
    assert len(retention) == 2 and "8 January 2032" in retention[1].body


def test_send_reminders_over_the_demo_review_actions_and_asb_figures(demo_day):
    _run_table(REVIEWS_TABLE, {"review_action", "asb_return"})


def _without_reviews(out: str) -> str:
    """The output without the lines of review actions and ASB figures, which
    REVIEWS_TABLE follows."""
    return "\n".join(line for line in out.splitlines()
                     if "review_action/" not in line and "asb_return/" not in line)


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(demo_day, capsys):
    call_command("send_reminders", "--dry-run", "--now", "2026-12-03")
    out = _without_reviews(capsys.readouterr().out)
    assert "dry run" in out
    assert out.count("would send") == 1 and "chair@example.org" in out and SIGNOFF in out
    assert mail.outbox == []
    assert not SentReminder.objects.filter(claimed_at=at(dt.date(2026, 12, 3))).exists()


def test_a_real_run_prints_what_it_sent(demo_day, capsys):
    call_command("send_reminders", "--now", "2026-12-06T09:00")
    out = _without_reviews(capsys.readouterr().out)
    # The chair's review reminder of the week from 3 December goes too: no
    # scan ran that day.
    assert out.count("sent ") == 2 and "officer@example.org" in out and MANAGEMENT in out
    assert "chair@example.org" in out and f"Your review is awaited: {SIGNOFF}" in out


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
