"""A receipt for a response, e-mailed on request: the reference and a copy
of the answers (consultation.copies.response_copy).

The response is stored first, as always; only then is the address saved,
in a row of its own (ReceiptRequest), never on the response. The worker
claims the row, sends the receipt and deletes the row, address and all. If
the broker is down the sweep sends it; a row that could not be sent for
RECEIPT_GIVE_UP is deleted unsent, so no address outlives its use.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from consultation.copies import response_copy
from consultation.models import Audience, ReceiptRequest, Response

logger = logging.getLogger(__name__)

SWEEP_GRACE = dt.timedelta(minutes=5)
CLAIM_TIMEOUT = dt.timedelta(minutes=30)
RECEIPT_GIVE_UP = dt.timedelta(days=2)


def enqueue(task_name: str, *args) -> None:
    """After the commit, never failing the caller: with the broker down,
    the sweep sends what is waiting."""
    from consultation import tasks

    def send():
        try:
            getattr(tasks, task_name).delay(*args)
        except Exception:  # noqa: BLE001 - any broker failure; the sweep sends it
            logger.warning("Could not queue %s%r; the sweep will send it", task_name, args,
                           exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def receipt_request(*, response: Response, email: str) -> ReceiptRequest | None:
    """Keep the address just long enough to send the receipt. Pupils'
    responses never take one (no personal data from young people)."""
    email = (email or "").strip()
    if not email or response.audience == Audience.YOUNG_PEOPLE:
        return None
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": "Enter an e-mail address like name@example.org"}) from exc
    try:
        with transaction.atomic():
            receipt = ReceiptRequest.objects.create(response=response, email=email)
    except IntegrityError:
        # One receipt per response: a resubmitted page asks for none more.
        return None
    enqueue("receipt_send", receipt.pk)
    return receipt


def receipt_send(*, receipt_id: int, now: dt.datetime | None = None) -> bool:
    """Send the receipt once (claimed first), then delete the address."""
    now = now or timezone.now()
    claimed = ReceiptRequest.objects.filter(pk=receipt_id).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    ).update(claimed_at=now)
    if not claimed:
        return False
    receipt = ReceiptRequest.objects.select_related(
        "response__consultation__partnership"
    ).get(pk=receipt_id)
    response = receipt.response
    consultation = response.consultation
    sender = consultation.partnership.name
    body = render_to_string("consultation/email/receipt.txt", {
        "response": response, "consultation": consultation, "copy": response_copy(response),
    })
    EmailMessage(
        f"[{sender}] Your response to {consultation.title}: {response.reference}",
        body, None, [receipt.email], headers={"Auto-Submitted": "auto-generated"},
    ).send()
    ReceiptRequest.objects.filter(pk=receipt_id).delete()
    return True


def receipts_sweep(*, now: dt.datetime | None = None) -> int:
    """Send receipts the broker never delivered to a worker, and delete the
    addresses of receipts that could not be sent in RECEIPT_GIVE_UP."""
    now = now or timezone.now()
    ReceiptRequest.objects.filter(created_at__lt=now - RECEIPT_GIVE_UP).delete()
    waiting = ReceiptRequest.objects.filter(created_at__lt=now - SWEEP_GRACE).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    ).values_list("pk", flat=True)
    return sum(receipt_send(receipt_id=pk, now=now) for pk in list(waiting))
