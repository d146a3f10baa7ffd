"""Pages of the recommendations and actions tracker and of the ASB case
review figures.

Who sees what (each partnership on its own; another partnership's pages
answer 404):
- partnership officers: every review, recommendation and action; they
  record reviews, add and change actions, and the ASB case review figures;
- partner officers: only the actions their organisation owns, whose
  progress they record (mark done with the date and evidence);
- board members: the board report of open and overdue actions;
- the public: the published ASB case review figures, as a page and as JSON.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.access import get_partnership_for_user
from partnerships.forms import show_service_errors
from partnerships.models import Organisation, Partnership
from reviews import services
from reviews.forms import (
    ActionFilterForm,
    ActionForm,
    AsbReturnForm,
    ProgressForm,
    RecommendationForm,
    ReviewForm,
)
from reviews.models import Action, AsbCaseReviewReturn, Recommendation, Review

ACTIONS_PER_PAGE = 50
REVIEWS_PER_PAGE = 50
BOARD_REPORT_ROWS = 200
# Figures began in 2014: a fixed cut keeps the public page's size bounded.
PUBLIC_YEARS = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


# Lookups ---------------------------------------------------------------------


def _get_partnership_for_officer(request, slug: str) -> Partnership:
    return get_partnership_for_user(request, slug, officer=True)


def _get_partnership_for_staff(request, slug: str) -> Partnership:
    """Officers and partner officers; board members alone get 403."""
    partnership = get_partnership_for_user(request, slug)
    if not request.access.is_staff_of(partnership):
        raise PermissionDenied("Only the partnership's officers and partner officers can do this.")
    return partnership


def _get_review_for_user(request, partnership: Partnership, pk: int) -> Review:
    return get_object_or_404(Review, pk=pk, partnership=partnership)


def _get_recommendation_for_user(request, review: Review, pk: int) -> Recommendation:
    return get_object_or_404(Recommendation, pk=pk, review=review)


def _get_action_for_user(request, partnership: Partnership, pk: int) -> Action:
    """An action the user may see: a partner officer's other organisations'
    actions are 404, like another partnership's."""
    return get_object_or_404(
        Action.objects.visible_to(request.access, partnership).with_detail(), pk=pk
    )


def _get_asb_return_for_user(request, partnership: Partnership, pk: int) -> AsbCaseReviewReturn:
    return get_object_or_404(AsbCaseReviewReturn, pk=pk, partnership=partnership)


# Actions ---------------------------------------------------------------------


@login_required
@require_GET
def actions(request, partnership):
    """The tracker: every action the user may see, filtered and a page at a time."""
    partnership = _get_partnership_for_staff(request, partnership)
    access = request.access
    rows = Action.objects.visible_to(access, partnership).with_detail()
    organisations = list(Organisation.objects.filter(partnership=partnership).order_by("name"))
    form = ActionFilterForm(request.GET, choices={"owner": [(o.pk, o.name) for o in organisations]})
    filters = form.filters
    today = timezone.localdate()
    state = filters.get("state")
    if state == "open":
        rows = rows.open()
    elif state == "overdue":
        rows = rows.overdue(today)
    elif state:
        rows = rows.filter(status=state)
    if filters.get("owner"):
        rows = rows.filter(owner_id=filters["owner"])
    source = filters.get("source")
    if source == "policing":
        rows = rows.filter(policing_recommendation__isnull=False)
    elif source:
        rows = rows.filter(recommendation__review__kind=source)
    page = Paginator(rows.order_by("due_on", "pk"), ACTIONS_PER_PAGE).get_page(form.page_number)
    counts = Action.objects.visible_to(access, partnership).aggregate(
        open=Count("pk", filter=~Q(status=Action.Status.DONE)),
        overdue=Count("pk", filter=~Q(status=Action.Status.DONE) & Q(due_on__lt=today)),
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
    )
    return render(request, "reviews/actions.html", {
        "partnership": partnership,
        "page": page,
        "form": form,
        "params": form.values,
        "problems": form.problems,
        "query": form.querystring(),
        "organisations": organisations,
        "states": ActionFilterForm.base_fields["state"].choices,
        "sources": ActionFilterForm.base_fields["source"].choices,
        "counts": counts,
        "is_officer": access.is_officer(partnership),
        "today": today,
    })


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request, partnership):
    partnership = _get_partnership_for_officer(request, partnership)
    initial = {"source": request.GET.get("source", "")[:20]}
    form = ActionForm(_posted(request), partnership=partnership, with_source=True,
                      initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                partnership=partnership, source=form.cleaned_data["source"], by=request.user,
                **{name: form.cleaned_data[name] for name in services.ACTION_FIELDS},
            )
        except ValidationError as exc:
            _show_action_errors(form, exc)
        else:
            messages.success(request, f"The action for {action.owner.name} is added.")
            return redirect(action.get_absolute_url())
    return render(request, "reviews/form.html", {
        "partnership": partnership, "form": form,
        "title": "Add an action", "submit": "Add the action",
        "back_url": reverse("reviews:actions", args=[partnership.slug]),
        "intro": "An action answers one recommendation: from a review the partnership holds "
                 "or from the local policing body. It is reminded to the owner organisation's "
                 "people before it is due and when it is late.",
    })


