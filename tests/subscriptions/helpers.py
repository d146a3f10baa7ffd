"""Shared steps for the following-by-e-mail tests."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from consultation import services as consultation_services
from subscriptions import links
from subscriptions.models import Subscription


def link_in(message, path_part: str) -> str:
    """The path of the first link in a message whose address contains path_part."""
    found = re.search(r"https?://[^/\s]+(\S*" + re.escape(path_part) + r"\S*)", message.body)
    assert found, f"no {path_part} link in:\n{message.body}"
    return found.group(1)


def follow(client, url: str, email: str = "resident@example.org"):
    return client.post(url, {"email": email})


def confirmed(email: str, *, partnership=None, consultation=None) -> Subscription:
    """A confirmed subscription made as a person would (form, e-mail, link)."""
    from django.test import Client

    client = Client()
    before = len(mail.outbox)
    if consultation is not None:
        url = reverse("subscriptions:follow_consultation", args=[consultation.slug])
    else:
        url = reverse("subscriptions:follow_partnership", args=[partnership.slug])
    assert follow(client, url, email).status_code == 302
    message = mail.outbox[before]
    assert client.post(link_in(message, "/follow/confirm/")).status_code == 200
    return Subscription.objects.get(email=email, consultation=consultation,
                                    **({"partnership": partnership} if partnership else {}))


def unsubscribe_path(subscription) -> str:
    return reverse("subscriptions:unsubscribe", args=[links.make(subscription, links.UNSUBSCRIBE)])


def confirm_path(subscription) -> str:
    return reverse("subscriptions:confirm", args=[links.make(subscription, links.CONFIRM)])


def publish_results(consultation) -> None:
    """Close the consultation, answer one theme and publish "you said, we did"."""
    theme = consultation_services.theme_create(consultation=consultation, name="Lighting")
    consultation_services.consultation_close_now(consultation=consultation)
    consultation_services.theme_update(
        theme=theme, name="Lighting", you_said="Dark paths feel unsafe.",
        we_did="Added lighting to the priority.",
        priority=consultation.strategy.priorities.first(),
    )
    consultation_services.consultation_publish_feedback(consultation=consultation)
    consultation.refresh_from_db()
