"""Anyone can ask a partnership for a document in another format: the request
is stored first, the person gets a reference, and the partnership's officers
are e-mailed by the worker after the commit; they see the requests and mark
them done."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accessibility import services, tasks
from accessibility.models import FormatRequest
from partnerships.models import Membership
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

VALID = {
    "format": "large_print",
    "document": "Community Safety Strategy 2025 to 2028",
    "name": "Ada Resident",
    "email": "ada@example.org",
    "phone": "",
    "details": "Size 18 print, please.",
}


def _form_url(partnership):
    return reverse("accessibility:format_request", args=[partnership.slug])


def _list_url(partnership, **query):
    url = reverse("accessibility:format_requests", args=[partnership.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _request(partnership, **changes):
    return services.format_request_create(partnership=partnership, **(VALID | changes))


@pytest.fixture
def administrator(partnership):
    return factories.AdministratorFactory(partnership=partnership).user


# The public form -------------------------------------------------------------


def test_a_visitor_asks_for_large_print_and_is_given_a_reference(
    client, partnership, django_capture_on_commit_callbacks
):
    page = client.get(_form_url(partnership) + "?document=Our+strategy").content.decode()
    assert page.count("<h1") == 1 and "Ask for a document in another format" in page
    assert 'value="Our strategy"' in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(_form_url(partnership), VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "accessibility:format_request_sent", args=[partnership.slug]
    )
    stored = FormatRequest.objects.get()
    assert (stored.partnership, stored.format, stored.name) == (
        partnership, "large_print", "Ada Resident"
    )
    assert re.fullmatch(rf"{partnership.short_code}-AF-[2-9A-Z]{{4}}-[2-9A-Z]{{4}}",
                        stored.reference)
    sent = client.get(response["Location"]).content.decode()
    assert "Request sent" in sent and stored.reference in sent


def test_the_confirmation_shows_no_reference_to_another_browser(client, partnership):
    _request(partnership)
    html = client.get(
        reverse("accessibility:format_request_sent", args=[partnership.slug])
    ).content.decode()
    assert "No request sent from this browser" in html
    assert FormatRequest.objects.get().reference not in html


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"format": ""}, "Choose the format you need"),
        ({"document": ""}, "Enter the document or page you need"),
        ({"name": ""}, "Enter your name"),
        ({"email": "", "phone": ""}, "Enter an e-mail address or a phone number, so we can reply"),
        ({"email": "ada@"}, "Enter an e-mail address in the right format"),
        ({"email": "", "phone": "call me"}, "Enter a phone number, like 01632 960 001"),
        ({"format": "other", "details": " "}, "Say which format you need"),
        ({"format": "smoke signals"}, "Select a valid choice"),
        ({"details": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
)
def test_the_form_says_what_to_fix_next_to_the_field(client, partnership, changes, message):
    response = client.post(_form_url(partnership), VALID | changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Ask for a document in another format" in html
    assert "govuk-error-summary" in html
    # Once in the summary, once next to the field.
    assert html.count(message) == 2, message
    assert not FormatRequest.objects.exists()


def test_a_phone_number_alone_is_enough(client, partnership, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            _form_url(partnership), VALID | {"email": "", "phone": "+44 1632 960001"}
        )
    assert response.status_code == 302
    assert FormatRequest.objects.get().phone == "+44 1632 960001"


def test_too_many_requests_from_one_address_are_refused_with_a_readable_page(
    client, partnership, settings, django_capture_on_commit_callbacks
):
    settings.FORMAT_REQUEST_RATE = "2/h"
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):
            assert client.post(_form_url(partnership), VALID).status_code == 302
        refused = client.post(_form_url(partnership), VALID)
    assert refused.status_code == 429
    assert "too many requests from your connection" in refused.content.decode()
    assert FormatRequest.objects.count() == 2
    # Reading the form is not limited.
    assert client.get(_form_url(partnership)).status_code == 200


def test_an_unknown_partnership_has_no_form(client):
    url = reverse("accessibility:format_request", args=["no-such-partnership"])
    assert client.get(url).status_code == 404
    assert client.post(url, VALID).status_code == 404


def test_the_public_strategy_page_offers_its_document_in_another_format(client, partnership):
    from tests.documents.factories import published_strategy

    strategy = published_strategy(partnership, priorities=1, measures=1, measurements=1)
    html = client.get(reverse("strategy:public_detail", args=[strategy.slug])).content.decode()
    title = strategy.title.replace(" ", "%20")
    assert f'href="{_form_url(partnership)}?document={title}">Ask for it in another format</a>' \
        in html


# Telling the officers --------------------------------------------------------


def test_the_officers_are_emailed_by_the_worker_once_the_request_is_committed(
    client, partnership, other_partnership, django_capture_on_commit_callbacks
):
    partnership.contact_email = "team@town.example"
    partnership.save()
    officer = factories.MembershipFactory(partnership=partnership).user
    administrator = factories.AdministratorFactory(partnership=partnership).user
    # Not to them: a partner officer, a board member, an officer who left,
    # another partnership's officer.
    factories.MembershipFactory(partnership=partnership, role=Membership.Role.PARTNER)
    factories.BoardMembershipFactory(board=factories.BoardFactory(partnership=partnership))
    gone = factories.MembershipFactory(partnership=partnership).user
    gone.is_active = False
    gone.save()
    factories.MembershipFactory(partnership=other_partnership)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(_form_url(partnership), VALID)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()  # the commit: the task runs (eagerly, as in the worker)

    stored = FormatRequest.objects.get()
    assert stored.notified_at is not None
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(["team@town.example", officer.email, administrator.email])
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the others' addresses
    message = mail.outbox[0]
    assert message.subject == f"[{partnership.name}] Large print requested: {stored.reference}"
    assert "Community Safety Strategy 2025 to 2028" in message.body
    assert _list_url(partnership) in message.body
    # The person's details stay on the signed-in page, out of e-mail.
    assert "Ada Resident" not in message.body and "ada@example.org" not in message.body


def test_a_repeated_or_retried_task_sends_nothing_twice(partnership, officer):
    request = _request(partnership)
    assert tasks.notify_officers(request.pk) is True
    assert tasks.notify_officers(request.pk) is False
    assert services.format_requests_notify_pending(
        now=timezone.now() + dt.timedelta(hours=1)
    ) == 0
    assert len(mail.outbox) == 1


def test_a_request_is_kept_when_the_mail_server_fails_and_sent_by_the_sweep(
    client, partnership, officer, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_form_url(partnership), VALID)
    # The person still gets a reference; the request is stored, unsent.
    assert response.status_code == 302
    stored = FormatRequest.objects.get()
    assert stored.notified_at is None and stored.notify_claimed_at is None

    monkeypatch.undo()
    later = timezone.now() + dt.timedelta(minutes=10)
    assert services.format_requests_notify_pending(now=later) == 1
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_a_request_is_kept_when_the_broker_is_down_and_sent_by_the_sweep(
    client, partnership, officer, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OSError("broker unreachable")

    monkeypatch.setattr(tasks.notify_officers, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_form_url(partnership), VALID)
    assert response.status_code == 302
    assert FormatRequest.objects.unnotified().count() == 1
    assert mail.outbox == []
    # The sweep leaves a request made in the last minutes to its own task.
    assert services.format_requests_notify_pending() == 0
    assert tasks.notify_officers_of_waiting_requests.apply().get() == 0
    assert services.format_requests_notify_pending(
        now=timezone.now() + dt.timedelta(minutes=10)
    ) == 1
    assert len(mail.outbox) == 1


def test_the_sweep_is_scheduled():
    from safermk.schedules import PERIODIC

    assert "accessibility.tasks.notify_officers_of_waiting_requests" in {
        p.task for p in PERIODIC
    }


def test_a_partnership_with_no_address_keeps_the_request_on_its_page(partnership):
    partnership.contact_email = ""
    partnership.save()
    request = _request(partnership)
    assert services.format_request_notify(request_id=request.pk) is True
    assert mail.outbox == []
    request.refresh_from_db()
    assert request.notified_at is not None and not request.is_done


# The officers' page ----------------------------------------------------------


ROLES = ["officer", "administrator", "partner_officer", "board_member", "other_officer",
         "anonymous", "superuser"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_partnerships_officers_see_and_close_its_requests(request, role, partnership):
    row = _request(partnership)
    user = None
    if role == "superuser":
        user = factories.UserFactory(is_superuser=True, is_staff=True)
    elif role != "anonymous":
        user = request.getfixturevalue(role)
    client = client_for(user)
    page = client.get(_list_url(partnership))
    done = client.post(
        reverse("accessibility:format_request_done", args=[partnership.slug, row.pk])
    )
    row.refresh_from_db()
    if role in ("officer", "administrator", "superuser"):
        assert page.status_code == 200
        assert row.reference in page.content.decode() and "ada@example.org" in page.content.decode()
        assert done.status_code == 302 and row.done_by == user and row.is_done
    elif role == "anonymous":
        for response in (page, done):
            assert response.status_code == 302
            assert response["Location"].startswith("/sign-in/?next=")
        assert not row.is_done
    elif role == "other_officer":
        assert (page.status_code, done.status_code) == (404, 404)
        assert not row.is_done
    else:
        assert (page.status_code, done.status_code) == (403, 403)
        assert not row.is_done


def test_an_officer_cannot_close_another_partnerships_request_through_their_own(
    partnership, other_partnership, officer
):
    theirs = _request(other_partnership)
    response = client_for(officer).post(
        reverse("accessibility:format_request_done", args=[partnership.slug, theirs.pk])
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_done


def test_marking_done_is_a_post_and_keeps_the_first_person_and_date(partnership, officer):
    row = _request(partnership)
    url = reverse("accessibility:format_request_done", args=[partnership.slug, row.pk])
    client = client_for(officer)
    assert client.get(url).status_code == 405
    client.post(url)
    row.refresh_from_db()
    first = row.done_at
    colleague = factories.MembershipFactory(partnership=partnership).user
    client_for(colleague).post(url)
    row.refresh_from_db()
    assert (row.done_by, row.done_at) == (officer, first)


def test_waiting_requests_come_oldest_first_and_done_ones_have_their_own_list(
    partnership, officer
):
    older = _request(partnership, document="Older")
    newer = _request(partnership, document="Newer")
    finished = _request(partnership, document="Finished")
    FormatRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    services.format_request_mark_done(format_request=finished, by=officer)
    client = client_for(officer)
    waiting = client.get(_list_url(partnership)).content.decode()
    assert waiting.index(older.reference) < waiting.index(newer.reference)
    assert finished.reference not in waiting
    assert "Waiting (2)" in waiting and "Done (1)" in waiting
    done = client.get(_list_url(partnership, show="done")).content.decode()
    assert finished.reference in done and older.reference not in done
    assert f"by {officer.get_full_name()}" in done


def test_the_list_costs_the_same_queries_with_twice_the_requests(partnership, officer):
    client = client_for(officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_list_url(partnership)).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(20):
        _request(partnership)
    queries = count()
    for _ in range(20):
        _request(partnership)
    assert count() == queries


def test_the_list_is_paginated(partnership, officer):
    for _ in range(55):
        _request(partnership)
    client = client_for(officer)
    first = client.get(_list_url(partnership)).content.decode()
    assert first.count('class="govuk-summary-card__title"') == 50 and "Page 1 of 2" in first
    second = client.get(_list_url(partnership, page=2)).content.decode()
    assert second.count('class="govuk-summary-card__title"') == 5


def test_officers_see_waiting_requests_on_their_dashboard(partnership, officer, board_member):
    _request(partnership)
    html = client_for(officer).get(reverse("dashboard:home")).content.decode()
    assert f'href="{_list_url(partnership)}">1 waiting</a>' in html
    board_html = client_for(board_member).get(reverse("dashboard:home")).content.decode()
    assert "Requests for another format" not in board_html


def test_the_set_up_page_links_to_the_statement_and_the_requests(partnership, administrator):
    html = client_for(administrator).get(
        reverse("partnerships:manage", args=[partnership.slug])
    ).content.decode()
    assert reverse("accessibility:statement", args=[partnership.slug]) in html
    assert _list_url(partnership) in html
    assert "not reviewed since" in html


# Retention -------------------------------------------------------------------


@override_settings(FORMAT_REQUEST_RETENTION_DAYS=30)
def test_contact_details_are_deleted_after_the_retention_period_keeping_the_record(
    partnership, other_partnership, officer
):
    now = timezone.now()

    def made(days_ago, *, done_days_ago=None, who=partnership):
        request = services.format_request_create(
            partnership=who, format="large_print", document="The strategy",
            name="Ada Lovelace", email="ada@example.org", phone="01234 567890",
            details="Size 18 please",
        )
        FormatRequest.objects.filter(pk=request.pk).update(
            created_at=now - dt.timedelta(days=days_ago),
            done_at=None if done_days_ago is None else now - dt.timedelta(days=done_days_ago),
        )
        return request

    done_long_ago = made(60, done_days_ago=31)
    done_lately = made(60, done_days_ago=10)
    never_done_old = made(31, who=other_partnership)
    never_done_new = made(5)
    assert services.format_requests_apply_retention(now=now) == 2
    assert tasks.format_requests_apply_retention.apply().get() == 0  # nothing left to do
    for request in (done_long_ago, never_done_old):
        request.refresh_from_db()
        assert (request.name, request.email, request.phone, request.details) == ("", "", "", "")
        assert request.contact_deleted_at is not None
        assert request.reference and request.document == "The strategy"
    for request in (done_lately, never_done_new):
        request.refresh_from_db()
        assert request.email == "ada@example.org" and request.contact_deleted_at is None
    page = client_for(officer).get(
        reverse("accessibility:format_requests", args=[partnership.slug]) + "?show=done"
    ).content.decode()
    assert "after the retention period" in page and "30 days after a request is marked" in page


def test_the_retention_is_scheduled():
    from safermk.schedules import PERIODIC

    assert "accessibility.tasks.format_requests_apply_retention" in {p.task for p in PERIODIC}
