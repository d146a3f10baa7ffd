"""The e-mails to people who follow consultations: plain text, from the
partnership by name, each with its unsubscribe link in the text and in the
List-Unsubscribe headers (RFC 2369 and, for one-click, RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from subscriptions import links


def _send(subscription, subject: str, template: str, context: dict) -> None:
    # Called inside translation.override(subscription.language).
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
    with translation.override(subscription.language):
        if subscription.consultation_id:
            title = subscription.consultation.text_in("title", subscription.language)
            what = _("the results of “%(title)s”") % {"title": title}
        else:
            what = _("new consultations")
        _send(subscription, _("Confirm you want e-mails about %(what)s") % {"what": what},
              "confirm", {
                  "what": what,
                  "confirm_url": links.confirm_url(subscription),
                  "kept_days": settings.SUBSCRIPTION_UNCONFIRMED_DAYS,
              })


def send_opened(subscription, consultation) -> None:
    with translation.override(subscription.language):
        title = consultation.text_in("title", subscription.language)
        _send(subscription, _("New consultation: %(title)s") % {"title": title}, "opened", {
            "consultation": consultation,
            "title": title,
            "summary": consultation.text_in("summary", subscription.language),
            "url": settings.SITE_URL + consultation.get_absolute_url(),
        })


def send_results(subscription, consultation, themes) -> None:
    from django.urls import reverse

    with translation.override(subscription.language):
        title = consultation.text_in("title", subscription.language)
        _send(subscription, _("Results published: %(title)s") % {"title": title}, "results", {
            "consultation": consultation,
            "title": title,
            "themes": themes,
            "kept_days": settings.SUBSCRIPTION_RESULTS_KEPT_DAYS,
            "url": settings.SITE_URL + reverse("consultation:results",
                                               args=[consultation.slug]),
        })
