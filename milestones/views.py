"""Pages for plans and milestones (officers), sign-offs (board members), the
public record of approvals, and the private calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from milestones import calendarfeed, services, timeline
from milestones.evidence import consultation_summary
from milestones.forms import (
    DecisionForm,
    DoneOnForm,
    MilestoneForm,
    PastDecisionForm,
    PlanGenerateForm,
    RescheduleForm,
    ReviewForm,
    SignOffRequestForm,
)
from milestones.models import (
    APPROVING_OUTCOMES,
    CalendarToken,
    Milestone,
    SignOffDecision,
    SignOffRequest,
    SignOffReview,
)
from milestones.parts import current_reviewers, standing
from partnerships.access import require
from partnerships.models import Board, BoardMembership
from strategy.diff import diff_contents
from strategy.models import Strategy, StrategyVersion

# Helpers: one per model, 404 for what the user may not see -----------------

def _get_strategy_for_user(request, slug: str, *, officer: bool = False) -> Strategy:
    strategy = get_object_or_404(Strategy.objects.select_related("partnership"), slug=slug)
    require(request.access, strategy.partnership_id, officer=officer)
    return strategy


def _get_milestone_for_user(request, pk: int, *, officer: bool = False) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.select_related("strategy", "partnership", "board", "owner"), pk=pk
    )
    require(request.access, milestone.partnership_id, officer=officer)
    return milestone


def _get_signoff_for_user(request, pk: int) -> SignOffRequest:
    """A sign-off is for its board's members and the partnership's officers."""
    signoff = get_object_or_404(SignOffRequest.objects.with_detail(), pk=pk)
    access = request.access
    require(access, signoff.partnership_id)
    if not (access.is_board_member(signoff.board_id) or access.is_officer(signoff.partnership_id)):
        raise PermissionDenied("Only members of this board can see what is put to it.")
    return signoff


def _partnership_users(partnership_id: int):
    return get_user_model().objects.filter(
        Q(memberships__partnership_id=partnership_id)
        | Q(board_memberships__board__partnership_id=partnership_id)
    ).distinct().order_by("first_name", "last_name", "username")


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# Plan and milestones -------------------------------------------------------

@login_required
def plan(request, strategy):
    strategy = _get_strategy_for_user(request, strategy)
    today = timezone.localdate()
    milestones = list(
        Milestone.objects.filter(strategy=strategy)
        .select_related("board", "owner")
        .prefetch_related(Prefetch("depends_on", queryset=Milestone.objects.only("id", "title")))
        .order_by("due_date", "order", "pk")
    )
    signoffs = (
        SignOffRequest.objects.filter(Q(strategy=strategy) | Q(assessment__strategies=strategy))
        .with_detail()
        .distinct()
        .order_by("requested_at", "step", "pk")
    )
    return render(
        request,
        "milestones/plan.html",
        {
            "strategy": strategy,
            "rows": timeline.rows(milestones, today=today),
            "chart": timeline.chart(milestones, today=today),
            "signoffs": signoffs,
            "is_officer": request.access.is_officer(strategy.partnership_id),
            # A board's chair or secretary may record its past decisions.
            "can_record_minutes": strategy.status not in services.CLOSED_STRATEGY_STATUSES
            and any(
                request.access.can_decide_for(bm.board_id)
                for bm in request.access.board_memberships.values()
                if bm.board.partnership_id == strategy.partnership_id
            ),
            "today": today,
        },
    )


@login_required
def plan_generate(request, strategy):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    form = PlanGenerateForm(request.POST or None, partnership=strategy.partnership)
    if request.method == "POST" and form.is_valid():
        if Milestone.objects.filter(strategy=strategy).exists():
            form.add_error(None, "This strategy already has a plan: edit its milestones instead")
        else:
            created = services.plan_generate(
                strategy=strategy,
                template=form.cleaned_data["template"],
                adoption=form.cleaned_data["adoption"],
                owner=request.user,
            )
            messages.success(request, f"Plan generated: {len(created)} milestones")
            return redirect("milestones:plan", strategy=strategy.slug)
    return render(request, "milestones/plan_generate.html", {"strategy": strategy, "form": form})


@login_required
def milestone_detail(request, milestone):
    milestone = _get_milestone_for_user(request, milestone)
    history = milestone.history.select_related("history_user").order_by("-history_date", "-pk")
    return render(
        request,
        "milestones/milestone_detail.html",
        {
            "milestone": milestone,
            "history": history[:50],
            "depends_on": milestone.depends_on.order_by("due_date"),
            "signoffs": milestone.signoffs.select_related(
                "board", "decision", "version", "assessment"
            ).order_by("requested_at", "pk"),
            "is_officer": request.access.is_officer(milestone.partnership_id),
            "is_overdue": milestone.is_overdue(timezone.localdate()),
            "statuses": Milestone.Status.choices,
        },
    )


@login_required
def milestone_edit(request, milestone):
    milestone = _get_milestone_for_user(request, milestone, officer=True)
    form = MilestoneForm(
        request.POST or None, instance=milestone,
        users=_partnership_users(milestone.partnership_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_update(
                milestone=milestone,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                board=data["board"],
                owner=data["owner"],
                depends_on=list(data["depends_on"]),
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Milestone saved")
            return redirect("milestones:milestone", milestone=milestone.pk)
    return render(request, "milestones/milestone_edit.html", {"milestone": milestone, "form": form})


@login_required
def milestone_reschedule(request, milestone):
    milestone = _get_milestone_for_user(request, milestone, officer=True)
    window = milestone.starts_on is not None
    form = RescheduleForm(
        request.POST or None,
        window=window,
        initial={"due_date": milestone.due_date, "starts_on": milestone.starts_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_reschedule(
                milestone=milestone,
                due_date=form.cleaned_data["due_date"],
                starts_on=form.cleaned_data.get("starts_on"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Milestone rescheduled")
            return redirect("milestones:milestone", milestone=milestone.pk)
    return render(
        request, "milestones/milestone_reschedule.html", {"milestone": milestone, "form": form}
    )


@login_required
@require_POST
def milestone_status(request, milestone):
    milestone = _get_milestone_for_user(request, milestone, officer=True)
    status = request.POST.get("status", "")
    if status not in Milestone.Status.values:
        messages.error(request, "Choose a status")
    else:
        services.milestone_set_status(milestone=milestone, status=status)
        messages.success(
            request, f"“{milestone.title}” marked {Milestone.Status(status).label.lower()}"
        )
    return redirect("milestones:milestone", milestone=milestone.pk)


@login_required
def milestone_done_on(request, milestone):
    """Mark a milestone done on the day it was done, before it was marked
    here (a discussion held before the partnership used the service)."""
    milestone = _get_milestone_for_user(request, milestone, officer=True)
    form = DoneOnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_set_status(
                milestone=milestone, status=Milestone.Status.DONE,
                on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"] or "Marked done on an earlier date",
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                f"“{milestone.title}” marked done on {milestone.completed_on:%-d %B %Y}",
            )
            return redirect("milestones:milestone", milestone=milestone.pk)
    return render(request, "milestones/milestone_done_on.html",
                  {"milestone": milestone, "form": form})


# Sign-off: officers ask ------------------------------------------------------

@login_required
def signoff_new(request, strategy):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    form = SignOffRequestForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = data["assessment"]
        try:
            created = services.signoff_request(
                boards=data["boards"],
                strategy=None if assessment else strategy,
                assessment=assessment,
                by=request.user,
                meeting_date=data.get("meeting_date"),
                note=data["note"],
                authorities=data["authorities"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Sent to {created[0].decider_name} for sign-off")
            return redirect("milestones:signoff", signoff=created[0].pk)
    return render(request, "milestones/signoff_new.html", {"strategy": strategy, "form": form})


@login_required
def signoff_record_minutes(request, strategy):
    """A board's chair or secretary records, from the minutes, a decision on
    the strategy taken before it was recorded here."""
    strategy = _get_strategy_for_user(request, strategy)
    boards = Board.objects.filter(partnership=strategy.partnership_id).order_by("order", "name")
    if not request.access.is_superuser:
        boards = boards.filter(pk__in=[
            board_id for board_id in request.access.board_ids()
            if request.access.can_decide_for(board_id)
        ])
    if not boards.exists():
        raise PermissionDenied("Only a board's chair or secretary records its decisions.")
    closed = strategy.status in services.CLOSED_STRATEGY_STATUSES
    form = PastDecisionForm(request.POST if request.method == "POST" else None, boards=boards)
    if request.method == "POST" and not closed and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.signoff_record_from_minutes(
                strategy=strategy, board=data["board"], by=request.user,
                outcome=data["outcome"], decided_on=data["decided_on"],
                minute_reference=data["minute_reference"], conditions=data["conditions"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                f"Recorded: {decision.request.board.name}, "
                f"{decision.get_outcome_display().lower()} on {decision.decided_on:%-d %B %Y}",
            )
            return redirect("milestones:signoff", signoff=decision.request_id)
    return render(request, "milestones/signoff_record_minutes.html", {
        "strategy": strategy, "form": form, "closed": closed,
    })


# Sign-off: board members review and decide -----------------------------------

@login_required
def reviews(request):
    """What is before the user's boards."""
    access = request.access
    rows = list(
        SignOffRequest.objects.pending()
        .for_boards(access.board_ids())
        .with_detail()
        .order_by("requested_at", "pk")
    )
    reviewers = current_reviewers(rows)
    items = []
    for row in rows:
        membership = access.board_membership(row.board_id)
        items.append(
            {
                "signoff": row,
                "role": membership.get_role_display(),
                "standing": standing(
                    pending=True,
                    membership=membership,
                    reviews_in=len(reviewers[row.pk]),
                    quorum=row.board.quorum,
                    has_reviewed=request.user.pk in reviewers[row.pk],
                    authority=row.authority,
                ),
            }
        )
    recent = list(SignOffDecision.objects.for_boards(access.board_ids()).with_detail()[:5])
    return render(request, "milestones/reviews.html", {"items": items, "recent": recent})


