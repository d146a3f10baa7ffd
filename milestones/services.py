"""Writes to milestone plans, sign-offs and calendar links.

Views and the demo call these; none re-implements them. Each checks what it
needs to (board membership, quorum, one decision per request) itself, so the
rules hold whichever caller uses them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import audit_record
from milestones.models import (
    APPROVING_OUTCOMES,
    CalendarToken,
    Milestone,
    MilestoneKind,
    MilestoneTemplate,
    ReviewPosition,
    SignOffDecision,
    SignOffOutcome,
    SignOffRequest,
    SignOffReview,
    StepBoardRole,
)
from milestones.plans import step_dates
from milestones.snapshot import assessment_content, assessment_hash
from partnerships.models import Board, BoardMembership, Organisation
from strategy.models import StrategicAssessment, Strategy, StrategyVersion
from strategy.services import version_create, version_matching_current

VOTING_ROLES = (BoardMembership.Role.CHAIR, BoardMembership.Role.MEMBER)
DECIDING_ROLES = (BoardMembership.Role.CHAIR, BoardMembership.Role.SECRETARY)
CLOSED_STRATEGY_STATUSES = (
    Strategy.Status.ADOPTED,
    Strategy.Status.PUBLISHED,
    Strategy.Status.SUPERSEDED,
)


# Plans ------------------------------------------------------------------

@transaction.atomic
def plan_generate(
    *, strategy: Strategy, template: MilestoneTemplate, adoption: dt.date, owner=None
) -> list[Milestone]:
    """Create the strategy's milestones from a template, counted back from the
    target adoption date. Each step depends on the one before it.

    A step's board is its own board (in a partnership's template) or the
    board its role names, found among the strategy's partnership's boards:
    the board that signs off is the partnership's only board; with several,
    the milestone has none and is completed when the whole route approves.
    """
    if template.partnership_id not in (None, strategy.partnership_id):
        raise ValidationError({"template": "Choose a template of this partnership."})
    boards = list(Board.objects.filter(partnership=strategy.partnership_id))
    sole_board = boards[0] if len(boards) == 1 else None
    created: list[Milestone] = []
    for step in template.steps.select_related("board").order_by("order", "pk"):
        starts_on, due = step_dates(
            adoption=adoption,
            months_before=step.months_before_adoption,
            weeks_before=step.weeks_before_adoption,
            duration_months=step.duration_months,
            duration_weeks=step.duration_weeks,
        )
        board = None
        if step.board_id and step.board.partnership_id == strategy.partnership_id:
            board = step.board
        elif step.board_role == StepBoardRole.SIGN_OFF:
            board = sole_board
        milestone = Milestone(
            partnership_id=strategy.partnership_id,
            strategy=strategy,
            title=step.title,
            description=step.description,
            kind=step.kind,
            board=board,
            owner=owner,
            starts_on=starts_on,
            due_date=due,
            template_step=step,
            order=step.order,
        )
        milestone.full_clean()
        milestone._change_reason = f"Generated from the template “{template.name}”"
        milestone.save()
        if created:
            milestone.depends_on.add(created[-1])
        created.append(milestone)
    return created


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    title: str,
    description: str,
    kind: str,
    board: Board | None,
    owner,
    depends_on: list[Milestone],
) -> Milestone:
    """Change what a milestone is. Its dates change only through
    milestone_reschedule, which asks for a reason."""
    if board is not None and board.partnership_id != milestone.partnership_id:
        raise ValidationError({"board": "Choose one of the partnership's boards."})
    for other in depends_on:
        if other.pk == milestone.pk:
            raise ValidationError({"depends_on": "A milestone cannot depend on itself."})
        if other.strategy_id != milestone.strategy_id:
            raise ValidationError({"depends_on": "Choose milestones of the same plan."})
        if _depends_on_transitively(other, milestone):
            raise ValidationError(
                {"depends_on": f"“{other.title}” already depends on this milestone."}
            )
    milestone.title = title
    milestone.description = description
    milestone.kind = kind
    milestone.board = board
    milestone.owner = owner
    milestone.full_clean()
    milestone._change_reason = "Details edited"
    milestone.save()
    milestone.depends_on.set(depends_on)
    return milestone


def _depends_on_transitively(start: Milestone, target: Milestone) -> bool:
    # Plans hold a dozen milestones: walking them in memory is simpler than SQL.
    edges: dict[int, list[int]] = {}
    through = Milestone.depends_on.through.objects.filter(
        from_milestone__strategy_id=target.strategy_id
    ).values_list("from_milestone_id", "to_milestone_id")
    for src, dst in through:
        edges.setdefault(src, []).append(dst)
    seen, stack = set(), [start.pk]
    while stack:
        node = stack.pop()
        if node == target.pk:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, []))
    return False


@transaction.atomic
def milestone_reschedule(
    *, milestone: Milestone, due_date: dt.date, reason: str, starts_on: dt.date | None = None
) -> Milestone:
    """Move a milestone, keeping why in its history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for the new date"})
    if starts_on is not None and starts_on > due_date:
        raise ValidationError({"starts_on": "The start date must be on or before the due date"})
    if milestone.starts_on is not None and starts_on is None:
        starts_on = milestone.starts_on
        if starts_on > due_date:
            raise ValidationError(
                {"due_date": "The due date must be on or after the window's start"}
            )
    milestone.due_date = due_date
    milestone.starts_on = starts_on
    milestone.full_clean()
    milestone._change_reason = f"Rescheduled: {reason}"
    milestone.save()
    return milestone


