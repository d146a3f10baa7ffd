"""Save and come back later: answers in progress kept under a signed link
that restores them once, for CONSULTATION_SAVED_DAYS, without an account.

The link carries the saved row's id and random key, signed with the
installation's SECRET_KEY; it expires with the row. Restoring empties the
row (used_at set), so the link works once; a used, expired or changed link
restores nothing and says which. The address, if the person asks for the
link by e-mail, is kept only until the worker has sent it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consultation.models import Audience, Consultation, SavedJourney
from consultation.receipts import CLAIM_TIMEOUT, SWEEP_GRACE, enqueue

SALT = "consultation.saved"
TOKEN_MAX_LENGTH = 200
# What a saved state may hold: the journey's own keys (consultation/journey.py).
STATE_KEYS = {
    "audience", "organisation_name", "consent", "class_code_id", "age_band", "answers",
    "comments", "equality", "token",
}


def _max_age() -> int:
    return settings.CONSULTATION_SAVED_DAYS * 24 * 60 * 60


def link_path(saved: SavedJourney) -> str:
    token = signing.dumps({"s": saved.pk, "k": saved.key}, salt=SALT)
    return reverse("consultation:respond_continue", args=[saved.consultation.slug, token])


@transaction.atomic
def journey_save_for_later(
    *, consultation: Consultation, state: dict, resume_path: str,
    now: dt.datetime | None = None,
) -> SavedJourney:
    now = now or timezone.now()
    expires = now + dt.timedelta(days=settings.CONSULTATION_SAVED_DAYS)
    saved = SavedJourney(
        consultation=consultation,
        key=secrets.token_urlsafe(16),
        state={k: v for k, v in state.items() if k in STATE_KEYS},
        resume_path=resume_path,
        created_at=now,
        expires_at=min(expires, consultation.closes_at),
    )
    saved.full_clean()
    saved.save()
    return saved


@dataclass(frozen=True)
class Found:
    """`problem` is "" (the link works), "invalid", "expired", "used" or
    "gone" (used or expired, and since deleted)."""

    problem: str
    saved: SavedJourney | None = None


def _find(consultation: Consultation, token: str, *, now: dt.datetime, lock: bool) -> Found:
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        return Found("invalid")
    try:
        data = signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.SignatureExpired:
        return Found("expired")
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return Found("invalid")
    if not (isinstance(data, dict) and isinstance(data.get("s"), int)
            and isinstance(data.get("k"), str)):
        return Found("invalid")
    rows = SavedJourney.objects.filter(pk=data["s"], key=data["k"], consultation=consultation)
    saved = (rows.select_for_update() if lock else rows).first()
    if saved is None:
        # Deleted by the sweep once used or expired.
        return Found("gone")
    if saved.used_at is not None:
        return Found("used", saved)
    if saved.expires_at <= now:
        return Found("expired", saved)
    return Found("", saved)


def journey_saved_find(*, consultation: Consultation, token: str,
                       now: dt.datetime | None = None) -> Found:
    return _find(consultation, token, now=now or timezone.now(), lock=False)


@transaction.atomic
def journey_restore(*, consultation: Consultation, token: str,
                    now: dt.datetime | None = None) -> tuple[Found, dict | None]:
    """Use the link: the answers it saved, once. The row is emptied in the
    same transaction, so a second use (even at the same moment) finds it
    used and gets nothing."""
    now = now or timezone.now()
    found = _find(consultation, token, now=now, lock=True)
    if found.problem:
        return found, None
    saved = found.saved
    state = dict(saved.state)
    saved.state, saved.used_at, saved.email = {}, now, ""
    saved.save(update_fields=["state", "used_at", "email"])
    return found, state


@transaction.atomic
def journey_saved_email(*, saved: SavedJourney, email: str) -> None:
    """E-mail the link (by the worker). Not for pupils."""
    if saved.state.get("audience") == Audience.YOUNG_PEOPLE:
        raise ValidationError({"email": "The link cannot be e-mailed for a school response"})
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": "Enter an e-mail address like name@example.org"}) from exc
    updated = SavedJourney.objects.filter(pk=saved.pk, used_at__isnull=True).update(
        email=email, email_claimed_at=None
    )
    if updated:
        enqueue("saved_link_send", saved.pk)


def saved_link_send(*, saved_id: int, now: dt.datetime | None = None) -> bool:
    """Send the link once (claimed first), then blank the address."""
    now = now or timezone.now()
    claimed = SavedJourney.objects.filter(pk=saved_id, used_at__isnull=True).exclude(
        email=""
    ).filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_TIMEOUT)
    ).update(email_claimed_at=now)
    if not claimed:
        return False
    saved = SavedJourney.objects.select_related("consultation__partnership").get(pk=saved_id)
    consultation = saved.consultation
    body = render_to_string("consultation/email/saved_link.txt", {
        "consultation": consultation,
        "link": settings.SITE_URL + link_path(saved),
        "expires_at": saved.expires_at,
    })
    EmailMessage(
        f"[{consultation.partnership.name}] Your saved answers to {consultation.title}",
        body, None, [saved.email], headers={"Auto-Submitted": "auto-generated"},
    ).send()
    SavedJourney.objects.filter(pk=saved_id).update(email="")
    return True


def saved_journeys_sweep(*, now: dt.datetime | None = None) -> int:
    """Send links the broker never delivered; delete saved answers once
    used or expired, and the addresses of links that could not be sent
    before the answers expired."""
    now = now or timezone.now()
    SavedJourney.objects.filter(Q(used_at__isnull=False) | Q(expires_at__lte=now)).delete()
    waiting = SavedJourney.objects.exclude(email="").filter(
        created_at__lt=now - SWEEP_GRACE
    ).filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_TIMEOUT)
    ).values_list("pk", flat=True)
    return sum(saved_link_send(saved_id=pk, now=now) for pk in list(waiting))
