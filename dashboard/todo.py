"""What needs doing: the signed-in person's actions, most urgent first.

Each source below reads one kind of deadline for this person only (their
partnerships, their boards, the measures they update), in a fixed number of
queries however many rows there are, and returns Tasks. The same deadlines
drive the reminder e-mails (reminders.sources); here they are read live, so
the list is right at every visit, not as of the last scan.

To add a kind of task, write `def my_source(ctx: TodoContext) -> list[Task]`
and add it to SOURCES.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from consultation.models import Consultation
from milestones.models import Milestone, SignOffRequest
from milestones.parts import Part, current_reviewers, standing
from partnerships.models import BoardMembership
from reminders import duties
from reminders.models import ReminderSettings
from safermk.templatetags.safermk_format import days_from_today
from strategy.models import Measure
from strategy.performance import update_due_for

# How far ahead "coming up" looks.
HORIZON_DAYS = 28
WEEK_DAYS = 7


class Group:
    LATE = "late"
    TODAY = "today"
    WEEK = "week"
    LATER = "later"

    ORDER = (LATE, TODAY, WEEK, LATER)
    LABELS = {
        LATE: "Late",
        TODAY: "Due today",
        WEEK: "Due this week",
        LATER: "Coming up",
    }


@dataclass(frozen=True)
class Task:
    """One thing to do, as a link that says what and by when."""

    text: str
    url: str
    due: dt.date | None
    # How the deadline reads after the text: "due 14 days ago", "closes in 18 days".
    when: str = ""
    detail: str = ""
    group: str = Group.LATER

    @property
    def sort_key(self) -> tuple:
        return (Group.ORDER.index(self.group), self.due or dt.date.max, self.text)


def group_for(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return Group.LATER
    if due < today:
        return Group.LATE
    if due == today:
        return Group.TODAY
    if due <= today + dt.timedelta(days=WEEK_DAYS):
        return Group.WEEK
    return Group.LATER


def _task(text, url, due, today, *, verb="due", detail="") -> Task:
    when = f"{verb} {days_from_today(due, today)}" if due else ""
    return Task(text, url, due, when, detail, group_for(due, today))


@dataclass
class TodoContext:
    request: object
    today: dt.date
    # Each pending sign-off before the person's boards: their Part in it.
    signoff_parts: dict[int, str] = field(default_factory=dict)

    @property
    def access(self):
        return self.request.access

    @property
    def user(self):
        return self.request.user

    @cached_property
    def officer_ids(self) -> set[int]:
        return self.access.officer_partnership_ids()

    @cached_property
    def staff_ids(self) -> set[int]:
        """Partnerships where the person is an officer or a partner officer."""
        return set(self.access.memberships)

    @cached_property
    def settings(self) -> dict[int, ReminderSettings]:
        ids = self.access.partnership_ids()
        rows = ReminderSettings.objects.filter(partnership_id__in=ids) if ids else []
        return {s.partnership_id: s for s in rows}

    def settings_for(self, partnership_id: int) -> ReminderSettings:
        return self.settings.get(partnership_id) or ReminderSettings()


# Sources ---------------------------------------------------------------------


def signoff_tasks(ctx: TodoContext) -> list[Task]:
    """Reviews awaited from the person and decisions for them to record."""
    board_ids = ctx.access.board_ids()
    if not board_ids:
        return []
    rows = list(
        SignOffRequest.objects.pending()
        .for_boards(board_ids)
        .select_related("board", "authority", "strategy", "version", "assessment", "milestone")
        .order_by("meeting_date", "requested_at", "pk")
    )
    reviewers = current_reviewers(rows)
    tasks = []
    for r in rows:
        membership = ctx.access.board_membership(r.board_id)
        mine = standing(
            pending=True,
            membership=membership,
            reviews_in=len(reviewers[r.pk]),
            quorum=r.board.quorum,
            has_reviewed=ctx.user.pk in reviewers[r.pk],
            authority=r.authority,
        )
        ctx.signoff_parts[r.pk] = mine.part
        url = reverse("milestones:signoff", args=[r.pk])
        if mine.part == Part.DECIDE:
            tasks.append(
                _task(
                    f"Decide the {r.decider_name} sign-off of {r.subject_title}",
                    url + "#decision",
                    r.deadline,
                    ctx.today,
                    detail=mine.sentence,
                )
            )
        elif mine.part == Part.REVIEW:
            tasks.append(
                _task(
                    f"Review {r.subject_title} for the {r.board.name}",
                    url + "#review",
                    r.deadline,
                    ctx.today,
                    detail=mine.sentence,
                )
            )
    return tasks


def milestone_tasks(ctx: TodoContext) -> list[Task]:
    """Open milestones late or due within the horizon: all of an officer's
    partnerships', a board secretary's board's, and anyone's own."""
    secretary_boards = [
        bm.board_id
        for bm in ctx.access.board_memberships.values()
        if bm.role == BoardMembership.Role.SECRETARY
    ]
    who = Q(owner=ctx.user)
    if ctx.officer_ids:
        who |= Q(partnership_id__in=ctx.officer_ids)
    if secretary_boards:
        who |= Q(board_id__in=secretary_boards)
    rows = (
        Milestone.objects.open()
        .filter(who, due_date__lte=ctx.today + dt.timedelta(days=HORIZON_DAYS))
        .select_related("board")
        .order_by("due_date", "order", "pk")
    )
    tasks = []
    for m in rows:
        text = (
            f"Mark “{m.title}” done, or reschedule it"
            if m.due_date < ctx.today
            else f"Complete “{m.title}”"
        )
        detail = f"For the {m.board.name}." if m.board_id else ""
        url = reverse("milestones:milestone", args=[m.pk])
        tasks.append(_task(text, url, m.due_date, ctx.today, detail=detail))
    return tasks


def period_name(frequency: str, period_end: dt.date) -> str:
    """How people name a reporting period: "Q2 2022/23", "March 2023",
    "2022/23" (quarters and years are financial, April to March)."""
    start_year = period_end.year if period_end.month >= 4 else period_end.year - 1
    year = f"{start_year}/{(start_year + 1) % 100:02d}"
    if frequency == Measure.Frequency.MONTHLY:
        return period_end.strftime("%B %Y")
    if frequency == Measure.Frequency.QUARTERLY:
        quarter = {6: 1, 9: 2, 12: 3, 3: 4}.get(period_end.month)
        if quarter:
            return f"Q{quarter} {year}"
        return f"quarter to {period_end:%-d %B %Y}"
    return year


def measure_tasks(ctx: TodoContext) -> list[Task]:
    """Figures the person enters (an officer any in their partnership, a
    partner officer their organisation's) whose period has ended without a
    value; due the partnership's grace days after the period ends."""
    if not ctx.staff_ids:
        return []
    measures = (
        Measure.objects.in_force()
        .for_partnerships(ctx.staff_ids)
        .with_latest_measurement()
        .select_related("objective__priority__strategy")
        .order_by("pk")
    )
    tasks = []
    for m in measures:
        strategy = m.objective.priority.strategy
        if not ctx.access.can_update_for_organisation(
            strategy.partnership_id, m.owner_organisation_id
        ):
            continue
        period_end = update_due_for(m, ctx.today)
        if period_end is None or (m.latest_period and m.latest_period >= period_end):
            continue
        grace = ctx.settings_for(strategy.partnership_id).measure_grace_days
        due = period_end + dt.timedelta(days=grace)
        tasks.append(
            _task(
                f"Enter the {period_name(m.frequency, period_end)} figure for {m.title}",
                reverse("strategy:measurement_create", args=[strategy.slug, m.pk]),
                due,
                ctx.today,
                detail=strategy.title,
            )
        )
    return tasks


def consultation_tasks(ctx: TodoContext) -> list[Task]:
    """For officers and lead officers: a consultation about to open, one open
    now, and one closed whose "you said, we did" is not published yet."""
    who = Q(lead_officer=ctx.user)
    if ctx.officer_ids:
        who |= Q(partnership_id__in=ctx.officer_ids)
    now = timezone.now()
    soon = now + dt.timedelta(days=HORIZON_DAYS)
    rows = (
        Consultation.objects.listed()
        .filter(who)
        .exclude(status=Consultation.Status.FEEDBACK)
        .filter(opens_at__lte=soon)
        .order_by("closes_at", "pk")
    )
    tasks = []
    for c in rows:
        status = c.status_at(now)
        url = c.get_manage_url()
        if status == Consultation.Status.SCHEDULED:
            opens = timezone.localdate(c.opens_at)
            tasks.append(
                _task(
                    f"Check the questions and page of “{c.title}” before it opens",
                    url,
                    opens,
                    ctx.today,
                    verb="opens",
                )
            )
        elif status == Consultation.Status.OPEN:
            closes = timezone.localdate(c.closes_at)
            tasks.append(
                _task(
                    f"Review responses to the open consultation “{c.title}”",
                    url,
                    closes,
                    ctx.today,
                    verb="closes",
                )
            )
        elif status == Consultation.Status.CLOSED:
            # Feedback has no statutory deadline; it is work waiting, not late.
            tasks.append(
                Task(
                    f"Publish “you said, we did” for “{c.title}”",
                    url,
                    None,
                    f"closed {days_from_today(timezone.localdate(c.closes_at), ctx.today)}",
                )
            )
    return tasks


def retention_tasks(ctx: TodoContext) -> list[Task]:
    """Export what is still needed before a closed consultation's free text
    and equality answers are deleted (within the partnership's notice days).
    Closed consultations whose data is still kept are few: about one a year
    per partnership, kept for a year."""
    who = Q(lead_officer=ctx.user)
    if ctx.officer_ids:
        who |= Q(partnership_id__in=ctx.officer_ids)
    rows = (
        Consultation.objects.listed()
        .filter(who, data_deleted_at__isnull=True, closes_at__lte=timezone.now())
        .order_by("closes_at", "pk")
    )
    tasks = []
    for c in rows:
        deletes_on = timezone.localdate(c.closes_at + dt.timedelta(days=c.retention_days))
        notice = ctx.settings_for(c.partnership_id).retention_notice_days
        if 0 <= (deletes_on - ctx.today).days <= notice:
            tasks.append(
                _task(
                    f"Export what you still need from “{c.title}” before its free text "
                    "is deleted",
                    c.get_manage_url(),
                    deletes_on,
                    ctx.today,
                    verb="deleted",
                )
            )
    return tasks


DUTY_ACTIONS = {
    "assessment": "Prepare the annual strategic assessment",
    "refresh": "Refresh the strategy for the year",
    "strategy": "Start the new three-year strategy",
    "consultation": "Consult the public on the strategy",
    # "pcc": the row's own name, which names the body in force on the due date.
    "scrutiny": "Arrange the annual scrutiny by the crime and disorder committee",
    "summary": "Publish a summary of the plan",
}


def duty_tasks(ctx: TodoContext) -> list[Task]:
    """Statutory duties due soon or late, for the partnership's officers."""
    if not ctx.officer_ids:
        return []
    names = {m.partnership_id: m.partnership for m in ctx.access.memberships.values()}
    tasks = []
    for pid, rows in duties.duties_for(ctx.officer_ids, today=ctx.today).items():
        partnership = names[pid]
        for row in rows:
            if row.status not in (duties.Status.DUE_SOON, duties.Status.OVERDUE):
                continue
            text = DUTY_ACTIONS.get(row.duty, row.name)
            if len(ctx.officer_ids) > 1:
                text += f" ({partnership.name})"
            tasks.append(
                _task(
                    text,
                    reverse("reminders:compliance", args=[partnership.slug]),
                    row.next_due,
                    ctx.today,
                    detail="A statutory duty.",
                )
            )
    return tasks


SOURCES = [
    signoff_tasks,
    milestone_tasks,
    measure_tasks,
    consultation_tasks,
    retention_tasks,
    duty_tasks,
]


@dataclass
class TodoList:
    tasks: list[Task]
    signoff_parts: dict[int, str] = field(default_factory=dict)
    groups: list[tuple[str, str, list[Task]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        by_group = defaultdict(list)
        for task in sorted(self.tasks, key=lambda t: t.sort_key):
            by_group[task.group].append(task)
        self.groups = [(g, Group.LABELS[g], by_group[g]) for g in Group.ORDER if by_group[g]]

    def count(self, group: str) -> int:
        return sum(1 for t in self.tasks if t.group == group)

    @property
    def summary(self) -> list[tuple[str, int]]:
        """("late", 2), ("due today", 1), ...: the counts people read first."""
        return [(label.lower(), len(tasks)) for _, label, tasks in self.groups]


def todo_for(request, *, today: dt.date | None = None) -> TodoList:
    ctx = TodoContext(request, today or timezone.localdate())
    tasks = []
    for source in SOURCES:
        tasks.extend(source(ctx))
    return TodoList(tasks, ctx.signoff_parts)

