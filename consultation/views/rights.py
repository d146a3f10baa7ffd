"""Respondents' requests for a copy or the erasure of their response: the
partnership's officers (and superusers) list them, check them, download the
copy and decide. Another partnership's requests answer 404; partner
officers and board members of the same partnership get 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from consultation import rights
from consultation.forms import RightsDecisionForm
from consultation.models import (
    Answer,
    DraftComment,
    EqualityResponse,
    Question,
    Response,
    RightsRequest,
    Theme,
)
from partnerships.access import get_partnership_for_user

PAGE_SIZE = 50


def _get_partnership_for_officer(request, slug: str):
    return get_partnership_for_user(request, slug, officer=True)


def _get_rights_request_for_user(request, partnership, pk: int) -> RightsRequest:
    return get_object_or_404(
        RightsRequest.objects.select_related("partnership", "decided_by"),
        partnership=partnership, pk=pk,
    )


@login_required
@require_GET
def requests_list(request, partnership):
    partnership = _get_partnership_for_officer(request, partnership)
    rows = (
        RightsRequest.objects.for_partnership(partnership)
        .select_related("decided_by")
        .annotate(waiting_first=Case(
            When(status=RightsRequest.Status.RECEIVED, then=Value(0)),
            default=Value(1), output_field=IntegerField(),
        ))
        .order_by("waiting_first", "-received_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = RightsRequest.objects.for_partnership(partnership).waiting().count()
    return render(request, "consultation/officers/rights_requests.html", {
        "partnership": partnership, "page": page, "waiting": waiting,
    })


def _response_summary(response: Response | None) -> dict | None:
    if response is None:
        return None
    counts = Answer.objects.filter(response=response).aggregate(
        answers=Count("id"),
        free_text=Count("id", filter=Q(question__kind=Question.Kind.TEXT) & ~Q(text="")),
    )
    themes = list(
        Theme.objects.filter(Q(answers__response=response) | Q(comments__response=response))
        .distinct().order_by("order", "name").values_list("name", flat=True)
    )
    return {
        "response": response,
        "answers": counts["answers"],
        "free_text": counts["free_text"],
        "comments": DraftComment.objects.filter(response=response).count(),
        "equality": EqualityResponse.objects.filter(response=response).exists(),
        "themes": themes,
    }


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, partnership, rights_request):
    partnership = _get_partnership_for_officer(request, partnership)
    item = _get_rights_request_for_user(request, partnership, rights_request)
    response = (
        Response.objects.select_related("consultation").filter(pk=item.response_id).first()
        if item.response_id else None
    )
    choices = rights.DECISIONS[item.kind]
    if response is None:
        choices = (RightsRequest.Status.REFUSED,)
    form = None
    if item.status == RightsRequest.Status.RECEIVED:
        form = RightsDecisionForm(request.POST if request.method == "POST" else None,
                                  choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                rights.rights_request_decide(
                    rights_request=item, decision=form.cleaned_data["decision"],
                    by=request.user, reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, f"Request {item.reference}: "
                                          f"{item.get_status_display().lower()}. "
                                          "The person is told by e-mail.")
                return redirect("consultation:rights_requests", partnership.slug)
    elif request.method == "POST":
        messages.error(request, "This request has already been decided.")
        return redirect("consultation:rights_request", partnership.slug, item.pk)
    return render(request, "consultation/officers/rights_request.html", {
        "partnership": partnership, "item": item, "form": form,
        "summary": _response_summary(response),
    })


@login_required
@require_GET
def request_copy(request, partnership, rights_request):
    partnership = _get_partnership_for_officer(request, partnership)
    item = _get_rights_request_for_user(request, partnership, rights_request)
    if item.response_id is None:
        return render(request, "consultation/officers/rights_no_copy.html",
                      {"partnership": partnership, "item": item}, status=404)
    text = rights.rights_request_copy(rights_request=item, by=request.user)
    reply = HttpResponse(text, content_type="text/plain; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{rights.copy_filename(item)}"'
    reply["Cache-Control"] = "no-store"
    return reply


def _show_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