@transaction.atomic
def milestone_set_status(
    *, milestone: Milestone, status: str, on: dt.date | None = None, note: str = ""
) -> Milestone:
    if status not in Milestone.Status.values:
        raise ValidationError({"status": "Choose a status"})
    if on is not None and on > timezone.localdate():
        raise ValidationError(
            {"completed_on": "The date it was done must be today or in the past"}
        )
    milestone.status = status
    if status == Milestone.Status.DONE:
        # The day it was done, which may be before it is marked here.
        milestone.completed_on = on or timezone.localdate()
    else:
        milestone.completed_on = None
    # Set by hand: no event did it.
    milestone.completed_by = None
    milestone.completed_because = ""
    milestone.full_clean()
    milestone._change_reason = note or f"Marked {Milestone.Status(status).label.lower()}"
    milestone.save()
    return milestone


# Completion: milestones done when what they stand for happens -------------

class PlanEvent(StrEnum):
    ASSESSMENT_APPROVED = "assessment_approved"
    STRATEGY_APPROVED = "strategy_approved"
    DRAFTING_STARTED = "drafting_started"
    DRAFT_READY = "draft_ready"
    CONSULTATION_OPENED = "consultation_opened"
    CONSULTATION_CLOSED = "consultation_closed"
    ADOPTED = "adopted"
    PUBLISHED = "published"


# Which kinds of milestone each event completes. A consultation window is
# under way once its consultation opens, and done when it closes.
EVENT_COMPLETES: dict[PlanEvent, tuple[str, ...]] = {
    PlanEvent.ASSESSMENT_APPROVED: (MilestoneKind.ASSESSMENT_SIGN_OFF,),
    PlanEvent.STRATEGY_APPROVED: (MilestoneKind.SIGN_OFF,),
    PlanEvent.DRAFTING_STARTED: (MilestoneKind.PRIORITIES,),
    PlanEvent.DRAFT_READY: (MilestoneKind.DRAFT,),
    PlanEvent.CONSULTATION_OPENED: (MilestoneKind.DRAFT, MilestoneKind.CONSULTATION_OPEN),
    PlanEvent.CONSULTATION_CLOSED: (
        MilestoneKind.CONSULTATION_CLOSE, MilestoneKind.CONSULTATION,
    ),
    PlanEvent.ADOPTED: (MilestoneKind.ADOPTION,),
    PlanEvent.PUBLISHED: (MilestoneKind.PUBLICATION,),
}
EVENT_STARTS: dict[PlanEvent, tuple[str, ...]] = {
    PlanEvent.CONSULTATION_OPENED: (MilestoneKind.CONSULTATION,),
}
BOARD_KINDS = (MilestoneKind.SIGN_OFF, MilestoneKind.ASSESSMENT_SIGN_OFF)


