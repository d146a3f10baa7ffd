"""Demo reminders: the duties SaferMK recorded, and what its people are told
on the day the demo is loaded.

The duty records of 2017-21 come from the reports; those of the current
cycle are dated from the day of loading, so that the compliance page reads
as a partnership on top of its duties would: each duty up to date, the
public consultation due soon (one is open). The reminder scan then runs as
of that day (notices only, no e-mail), so the dashboards' notices agree with
the pages: measure updates due, the Management Board's review and decision
waiting, the open consultation closing.

Idempotent: records are found by duty and date; the demo partnership's
reminders and notices are replaced by the scan of the day.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from consultation.demo import current_window
from partnerships.models import Partnership
from reminders import engine
from reminders.models import Duty, DutyRecord, Notice, SentReminder
from safermk.democlock import at, moment
from strategy.demo import refresh_year_start

RECORDS = [
    # duty, date done, note
    (Duty.PCC, dt.date(2018, 4, 20), "Strategy 2018–21 sent to the Thames Valley PCC."),
    (Duty.SUMMARY, dt.date(2018, 5, 1), "Summary published on safermk.com."),
    (Duty.CONSULTATION, dt.date(2017, 12, 15), "Consultation on the 2018–21 priorities."),
    (Duty.REFRESH, dt.date(2019, 3, 28), "2019/20 refresh agreed by Safer MK."),
    (Duty.REFRESH, dt.date(2020, 3, 26), "2020/21 refresh agreed by Safer MK."),
    (Duty.SCRUTINY, dt.date(2021, 11, 9), "Scrutiny Management Committee review."),
]


def current_records(today: dt.date) -> list[tuple[str, dt.date, str]]:
    """The duties done in the last year of the current cycle."""
    this_year = dt.date(refresh_year_start(today).year - 1, 4, 1)
    label = f"{this_year.year}/{this_year.year + 1 - 2000:02d}"
    closes = current_window(today)[1].date()
    return [
        (Duty.REFRESH, this_year - dt.timedelta(days=9), f"{label} refresh agreed by Safer MK."),
        (Duty.PCC, this_year + dt.timedelta(days=20),
         f"The {label} refresh sent to the Thames Valley PCC."),
        (Duty.SUMMARY, this_year + dt.timedelta(days=30),
         f"Summary of the {label} refresh published on safermk.com."),
        (Duty.CONSULTATION, closes - dt.timedelta(days=362),
         "Last year's community safety consultation closed."),
        (Duty.SCRUTINY, today - dt.timedelta(days=150),
         "Scrutiny Management Committee review of the strategy's performance."),
    ]


def load(partnership: Partnership, today: dt.date) -> None:
    officer = get_user_model().objects.filter(username="officer").first()
    for duty, done_on, note in RECORDS + current_records(today):
        with at(moment(done_on, 16), officer):
            DutyRecord.objects.get_or_create(
                partnership=partnership, duty=duty, done_on=done_on,
                defaults={"note": note, "recorded_by": officer},
            )
    Notice.objects.filter(partnership=partnership).delete()
    SentReminder.objects.filter(partnership=partnership).delete()
    # Notices only: loading a demo e-mails nobody.
    engine.run(now=moment(today, 7, 5), email=False)
