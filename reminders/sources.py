"""Reminder sources: small functions that say which reminders are due today.

SOURCES lists them by dotted path, like dashboard/panels.py. The scan calls
each with a ScanContext and gathers what they yield; a source only reads.

To add a kind (for example sign-offs awaiting review, or a consultation
closing in 7 days):
1. Add its Kind in reminders/kinds.py if it is not there yet (sign-off,
   consultation and retention kinds already are).
2. Write `def my_source(ctx: ScanContext) -> Iterable[Due]` in the app that
   owns the objects or here, querying ONLY what is due around ctx.today
   (filter by date in the database, use an index), in a fixed number of
   queries. Yield one Due per recipient, with a `threshold` that names this
   reminder of this thing: a number of days ("7"), "overdue", or a date or
   count for reminders that repeat ("due:2025-03-31"; repeating_threshold()
   gives "wait:N" for "after 3 days, then weekly until decided"). The
   reminder goes out once per (recipient, subject, kind, threshold).
3. Thresholds come from ctx.settings_for(partnership_id) (add a field to
   ReminderSettings with a default if the kind needs one).
4. Add its dotted path to SOURCES and a row to the table test in
   tests/reminders/test_send_reminders_command.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from consultation.models import Consultation, Response
from milestones.models import Milestone, SignOffRequest, SignOffReview
from partnerships.models import BoardMembership, Membership, Partnership
from reminders import duties
from reminders.kinds import Kind
from reminders.models import Duty, ReminderSettings
from safermk.templatetags.safermk_format import duration_days
from strategy.models import Measure, Measurement, Strategy

SOURCES = [
    "reminders.sources.milestones_due",
    "reminders.sources.measure_updates_due",
    "reminders.sources.statutory_duties_due",
    "reminders.sources.signoff_reviews_due",
    "reminders.sources.signoff_decisions_due",
    "reminders.sources.consultations_due",
    "reminders.sources.retention_deletions_due",
    "reviews.reminders.actions_due",
    "reviews.reminders.asb_publications_due",
]


@dataclass(frozen=True)
class Due:
    """One reminder that should reach one person."""

    recipient_id: int
    subject_type_id: int
    subject_id: int
    kind: str
    threshold: str
    title: str
    body: str
    path: str
    partnership_id: int | None = None
    due_date: dt.date | None = None

    @property
    def key(self) -> tuple:
        return (self.recipient_id, self.subject_type_id, self.subject_id, self.kind, self.threshold)


class ScanContext:
    """What every source needs, loaded once per scan."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)

    @cached_property
    def _settings(self) -> dict[int, ReminderSettings]:
        return {s.partnership_id: s for s in ReminderSettings.objects.all()}

    @cached_property
    def default_settings(self) -> ReminderSettings:
        return ReminderSettings()

    def settings_for(self, partnership_id: int | None) -> ReminderSettings:
        return self._settings.get(partnership_id, self.default_settings)

    def widest(self, attribute: str) -> int:
        """The largest value of a setting over all partnerships, so one
        database query can cover every partnership's window."""
        values = [getattr(s, attribute) for s in self._settings.values()]
        return max([getattr(self.default_settings, attribute), *values])

    def widest_milestone_days(self) -> int:
        every = [self.default_settings, *self._settings.values()]
        return max(t for s in every for t in s.milestone_thresholds)

    @cached_property
    def officers(self) -> dict[int, list[int]]:
        result = defaultdict(list)
        for pid, uid in Membership.objects.filter(role__in=Membership.OFFICER_ROLES).values_list(
            "partnership_id", "user_id"
        ):
            result[pid].append(uid)
        return result

    @cached_property
    def pending_signoffs(self) -> list:
        """Shared by the review and decision sources, so one scan reads them once."""
        return _pending_signoffs(self)

    @staticmethod
    def content_type_id(model) -> int:
        return ContentType.objects.get_for_model(model).pk