@transaction.atomic
def milestone_complete_for_event(
    *,
    event: PlanEvent,
    on: dt.date,
    because: str,
    strategy: Strategy | None = None,
    assessment: StrategicAssessment | None = None,
    board: Board | None = None,
    route_complete: bool = True,
    consultation=None,
    preferred: Milestone | None = None,
    by=None,
) -> list[Milestone]:
    """Mark done the open milestones of the plan that `event` stands for, on
    the day it happened, saying who or what did it. Returns them.

    For each kind the event completes, the earliest open milestone of that
    kind in each plan concerned is completed: the strategy's plan, or (for
    an assessment) the plans of the strategies resting on it. A board's
    approval completes that board's milestone; a milestone tied to no board
    only once the whole route has approved. Idempotent: a milestone already
    done is never matched again.
    """
    event = PlanEvent(event)
    rows = Milestone.objects.open().select_for_update()
    if assessment is not None:
        rows = rows.filter(strategy__assessments=assessment)
    elif strategy is not None:
        rows = rows.filter(strategy=strategy)
    else:
        raise ValidationError("Say which strategy or assessment the event is about.")
    open_rows = list(rows.order_by("due_date", "order", "pk"))
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    done: list[Milestone] = []

    def first(kind: str) -> dict[int, Milestone]:
        """The earliest matching milestone of `kind`, per plan."""
        matches = [m for m in open_rows if m.kind == kind and m not in done]
        if kind in BOARD_KINDS and board is not None:
            own = [m for m in matches if m.board_id == board.pk]
            loose = [m for m in matches if m.board_id is None] if route_complete else []
            if preferred is not None and any(m.pk == preferred.pk for m in own):
                own = [m for m in own if m.pk == preferred.pk]
            matches = own or loose
        picked: dict[int, Milestone] = {}
        for m in matches:
            picked.setdefault(m.strategy_id, m)
        return picked

    for kind in EVENT_COMPLETES[event]:
        for milestone in first(kind).values():
            milestone.status = Milestone.Status.DONE
            milestone.completed_on = on
            milestone.completed_by = user
            milestone.completed_because = because[:300]
            if consultation is not None:
                milestone.consultation = consultation
            milestone.full_clean()
            milestone._change_reason = because[:100]
            milestone.save()
            done.append(milestone)
    for kind in EVENT_STARTS.get(event, ()):
        for milestone in first(kind).values():
            if milestone.status != Milestone.Status.PLANNED:
                continue
            milestone.status = Milestone.Status.IN_PROGRESS
            if consultation is not None:
                milestone.consultation = consultation
            milestone.full_clean()
            milestone._change_reason = f"Under way: {because}"[:100]
            milestone.save()
    return done


# Sign-off ---------------------------------------------------------------

def _matching_milestone(*, board: Board, strategy=None, assessment=None) -> Milestone | None:
    """The open milestone a request to this board stands for, if the plan
    has one for that board."""
    kind = MilestoneKind.SIGN_OFF if strategy is not None else MilestoneKind.ASSESSMENT_SIGN_OFF
    rows = Milestone.objects.open().filter(board=board, kind=kind)
    if strategy is not None:
        rows = rows.filter(strategy=strategy)
    else:
        rows = rows.filter(strategy__assessments=assessment)
    return rows.order_by("due_date", "order", "pk").first()


