"""The database lost in the middle of "Send my response": the person gets a
clear 503 page saying their answers have not been sent, nothing half-written
is stored, and sending again once the database is back stores one response."""

from __future__ import annotations

import os

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from consultation import services
from consultation.models import Answer, DraftComment, EqualityResponse, Response
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answer_everything_as_public, check_token, url


def _assert_the_unavailable_page(page) -> None:
    assert page.status_code == 503
    assert page["Retry-After"]
    html = page.content.decode()
    assert "<title>Sorry, the service is unavailable</title>" in html
    assert html.count("<h1") == 1
    assert "Your answers have not been sent. Please try again in a few minutes." in html
    assert "govuk-frontend.min.css" in html
    assert "Traceback" not in html and "OperationalError" not in html


def _assert_nothing_stored() -> None:
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert DraftComment.objects.count() == 0
    assert EqualityResponse.objects.count() == 0


def _fail_midway(monkeypatch, fault) -> None:
    """Runs `fault` inside response_submit's transaction, after the response
    and its answers are written and before its comments are."""
    real = services._comment_rows

    def comment_rows(*args, **kwargs):
        fault()
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_comment_rows", comment_rows)


@pytest.mark.django_db
def test_a_database_error_during_the_submit_gives_the_503_page_and_stores_nothing(monkeypatch):
    consultation = open_consultation()
    client = Client(raise_request_exception=False)
    answer_everything_as_public(client, consultation)
    token = check_token(client, consultation)

    def lost():
        raise OperationalError("server closed the connection unexpectedly")

    _fail_midway(monkeypatch, lost)
    _assert_the_unavailable_page(client.post(url("respond_check", consultation), {"token": token}))
    _assert_nothing_stored()

    monkeypatch.undo()
    again = client.post(url("respond_check", consultation), {"token": token})
    assert again.status_code == 302
    assert Response.objects.count() == 1 and EqualityResponse.objects.count() == 1


@pytest.mark.django_db
def test_any_page_gives_the_503_page_when_the_database_cannot_be_reached(monkeypatch):
    consultation = open_consultation()

    def refused(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(type(connections["default"]), "cursor", refused)
    _assert_the_unavailable_page(Client(raise_request_exception=False).get(
        url("detail", consultation)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_terminating_the_connection_during_the_submit_gives_the_503_page():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("DATABASE_URL must point at PostgreSQL in CI for this test.")
        pytest.skip("Terminates a real PostgreSQL backend: set DATABASE_URL to PostgreSQL.")
    consultation = open_consultation()
    client = Client(raise_request_exception=False)
    answer_everything_as_public(client, consultation)
    token = check_token(client, consultation)
    terminated = []

    def terminate_this_connection():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                terminated.append(cursor.fetchone()[0])
        finally:
            other.close()

    with pytest.MonkeyPatch.context() as patch:
        _fail_midway(patch, terminate_this_connection)
        page = client.post(url("respond_check", consultation), {"token": token})
    assert terminated == [True]
    _assert_the_unavailable_page(page)
    _assert_nothing_stored()

    again = client.post(url("respond_check", consultation), {"token": token})
    assert again.status_code == 302
    assert Response.objects.filter(idempotency_token=token).count() == 1


@pytest.mark.django_db
def test_a_database_lost_while_the_session_is_saved_gives_the_503_page(monkeypatch):
    """The view has run; SessionMiddleware saves the answers in the session on
    the way out and the database is gone: the same clear page, not a 500."""
    from django.contrib.sessions.backends.db import SessionStore

    consultation = open_consultation()
    client = Client(raise_request_exception=False)
    client.get(url("detail", consultation))

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", lost)
    page = client.post(url("respond", consultation), {"audience": "public", "consent": "on"})
    assert page.status_code == 503, page.status_code
    assert page["Retry-After"]
    html = page.content.decode()
    assert "<title>Sorry, the service is unavailable</title>" in html
    assert "Traceback" not in html and "OperationalError" not in html