def _show_action_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key in ("recommendation", "policing_recommendation"):
            if key in exc.error_dict:
                exc.error_dict.setdefault("source", []).extend(exc.error_dict.pop(key))
    show_service_errors(form, exc)


@login_required
@require_http_methods(["GET", "POST"])
def action(request, partnership, action):
    """An action, with its recommendation, and the form to record its progress."""
    partnership = _get_partnership_for_staff(request, partnership)
    action = _get_action_for_user(request, partnership, action)
    access = request.access
    may_update = access.can_update_for_organisation(partnership, action.owner_id)
    if request.method == "POST" and not may_update:
        raise PermissionDenied("Only the owner organisation's people can update this action.")
    form = ProgressForm(_posted(request), instance=Action.objects.get(pk=action.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_progress(
                action=action, by=request.user,
                **{name: form.cleaned_data[name] for name in services.PROGRESS_FIELDS},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"The action is {action.get_status_display().lower()}.")
            return redirect(action.get_absolute_url())
    return render(request, "reviews/action.html", {
        "partnership": partnership, "action": action, "form": form,
        "may_update": may_update, "is_officer": access.is_officer(partnership),
    })


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, partnership, action):
    partnership = _get_partnership_for_officer(request, partnership)
    action = _get_action_for_user(request, partnership, action)
    form = ActionForm(_posted(request), partnership=partnership,
                      instance=Action.objects.get(pk=action.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action, by=request.user,
                **{name: form.cleaned_data[name] for name in services.ACTION_FIELDS},
            )
        except ValidationError as exc:
            _show_action_errors(form, exc)
        else:
            messages.success(request, "The action is saved.")
            return redirect(action.get_absolute_url())
    return render(request, "reviews/form.html", {
        "partnership": partnership, "form": form,
        "title": "Change the action", "submit": "Save the action",
        "back_url": action.get_absolute_url(),
        "intro": f"{action.source_label}: {action.source_text}",
    })


@login_required
@require_GET
def board_report(request, partnership):
    """Open actions, the overdue first, for the partnership's boards: what
    each organisation still owes and since when."""
    partnership = get_partnership_for_user(request, partnership)
    access = request.access
    on_board = any(bm.board.partnership_id == partnership.pk
                   for bm in access.board_memberships.values())
    if not (access.is_officer(partnership) or on_board):
        raise PermissionDenied("Only the partnership's officers and board members can see this.")
    today = timezone.localdate()
    rows = list(Action.objects.for_partnership(partnership).open().with_detail()
                .order_by("due_on", "pk")[:BOARD_REPORT_ROWS + 1])
    counts = Action.objects.for_partnership(partnership).aggregate(
        done=Count("pk", filter=Q(status=Action.Status.DONE)),
        open=Count("pk", filter=~Q(status=Action.Status.DONE)),
    )
    return render(request, "reviews/board_report.html", {
        "partnership": partnership,
        "overdue": [a for a in rows[:BOARD_REPORT_ROWS] if a.due_on < today],
        "upcoming": [a for a in rows[:BOARD_REPORT_ROWS] if a.due_on >= today],
        "more": len(rows) > BOARD_REPORT_ROWS,
        "counts": counts,
        "today": today,
        "is_officer": access.is_officer(partnership),
        "board_only": not access.is_staff_of(partnership),
    })


# Reviews ---------------------------------------------------------------------


@login_required
@require_GET
def reviews(request, partnership):
    partnership = _get_partnership_for_officer(request, partnership)
    rows = Review.objects.filter(partnership=partnership).select_related("partnership").annotate(
        recommendation_count=Count("recommendations", distinct=True),
        open_actions=Count("recommendations__actions",
                           filter=~Q(recommendations__actions__status=Action.Status.DONE),
                           distinct=True),
    ).order_by("-started_on", "-pk")
    page = Paginator(rows, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/reviews.html", {"partnership": partnership, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request, partnership):
    partnership = _get_partnership_for_officer(request, partnership)
    form = ReviewForm(_posted(request), initial={"status": Review.Status.UNDER_WAY})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                partnership=partnership, by=request.user,
                **{name: form.cleaned_data[name] for name in services.REVIEW_FIELDS},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{review.title} is recorded. Add its recommendations.")
            return redirect(review.get_absolute_url())
    return render(request, "reviews/form.html", {
        "partnership": partnership, "form": form, "title": "Record a review",
        "submit": "Record the review",
        "back_url": reverse("reviews:reviews", args=[partnership.slug]),
        "intro": "A Domestic Abuse Related Death Review is published once the Home Office has "
                 "quality assured it: record the date it was sent, and the date it was "
                 "published. Do not name anyone the review is about.",
    })


@login_required
@require_http_methods(["GET", "POST"])
def review(request, partnership, review):
    """A review, its recommendations with their actions, and the form to add one."""
    partnership = _get_partnership_for_officer(request, partnership)
    review = _get_review_for_user(request, partnership, review)
    next_number = (review.recommendations.order_by("-number").values_list("number", flat=True)
                   .first() or 0) + 1
    form = RecommendationForm(_posted(request), initial={"number": next_number})
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(review=review, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The recommendation is added. Add the actions that "
                                      "answer it.")
            return redirect(review.get_absolute_url())
    recommendations = list(review.recommendations.prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner", "partnership")
                 .order_by("due_on", "pk"))
    ))
    for rec in recommendations:
        # Met when it has actions and every one is done.
        rec.met = bool(rec.actions.all()) and all(
            a.status == Action.Status.DONE for a in rec.actions.all())
    return render(request, "reviews/review.html", {
        "partnership": partnership, "review": review, "form": form,
        "recommendations": recommendations, "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, partnership, review):
    partnership = _get_partnership_for_officer(request, partnership)
    review = _get_review_for_user(request, partnership, review)
    form = ReviewForm(_posted(request), instance=Review.objects.get(pk=review.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(
                review=review, by=request.user,
                **{name: form.cleaned_data[name] for name in services.REVIEW_FIELDS},
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{review.title} is saved.")
            return redirect(review.get_absolute_url())
    return render(request, "reviews/form.html", {
        "partnership": partnership, "form": form, "title": f"Change {review.title}",
        "submit": "Save the review", "back_url": review.get_absolute_url(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, partnership, review, review_recommendation):
    partnership = _get_partnership_for_officer(request, partnership)
    review = _get_review_for_user(request, partnership, review)
    recommendation = _get_recommendation_for_user(request, review, review_recommendation)
    form = RecommendationForm(_posted(request),
                              instance=Recommendation.objects.get(pk=recommendation.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(recommendation=recommendation, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The recommendation is saved.")
            return redirect(review.get_absolute_url())
    return render(request, "reviews/form.html", {
        "partnership": partnership, "form": form,
        "title": f"Change recommendation {recommendation.number} of {review.title}",
        "submit": "Save the recommendation", "back_url": review.get_absolute_url(),
    })


# ASB case review figures -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def asb_returns(request, partnership):
    """Each year's figures, and the form to record a year's."""
    partnership = _get_partnership_for_officer(request, partnership)
    form = AsbReturnForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            row = services.asb_return_save(partnership=partnership, by=request.user,
                                           **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"The figures for {row.short_period} are recorded. They "
                                      f"are public from {row.publish_on:%-d %B %Y}.")
            return redirect("reviews:asb_returns", partnership.slug)
    rows = AsbCaseReviewReturn.objects.filter(partnership=partnership).order_by("-year")
    return render(request, "reviews/asb_returns.html", {
        "partnership": partnership, "form": form, "rows": rows, "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def asb_return(request, partnership, asb_return):
    partnership = _get_partnership_for_officer(request, partnership)
    row = _get_asb_return_for_user(request, partnership, asb_return)
    form = AsbReturnForm(_posted(request), instance=AsbCaseReviewReturn.objects.get(pk=row.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.asb_return_save(partnership=partnership, instance=row, by=request.user,
                                     **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"The figures for {row.short_period} are saved.")
            return redirect("reviews:asb_returns", partnership.slug)
    return render(request, "reviews/form.html", {
        "partnership": partnership, "form": form,
        "title": f"Change the ASB case review figures for {row.short_period}",
        "submit": "Save the figures",
        "back_url": reverse("reviews:asb_returns", args=[partnership.slug]),
    })


def published_asb_returns(partnership: Partnership):
    return AsbCaseReviewReturn.objects.filter(partnership=partnership).published(
        timezone.localdate()).order_by("-year")[:PUBLIC_YEARS]


@require_GET
def public_asb_returns(request, partnership):
    partnership = get_object_or_404(Partnership, slug=partnership)
    return render(request, "reviews/public_asb_returns.html", {
        "partnership": partnership, "rows": published_asb_returns(partnership),
    })


def asb_return_data(row: AsbCaseReviewReturn) -> dict:
    return {
        "year_from": f"{row.year}-04-01",
        "year_to": f"{row.year + 1}-03-31",
        "applications": row.applications,
        "threshold_not_met": row.threshold_not_met,
        "reviews_held": row.reviews_held,
        "reviews_with_recommendations": row.reviews_with_recommendations,
        "threshold_decisions_referred_to_policing_body": row.referred_to_policing_body,
        "published_on": row.publish_on.isoformat(),
    }


@require_GET
def public_asb_returns_json(request, partnership):
    partnership = get_object_or_404(Partnership, slug=partnership)
    response = JsonResponse({
        "partnership": partnership.slug,
        "name": partnership.name,
        "url": request.build_absolute_uri(
            reverse("reviews:public_asb_returns", args=[partnership.slug])),
        "asb_case_reviews": [asb_return_data(row) for row in published_asb_returns(partnership)],
    }, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response
