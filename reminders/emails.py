"""The reminder e-mails: plain text with a simple HTML alternative."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def _context(user, items) -> dict:
    return {
        "user": user,
        "items": [
            {
                "title": r.title,
                "body": r.body,
                "link": _absolute(r.path or reverse("dashboard:home")),
            }
            for r in items
        ],
        "preferences_link": _absolute(reverse("reminders:preferences")),
        "brand_name": settings.SAFERMK_BRAND_NAME,
    }


def _sender_name(items) -> str:
    """The partnership's name when every item is about one partnership (each
    partnership's people hear from it, never from another); otherwise the
    installation's."""
    names = {r.partnership.name for r in items if r.partnership_id}
    if len(names) == 1 and all(r.partnership_id for r in items):
        return names.pop()
    return settings.SAFERMK_BRAND_NAME


def _send(user, subject: str, template: str, context: dict, items) -> None:
    message = EmailMultiAlternatives(
        subject=f"[{_sender_name(items)}] {subject}",
        body=render_to_string(f"reminders/email/{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string(f"reminders/email/{template}.html", context), "text/html"
    )
    message.send()


def send_reminder(reminder, user) -> None:
    _send(
        user,
        reminder.title,
        "reminder",
        {**_context(user, [reminder]), "reminder": reminder},
        [reminder],
    )


def send_digest(items, user) -> None:
    count = len(items)
    subject = "1 reminder for today" if count == 1 else f"{count} reminders for today"
    _send(user, subject, "digest", _context(user, items), items)