@transaction.atomic
def signoff_request(
    *,
    boards: list[Board],
    strategy: Strategy | None = None,
    assessment: StrategicAssessment | None = None,
    by=None,
    meeting_date: dt.date | None = None,
    note: str = "",
    authorities: list[Organisation] | tuple = (),
) -> list[SignOffRequest]:
    """Put a strategy (its current content, frozen) or an assessment to a
    route of boards, in order. The first board is asked now; each later one
    when the board before it approves.

    With `authorities` (a serious violence strategy is signed off by each
    specified authority), the route is one step per authority, in order, at
    the one board where their representatives sit; each authority's
    representative records its decision."""
    if (strategy is None) == (assessment is None):
        raise ValidationError("Choose either a strategy or an assessment to sign off.")
    if not boards:
        raise ValidationError({"boards": "Choose at least one board"})
    if len({b.pk for b in boards}) != len(boards):
        raise ValidationError({"boards": "Choose each board only once"})
    subject = strategy or assessment
    for board in boards:
        if board.partnership_id != subject.partnership_id:
            raise ValidationError({"boards": "Choose boards of the same partnership"})
    authorities = list(authorities)
    if authorities:
        if len(boards) != 1:
            raise ValidationError(
                {"boards": "Choose the one board where the authorities sign off"}
            )
        if len({a.pk for a in authorities}) != len(authorities):
            raise ValidationError({"authorities": "Choose each authority only once"})
        for authority in authorities:
            if authority.partnership_id != subject.partnership_id:
                raise ValidationError(
                    {"authorities": "Choose organisations of the same partnership"}
                )
    undecided = SignOffRequest.objects.filter(
        status__in=[SignOffRequest.Status.PENDING, SignOffRequest.Status.WAITING],
        board__in=boards,
    )
    if authorities:
        undecided = undecided.filter(authority__in=authorities)
    undecided = (
        undecided.filter(strategy=strategy) if strategy else undecided.filter(assessment=assessment)
    )
    if undecided.exists():
        raise ValidationError(
            {"boards": "One of these boards has not yet decided on an earlier request for this"}
        )

    version, content, digest = None, None, ""
    if strategy is not None:
        if strategy.status in CLOSED_STRATEGY_STATUSES:
            raise ValidationError(
                "This strategy has been adopted: it can no longer be sent for sign-off."
            )
        version = _current_version(strategy, by=by)
        digest = version.content_hash
    else:
        content = assessment_content(assessment)
        digest = assessment_hash(content)

    created: list[SignOffRequest] = []
    steps = [(boards[0], a) for a in authorities] or [(b, None) for b in boards]
    for step, (board, authority) in enumerate(steps, start=1):
        request = SignOffRequest(
            partnership_id=subject.partnership_id,
            board=board,
            authority=authority,
            strategy=strategy if strategy is not None else None,
            version=version,
            assessment=assessment,
            assessment_content=content,
            content_hash=digest,
            step=step,
            previous_step=created[-1] if created else None,
            status=SignOffRequest.Status.PENDING if step == 1 else SignOffRequest.Status.WAITING,
            milestone=_matching_milestone(board=board, strategy=strategy, assessment=assessment),
            meeting_date=meeting_date if step == 1 else None,
            note=note,
            requested_by=by if by is not None and by.is_authenticated else None,
        )
        request.full_clean()
        request.save()
        created.append(request)
    return created


def _current_version(strategy: Strategy, *, by=None) -> StrategyVersion:
    version = version_matching_current(strategy=strategy)
    if version is None:
        version = version_create(
            strategy=strategy, reason=StrategyVersion.Reason.SIGN_OFF, by=by,
            note="Frozen for sign-off.",
        )
    return version


