"""Accessibility: each partnership's accessibility statement and the list of
them, the public form for asking for a document in another format, and the
partnership officers' list of those requests.

The statements and the form are public. The list of requests is for the
partnership's officers: another partnership's answers 404, and the
partnership's partner officers and board members get 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accessibility import evidence, services
from accessibility.forms import FormatRequestForm
from accessibility.models import FormatRequest
from partnerships.access import get_partnership_for_user
from partnerships.models import Partnership
from safermk.ratelimits import ratelimit
from safermk.session_timeout import idle_timeout_text

STATEMENTS_PER_PAGE = 50
REQUESTS_PER_PAGE = 50
# What the confirmation page shows: the last request sent from this browser.
SENT = "format_request_sent"


def _get_public_partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug)


def _get_format_request_for_user(request, partnership: Partnership, pk: int) -> FormatRequest:
    return get_object_or_404(FormatRequest, pk=pk, partnership=partnership)


def _format_request_rate(group, request) -> str:
    return settings.FORMAT_REQUEST_RATE


# Statements ------------------------------------------------------------------


def statements(request):
    """Every partnership's statement, a page at a time: two queries however
    many partnerships there are."""
    rows = Partnership.objects.order_by("name", "pk").only("name", "slug")
    page = Paginator(rows, STATEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accessibility/statements.html", {"page": page})


def statement(request, partnership):
    partnership = _get_public_partnership(partnership)
    return render(request, "accessibility/statement.html", {
        "partnership": partnership,
        "evidence": evidence,
        "tested_on": settings.SAFERMK_ACCESSIBILITY_TESTED_ON,
        "idle_timeout": idle_timeout_text(settings.SESSION_IDLE_TIMEOUT_MINUTES),
        "timeout_warning_text": _seconds_text(settings.SESSION_TIMEOUT_WARNING_SECONDS),
    })


# Requests for another format -------------------------------------------------


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_format_request_rate, method="POST", group="format-request")
def format_request(request, partnership):
    partnership = _get_public_partnership(partnership)
    if getattr(request, "limited", False):
        return render(
            request, "accessibility/rate_limited.html", {"partnership": partnership}, status=429
        )
    initial = {"document": request.GET.get("document", "")[:300]}
    form = FormatRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.format_request_create(partnership=partnership, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            request.session[SENT] = {"partnership": partnership.pk, "reference": sent.reference}
            return redirect("accessibility:format_request_sent", partnership.slug)
    return render(request, "accessibility/format_request.html", {
        "partnership": partnership, "form": form,
    })


def format_request_sent(request, partnership):
    partnership = _get_public_partnership(partnership)
    sent = request.session.get(SENT) or {}
    reference = sent.get("reference") if sent.get("partnership") == partnership.pk else None
    return render(request, "accessibility/format_request_sent.html", {
        "partnership": partnership, "reference": reference,
    })


@login_required
def format_requests(request, partnership):
    partnership = get_partnership_for_user(request, partnership, officer=True)
    done = request.GET.get("show") == "done"
    rows = FormatRequest.objects.for_partnership(partnership)
    counts = rows.aggregate(
        open=Count("pk", filter=Q(done_at__isnull=True)),
        done=Count("pk", filter=Q(done_at__isnull=False)),
    )
    if done:
        rows = rows.done().select_related("done_by").order_by("-done_at", "-pk")
    else:
        rows = rows.open().order_by("created_at", "pk")
    page = Paginator(rows, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accessibility/format_requests.html", {
        "partnership": partnership,
        "page": page,
        "done": done,
        "counts": counts,
        "query": "show=done" if done else "",
        "retention_days": settings.FORMAT_REQUEST_RETENTION_DAYS,
    })


@login_required
@require_POST
def format_request_done(request, partnership, format_request):
    partnership = get_partnership_for_user(request, partnership, officer=True)
    row = _get_format_request_for_user(request, partnership, format_request)
    services.format_request_mark_done(format_request=row, by=request.user)
    messages.success(request, f"Request {row.reference} is marked as done.")
    return redirect("accessibility:format_requests", partnership.slug)


def _seconds_text(seconds: int) -> str:
    if seconds % 60 == 0:
        return idle_timeout_text(seconds // 60)
    return f"{seconds} second{'s' if seconds != 1 else ''}"
