"""Signed links in the e-mails to people who follow consultations.

A link carries the subscription's id and its random key, signed with the
installation's SECRET_KEY and a salt per purpose, so a confirmation link
cannot unsubscribe and a link for one row never works for another. A
confirmation link lasts as long as an unconfirmed address is kept; an
unsubscribe link lasts as long as the subscription.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM = "subscriptions.confirm"
UNSUBSCRIBE = "subscriptions.unsubscribe"
# Longer than anything signing.dumps makes for these payloads; a longer
# string is refused before it is unsigned.
TOKEN_MAX_LENGTH = 200


@dataclass(frozen=True)
class Unsigned:
    """What a link said: `problem` is "" (good), "invalid" or "expired"."""

    problem: str
    subscription_id: int | None = None
    key: str = ""


def make(subscription, purpose: str) -> str:
    return signing.dumps({"s": subscription.pk, "k": subscription.key}, salt=purpose)


def read(token: str, purpose: str, *, max_age: int | None = None) -> Unsigned:
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        return Unsigned("invalid")
    try:
        data = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired:
        return Unsigned("expired")
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return Unsigned("invalid")
    if not (isinstance(data, dict) and isinstance(data.get("s"), int)
            and isinstance(data.get("k"), str)):
        return Unsigned("invalid")
    return Unsigned("", data["s"], data["k"])


def confirm_url(subscription) -> str:
    return settings.SITE_URL + reverse("subscriptions:confirm", args=[make(subscription, CONFIRM)])


def unsubscribe_url(subscription) -> str:
    return settings.SITE_URL + reverse(
        "subscriptions:unsubscribe", args=[make(subscription, UNSUBSCRIBE)]
    )


def confirm_max_age() -> int:
    return settings.SUBSCRIPTION_UNCONFIRMED_DAYS * 24 * 60 * 60