@transaction.atomic
def signoff_sync_version(*, strategy: Strategy, by=None) -> list[SignOffRequest]:
    """Move every undecided sign-off of the strategy to the version matching
    its content now, freezing a new version if the content changed.

    Decided steps are left alone: their decision rows keep the hash they
    were about. Reviews of the old version stay on record but no longer count.
    """
    open_requests = list(
        SignOffRequest.objects.select_for_update().filter(
            strategy=strategy,
            status__in=[SignOffRequest.Status.PENDING, SignOffRequest.Status.WAITING],
        )
    )
    if not open_requests:
        return []
    version = _current_version(strategy, by=by)
    moved = []
    for request in open_requests:
        if request.version_id == version.pk:
            continue
        request.version = version
        request.content_hash = version.content_hash
        request.full_clean()
        request._change_reason = (
            f"The strategy changed after the request: now asks about version {version.number}"
        )
        request.save(update_fields=["version", "content_hash"])
        moved.append(request)
    return moved


def _membership(board: Board | int, user) -> BoardMembership | None:
    if user is None or not user.is_authenticated:
        return None
    board_id = board if isinstance(board, int) else board.pk
    return BoardMembership.objects.filter(board_id=board_id, user=user).first()


def _require_current(request: SignOffRequest, seen_hash: str | None) -> None:
    if request.status != SignOffRequest.Status.PENDING:
        raise ValidationError("This request is not awaiting a decision.")
    if seen_hash is not None and seen_hash != request.content_hash:
        raise ValidationError(
            "The strategy changed while you had this page open. Read the new version "
            "before you record anything."
        )


@transaction.atomic
def signoff_review(
    *,
    request: SignOffRequest,
    reviewer,
    position: str,
    comment: str = "",
    seen_hash: str | None = None,
) -> SignOffReview:
    """Record (or change) a voting member's review of the version now asked."""
    request = SignOffRequest.objects.select_for_update().get(pk=request.pk)
    membership = _membership(request.board_id, reviewer)
    if membership is None:
        raise PermissionDenied("Only members of this board can review.")
    if membership.role not in VOTING_ROLES:
        raise PermissionDenied("Observers and secretaries do not review.")
    if request.strategy_id:
        signoff_sync_version(strategy=request.strategy, by=reviewer)
        request.refresh_from_db()
    _require_current(request, seen_hash)
    comment = (comment or "").strip()
    if position not in ReviewPosition.values:
        raise ValidationError({"position": "Choose whether you support it"})
    if position != ReviewPosition.SUPPORT and not comment:
        raise ValidationError({"comment": "Enter your comments"})
    key = {"request": request, "reviewer": reviewer, "content_hash": request.content_hash}
    review = SignOffReview.objects.filter(**key).first() or SignOffReview(**key)
    review.position = position
    review.comment = comment
    review.full_clean()
    review.save()
    return review


def may_sign_for_authority(membership: BoardMembership | None, request: SignOffRequest) -> bool:
    """A board member (not an observer) who represents the request's authority."""
    return (
        membership is not None
        and request.authority_id is not None
        and membership.organisation_id == request.authority_id
        and membership.role != BoardMembership.Role.OBSERVER
    )


def signoff_quorum(*, request: SignOffRequest) -> tuple[int, int]:
    """(reviews counting towards the quorum, the board's quorum): reviews of
    the exact version now asked, by its chair and members."""
    count = (
        SignOffReview.objects.filter(
            request=request,
            content_hash=request.content_hash,
            reviewer__board_memberships__board_id=request.board_id,
            reviewer__board_memberships__role__in=VOTING_ROLES,
        )
        .values("reviewer")
        .distinct()
        .count()
    )
    return count, request.board.quorum


