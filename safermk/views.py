"""Site-wide pages: home, health check, accessibility and privacy, errors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
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
    # Whom to tell about a problem: each partnership answers for its own
    # strategy, consultations and documents. One query.
    contacts = (
        Partnership.objects.exclude(contact_email="")
        .order_by("name")
        .values("name", "contact_email")
    )
    return render(request, "pages/accessibility.html", {"contacts": contacts})


def privacy(request):
    return render(request, "pages/privacy.html")


@require_GET
@never_cache
def healthz(request):
    """Database and broker status for load balancers and the compose health check.

    200 when the database answers, 503 when it does not; the broker's state is
    reported but does not fail the check, because public pages and responses
    never depend on it.
    """
    database = _check_database()
    broker = _check_broker()
    status = 200 if database["ok"] else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database, "broker": broker},
        status=status,
    )


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any driver error means "down"
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}


def _check_broker() -> dict:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return {"ok": True, "transport": "filesystem"}
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return {"ok": True, "transport": "redis"}
    except Exception as exc:  # report, never raise
        return {"ok": False, "transport": "redis", "error": exc.__class__.__name__}


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
