"""A double click on "Send my response" stores one response and shows the
same reference number for both clicks, however the two requests interleave:
the unique token in the database decides, and the loser is given the
winner's response."""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from consultation import services
from consultation.models import Audience, Response
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answer_everything_as_public, check_token, url

PAIRS = 20
# The second click of pair i leaves i * STAGGER seconds after the first, so the
# pairs cover every way two submits can overlap: both at the INSERT, the
# second between the winner's commit and its own unique check, and the
# second after the first has finished.
STAGGER = 0.004


def _submit(consultation, token):
    return services.response_submit(
        consultation=consultation, audience=Audience.PUBLIC, answers={}, token=token
    )


def _lookup_misses_once(monkeypatch):
    """The request that loses a race looked for the token before the winner
    had stored it: its lookup finds nothing."""
    real = services._response_for_token
    calls = []

    def first_call_misses(token):
        calls.append(token)
        return None if len(calls) == 1 else real(token)

    monkeypatch.setattr(services, "_response_for_token", first_call_misses)


@pytest.mark.django_db
def test_a_submit_that_loses_the_race_in_full_clean_gets_the_stored_response(monkeypatch):
    consultation = open_consultation()
    first, created = _submit(consultation, "T" * 32)
    assert created
    _lookup_misses_once(monkeypatch)
    second, created = _submit(consultation, "T" * 32)  # full_clean's unique check fails
    assert not created and second.pk == first.pk
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_a_submit_that_loses_the_race_at_the_insert_gets_the_stored_response(monkeypatch):
    consultation = open_consultation()
    first, _ = _submit(consultation, "U" * 32)
    _lookup_misses_once(monkeypatch)
    # The winner had not committed when the loser ran full_clean: only the
    # unique constraint stops the loser.
    monkeypatch.setattr(Response, "validate_unique", lambda self, exclude=None: None)
    second, created = _submit(consultation, "U" * 32)
    assert not created and second.pk == first.pk
    assert Response.objects.count() == 1


def _require_postgres() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI"):
        pytest.fail("DATABASE_URL must point at PostgreSQL in CI for the race tests.")
    pytest.skip("Truly simultaneous requests need PostgreSQL: set DATABASE_URL.")


def _send_at_once(clients, path, token, *, stagger: float = 0.0):
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def send(index, client):
        try:
            barrier.wait(timeout=30)
            time.sleep(index * stagger)
            sent = client.post(path, {"token": token})
            shown = client.get(sent["Location"]) if sent.status_code == 302 else None
            results[index] = (sent.status_code, shown.context["reference"] if shown else None)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sends_show_the_same_reference_and_store_one_response(caplog):
    _require_postgres()
    caplog.set_level(logging.INFO, logger="consultation.services")
    consultation = open_consultation()
    outcomes = []
    for pair in range(PAIRS):
        first = Client(raise_request_exception=False)
        answer_everything_as_public(first, consultation)
        token = check_token(first, consultation)
        second = Client(raise_request_exception=False)  # the same browser: same session
        for name, morsel in first.cookies.items():
            second.cookies[name] = morsel.value

        outcomes.append(_send_at_once([first, second], url("respond_check", consultation), token,
                                      stagger=pair * STAGGER))

        stored = Response.objects.filter(idempotency_token=token)
        assert stored.count() == 1
        assert outcomes[-1] == [(302, stored.get().reference)] * 2, outcomes[-1]

    assert Response.objects.filter(consultation=consultation).count() == PAIRS
    raced = [r.getMessage() for r in caplog.records if "simultaneous submit" in r.getMessage()]
    print(f"\n{PAIRS} pairs, {PAIRS} references, {PAIRS} rows: "
          f"{sum('IntegrityError' in m for m in raced)} settled at the INSERT, "
          f"{sum('ValidationError' in m for m in raced)} in full_clean, "
          f"{PAIRS - len(raced)} by the lookup of the token")