@transaction.atomic
def signoff_decide(
    *,
    request: SignOffRequest,
    by,
    outcome: str,
    decided_on: dt.date,
    minute_reference: str,
    conditions: str = "",
    seen_hash: str | None = None,
) -> SignOffDecision:
    """Record the board's decision, bound to the hash of what it decided on.

    Approval completes the matching milestone and asks the next board of the
    route; a rejection or deferral ends the route (the officer asks again).
    """
    request = SignOffRequest.objects.select_for_update(of=("self",)).select_related(
        "board", "authority"
    ).get(pk=request.pk)
    membership = _membership(request.board_id, by)
    if membership is None:
        raise PermissionDenied("Only members of this board can record its decision.")
    if request.authority_id:
        if not may_sign_for_authority(membership, request):
            raise PermissionDenied(
                f"Only a representative of {request.authority.name} on this board records "
                "its sign-off."
            )
    elif membership.role not in DECIDING_ROLES:
        raise PermissionDenied("Only the chair or the secretary records the board's decision.")
    if SignOffDecision.objects.filter(request=request).exists():
        raise ValidationError("This board has already recorded its decision on this request.")
    if request.strategy_id:
        signoff_sync_version(strategy=request.strategy, by=by)
        request.refresh_from_db()
    _require_current(request, seen_hash)
    if outcome not in SignOffOutcome.values:
        raise ValidationError({"outcome": "Choose the board's decision"})
    conditions = (conditions or "").strip()
    if outcome == SignOffOutcome.APPROVED_WITH_CONDITIONS and not conditions:
        raise ValidationError({"conditions": "Enter the conditions of the approval"})
    _check_decision_date(decided_on, previous=request.previous_step)
    count, quorum = signoff_quorum(request=request)
    if count < quorum and not request.authority_id:
        # An authority signs off for itself: the board's quorum is for the
        # board's own decisions.
        raise ValidationError(
            f"The board is not quorate: {count} of the {quorum} reviews needed from the chair "
            "and members have been recorded for this version."
        )
    positions = list(
        SignOffReview.objects.filter(request=request, content_hash=request.content_hash)
        .values_list("position", flat=True)
    )
    decision = SignOffDecision(
        request=request,
        outcome=outcome,
        decided_on=decided_on,
        minute_reference=minute_reference.strip(),
        conditions=conditions,
        content_hash=request.content_hash,
        version_id=request.version_id,
        supporting=sum(1 for p in positions if p != ReviewPosition.OBJECT),
        objecting=sum(1 for p in positions if p == ReviewPosition.OBJECT),
        recorded_by=by,
    )
    decision.full_clean()
    decision.save()
    request.status = SignOffRequest.Status.DECIDED
    request._change_reason = f"Decided: {decision.get_outcome_display()}"
    request.save(update_fields=["status"])
    _audit_decision(request, decision, by)

    if outcome in APPROVING_OUTCOMES:
        _complete_milestone(request, decided_on)
        if request.assessment_id:
            _mark_assessment_signed_off(request, decided_on)
        _ask_next_board(request, by)
    else:
        _close_later_steps(request)
    return decision


@transaction.atomic
def signoff_record_past(
    *,
    board: Board,
    version: StrategyVersion,
    by,
    outcome: str,
    decided_on: dt.date,
    minute_reference: str,
    conditions: str = "",
    previous: SignOffRequest | None = None,
) -> SignOffDecision:
    """Record, from the minutes, a decision a board took before the
    partnership used this service, so that the public record of approvals
    is complete. No reviews were recorded then: the minute reference is the
    evidence of a quorate meeting."""
    membership = _membership(board, by)
    if membership is None or membership.role not in DECIDING_ROLES:
        raise PermissionDenied("Only the chair or the secretary records the board's decision.")
    if version.strategy.partnership_id != board.partnership_id:
        raise ValidationError("Choose a board of the strategy's partnership.")
    if SignOffDecision.objects.filter(request__board=board, version=version).exists():
        raise ValidationError("This board's decision on this version is already recorded.")
    if not minute_reference.strip():
        raise ValidationError({"minute_reference": "Enter the minute reference"})
    _check_decision_date(decided_on, previous=previous)
    request = SignOffRequest(
        partnership_id=board.partnership_id,
        board=board,
        strategy=version.strategy,
        version=version,
        content_hash=version.content_hash,
        step=previous.step + 1 if previous else 1,
        previous_step=previous,
        status=SignOffRequest.Status.DECIDED,
        note="Recorded from the board's minutes.",
        requested_by=by,
    )
    request.full_clean()
    request.save()
    decision = SignOffDecision(
        request=request,
        outcome=outcome,
        decided_on=decided_on,
        minute_reference=minute_reference.strip(),
        conditions=conditions.strip(),
        content_hash=version.content_hash,
        version=version,
        recorded_by=by,
    )
    decision.full_clean()
    decision.save()
    _audit_decision(request, decision, by)
    return decision