def _path(obj=None, fallback: str = "dashboard:home") -> str:
    """Where the reminder links to; the dashboard when the thing has no page yet."""
    if obj is not None and hasattr(obj, "get_absolute_url"):
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            pass
    return reverse(fallback)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def repeating_threshold(
    *, since: dt.date, today: dt.date, first_days: int, repeat_days: int
) -> str | None:
    """The threshold of a reminder that repeats while something waits (a
    sign-off review: after 3 days, then weekly until decided).

    None before `first_days`; then "wait:0", and one step more every
    `repeat_days`. Each step is sent once; missed scans send only the
    current step."""
    waited = (today - since).days
    if waited < first_days:
        return None
    return f"wait:{(waited - first_days) // max(repeat_days, 1)}"


# Milestones ------------------------------------------------------------


def milestone_threshold(*, due: dt.date, today: dt.date, settings: ReminderSettings) -> str | None:
    """The one reminder due today for a milestone due on `due`: the nearest
    threshold not yet passed, or 'overdue' within the late window.

    If scans were missed, the most urgent reminder still goes out and the
    earlier ones are not sent late."""
    days_left = (due - today).days
    if days_left < 0:
        return "overdue" if -days_left <= settings.overdue_window_days else None
    reached = [t for t in settings.milestone_thresholds if t >= days_left]
    return str(min(reached)) if reached else None


def milestones_in_window(*, earliest: dt.date, latest: dt.date):
    """Open milestones due between the two days. Uses the milestone_status_due
    index (status, due_date), so only these rows are read, however many
    milestones there are."""
    return (
        Milestone.objects.open()
        .filter(due_date__gte=earliest, due_date__lte=latest)
        .select_related("strategy", "board")
        .order_by()
    )


def milestones_due(ctx: ScanContext) -> Iterable[Due]:
    """Milestones due in 14/7/1 days (per partnership) and late ones, to the
    owner and, for a board's milestone, to the board's secretary."""
    earliest = ctx.today - dt.timedelta(days=ctx.widest("overdue_window_days"))
    latest = ctx.today + dt.timedelta(days=ctx.widest_milestone_days())
    rows = list(milestones_in_window(earliest=earliest, latest=latest))
    board_ids = {m.board_id for m in rows if m.board_id}
    secretaries = defaultdict(list)
    if board_ids:
        for board_id, user_id in BoardMembership.objects.filter(
            board_id__in=board_ids, role=BoardMembership.Role.SECRETARY
        ).values_list("board_id", "user_id"):
            secretaries[board_id].append(user_id)
    ct = ctx.content_type_id(Milestone)
    for m in rows:
        threshold = milestone_threshold(
            due=m.due_date, today=ctx.today, settings=ctx.settings_for(m.partnership_id)
        )
        if threshold is None:
            continue
        recipients = set(secretaries.get(m.board_id, []))
        if m.owner_id:
            recipients.add(m.owner_id)
        when = m.due_date.strftime("%-d %B %Y")
        if threshold == "overdue":
            title = f"Milestone late: {m.title}"
            body = f"“{m.title}” was due on {when} and is not marked as done."
        else:
            days_left = (m.due_date - ctx.today).days
            title = f"Milestone due in {_days(max(days_left, 0))}: {m.title}"
            if days_left <= 0:
                title = f"Milestone due today: {m.title}"
            body = f"“{m.title}” is due on {when}."
        if m.board_id:
            body += f" It goes to the {m.board.name}."
        path = _path(m.strategy) if m.strategy_id else _path()
        for uid in sorted(recipients):
            yield Due(
                uid,
                ct,
                m.pk,
                Kind.MILESTONE,
                threshold,
                title,
                body,
                path,
                m.partnership_id,
                m.due_date,
            )


# Measures --------------------------------------------------------------

ACTIVE = (Strategy.Status.ADOPTED, Strategy.Status.PUBLISHED)


def period_end_on_or_before(day: dt.date, frequency: str) -> dt.date:
    """The last day of the latest period that has ended by `day`.

    Quarters end in June, September, December and March; a year ends on 31
    March, the end of the public sector's financial year."""

    def month_end(year: int, month: int) -> dt.date:
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    if frequency == Measure.Frequency.MONTHLY:
        months = (12,) + tuple(range(1, 13))
    elif frequency == Measure.Frequency.QUARTERLY:
        months = (3, 6, 9, 12)
    else:
        months = (3,)
    candidates = [month_end(year, month) for year in (day.year - 1, day.year) for month in months]
    return max(c for c in candidates if c <= day)


