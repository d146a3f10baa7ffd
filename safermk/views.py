"""Site-wide pages: home, health check, accessibility and privacy, errors."""

from __future__ import annotations

import sys
from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from consultation.models import Consultation, Response
from partnerships.models import Partnership
from reviews.models import AsbCaseReviewReturn
from safermk import database_unavailable
from safermk.forms import SignInForm
from strategy.models import StrategicAssessment, Strategy

HOME_LIST_SIZE = 6
# On a partnership's home: its consultations open or coming (rarely more
# than one or two), its latest closed ones, its earlier strategies. The page
# links to the hub's lists, filtered to the partnership, for the rest.
PARTNERSHIP_OPEN_SIZE = 10
PARTNERSHIP_CLOSED_SIZE = 3
PARTNERSHIP_EARLIER_SIZE = 5


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
        consultation.closing_soon = consultation.is_closing_soon(now)
    return render(request, "pages/home.html", {
        "consultations": consultations[:HOME_LIST_SIZE],
        "more_consultations": len(consultations) > HOME_LIST_SIZE,
        "strategies": strategies[:HOME_LIST_SIZE],
        "more_strategies": len(strategies) > HOME_LIST_SIZE,
    })


def partnership_home(request, partnership):
    """What one partnership puts before the public: its strategy in force
    and earlier ones, its consultations (open, coming, latest closed) with
    responses so far, and how to contact it. Each list is cut at a fixed
    size with a link to the filtered hub list, so the page makes the same
    queries however much history the partnership has."""
    partnership = get_object_or_404(Partnership, slug=partnership)
    now = timezone.now()
    strategies = list(
        Strategy.objects.public().with_published_on().filter(partnership=partnership)
        .in_public_order()[: PARTNERSHIP_EARLIER_SIZE + 2]
    )
    # One strategy in force of each kind (community safety, serious violence).
    in_force = [s for s in strategies if s.status == Strategy.Status.PUBLISHED]
    in_force.sort(key=lambda s: s.duty != Strategy.Duty.COMMUNITY_SAFETY)
    earlier = [s for s in strategies if s not in in_force]
    needs_summary = (
        StrategicAssessment.objects.filter(
            partnership=partnership, duty=Strategy.Duty.SERIOUS_VIOLENCE,
            status=StrategicAssessment.Status.SIGNED_OFF,
        ).exclude(public_summary="").order_by("-year").first()
    )
    consultations = Consultation.objects.filter(partnership=partnership)
    open_now = list(consultations.open_at(now).order_by("closes_at", "pk")[
        :PARTNERSHIP_OPEN_SIZE])
    coming = list(consultations.upcoming_at(now).order_by("opens_at", "pk")[
        :PARTNERSHIP_OPEN_SIZE])
    closed = list(consultations.closed_at(now).order_by("-closes_at", "-pk")[
        :PARTNERSHIP_CLOSED_SIZE])
    counts = Response.objects.count_by_consultation(c.pk for c in open_now + closed)
    for consultation in open_now + closed:
        consultation.response_count = counts.get(consultation.pk, 0)
        consultation.closing_soon = consultation.is_closing_soon(now)
    asb_latest = AsbCaseReviewReturn.objects.filter(partnership=partnership).published(
        timezone.localdate()).order_by("-year").first()
    return render(request, "pages/partnership_home.html", {
        "partnership": partnership,
        "asb_latest": asb_latest,
        "in_force": in_force,
        "needs_summary": needs_summary,
        "earlier": earlier[:PARTNERSHIP_EARLIER_SIZE],
        "more_strategies": len(earlier) > PARTNERSHIP_EARLIER_SIZE,
        "open_now": open_now,
        "coming": coming,
        "closed": closed,
        "filtered": urlencode({"partnership": partnership.slug}),
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
    # Django calls this while handling the exception, so it is still at hand:
    # a database lost after the view ran (saving the session) gets the 503 page.
    if database_unavailable.is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable.database_unavailable_response()
    return render(request, "500.html", status=500)