@transaction.atomic
def signoff_record_from_minutes(
    *,
    strategy: Strategy,
    board: Board,
    by,
    outcome: str,
    decided_on: dt.date,
    minute_reference: str,
    conditions: str = "",
) -> SignOffDecision:
    """Record, from its minutes, a board's decision on the strategy as it is
    now, taken before it was recorded here (a partnership entering a cycle
    it began on paper). The content is frozen as a version, as a request for
    sign-off would; the decision keeps the day the board took it, and an
    approval completes the board's sign-off milestone on that day.

    The boards' decisions on one version form a route in the order they
    were taken, so each is dated on or after the one before it. Only the
    board's chair or secretary records it (signoff_record_past checks).
    """
    if strategy.status in CLOSED_STRATEGY_STATUSES:
        raise ValidationError(
            "This strategy has been adopted: decisions on it can no longer be recorded."
        )
    if outcome not in SignOffOutcome.values:
        raise ValidationError({"outcome": "Choose the board's decision"})
    conditions = (conditions or "").strip()
    if outcome == SignOffOutcome.APPROVED_WITH_CONDITIONS and not conditions:
        raise ValidationError({"conditions": "Enter the conditions of the approval"})
    if board.partnership_id != strategy.partnership_id:
        raise ValidationError({"board": "Choose a board of the strategy's partnership"})
    _check_decision_date(decided_on, previous=None)
    membership = _membership(board, by)
    if membership is None or membership.role not in DECIDING_ROLES:
        raise PermissionDenied("Only the chair or the secretary records the board's decision.")
    if SignOffRequest.objects.filter(
        strategy=strategy, board=board,
        status__in=[SignOffRequest.Status.PENDING, SignOffRequest.Status.WAITING],
    ).exists():
        raise ValidationError({"board": (
            "This board has a request for this strategy awaiting its decision: record the "
            "decision on that request"
        )})
    version = _current_version(strategy, by=by)
    previous = (
        SignOffRequest.objects.filter(
            version=version, status=SignOffRequest.Status.DECIDED,
            decision__decided_on__lte=decided_on,
        )
        .order_by("-decision__decided_on", "-step", "-pk")
        .first()
    )
    decision = signoff_record_past(
        board=board, version=version, by=by, outcome=outcome, decided_on=decided_on,
        minute_reference=minute_reference, conditions=conditions, previous=previous,
    )
    if decision.is_approval:
        # The board's own sign-off milestone. Which boards made the whole
        # route is not known from minutes entered one by one, so a sign-off
        # milestone tied to no board is left to the officer.
        done = milestone_complete_for_event(
            event=PlanEvent.STRATEGY_APPROVED, strategy=strategy, board=board,
            route_complete=False, on=decided_on, by=by,
            because=f"Completed by the decision of {board.name} (recorded from its minutes)",
        )
        if done:
            request = decision.request
            request.milestone = done[0]
            request.save(update_fields=["milestone"])
    return decision


