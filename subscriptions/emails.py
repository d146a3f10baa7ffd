"""The e-mails to people who follow consultations: plain text, from the
partnership by name, each with its unsubscribe link in the text and in the
List-Unsubscribe headers (RFC 2369 and, for one-click, RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from subscriptions import links


def _send(subscription, subject: str, template: str, context: dict) -> None:
    unsubscribe = links.unsubscribe_url(subscription)
    context = {
        **context,
        "subscription": subscription,
        "partnership": subscription.partnership,
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    message = EmailMessage(
        subject=f"[{subscription.partnership.name}] {subject}",
        body=render_to_string(f"subscriptions/email/{template}.txt", context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.send()


def send_confirmation(subscription) -> None:
    what = (
        f"the results of “{subscription.consultation.title}”"
        if subscription.consultation_id else "new consultations"
    )
    _send(subscription, f"Confirm you want e-mails about {what}", "confirm", {
        "what": what,
        "confirm_url": links.confirm_url(subscription),
        "kept_days": settings.SUBSCRIPTION_UNCONFIRMED_DAYS,
    })


def send_opened(subscription, consultation) -> None:
    _send(subscription, f"New consultation: {consultation.title}", "opened", {
        "consultation": consultation,
        "url": settings.SITE_URL + consultation.get_absolute_url(),
    })


def send_results(subscription, consultation, themes) -> None:
    from django.urls import reverse

    _send(subscription, f"Results published: {consultation.title}", "results", {
        "consultation": consultation,
        "themes": themes,
        "kept_days": settings.SUBSCRIPTION_RESULTS_KEPT_DAYS,
        "url": settings.SITE_URL + reverse("consultation:results", args=[consultation.slug]),
    })
