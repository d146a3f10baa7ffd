"""Reminder sources for actions from reviews and the yearly ASB case review
figures (listed in reminders.sources.SOURCES).

An action is reminded like a milestone: at the partnership's milestone
thresholds (14, 7 and 1 days before it is due, by default) and once when
late, within the late window; each (person, action, threshold) once. Its
reminders go to the people of the organisation that owns it in the
partnership, or to the partnership's officers when nobody there works for
that organisation.

A year's ASB figures are reminded to the partnership's officers at the same
thresholds before their publication date, so they are checked before they
go public; a changed date is a new reminder ("7:2026-12-15").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from partnerships.models import Membership
from reminders.kinds import Kind
from reminders.sources import Due, ScanContext, _days, milestone_threshold
from reviews.models import Action, AsbCaseReviewReturn


def actions_due(ctx: ScanContext) -> Iterable[Due]:
    earliest = ctx.today - dt.timedelta(days=ctx.widest("overdue_window_days"))
    latest = ctx.today + dt.timedelta(days=ctx.widest_milestone_days())
    # The action_status_due index: only open actions due around today are read.
    rows = list(
        Action.objects.open()
        .filter(due_on__gte=earliest, due_on__lte=latest)
        .select_related("partnership", "owner")
        .order_by()
    )
    if not rows:
        return
    people: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pid, org_id, uid in Membership.objects.filter(
        partnership_id__in={a.partnership_id for a in rows},
        organisation_id__in={a.owner_id for a in rows},
        user__is_active=True,
    ).values_list("partnership_id", "organisation_id", "user_id"):
        people[(pid, org_id)].append(uid)
    ct = ctx.content_type_id(Action)
    for action in rows:
        threshold = milestone_threshold(
            due=action.due_on, today=ctx.today, settings=ctx.settings_for(action.partnership_id)
        )
        if threshold is None:
            continue
        recipients = people.get((action.partnership_id, action.owner_id)) or ctx.officers.get(
            action.partnership_id, []
        )
        when = action.due_on.strftime("%-d %B %Y")
        short = str(action)
        if threshold == "overdue":
            title = f"Action late: {short}"
            body = (f"The action for {action.owner.name}, “{action.description}”, was due on "
                    f"{when} and is not marked as done.")
        else:
            days_left = (action.due_on - ctx.today).days
            title = (f"Action due today: {short}" if days_left <= 0
                     else f"Action due in {_days(days_left)}: {short}")
            body = f"The action for {action.owner.name}, “{action.description}”, is due on {when}."
        body += " Record its progress, or mark it done with the evidence, on its page."
        for uid in sorted(set(recipients)):
            yield Due(uid, ct, action.pk, Kind.REVIEW_ACTION, threshold, title, body,
                      action.get_absolute_url(), action.partnership_id, action.due_on)


def asb_publications_due(ctx: ScanContext) -> Iterable[Due]:
    latest = ctx.today + dt.timedelta(days=ctx.widest_milestone_days())
    rows = list(
        AsbCaseReviewReturn.objects.filter(publish_on__gte=ctx.today, publish_on__lte=latest)
        .select_related("partnership")
        .order_by()
    )
    ct = ctx.content_type_id(AsbCaseReviewReturn)
    for row in rows:
        threshold = milestone_threshold(
            due=row.publish_on, today=ctx.today, settings=ctx.settings_for(row.partnership_id)
        )
        if threshold is None or threshold == "overdue":
            continue
        days_left = (row.publish_on - ctx.today).days
        when = row.publish_on.strftime("%-d %B %Y")
        title = (f"ASB case review figures for {row.short_period} published "
                 + ("today" if days_left <= 0 else f"in {_days(days_left)}"))
        body = (f"The figures of {row.partnership.name} for ASB case reviews from "
                f"{row.period} go on its public pages and in its open data on {when}. "
                "Check them before then.")
        for uid in ctx.officers.get(row.partnership_id, []):
            yield Due(uid, ct, row.pk, Kind.ASB_RETURN, f"{threshold}:{row.publish_on.isoformat()}",
                      title, body, row.get_absolute_url(), row.partnership_id, row.publish_on)
