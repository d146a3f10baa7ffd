"""Stopping password guessing, with django-axes (configured in settings).

Failures are counted in the database per username *and* address, so the
limit holds with Redis down and someone guessing from elsewhere cannot lock
a person out of their own office. On top of that, one address that fails
too often across any usernames is refused as well: that is one machine
trying a few common passwords on every account.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def attempted_username(request, credentials: dict | None = None) -> str | None:
    """The username as counted: the same account however it was typed."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    return (raw or "").strip().lower() or None


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler, plus a ceiling on failures from one address."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self._address_is_over_ceiling(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out:
            if self._address_is_over_ceiling(request):
                request.axes_locked_out = True
                request.axes_credentials = credentials

    def _address_is_over_ceiling(self, request) -> bool:
        since = request.axes_attempt_time - settings.AXES_COOLOFF_TIME
        failures = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=since
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= settings.SIGN_IN_FAILURES_PER_ADDRESS


def lockout_response(request, original_response=None, credentials=None):
    """The page for a refused sign-in, on our own pages and the admin's alike."""
    return render(
        request,
        "registration/too_many_attempts.html",
        {"minutes": settings.SIGN_IN_LOCKOUT_MINUTES},
        status=429,
    )


def sign_in_lockout_clear(*, user) -> int:
    """Forget every failed sign-in for this person, from any address: used
    when they have proved who they are by resetting the password by e-mail."""
    username = attempted_username(None, {"username": user.get_username()})
    return AxesProxyHandler.reset_attempts(username=username)
