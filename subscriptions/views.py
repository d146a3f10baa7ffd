"""Public pages for following consultations by e-mail: the forms, the
pages the signed links open, and the Atom feeds. No account, no JavaScript.

A link from an e-mail opens a page with a button; only the button (a POST)
confirms or unsubscribes, so a mail scanner that follows links changes
nothing. The unsubscribe address also takes the one-click POST a mail
program sends for List-Unsubscribe-Post (RFC 8058), which carries no
CSRF token: the signed token in the address is the credential.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from consultation.models import Consultation
from partnerships.models import Partnership
from safermk.ratelimits import ratelimit
from subscriptions import links, services
from subscriptions.forms import FollowForm

# Status codes of the link pages: a link that was never ours is a bad
# request; one that no longer works is gone; one used again is fine.
LINK_STATUS = {"invalid": 400, "expired": 410, "gone": 410}


def _subscribe_rate(group, request) -> str:
    return getattr(settings, "SUBSCRIBE_RATE", "10/h")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _follow(request, *, partnership: Partnership, consultation: Consultation | None):
    if getattr(request, "limited", False):
        return render(request, "subscriptions/limited.html", {"partnership": partnership},
                      status=429)
    form = FollowForm(_posted(request))
    if request.method == "POST":
        if form.is_spam():
            return render(request, "consultation/public/refused.html", status=400)
        if form.is_valid():
            try:
                services.subscription_request(
                    email=form.cleaned_data["email"],
                    partnership=None if consultation else partnership,
                    consultation=consultation,
                )
            except ValidationError as exc:
                form.add_error("email", exc.message_dict.get("email", exc.messages))
            else:
                return redirect("subscriptions:sent")
    return render(request, "subscriptions/follow.html", {
        "partnership": partnership, "consultation": consultation, "form": form,
        "kept_days": settings.SUBSCRIPTION_UNCONFIRMED_DAYS,
    })


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_subscribe_rate, method="POST", group="subscribe")
def follow_partnership(request, partnership):
    partnership = get_object_or_404(Partnership, slug=partnership)
    return _follow(request, partnership=partnership, consultation=None)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_subscribe_rate, method="POST", group="subscribe")
def follow_consultation(request, consultation):
    consultation = get_object_or_404(
        Consultation.objects.listed().select_related("partnership"), slug=consultation
    )
    if consultation.is_historical:
        return redirect("consultation:results", consultation.slug)
    return _follow(request, partnership=consultation.partnership, consultation=consultation)


def sent(request):
    # The same page whatever the address, and whether or not it already
    # follows: the form never tells who subscribes to what.
    return render(request, "subscriptions/sent.html")


def _link_page(request, template: str, outcome, token: str):
    subscription = outcome.subscription
    return render(request, template, {
        "outcome": outcome,
        "token": token,
        "subscription": subscription,
        "partnership": subscription.partnership if subscription else None,
        "kept_days": settings.SUBSCRIPTION_UNCONFIRMED_DAYS,
    }, status=LINK_STATUS.get(outcome.result, 200))


@require_http_methods(["GET", "POST"])
def confirm(request, confirm_token):
    token = confirm_token
    if request.method == "POST":
        outcome = services.subscription_confirm(token=token)
    else:
        outcome = services.subscription_check(token=token, purpose=links.CONFIRM)
    return _link_page(request, "subscriptions/confirm.html", outcome, token)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, unsubscribe_token):
    token = unsubscribe_token
    if request.method == "POST":
        outcome = services.subscription_unsubscribe(token=token)
    else:
        outcome = services.subscription_check(token=token, purpose=links.UNSUBSCRIBE)
    return _link_page(request, "subscriptions/unsubscribe.html", outcome, token)