def _check_decision_date(decided_on: dt.date, *, previous: SignOffRequest | None) -> None:
    """A decision is dated the day the board took it, which may be before it
    is recorded here, but never in the future nor before the decision of
    the board before it on the route."""
    if decided_on > timezone.localdate():
        raise ValidationError(
            {"decided_on": "The date of the decision must be today or in the past"}
        )
    earlier = (
        SignOffDecision.objects.filter(request=previous).select_related("request__board").first()
        if previous is not None
        else None
    )
    if earlier is not None and decided_on < earlier.decided_on:
        raise ValidationError({
            "decided_on": f"The date of the decision must be on or after "
            f"{earlier.decided_on:%-d %B %Y}, when {earlier.request.decider_name} decided"
        })


def _audit_decision(request: SignOffRequest, decision: SignOffDecision, by) -> None:
    audit_record(
        action=AuditAction.DECISION,
        summary=f"{request.decider_name}: {decision.get_outcome_display()} – "
        f"{request.subject_title} (minute {decision.minute_reference or 'not given'})",
        partnership=request.partnership_id, actor=by, target=decision,
        detail={"outcome": decision.outcome, "content_hash": decision.content_hash,
                "decided_on": decision.decided_on.isoformat()},
    )


def _complete_milestone(request: SignOffRequest, on: dt.date) -> None:
    """An approval completes the milestone the request was linked to, or the
    plan's sign-off milestone for that board, or (once the last board of the
    route approves) the plan's sign-off milestone tied to no board."""
    if request.authority_id and request.next_steps.exists():
        # The authorities' sign-off is one milestone, done when the last approves.
        return
    event = (
        PlanEvent.ASSESSMENT_APPROVED if request.assessment_id else PlanEvent.STRATEGY_APPROVED
    )
    done = milestone_complete_for_event(
        event=event,
        strategy=request.strategy,
        assessment=request.assessment,
        board=request.board,
        route_complete=not request.next_steps.exists(),
        preferred=request.milestone,
        on=on,
        by=request.decision.recorded_by,
        because=f"Completed by the decision of {request.decider_name}"
        + (" (the last of the authorities)" if request.authority_id else ""),
    )
    if done and request.milestone_id != done[0].pk:
        request.milestone = done[0]
        request.save(update_fields=["milestone"])


def _mark_assessment_signed_off(request: SignOffRequest, on: dt.date) -> None:
    assessment = request.assessment
    assessment.status = StrategicAssessment.Status.SIGNED_OFF
    assessment.signed_off_on = on
    assessment.signed_off_by = request.board.name
    assessment.full_clean()
    assessment._change_reason = f"Signed off by {request.board.name}"
    assessment.save()


def _ask_next_board(request: SignOffRequest, by) -> None:
    later = list(request.next_steps.filter(status=SignOffRequest.Status.WAITING))
    for step in later:
        step.status = SignOffRequest.Status.PENDING
        step._change_reason = f"Approved by {request.decider_name}"
        step.save(update_fields=["status"])
    if later and request.strategy_id:
        signoff_sync_version(strategy=request.strategy, by=by)


def _close_later_steps(request: SignOffRequest) -> None:
    step = request.next_steps.first()
    while step is not None:
        if step.status == SignOffRequest.Status.WAITING:
            step.status = SignOffRequest.Status.CLOSED
            step._change_reason = f"Not reached: {request.decider_name} did not approve"
            step.save(update_fields=["status"])
        step = step.next_steps.first()


# Calendar ---------------------------------------------------------------

def calendar_token_get_or_create(*, user) -> CalendarToken:
    token = CalendarToken.objects.filter(user=user).first()
    if token is None:
        token = calendar_token_regenerate(user=user)
    return token


@transaction.atomic
def calendar_token_regenerate(*, user) -> CalendarToken:
    """A new secret address; the old one stops working at once."""
    CalendarToken.objects.filter(user=user).delete()
    token = CalendarToken(user=user, token=secrets.token_urlsafe(32))
    token.full_clean()
    token.save()
    return token
