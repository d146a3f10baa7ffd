"""Site-wide pages: home, health check, accessibility and privacy, errors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from partnerships.models import Partnership
from safermk.forms import SignInForm


def home(request):
    partnerships = Partnership.objects.order_by("name")
    return render(request, "pages/home.html", {"partnerships": partnerships})


_login = auth_views.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)


def sign_in(request):
    """Django's sign-in, with guessing slowed down: too many attempts from one
    address, or at one username, get a plain page asking to wait (429)."""
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip().lower()
        limited = is_ratelimited(
            request, group="sign-in-address", key="ip",
            rate=settings.SIGN_IN_RATE_PER_ADDRESS, method="POST", increment=True,
        )
        limited |= is_ratelimited(
            request, group="sign-in-username", key=lambda _group, _request: username,
            rate=settings.SIGN_IN_RATE_PER_USERNAME, method="POST", increment=True,
        )
        if limited:
            return render(request, "registration/too_many_attempts.html", status=429)
    return _login(request)


def accessibility(request):
    return render(request, "pages/accessibility.html")


def privacy(request):
    return render(request, "pages/privacy.html")


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
