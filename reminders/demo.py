"""Demo reminders: what the SaferMK officer was told while the 2022 plan ran.

The demo plan's dates are 2021-22, so the scan runs as of DEMO_DAY (mid
February 2022: the consultation closed a month before, the Management
Board's sign-off milestone is ten days away and the board has waited four
days for its chair's review). The reminders become notices on the officer's
and the chair's dashboards; no e-mail is sent by loading the demo. Also
records the duties the 2018-21 strategy shows no data for, so the compliance
page has history.
Idempotent: the reminder rows are unique and the records found by date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from partnerships.models import Partnership
from reminders import engine
from reminders.models import Duty, DutyRecord

DEMO_DAY = dt.date(2022, 2, 14)

RECORDS = [
    # duty, date done, note
    (Duty.PCC, dt.date(2018, 4, 20), "Strategy 2018–21 sent to the Thames Valley PCC."),
    (Duty.SUMMARY, dt.date(2018, 5, 1), "Summary published on safermk.com."),
    (Duty.CONSULTATION, dt.date(2017, 12, 15), "Consultation on the 2018–21 priorities."),
    (Duty.REFRESH, dt.date(2019, 3, 28), "2019/20 refresh agreed by Safer MK."),
    (Duty.REFRESH, dt.date(2020, 3, 26), "2020/21 refresh agreed by Safer MK."),
    (Duty.SCRUTINY, dt.date(2021, 11, 9), "Scrutiny Management Committee review."),
]


def load(partnership: Partnership) -> None:
    for duty, done_on, note in RECORDS:
        DutyRecord.objects.get_or_create(
            partnership=partnership, duty=duty, done_on=done_on, defaults={"note": note}
        )
    now = timezone.make_aware(dt.datetime.combine(DEMO_DAY, dt.time(7, 5)))
    # Notices only: e-mails about 2022 would reach nobody useful.
    engine.run(now=now, email=False)
