"""The statutory calendar: for each duty of a partnership, when it was last
done and when it is next due.

Computed from the data where it exists (strategic assessments, strategies and
their adoption, closed public consultations and consultation milestones) and
from DutyRecord rows where nothing else shows it. The compliance page and the
statutory reminders read the same answer, so a reminder never says something the page does not.

The duties (Crime and Disorder Act 1998 s.5-7, the Crime and Disorder
(Formulation and Implementation of Strategy) Regulations 2007, and the
Crime and Disorder (Overview and Scrutiny) Regulations 2009):
- a strategic assessment every year;
- a partnership plan (strategy) for three years, in force when the last ends;
- the plan revised (refreshed) every year;
- the views of the public obtained every year;
- the plan sent to the local policing body (whose police and crime plan it
  must have regard to) every year;
- scrutiny by the crime and disorder committee at least once every 12 months;
- a summary of the plan published every year.

And, under the Serious Violence Duty (Police, Crime, Sentencing and Courts
Act 2022), the serious violence strategy reviewed at least once a year: a
year after it took effect or after the last review an officer recorded. It
is followed once the partnership has a serious violence strategy here (in
some areas another partnership or body publishes it). Community safety
duties read only community safety assessments and strategies.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from consultation.models import Consultation
from milestones.models import Milestone
from partnerships.models import body_on, policing_bodies_of, policing_body_in_sentence
from reminders.models import Duty, DutyRecord, ReminderSettings
from strategy.duties import StrategyDuty
from strategy.models import StrategicAssessment, Strategy

IN_FORCE = (Strategy.Status.ADOPTED, Strategy.Status.PUBLISHED, Strategy.Status.SUPERSEDED)

EXPLANATIONS = {
    Duty.ASSESSMENT: "A strategic assessment every year, signed off by a board.",
    Duty.STRATEGY: "A new three-year strategy in force when the current one ends.",
    Duty.REFRESH: "The strategy revised every year.",
    Duty.CONSULTATION: "The views of people who live and work in the area, every year.",
    Duty.PCC: "The plan sent to {body} every year.",
    Duty.SCRUTINY: "Scrutiny by the crime and disorder committee at least every 12 months.",
    Duty.SUMMARY: "A summary of the plan published every year.",
    Duty.SV_REVIEW: "The serious violence strategy reviewed at least once a year "
    "(Serious Violence Duty).",
}


def duty_name(duty: str, policing_body: str = "") -> str:
    """The duty as pages and reminders say it; the duty to send the plan
    names the body (`policing_body`, as it reads in a sentence)."""
    if duty == Duty.PCC:
        return f"Send the plan to {policing_body or policing_body_in_sentence(None)}"
    return Duty(duty).label


class Status:
    UP_TO_DATE = "up_to_date"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NOT_RECORDED = "not_recorded"

    LABELS = {
        UP_TO_DATE: ("Up to date", "govuk-tag--green"),
        DUE_SOON: ("Due soon", "govuk-tag--yellow"),
        OVERDUE: ("Overdue", "govuk-tag--red"),
        NOT_RECORDED: ("Not recorded", "govuk-tag--grey"),
    }


@dataclass(frozen=True)
class DutyStatus:
    duty: str
    last_done: dt.date | None
    next_due: dt.date | None
    status: str
    source: str
    # For the duty to send the plan: the body in force on the due date (or
    # today when nothing is due yet), as it reads in a sentence.
    policing_body: str = ""

    @property
    def name(self) -> str:
        return duty_name(self.duty, self.policing_body)

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.duty].format(
            body=self.policing_body or policing_body_in_sentence(None)
        )

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status][0]

    @property
    def status_class(self) -> str:
        return Status.LABELS[self.status][1]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def assessment_due(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _later(*days: dt.date | None) -> dt.date | None:
    present = [d for d in days if d is not None]
    return max(present) if present else None


def _status(next_due: dt.date | None, today: dt.date, lead_days: int) -> str:
    if next_due is None:
        return Status.NOT_RECORDED
    if today > next_due:
        return Status.OVERDUE
    if today >= next_due - dt.timedelta(days=lead_days):
        return Status.DUE_SOON
    return Status.UP_TO_DATE


def duties_for(partnership_ids, *, today: dt.date) -> dict[int, list[DutyStatus]]:
    """Every duty of each partnership, in a fixed number of queries."""
    ids = list(partnership_ids)
    settings = {
        s.partnership_id: s for s in ReminderSettings.objects.filter(partnership_id__in=ids)
    }
    default = ReminderSettings()

    assessments = defaultdict(list)
    for row in StrategicAssessment.objects.filter(
        partnership_id__in=ids, duty=StrategyDuty.COMMUNITY_SAFETY
    ).values(
        "partnership_id", "year", "status", "signed_off_on"
    ):
        assessments[row["partnership_id"]].append(row)

    strategies = defaultdict(list)
    serious_violence = defaultdict(list)
    # One query for every strategy of the partnerships (a few each): those
    # in force feed the duties; any serious violence strategy at all brings
    # in the duty to review it.
    has_serious_violence = set()
    for row in (
        Strategy.objects.filter(partnership_id__in=ids)
        .annotate(
            # The day it was adopted, which may be before it was recorded here.
            adopted_on=Min(
                "transitions__happened_on", filter=Q(transitions__to_status="adopted")
            ),
        )
        .values("partnership_id", "status", "duty", "kind", "period_start", "period_end",
                "adopted_on")
    ):
        if row["duty"] == StrategyDuty.SERIOUS_VIOLENCE:
            has_serious_violence.add(row["partnership_id"])
        if row["status"] not in IN_FORCE:
            continue
        if row["duty"] == StrategyDuty.SERIOUS_VIOLENCE:
            serious_violence[row["partnership_id"]].append(row)
        else:
            strategies[row["partnership_id"]].append(row)

    consultations = dict(
        Milestone.objects.filter(
            partnership_id__in=ids, kind=Milestone.Kind.CONSULTATION, status=Milestone.Status.DONE
        )
        .values("partnership_id")
        .annotate(last=Max("due_date"))
        .values_list("partnership_id", "last")
    )
    # A public consultation run here is done on the day it closes (drafts
    # and consultations still open do not count).
    end_of_today = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)
    )
    for pid, closed in (
        Consultation.objects.listed()
        # When it really closed: earlier than planned if an officer closed it.
        .filter(partnership_id__in=ids)
        .filter(
            Q(closed_at__lt=end_of_today)
            | Q(closed_at__isnull=True, closes_at__lt=end_of_today)
        )
        .values("partnership_id")
        .annotate(last=Max(Coalesce("closed_at", "closes_at")))
        .values_list("partnership_id", "last")
    ):
        consultations[pid] = _later(consultations.get(pid), timezone.localdate(closed))

    records: dict[tuple[int, str], dt.date] = {
        (r["partnership_id"], r["duty"]): r["last"]
        for r in DutyRecord.objects.filter(partnership_id__in=ids)
        .values("partnership_id", "duty")
        .annotate(last=Max("done_on"))
    }

    bodies = policing_bodies_of(ids)

    result = {}
    for pid in ids:
        s = settings.get(pid, default)
        lead = s.annual_lead_days

        def record(duty, pid=pid):
            return records.get((pid, duty))

        rows = []
        # Assessment: due by the end of the chosen month of each year.
        signed = [
            a for a in assessments[pid] if a["status"] == StrategicAssessment.Status.SIGNED_OFF
        ]
        latest = max(signed, key=lambda a: a["year"], default=None)
        data_done = (
            latest["signed_off_on"] or assessment_due(latest["year"], s.assessment_due_month)
            if latest
            else None
        )
        last = _later(data_done, record(Duty.ASSESSMENT))
        if latest and (last == data_done):
            next_year = latest["year"] + 1
        elif last:
            next_year = last.year + 1
        else:
            unsigned = [a["year"] for a in assessments[pid]]
            next_year = min(unsigned) if unsigned else None
        next_due = assessment_due(next_year, s.assessment_due_month) if next_year else None
        rows.append(
            DutyStatus(
                Duty.ASSESSMENT,
                last,
                next_due,
                _status(next_due, today, lead),
                "Strategic assessments"
                + (" and officers' records" if record(Duty.ASSESSMENT) else ""),
            )
        )

        # Three-year strategy: the next must be in force when the current ends.
        full = [r for r in strategies[pid] if r["kind"] == Strategy.Kind.FULL]
        current = max(full, key=lambda r: r["period_start"], default=None)
        in_force_from = _in_force_from(current) if current else None
        last = _later(in_force_from, record(Duty.STRATEGY))
        if current and last == in_force_from:
            next_due = current["period_end"]
        else:
            next_due = add_years(last, 3) if last else None
        rows.append(
            DutyStatus(
                Duty.STRATEGY,
                last,
                next_due,
                _status(next_due, today, s.renewal_lead_days),
                "Strategies and their adoption",
            )
        )

        # Refresh: a year after the last refresh or the adoption of a new strategy.
        refreshes = [
            _in_force_from(r) for r in strategies[pid] if r["kind"] == Strategy.Kind.REFRESH
        ]
        last = _later(in_force_from, *refreshes, record(Duty.REFRESH))
        next_due = add_years(last, 1) if last else None
        rows.append(
            DutyStatus(
                Duty.REFRESH,
                last,
                next_due,
                _status(next_due, today, lead),
                "Strategies, refreshes and officers' records",
            )
        )

        last = _later(consultations.get(pid), record(Duty.CONSULTATION))
        next_due = add_years(last, 1) if last else None
        rows.append(
            DutyStatus(
                Duty.CONSULTATION,
                last,
                next_due,
                _status(next_due, today, lead),
                "Public consultations, consultation milestones and officers' records",
            )
        )

        for duty in (Duty.PCC, Duty.SCRUTINY, Duty.SUMMARY):
            last = record(duty)
            next_due = add_years(last, 1) if last else None
            body = ""
            if duty == Duty.PCC:
                body = policing_body_in_sentence(body_on(bodies[pid], next_due or today))
            rows.append(
                DutyStatus(
                    duty, last, next_due, _status(next_due, today, lead), "Officers' records",
                    policing_body=body,
                )
            )

        # Serious violence strategy: reviewed a year after it took effect or
        # after the last recorded review.
        if pid in has_serious_violence or record(Duty.SV_REVIEW):
            took_effect = [_in_force_from(r) for r in serious_violence[pid]]
            last = _later(*took_effect, record(Duty.SV_REVIEW))
            next_due = add_years(last, 1) if last else None
            rows.append(
                DutyStatus(
                    Duty.SV_REVIEW,
                    last,
                    next_due,
                    _status(next_due, today, lead),
                    "Serious violence strategies and officers' records of reviews",
                )
            )
        result[pid] = rows
    return result


def _in_force_from(row) -> dt.date:
    """When a strategy took effect: its adoption, or its start if adopted earlier."""
    adopted = row["adopted_on"]
    return min(adopted, row["period_start"]) if adopted else row["period_start"]
