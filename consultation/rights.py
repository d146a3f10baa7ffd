"""Writes for respondents' requests by reference number: a copy of their
response, or its erasure (UK GDPR articles 15 and 17).

The request is saved first, whatever the reference, so nothing is lost and
the public page says the same thing whether or not a response matched; the
partnership's officers are told by e-mail through the worker after the
commit; an officer decides (send the copy, erase, or refuse with a reason),
the decision is recorded in the audit, and the person is told by e-mail.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import audit_record
from consultation.copies import response_copy
from consultation.models import Response, RightsRequest
from consultation.services import response_erase
from partnerships.models import Membership, Partnership

logger = logging.getLogger(__name__)

# A reference is the partnership's short code (2 to 5 characters) and 8
# more, like AB-7Q4K-92XD; people may type it without dashes or in lower case.
REFERENCE_SHAPE = re.compile(r"[A-Z0-9]{10,13}")
# How long a request may wait for the worker before the hourly scan tells
# the officers instead (the broker was down when it was sent).
NOTIFY_GRACE = dt.timedelta(minutes=10)

# What an officer may decide, by kind of request.
DECISIONS = {
    RightsRequest.Kind.COPY: (RightsRequest.Status.COPY_SENT, RightsRequest.Status.REFUSED),
    RightsRequest.Kind.ERASURE: (RightsRequest.Status.ERASED, RightsRequest.Status.REFUSED),
}


def reference_compact(typed: str) -> str:
    """The reference without spaces or dashes, in capitals."""
    return re.sub(r"[^A-Z0-9]", "", (typed or "").upper())


def reference_is_well_formed(typed: str) -> bool:
    return REFERENCE_SHAPE.fullmatch(reference_compact(typed)) is not None


def reference_formatted(typed: str) -> str:
    compact = reference_compact(typed)
    return f"{compact[:-8]}-{compact[-8:-4]}-{compact[-4:]}"


def _match(reference: str) -> tuple[Partnership | None, Response | None]:
    response = (
        Response.objects.select_related("consultation__partnership")
        .filter(reference=reference, erased_at__isnull=True)
        .first()
    )
    if response is not None:
        return response.consultation.partnership, response
    prefix = reference.split("-", 1)[0]
    return Partnership.objects.filter(short_code=prefix).first(), None


@transaction.atomic
def rights_request_submit(
    *, reference: str, kind: str, email: str, message: str = ""
) -> RightsRequest:
    """Save a request as sent and, after the commit, ask the worker to tell
    the officers of the partnership the reference belongs to."""
    if not reference_is_well_formed(reference):
        raise ValidationError(
            {"reference": "Enter the reference number as it was shown, like AB-7Q4K-92XD"}
        )
    reference = reference_formatted(reference)
    partnership, response = _match(reference)
    request = RightsRequest(
        partnership=partnership, response=response, reference=reference, kind=kind,
        email=email.strip(), message=message.strip(),
    )
    request.full_clean()
    request.save()
    audit_record(
        action=AuditAction.RIGHTS_REQUEST,
        summary=f"Request for {request.get_kind_display().lower()} with reference {reference}"
        + ("" if response else " (no response has that reference)"),
        partnership=partnership, actor=None, target=request, record_where=False,
        detail={"kind": kind, "matched": response is not None},
    )
    _enqueue("rights_request_notify_officers", request.pk)
    return request


def _enqueue(task_name: str, request_id: int) -> None:
    """After the commit, and never failing the caller: if the broker is
    down, the hourly scan sends what is still unsent."""
    from consultation import tasks

    def send():
        try:
            getattr(tasks, task_name).delay(request_id)
        except Exception:  # noqa: BLE001 - any broker failure; the scan retries
            logger.warning("Could not queue %s for request %s; the scan will send it",
                           task_name, request_id, exc_info=True)

    transaction.on_commit(send)


def officers_to_tell(request: RightsRequest) -> list[str]:
    """The partnership's officers; the installation's superusers when the
    reference names no partnership, or the partnership has no officer."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    officers = set()
    if request.partnership_id:
        officers = set(users.filter(
            memberships__partnership_id=request.partnership_id,
            memberships__role__in=Membership.OFFICER_ROLES,
        ).values_list("email", flat=True))
    if not officers:
        officers = set(users.filter(is_superuser=True).values_list("email", flat=True))
    return sorted(officers)


def rights_request_notify_officers(*, request_id: int) -> bool:
    """Tell the officers once: the row is claimed by a conditional update
    before the e-mail goes, so a retried task never sends twice."""
    claimed = RightsRequest.objects.filter(
        pk=request_id, officers_notified_at__isnull=True
    ).update(officers_notified_at=timezone.now())
    if not claimed:
        return False
    request = RightsRequest.objects.select_related("partnership").get(pk=request_id)
    recipients = officers_to_tell(request)
    if not recipients:
        logger.warning("Rights request %s: nobody to tell", request_id)
        return False
    sender = request.partnership.name if request.partnership else settings.SAFERMK_BRAND_NAME
    context = {
        "request": request,
        "sender": sender,
        "link": settings.SITE_URL + (
            reverse("consultation:rights_request", args=[request.partnership.slug, request.pk])
            if request.partnership else reverse("admin:consultation_rightsrequest_changelist")
        ),
        "reply_within": "one month",
    }
    subject = f"[{sender}] A respondent asks for {request.get_kind_display().lower()}"
    body = render_to_string("consultation/email/rights_request_officers.txt", context)
    EmailMessage(subject, body, None, recipients).send()
    return True


