"""Signing out people who have left a signed-in page alone too long.

A signed-in session ends after SESSION_IDLE_TIMEOUT_MINUTES without a
request; the next request signs the person out and sends them to the sign-in
page with a message. Activity is written to the session at most once a
minute, so most requests cost no write. Anonymous sessions (a member of the
public part-way through a consultation) are left alone: they keep the expiry
their own views set.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

LAST_SEEN = "signed_in_last_seen"
# How often the last-seen time is written back: precision of the timeout.
WRITE_EVERY_SECONDS = 60
# The cookie outlives the timeout by a day, so someone who comes back the
# next morning is told why they were signed out rather than just asked to
# sign in; the server refuses the session either way.
NOTICE_WINDOW_SECONDS = 24 * 60 * 60


def _mark_seen(session, now: int) -> None:
    session[LAST_SEEN] = now
    session.set_expiry(settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + NOTICE_WINDOW_SECONDS)


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """On signing in (user_logged_in), so the session is written with the
    clock already set and the next pages need not write it again."""
    if request is not None and hasattr(request, "session"):
        _mark_seen(request.session, int(time.time()))


def idle_timeout_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def remaining_seconds(request, now: int | None = None) -> int:
    """How long the signed-in session has left before the idle sign-out."""
    now = int(time.time()) if now is None else now
    last_seen = request.session.get(LAST_SEEN, now)
    return max(0, settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - (now - last_seen))


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            timeout = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            checking = request.path == reverse("session_time")
            if last_seen is not None and now - last_seen >= timeout:
                response = self._sign_out(request)
                # The warning's check is told so; the page it came from then
                # reloads to the sign-in page, which says why.
                return JsonResponse({"remaining": 0}) if checking else response
            # The warning's own check of the time left is not activity: an
            # open tab must not keep its person signed in for ever.
            checking = checking and request.method == "GET"
            if not checking and (last_seen is None or now - last_seen >= WRITE_EVERY_SECONDS):
                _mark_seen(request.session, now)
        return self.get_response(request)

    def _sign_out(self, request):
        logout(request)
        messages.info(
            request,
            "You were signed out after "
            f"{idle_timeout_text(settings.SESSION_IDLE_TIMEOUT_MINUTES)} without activity. "
            "Sign in again to carry on.",
        )
        url = reverse("login")
        if request.method == "GET" and request.path != url:
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


@never_cache
@require_http_methods(["GET", "POST"])
def session_time(request):
    """GET: the seconds left before the idle sign-out, without counting as
    activity. POST ("Stay signed in"): counts as activity, so the clock starts
    again. Signed-out people get 0 rather than a redirect, so the page can
    say they were signed out."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0})
    if request.method == "POST":
        _mark_seen(request.session, int(time.time()))
    return JsonResponse({"remaining": remaining_seconds(request)})