def measure_updates_due(ctx: ScanContext) -> Iterable[Due]:
    """A measure of an adopted or published strategy is due an update at the
    end of each period of its frequency, and late after the grace days."""
    measures = list(
        Measure.objects.filter(
            objective__priority__strategy__status__in=ACTIVE, owner__isnull=False
        )
        .select_related("objective__priority__strategy")
        .order_by()
    )
    candidates = {}
    for m in measures:
        strategy = m.objective.priority.strategy
        settings = ctx.settings_for(strategy.partnership_id)
        end = period_end_on_or_before(ctx.today, m.frequency)
        if not (m.baseline_date < end <= m.target_date):
            continue
        since = (ctx.today - end).days
        if since < settings.measure_grace_days:
            threshold = f"due:{end.isoformat()}"
        elif since < settings.measure_grace_days + settings.overdue_window_days:
            threshold = f"overdue:{end.isoformat()}"
        else:
            continue
        candidates[m.pk] = (m, strategy, end, threshold)
    if not candidates:
        return
    entered = set(
        Measurement.objects.filter(
            measure_id__in=candidates.keys(),
            period_end__in={end for _, _, end, _ in candidates.values()},
        ).values_list("measure_id", "period_end")
    )
    ct = ctx.content_type_id(Measure)
    for m, strategy, end, threshold in candidates.values():
        if (m.pk, end) in entered:
            continue
        when = end.strftime("%-d %B %Y")
        settings = ctx.settings_for(strategy.partnership_id)
        if threshold.startswith("due:"):
            title = f"Measure update due: {m.title}"
            body = (
                f"Enter the value of “{m.title}” for the period ending {when} "
                f"within {_days(settings.measure_grace_days)}."
            )
        else:
            title = f"Measure update late: {m.title}"
            body = f"The value of “{m.title}” for the period ending {when} has not been entered."
        yield Due(
            m.owner_id,
            ct,
            m.pk,
            Kind.MEASURE_UPDATE,
            threshold,
            title,
            body,
            _path(strategy),
            strategy.partnership_id,
            end,
        )


# Statutory duties ------------------------------------------------------

STATUTORY = {
    Duty.ASSESSMENT: Kind.ASSESSMENT_DUE,
    Duty.REFRESH: Kind.REFRESH_DUE,
    Duty.STRATEGY: Kind.RENEWAL_DUE,
    Duty.SV_REVIEW: Kind.SV_REVIEW_DUE,
}


STATUTORY_NAMES = {
    Duty.ASSESSMENT: "The annual strategic assessment",
    Duty.REFRESH: "The annual refresh of the strategy",
    Duty.STRATEGY: "A new three-year strategy",
    Duty.SV_REVIEW: "The annual review of the serious violence strategy",
}


def statutory_duties_due(ctx: ScanContext) -> Iterable[Due]:
    """The annual assessment, the annual refresh, the three-year renewal and
    the serious violence strategy's annual review, to the partnership's
    officers: once when due soon, once when late."""
    officers = ctx.officers
    partnerships = {
        p.pk: p
        for p in Partnership.objects.filter(pk__in=list(officers)).only("pk", "slug", "name")
    }
    if not partnerships:
        return
    ct = ctx.content_type_id(Partnership)
    for pid, rows in duties.duties_for(partnerships.keys(), today=ctx.today).items():
        for row in rows:
            kind = STATUTORY.get(row.duty)
            if kind is None or row.status not in (duties.Status.DUE_SOON, duties.Status.OVERDUE):
                continue
            when = row.next_due.strftime("%-d %B %Y")
            name = STATUTORY_NAMES[row.duty]
            if row.status == duties.Status.OVERDUE:
                threshold = f"overdue:{row.next_due.isoformat()}"
                title = f"Late: {name}, due by {when}"
                body = f"{name} of {partnerships[pid].name} was due by {when}."
            else:
                threshold = f"due:{row.next_due.isoformat()}"
                title = f"Due by {when}: {name}"
                body = f"{name} of {partnerships[pid].name} is due by {when}."
            body += " The statutory duties page shows what has been done."
            path = reverse("reminders:compliance", args=[partnerships[pid].slug])
            for uid in officers[pid]:
                yield Due(uid, ct, pid, kind, threshold, title, body, path, pid, row.next_due)


