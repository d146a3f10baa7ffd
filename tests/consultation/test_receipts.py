"""At the end of the journey a respondent may give an e-mail address for a
receipt (the reference and a copy of the answers). The response is stored
first; the address is never stored with it, and is deleted once the worker
has sent the receipt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client
from django.utils import timezone

from consultation import receipts, tasks
from consultation.models import ReceiptRequest, Response
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answer_everything_as_public, check_token, url

pytestmark = pytest.mark.django_db

ADDRESS = "resident.receipt@example.org"


@pytest.fixture
def consultation(partnership):
    return open_consultation(partnership)


def _send(client, consultation, email=ADDRESS, token=None):
    token = token or check_token(client, consultation)
    return client.post(url("respond_check", consultation),
                       {"token": token, "receipt_email": email})


def _stored_anywhere(value: str) -> list[str]:
    """Every model and text column in the database that holds `value`."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                if model._default_manager.filter(**{f"{field.name}__icontains": value}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
            elif isinstance(field, models.JSONField):
                rows = model._default_manager.values_list(field.name, flat=True)
                if any(value in str(v) for v in rows):
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def test_the_receipt_has_the_reference_and_answers_and_the_address_is_then_deleted(
    consultation, on_commit_at_once
):
    client = Client()
    answer_everything_as_public(client, consultation)
    assert _send(client, consultation).status_code == 302
    response = Response.objects.get()
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert response.reference in message.subject and response.reference in message.body
    assert consultation.partnership.name in message.subject
    assert "More street lighting" in message.body and "Good priority" in message.body
    assert not ReceiptRequest.objects.exists()
    assert _stored_anywhere(ADDRESS) == []
    page = client.get(url("respond_confirmation", consultation)).content.decode()
    assert "We are e-mailing you a receipt" in page


def test_until_it_is_sent_the_address_is_kept_apart_from_the_response(
    consultation, monkeypatch, on_commit_at_once
):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.receipt_send, "delay", refuse)
    client = Client()
    answer_everything_as_public(client, consultation)
    assert _send(client, consultation).status_code == 302
    response = Response.objects.get()  # stored, whatever the broker
    assert not mail.outbox
    assert _stored_anywhere(ADDRESS) == ["consultation.ReceiptRequest.email"]
    # The sweep sends it once the grace period has passed, then it is gone.
    assert receipts.receipts_sweep() == 0
    later = timezone.now() + receipts.SWEEP_GRACE + dt.timedelta(minutes=1)
    assert receipts.receipts_sweep(now=later) == 1
    assert receipts.receipts_sweep(now=later) == 0
    assert len(mail.outbox) == 1 and response.reference in mail.outbox[0].body
    assert _stored_anywhere(ADDRESS) == []


def test_a_receipt_that_cannot_be_sent_is_deleted_after_two_days(consultation, monkeypatch):
    client = Client()
    answer_everything_as_public(client, consultation)
    _send(client, consultation)  # nothing commits here: the receipt waits
    assert ReceiptRequest.objects.count() == 1
    # Claimed by a worker that then failed every time.
    ReceiptRequest.objects.update(claimed_at=timezone.now())
    later = timezone.now() + receipts.RECEIPT_GIVE_UP + dt.timedelta(minutes=1)
    monkeypatch.setattr(receipts, "receipt_send", lambda **kw: False)
    receipts.receipts_sweep(now=later)
    assert not ReceiptRequest.objects.exists()
    assert Response.objects.count() == 1


def test_a_receipt_is_sent_once_however_often_the_task_runs(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    _send(client, consultation)
    receipt = ReceiptRequest.objects.get()
    assert tasks.receipt_send(receipt.pk) is True
    assert tasks.receipt_send(receipt.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("email, message", [
    ("not-an-address", "Enter an e-mail address like name@example.org"),
    ("a@" + "b" * 250 + ".org", "Enter an e-mail address of 254 characters or fewer"),
])
def test_a_wrong_address_is_named_next_to_the_field_and_nothing_is_sent(
    consultation, email, message
):
    client = Client()
    answer_everything_as_public(client, consultation)
    page = _send(client, consultation, email=email)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: Check your answers" in html
    assert 'id="id_receipt_email_error"' in html and message in html
    assert 'href="#id_receipt_email"' in html
    assert not Response.objects.exists() and not ReceiptRequest.objects.exists()
    # Corrected, it goes.
    assert _send(client, consultation).status_code == 302
    assert Response.objects.count() == 1


def test_without_an_address_no_receipt_is_asked_for(consultation):
    client = Client()
    answer_everything_as_public(client, consultation)
    assert _send(client, consultation, email="").status_code == 302
    assert Response.objects.count() == 1 and not ReceiptRequest.objects.exists()


def test_a_resubmitted_page_asks_for_no_second_receipt(consultation, on_commit_at_once):
    client = Client()
    answer_everything_as_public(client, consultation)
    token = check_token(client, consultation)
    _send(client, consultation, token=token)
    _send(client, consultation, token=token, email="second@example.org")
    assert Response.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


def test_if_the_receipt_cannot_be_asked_for_the_response_is_still_stored(
    consultation, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("receipt table unavailable")

    monkeypatch.setattr(receipts, "receipt_request", broken)
    client = Client()
    answer_everything_as_public(client, consultation)
    assert _send(client, consultation).status_code == 302
    assert Response.objects.count() == 1
    page = client.get(url("respond_confirmation", consultation)).content.decode()
    assert "could not send the receipt" in page


def test_pupils_are_not_asked_for_an_address_and_one_posted_is_ignored(consultation):
    from consultation import services
    from tests.consultation.walk import answers_for_section, sections_for

    code = services.class_code_issue(consultation=consultation, school="Park School",
                                     class_name="Year 8")
    client = Client()
    client.post(url("schools", consultation), {"code": code.code, "age_band": "11_13"})
    client.post(url("schools_privacy", consultation), {"consent": "on"})
    for number, section in enumerate(sections_for(consultation, "young_people"), start=1):
        client.post(url("respond_step", consultation, number),
                    answers_for_section(consultation, section))
    page = client.get(url("respond_check", consultation)).content.decode()
    assert "receipt_email" not in page
    assert _send(client, consultation).status_code == 302
    assert Response.objects.get().audience == "young_people"
    assert not ReceiptRequest.objects.exists() and not mail.outbox