DECISIONS_PAGE_SIZE = 25


@login_required
def decisions(request):
    """Every decision of the user's boards, most recent first."""
    access = request.access
    rows = SignOffDecision.objects.for_boards(access.board_ids()).with_detail()
    page = Paginator(rows, DECISIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    boards = sorted(access.board_memberships.values(), key=lambda bm: bm.board.name)
    return render(request, "milestones/decisions.html", {"page": page, "boards": boards})


@login_required
def signoff_detail(request, signoff):
    signoff = _get_signoff_for_user(request, signoff)
    return _render_signoff(request, signoff)


@login_required
@require_POST
def signoff_review(request, signoff):
    signoff = _get_signoff_for_user(request, signoff)
    if not request.access.can_review_for(signoff.board_id):
        raise PermissionDenied("Only the chair and members of this board review.")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.signoff_review(
                request=signoff,
                reviewer=request.user,
                position=form.cleaned_data["position"],
                comment=form.cleaned_data["comment"],
                seen_hash=form.cleaned_data["seen_hash"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Your review has been recorded")
            return redirect("milestones:signoff", signoff=signoff.pk)
    return _render_signoff(request, signoff, review_form=form)


@login_required
@require_POST
def signoff_decide(request, signoff):
    signoff = _get_signoff_for_user(request, signoff)
    if signoff.authority_id:
        if not services.may_sign_for_authority(
            request.access.board_membership(signoff.board_id), signoff
        ):
            raise PermissionDenied(
                f"Only a representative of {signoff.authority.name} records its sign-off."
            )
    elif not request.access.can_decide_for(signoff.board_id):
        raise PermissionDenied("Only the chair or the secretary records the board's decision.")
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.signoff_decide(
                request=signoff,
                by=request.user,
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                minute_reference=data["minute_reference"],
                conditions=data["conditions"],
                seen_hash=data["seen_hash"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, f"Decision recorded: {decision.get_outcome_display().lower()}"
            )
            return redirect("milestones:signoff", signoff=signoff.pk)
    return _render_signoff(request, signoff, decision_form=form)


def _render_signoff(request, signoff, *, review_form=None, decision_form=None):
    access = request.access
    if signoff.strategy_id and signoff.status in (
        SignOffRequest.Status.PENDING, SignOffRequest.Status.WAITING
    ):
        # A board is always asked about the strategy as it is now.
        if services.signoff_sync_version(strategy=signoff.strategy, by=request.user):
            signoff = SignOffRequest.objects.with_detail().get(pk=signoff.pk)
    pending = signoff.status == SignOffRequest.Status.PENDING
    can_review = pending and access.can_review_for(signoff.board_id)
    if signoff.authority_id:
        # One authority signs for itself: its representative records it.
        can_decide = pending and services.may_sign_for_authority(
            access.board_membership(signoff.board_id), signoff
        )
    else:
        can_decide = pending and access.can_decide_for(signoff.board_id)
    initial = {"seen_hash": signoff.content_hash}
    own_review = None
    if can_review:
        own_review = SignOffReview.objects.filter(
            request=signoff, reviewer=request.user, content_hash=signoff.content_hash
        ).first()
        if review_form is None:
            review_initial = dict(initial)
            if own_review:
                review_initial.update(position=own_review.position, comment=own_review.comment)
            review_form = ReviewForm(initial=review_initial)
    if can_decide and decision_form is None:
        decision_form = DecisionForm(initial=initial)
    reviews = list(
        signoff.reviews.select_related("reviewer").order_by("created_at", "pk")
    )
    members = {
        bm.user_id: bm
        for bm in BoardMembership.objects.filter(board_id=signoff.board_id).select_related(
            "organisation"
        )
    }
    for review in reviews:
        review.membership = members.get(review.reviewer_id)
        review.is_current = review.content_hash == signoff.content_hash
    quorum_count, quorum = services.signoff_quorum(request=signoff)
    # Every notice on the page reads from this one standing.
    mine = standing(
        pending=pending,
        membership=access.board_membership(signoff.board_id),
        reviews_in=quorum_count,
        quorum=quorum,
        has_reviewed=own_review is not None,
        waiting_for_earlier=signoff.status == SignOffRequest.Status.WAITING,
        authority=signoff.authority,
    )

    previous, diff = None, None
    if signoff.version_id:
        previous = _previous_version(signoff.version)
        if previous is not None:
            diff = diff_contents(previous.content, signoff.version.content)
    route = _route(signoff)
    errors_form = review_form if review_form is not None and review_form.errors else (
        decision_form if decision_form is not None and decision_form.errors else None
    )
    return render(
        request,
        "milestones/signoff_detail.html",
        {
            "signoff": signoff,
            "decision": getattr(signoff, "decision", None),
            "route": route,
            "reviews": reviews,
            "quorum_count": quorum_count,
            "quorum": quorum,
            "previous": previous,
            "diff": diff,
            "content": signoff.version.content if signoff.version_id else None,
            "assessment_content": signoff.assessment_content,
            "consultation": consultation_summary(signoff.version) if signoff.version_id else None,
            "review_form": review_form if can_review else None,
            "decision_form": decision_form if can_decide else None,
            "own_review": own_review,
            "form": errors_form,
            "is_member": access.is_board_member(signoff.board_id),
            "standing": mine,
            "today": timezone.localdate(),
        },
    )


def _previous_version(version: StrategyVersion) -> StrategyVersion | None:
    """The version to compare with: the latest earlier one a board approved or
    the public was consulted on; failing that, the one just before."""
    earlier = StrategyVersion.objects.filter(
        strategy_id=version.strategy_id, number__lt=version.number
    ).order_by("-number")
    marked = earlier.filter(
        Q(signoff_decisions__outcome__in=APPROVING_OUTCOMES)
        | Q(reason=StrategyVersion.Reason.CONSULTATION)
    ).first()
    return marked or earlier.first()


def _route(signoff: SignOffRequest) -> list[SignOffRequest]:
    first = signoff
    seen = {first.pk}
    while first.previous_step_id and first.previous_step_id not in seen:
        first = SignOffRequest.objects.select_related("board", "authority", "decision").get(
            pk=first.previous_step_id
        )
        seen.add(first.pk)
    # Routes are a handful of steps: following the chain row by row is fine.
    steps = [first]
    while len(steps) < 10:
        nxt = (
            SignOffRequest.objects.select_related("board", "authority", "decision")
            .filter(previous_step=steps[-1])
            .first()
        )
        if nxt is None:
            break
        steps.append(nxt)
    return steps


# Public: which version each board approved ----------------------------------

@require_GET
def approvals(request, strategy):
    """Public once the strategy is published; before that, only the
    partnership's own people (officers, partners, board members) see it, so
    they can check each board's decision against the version it was given.
    Anyone else is told it is not found, as if it did not exist."""
    slug = strategy
    strategy = (
        Strategy.objects.public().select_related("partnership").filter(slug=slug).first()
    )
    is_public = strategy is not None
    if strategy is None:
        strategy = get_object_or_404(Strategy.objects.select_related("partnership"), slug=slug)
        if not request.access.can_view(strategy.partnership_id):
            raise Http404
    decisions = list(
        SignOffDecision.objects.filter(request__strategy=strategy)
        .select_related("request__board", "request__authority", "version")
        .order_by("decided_on", "pk")
    )
    published = (
        strategy.versions.filter(reason=StrategyVersion.Reason.PUBLICATION)
        .order_by("-number")
        .first()
    )
    return render(
        request,
        "milestones/approvals.html",
        {"strategy": strategy, "decisions": decisions, "published": published,
         "is_public": is_public},
    )


# Calendar ---------------------------------------------------------------------

@login_required
def calendar(request):
    token = services.calendar_token_get_or_create(user=request.user)
    path = reverse("milestones:calendar_feed", kwargs={"feed_token": token.token})
    feed_url = request.build_absolute_uri(path)
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "milestones/calendar.html",
        {"feed_url": feed_url, "webcal_url": webcal_url, "token": token},
    )


@login_required
@require_POST
def calendar_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(request, "Your calendar has a new address. The old one no longer works.")
    return redirect("milestones:calendar")


@require_GET
def calendar_feed(request, feed_token):
    token = CalendarToken.objects.select_related("user").filter(token=feed_token).first()
    if token is None or not token.user.is_active:
        raise Http404("Not found")
    body = calendarfeed.feed_for(token.user, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="safermk.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