def rights_requests_notify_waiting(*, now: dt.datetime | None = None) -> int:
    """Tell officers of requests the worker never got (the broker was down)."""
    now = now or timezone.now()
    ids = list(
        RightsRequest.objects.officers_not_told()
        .filter(received_at__lt=now - NOTIFY_GRACE)
        .values_list("pk", flat=True)
    )
    return sum(rights_request_notify_officers(request_id=pk) for pk in ids)


@transaction.atomic
def rights_request_decide(
    *, rights_request: RightsRequest, decision: str, by, reason: str = ""
) -> RightsRequest:
    """Record an officer's decision and act on it: erase the response, or
    (after the commit) e-mail the copy or the refusal to the person."""
    request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    if request.status != RightsRequest.Status.RECEIVED:
        raise ValidationError("This request has already been decided.")
    if decision not in DECISIONS[request.kind]:
        raise ValidationError({"decision": "Choose what to do"})
    reason = (reason or "").strip()
    if decision == RightsRequest.Status.REFUSED and not reason:
        raise ValidationError({"reason": "Enter the reason for refusing; it is sent to the person"})
    if decision != RightsRequest.Status.REFUSED and request.response_id is None:
        raise ValidationError({"decision": "No response has this reference: refuse the request "
                                           "and say why"})
    if decision == RightsRequest.Status.ERASED:
        response_erase(response=request.response, by=by, note=f"request {request.pk}")
        # The request keeps the reference and the address; it no longer
        # points at what is left of the response.
        request.response = None
    request.status = decision
    request.reason = reason
    request.decided_at = timezone.now()
    request.decided_by = by
    request.full_clean()
    request.save()
    audit_record(
        action=AuditAction.DECISION,
        summary=f"Request for {request.get_kind_display().lower()} with reference "
        f"{request.reference}: {request.get_status_display()}"
        + (f" ({reason})" if reason else ""),
        partnership=request.partnership_id, actor=by, target=request,
        detail={"kind": request.kind, "decision": decision},
    )
    _enqueue("rights_request_reply", request.pk)
    rights_request.status, rights_request.response = request.status, request.response
    rights_request.decided_at, rights_request.decided_by = request.decided_at, request.decided_by
    rights_request.reason = request.reason
    return rights_request


def rights_request_copy(*, rights_request: RightsRequest, by=None) -> str:
    """The copy of the response, recorded in the audit as a view of it."""
    if rights_request.response_id is None:
        raise ValidationError("No response has this reference.")
    response = Response.objects.select_related(
        "consultation__partnership", "class_code"
    ).get(pk=rights_request.response_id)
    audit_record(
        action=AuditAction.SUBJECT_ACCESS,
        summary=f"Copy of response {response.reference} made for request {rights_request.pk}",
        partnership=rights_request.partnership_id, actor=by, target=rights_request,
        detail={"request": rights_request.pk},
    )
    return response_copy(response)


def copy_filename(rights_request: RightsRequest) -> str:
    return f"response-{rights_request.reference}.txt"


def rights_request_reply(*, request_id: int) -> bool:
    """E-mail the person the outcome, once (claimed like the officers'
    e-mail); a copy goes as a text file attached."""
    claimed = RightsRequest.objects.filter(
        pk=request_id, requester_notified_at__isnull=True,
    ).exclude(status=RightsRequest.Status.RECEIVED).exclude(email="").update(
        requester_notified_at=timezone.now()
    )
    if not claimed:
        return False
    request = RightsRequest.objects.select_related("partnership").get(pk=request_id)
    sender = request.partnership.name if request.partnership else settings.SAFERMK_BRAND_NAME
    context = {"request": request, "sender": sender, "partnership": request.partnership}
    subject = f"[{sender}] Your request about response {request.reference}"
    body = render_to_string("consultation/email/rights_request_reply.txt", context)
    message = EmailMessage(subject, body, None, [request.email])
    if request.status == RightsRequest.Status.COPY_SENT and request.response_id:
        copy = rights_request_copy(rights_request=request, by=request.decided_by)
        message.attach(copy_filename(request), copy, "text/plain; charset=utf-8")
    message.send()
    return True


@transaction.atomic
def rights_requests_apply_retention(*, now: dt.datetime | None = None) -> int:
    """Blank the e-mail address and message of requests decided more than
    RIGHTS_REQUEST_RETENTION_DAYS ago; the rest (reference, kind, decision,
    dates) stays as the record of what was done."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.RIGHTS_REQUEST_RETENTION_DAYS)
    return RightsRequest.objects.contact_due_for_deletion(before).update(
        email="", message="", contact_deleted_at=now
    )
