"""Site-wide pages: home, health check, accessibility and privacy, errors."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from consultation.models import Consultation
from safermk.forms import SignInForm
from strategy.models import Strategy

HOME_LIST_SIZE = 6
CLOSING_SOON = dt.timedelta(days=14)


def home(request):
    """Open consultations first, closing soonest first, each a click from its
    start page; then the strategies in force. Both lists are cut at
    HOME_LIST_SIZE, with a link to the full list, so the page reads the same
    few rows however many partnerships share the installation."""
    now = timezone.now()
    consultations = list(
        Consultation.objects.open_at(now)
        .select_related("partnership")
        .order_by("closes_at", "pk")[: HOME_LIST_SIZE + 1]
    )
    strategies = list(
        Strategy.objects.published()
        .select_related("partnership")
        .order_by("partnership__name", "-period_start", "pk")[: HOME_LIST_SIZE + 1]
    )
    for consultation in consultations:
        consultation.closing_soon = consultation.closes_at - now <= CLOSING_SOON
    return render(request, "pages/home.html", {
        "consultations": consultations[:HOME_LIST_SIZE],
        "more_consultations": len(consultations) > HOME_LIST_SIZE,
        "strategies": strategies[:HOME_LIST_SIZE],
        "more_strategies": len(strategies) > HOME_LIST_SIZE,
    })


_login = auth_views.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)


def sign_in(request):
    """Django's sign-in. Guessing is stopped by django-axes for every
    authenticate() call (see safermk/lockout.py): a locked-out username at an
    address gets the "too many attempts" page (429) from its middleware."""
    return _login(request)


def privacy(request):
    from django.conf import settings

    return render(request, "pages/privacy.html", {
        "audit_retention_days": settings.AUDIT_RETENTION_DAYS,
        "rights_retention_days": settings.RIGHTS_REQUEST_RETENTION_DAYS,
    })


@require_GET
@never_cache
def healthz(request):
    """Database, cache and broker status for load balancers and the compose
    health check (see safermk/health.py): "ok"; "degraded" with 200 when
    only the cache or broker is down, because the site still serves; "error"
    with 503 when the database is down."""
    from safermk import health

    body, status = health.report()
    return JsonResponse(body, status=status)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