# Sign-offs -------------------------------------------------------------

VOTING = (BoardMembership.Role.CHAIR, BoardMembership.Role.MEMBER)
DECIDING = (BoardMembership.Role.CHAIR, BoardMembership.Role.SECRETARY)


def pending_since(request: SignOffRequest) -> dt.date:
    """The day a board was first asked: when the request was made for the
    first board of a route, when the board before approved for a later one."""
    if request.previous_step_id:
        decision = getattr(request.previous_step, "decision", None)
        if decision is not None:
            return decision.decided_on
    return timezone.localdate(request.requested_at)


@dataclass
class _PendingSignOff:
    request: SignOffRequest
    since: dt.date
    voters: list[int]
    deciders: list[int]
    # Voting members who reviewed the version now asked, with when.
    reviewed: dict[int, dt.date]

    @property
    def quorate(self) -> bool:
        return len(self.reviewed) >= self.request.board.quorum


def _pending_signoffs(ctx: ScanContext) -> list[_PendingSignOff]:
    """Every sign-off awaiting its board, with the board's people and the
    reviews of the version now asked: three queries, however many there are.
    Only pending requests are read (decided ones are the bulk, over the years)."""
    requests = list(
        SignOffRequest.objects.pending()
        .select_related(
            "board",
            "partnership",
            "strategy",
            "version",
            "assessment",
            "previous_step__decision",
        )
        .order_by("pk")
    )
    people: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    # Who represents each organisation on each board (not observers): they
    # record an authority's own sign-off (serious violence strategy).
    representatives: dict[tuple[int, int], list[int]] = defaultdict(list)
    reviews: dict[int, dict[int, dt.date]] = defaultdict(dict)
    if requests:
        for board_id, user_id, role, organisation_id in BoardMembership.objects.filter(
            board_id__in={r.board_id for r in requests}
        ).values_list("board_id", "user_id", "role", "organisation_id"):
            people[board_id][role].append(user_id)
            if organisation_id and role != BoardMembership.Role.OBSERVER:
                representatives[(board_id, organisation_id)].append(user_id)
        hashes = {r.pk: r.content_hash for r in requests}
        for request_id, reviewer_id, content_hash, created in SignOffReview.objects.filter(
            request_id__in=hashes
        ).values_list("request_id", "reviewer_id", "content_hash", "created_at"):
            if content_hash == hashes[request_id]:
                reviews[request_id][reviewer_id] = timezone.localdate(created)
    result = []
    for r in requests:
        board = people[r.board_id]
        voters = sorted(uid for role in VOTING for uid in board[role])
        deciders = sorted({uid for role in DECIDING for uid in board[role]})
        if r.authority_id:
            # An authority signs for itself: no reviews, its representatives decide.
            voters = []
            deciders = sorted(set(representatives[(r.board_id, r.authority_id)]))
        reviewed = {uid: day for uid, day in reviews[r.pk].items() if uid in voters}
        result.append(_PendingSignOff(r, pending_since(r), voters, deciders, reviewed))
    return result


def _signoff_name(request: SignOffRequest) -> str:
    return request.subject_title


