"""Writes for requests for a document in another format: the public's
request, the e-mail that tells the partnership's officers, and an officer
marking it done."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accessibility.models import FormatRequest
from partnerships.models import Membership, Partnership

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a reference is read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# A claim older than this was lost with its worker (the task's hard limit is
# 60 s), so the e-mail may be claimed and sent again.
CLAIM_TIMEOUT = dt.timedelta(minutes=15)
# The sweep leaves a new request to the task enqueued when it was made.
SWEEP_AFTER = dt.timedelta(minutes=5)
SWEEP_BATCH = 200

FIELDS = ("format", "document", "name", "email", "phone", "details")


def new_reference(*, partnership: Partnership) -> str:
    """Like BD-AF-7Q4K-92XD: the partnership's short code, AF for "another
    format", and eight characters."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{partnership.short_code}-AF-{chars[:4]}-{chars[4:]}"


def format_request_create(*, partnership: Partnership, **fields) -> FormatRequest:
    """Store the request, then (after the commit) ask the worker to tell the
    partnership's officers. Nothing the person sent depends on the broker or
    the mail server: the row is there whatever happens to the e-mail."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    request = FormatRequest(partnership=partnership, **fields)
    request.full_clean(exclude=["reference"])
    for _attempt in range(5):
        request.reference = new_reference(partnership=partnership)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            # The same reference drawn twice: draw again.
            request.pk = None
            continue
        transaction.on_commit(lambda: _enqueue_notify(request.pk))
        return request
    raise ValidationError("A reference could not be made. Try again.")


def _enqueue_notify(request_id: int) -> None:
    from accessibility.tasks import notify_officers

    try:
        notify_officers.delay(request_id)
    except Exception:  # the broker is down: the periodic sweep sends it later
        logger.warning(
            "Format request %s stored; the officers' e-mail waits for the sweep "
            "(the broker is unavailable)", request_id, exc_info=True,
        )


def officer_addresses(partnership: Partnership) -> list[str]:
    """Where the partnership's requests go: its contact address and its
    officers' (and administrators'), once each. One query."""
    addresses = [partnership.contact_email] if partnership.contact_email else []
    addresses += Membership.objects.filter(
        partnership=partnership,
        role__in=Membership.OFFICER_ROLES,
        user__is_active=True,
    ).exclude(user__email="").order_by("user__email").values_list("user__email", flat=True)
    seen, unique = set(), []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return unique


def format_request_notify(*, request_id: int, now: dt.datetime | None = None) -> bool:
    """E-mail the partnership's officers about one request, once.

    The conditional update claims the request, so a duplicated or retried
    task sends nothing; a send that fails gives the claim back for the sweep.
    The e-mail says what is asked and links to the officers' page, where the
    person's name and contact details are: they are not put in an e-mail.
    Returns whether this call sent it.
    """
    now = now or timezone.now()
    claimed = FormatRequest.objects.unnotified().filter(
        Q(notify_claimed_at__isnull=True) | Q(notify_claimed_at__lt=now - CLAIM_TIMEOUT),
        pk=request_id,
    ).update(notify_claimed_at=now)
    if not claimed:
        return False
    request = FormatRequest.objects.select_related("partnership").get(pk=request_id)
    partnership = request.partnership
    recipients = officer_addresses(partnership)
    if recipients:
        context = {
            "request": request,
            "partnership": partnership,
            "link": settings.SITE_URL
            + reverse("accessibility:format_requests", args=[partnership.slug]),
        }
        subject = (
            f"[{partnership.name}] {request.get_format_display()} requested: {request.reference}"
        )
        body = render_to_string("accessibility/email/format_request.txt", context)
        try:
            # One message each, so officers do not see each other's addresses.
            get_connection().send_messages(
                [EmailMessage(subject, body, None, [address]) for address in recipients]
            )
        except Exception:
            FormatRequest.objects.filter(pk=request_id, notify_claimed_at=now).update(
                notify_claimed_at=None
            )
            raise
    else:
        logger.warning(
            "Format request %s: %s has no contact address and no officer with an e-mail "
            "address; it waits on the officers' page", request.reference, partnership,
        )
    FormatRequest.objects.filter(pk=request_id).update(notified_at=timezone.now())
    return True


def format_requests_notify_pending(*, now: dt.datetime | None = None) -> int:
    """Send the e-mails that were not sent when the request was made (the
    broker or the mail server was down, or a worker died). Returns how many
    were sent."""
    now = now or timezone.now()
    waiting = list(
        FormatRequest.objects.unnotified()
        .filter(created_at__lt=now - SWEEP_AFTER)
        .filter(Q(notify_claimed_at__isnull=True) | Q(notify_claimed_at__lt=now - CLAIM_TIMEOUT))
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = 0
    for request_id in waiting:
        try:
            sent += format_request_notify(request_id=request_id, now=now)
        except Exception:
            logger.exception("Format request %s: the officers' e-mail failed", request_id)
    return sent


@transaction.atomic
def format_request_mark_done(*, format_request: FormatRequest, by) -> FormatRequest:
    """Record that the partnership has answered the request. Marking it done
    twice keeps the first date and person."""
    FormatRequest.objects.filter(pk=format_request.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by
    )
    format_request.refresh_from_db(fields=["done_at", "done_by"])
    return format_request


def format_requests_apply_retention(*, now: dt.datetime | None = None) -> int:
    """Delete the name, e-mail address, phone number and details of requests
    marked done more than FORMAT_REQUEST_RETENTION_DAYS ago (or made that
    long ago and never marked done); the reference, format, document and
    dates stay as the record of what was asked and answered."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.FORMAT_REQUEST_RETENTION_DAYS)
    return FormatRequest.objects.contact_due_for_deletion(before).update(
        name="", email="", phone="", details="", contact_deleted_at=now
    )