def signoff_reviews_due(ctx: ScanContext) -> Iterable[Due]:
    """A board's voting members who have not reviewed the version now asked:
    after 3 days (per partnership), then weekly until the board decides."""
    ct = ctx.content_type_id(SignOffRequest)
    for pending in ctx.pending_signoffs:
        r = pending.request
        settings = ctx.settings_for(r.partnership_id)
        threshold = repeating_threshold(
            since=pending.since,
            today=ctx.today,
            first_days=settings.signoff_review_days,
            repeat_days=settings.signoff_repeat_days,
        )
        if threshold is None:
            continue
        waited = (ctx.today - pending.since).days
        name = _signoff_name(r)
        title = f"Your review is awaited: {name}"
        body = (
            f"The {r.board.name} was asked to sign off “{name}” on "
            f"{pending.since.strftime('%-d %B %Y')}, {_days(waited)} ago, and your review "
            f"of the version now asked is not in. {len(pending.reviewed)} of the "
            f"{r.board.quorum} reviews needed for a decision are in."
        )
        path = reverse("milestones:signoff_review", args=[r.pk])
        for uid in pending.voters:
            if uid in pending.reviewed:
                continue
            yield Due(
                uid,
                ct,
                r.pk,
                Kind.SIGNOFF_REVIEW,
                threshold,
                title,
                body,
                path,
                r.partnership_id,
                r.meeting_date,
            )


def signoff_decisions_due(ctx: ScanContext) -> Iterable[Due]:
    """To the board's chair and secretary, while a sign-off awaits its
    decision: once as soon as the quorum of reviews of the version now asked
    is in ("quorate:<hash>", so a quorum on a newer version is news again),
    and once it has waited the partnership's number of days, then weekly
    until decided ("waiting:N", counted from the day the board was asked)."""
    ct = ctx.content_type_id(SignOffRequest)
    for pending in ctx.pending_signoffs:
        r = pending.request
        if not pending.deciders:
            continue
        settings = ctx.settings_for(r.partnership_id)
        name = _signoff_name(r)
        count, quorum = len(pending.reviewed), r.board.quorum
        asked = pending.since.strftime("%-d %B %Y")
        due = []
        if pending.quorate:
            due.append(
                (
                    f"quorate:{r.content_hash[:12]}",
                    f"Ready for the board's decision: {name}",
                    f"{count} of the {quorum} reviews needed are in for “{name}”: the "
                    f"{r.board.name} can now record its decision.",
                )
            )
        step = repeating_threshold(
            since=pending.since,
            today=ctx.today,
            first_days=settings.signoff_decision_days,
            repeat_days=settings.signoff_repeat_days,
        )
        if step is not None:
            waited = (ctx.today - pending.since).days
            due.append(
                (
                    step.replace("wait:", "waiting:"),
                    f"Sign-off waiting {_days(waited)} for a decision: {name}",
                    f"The {r.board.name} was asked to sign off “{name}” on {asked}. "
                    f"{count} of the {quorum} reviews needed for a decision are in.",
                )
            )
        path = reverse("milestones:signoff_decide", args=[r.pk])
        for threshold, title, body in due:
            for uid in pending.deciders:
                yield Due(
                    uid,
                    ct,
                    r.pk,
                    Kind.SIGNOFF_DECISION,
                    threshold,
                    title,
                    body,
                    path,
                    r.partnership_id,
                    r.meeting_date,
                )


# Consultations ---------------------------------------------------------


def _responses(count: int) -> str:
    return "1 response" if count == 1 else f"{count} responses"


def _response_counts(ids, *, by: dt.datetime) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        Response.objects.filter(consultation_id__in=ids, submitted_at__lte=by)
        .values("consultation_id")
        .annotate(n=Count("id"))
        .values_list("consultation_id", "n")
    )


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def consultations_due(ctx: ScanContext) -> Iterable[Due]:
    """To the lead officer: a consultation opening tomorrow, closing in 7
    days (per partnership) and just closed, with the responses so far.

    Dates, not the stored status, decide (a consultation is closed when its
    closing time has passed, even before the periodic task moves its status);
    drafts are not announced. Only consultations opening or closing around
    today are read."""
    opening = ctx.widest("consultation_opening_days")
    closing = ctx.widest("consultation_closing_days")
    window = ctx.widest("overdue_window_days")
    start = _local_midnight(ctx.today - dt.timedelta(days=window))
    rows = list(
        Consultation.objects.listed()
        # A historical record was entered after it happened: nothing to remind.
        .filter(lead_officer__isnull=False, is_historical=False)
        .filter(
            Q(
                opens_at__gt=ctx.now,
                opens_at__lt=_local_midnight(ctx.today + dt.timedelta(days=opening + 1)),
            )
            | Q(
                closes_at__gte=start,
                closes_at__lt=_local_midnight(ctx.today + dt.timedelta(days=closing + 1)),
            )
            # Closed early: it closed when an officer closed it.
            | Q(closed_at__gte=start, closed_at__lte=ctx.now)
        )
        .select_related("partnership")
        .order_by("pk")
    )
    counts = _response_counts([c.pk for c in rows], by=ctx.now)
    ct = ctx.content_type_id(Consultation)
    for c in rows:
        settings = ctx.settings_for(c.partnership_id)
        opens_on = timezone.localdate(c.opens_at)
        ends_at = c.ended_at
        closes_on = timezone.localdate(ends_at)
        n = counts.get(c.pk, 0)
        due = None
        if c.opens_at > ctx.now:
            if (opens_on - ctx.today).days <= settings.consultation_opening_days:
                when = (
                    "tomorrow"
                    if opens_on == ctx.today + dt.timedelta(days=1)
                    else ("today" if opens_on == ctx.today else f"on {opens_on:%-d %B %Y}")
                )
                due = (
                    "opening",
                    f"Consultation opens {when}: {c.title}",
                    f"“{c.title}” opens {when} at {timezone.localtime(c.opens_at):%H:%M} and "
                    f"closes on {closes_on:%-d %B %Y}. Check its questions and its page.",
                    opens_on,
                )
        elif ends_at > ctx.now:
            days_left = (closes_on - ctx.today).days
            if days_left <= settings.consultation_closing_days:
                when = "today" if days_left <= 0 else f"in {_days(days_left)}"
                due = (
                    "closing",
                    f"Consultation closes {when}: {c.title}",
                    f"“{c.title}” closes on {closes_on:%-d %B %Y}. It has {_responses(n)} so "
                    "far; a last reminder to the people you reach may bring more.",
                    closes_on,
                )
        elif (ctx.today - closes_on).days <= settings.overdue_window_days:
            due = (
                "closed",
                f"Consultation closed with {_responses(n)}: {c.title}",
                f"“{c.title}” closed on {closes_on:%-d %B %Y} with {_responses(n)}. "
                "The analysis and “you said, we did” are on its officer page.",
                closes_on,
            )
        if due is None:
            continue
        threshold, title, body, day = due
        yield Due(
            c.lead_officer_id,
            ct,
            c.pk,
            Kind.CONSULTATION,
            threshold,
            title,
            body,
            c.get_manage_url(),
            c.partnership_id,
            day,
        )


def retention_deletions_due(ctx: ScanContext) -> Iterable[Due]:
    """To the lead officer, before a closed consultation's free text and
    equality data are deleted (14 days before, per partnership), once per
    deletion date (a changed retention period is a new date).

    The deletion date depends on each row's retention period, so the database
    narrows to closed consultations whose data is still kept; those are few
    (a partnership consults about once a year and data goes after a year)."""
    rows = list(
        Consultation.objects.listed()
        .filter(lead_officer__isnull=False, data_deleted_at__isnull=True)
        .filter(Q(closes_at__lte=ctx.now) | Q(closed_at__lte=ctx.now))
        .order_by("pk")
    )
    ct = ctx.content_type_id(Consultation)
    for c in rows:
        settings = ctx.settings_for(c.partnership_id)
        # Counted from when it really closed, as consultations_apply_retention does.
        deletes_on = timezone.localdate(c.ended_at + dt.timedelta(days=c.retention_days))
        days_left = (deletes_on - ctx.today).days
        if not 0 <= days_left <= settings.retention_notice_days:
            continue
        when = "today" if days_left == 0 else f"in {_days(days_left)}"
        yield Due(
            c.lead_officer_id,
            ct,
            c.pk,
            Kind.RETENTION,
            f"delete:{deletes_on.isoformat()}",
            f"Consultation data deleted {when}: {c.title}",
            f"The free text and equality answers of “{c.title}” will be deleted on "
            f"{deletes_on:%-d %B %Y}, {duration_days(c.retention_days)} after it closed. Export "
            "anything you still need from its officer page before then; counts and themes stay.",
            c.get_manage_url(),
            c.partnership_id,
            deletes_on,
        )
