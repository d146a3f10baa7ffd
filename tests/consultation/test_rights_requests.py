"""A respondent asks, with their reference number, for a copy of their
response or its erasure: the request is saved whatever the reference and
the page says the same either way; the partnership's officers are told,
decide, and the person is told; every page refuses who may not see it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from consultation import rights, tasks
from consultation.models import Response, RightsRequest
from tests import factories
from tests.conftest import client_for
from tests.consultation.factories import open_consultation
from tests.consultation.rights_helpers import COMMENT, FREE_TEXT, submit_full, submit_other

pytestmark = pytest.mark.django_db

URL = "/consultations/your-response/"


@pytest.fixture
def response(partnership):
    return submit_full(open_consultation(partnership))


def _send(client, reference, kind="copy", email="resident@example.org", **extra):
    return client.post(URL, {"reference": reference, "kind": kind, "email": email, **extra})


def _main(html: str) -> str:
    return re.search(r"<main.*</main>", html, re.S).group(0)


# The public page -------------------------------------------------------------


def test_the_page_is_public_with_one_heading_and_is_linked_from_the_notices(client, partnership):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Your response: get a copy or ask for it to be deleted" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert URL in client.get(reverse("privacy")).content.decode()


def test_the_confirmation_page_links_to_it(client, partnership):
    consultation = open_consultation(partnership)
    session = client.session
    session[f"consultation-reference-{consultation.pk}"] = "T1-AAAA-BBBB"
    session.save()
    html = client.get(reverse("consultation:respond_confirmation", args=[consultation.slug])
                      ).content.decode()
    assert URL in html


def test_a_request_is_saved_and_the_partnerships_officers_are_told(
    client, response, partnership, officer, other_officer, django_capture_on_commit_callbacks
):
    administrator = factories.AdministratorFactory(partnership=partnership).user
    factories.MembershipFactory(partnership=partnership, role="partner")
    with django_capture_on_commit_callbacks(execute=True):
        reply = _send(client, response.reference.lower().replace("-", " "), kind="erasure",
                      message="I wrote about Zebrafinch Lane")
    assert reply.status_code == 302 and reply["Location"] == reverse(
        "consultation:your_response_sent")
    (request,) = RightsRequest.objects.all()
    assert (request.reference, request.response, request.partnership, request.kind) == (
        response.reference, response, partnership, "erasure")
    assert request.officers_notified_at is not None
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([officer.email, administrator.email])
    assert partnership.name in message.subject
    assert reverse("consultation:rights_request", args=[partnership.slug, request.pk]) in (
        message.body)
    assert "resident@example.org" not in message.body and "Zebrafinch" not in message.body


def test_the_page_says_the_same_whether_or_not_the_reference_exists(
    client, response, partnership, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _send(client, response.reference)
        unknown = _send(client, f"{partnership.short_code}-ZZZZ-ZZZZ")
        stranger = _send(client, "QQQQQ-ZZZZ-ZZZZ")
    assert known.status_code == unknown.status_code == stranger.status_code == 302
    assert known["Location"] == unknown["Location"] == stranger["Location"]
    pages = {_main(client.get(r["Location"]).content.decode()) for r in (known, unknown)}
    assert len(pages) == 1
    saved = {r.reference: r for r in RightsRequest.objects.all()}
    assert len(saved) == 3
    assert saved[f"{partnership.short_code}-ZZZZ-ZZZZ"].partnership == partnership
    assert saved[f"{partnership.short_code}-ZZZZ-ZZZZ"].response is None
    assert saved["QQQQQ-ZZZZ-ZZZZ"].partnership is None


def test_a_request_about_no_partnership_goes_to_the_superusers(
    client, superuser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, "QQQQQ-ZZZZ-ZZZZ")
    (message,) = mail.outbox
    assert message.to == [superuser.email]
    assert "/admin/consultation/rightsrequest/" in message.body


@pytest.mark.parametrize("data, field, message", [
    ({"reference": "", "kind": "copy", "email": "a@example.org"}, "reference",
     "Enter your reference number"),
    ({"reference": "not a ref!", "kind": "copy", "email": "a@example.org"}, "reference",
     "Enter the reference number as it was shown, like AB-7Q4K-92XD"),
    ({"reference": "T1-AAAA-BBBB", "kind": "", "email": "a@example.org"}, "kind",
     "Select what you would like us to do"),
    ({"reference": "T1-AAAA-BBBB", "kind": "everything", "email": "a@example.org"}, "kind",
     "Select what you would like us to do"),
    ({"reference": "T1-AAAA-BBBB", "kind": "copy", "email": ""}, "email",
     "Enter the e-mail address we should reply to"),
    ({"reference": "T1-AAAA-BBBB", "kind": "copy", "email": "nope"}, "email",
     "Enter an e-mail address like name@example.org"),
    ({"reference": "T1-AAAA-BBBB", "kind": "copy", "email": "a@example.org",
      "message": "x" * 2001}, "message", "Write 2,000 characters or fewer"),
])
def test_each_mistake_is_named_next_to_its_field(client, data, field, message):
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error: " in html
    assert f'id="id_{field}_error"' in html or f'id="{field}-error"' in html or message in html
    assert html.count(message) >= 2  # in the summary and next to the field
    assert not RightsRequest.objects.exists()


def test_a_filled_honeypot_is_refused(client, response):
    reply = _send(client, response.reference, website="http://spam.example")
    assert reply.status_code == 400 and not RightsRequest.objects.exists()


@override_settings(RIGHTS_REQUEST_RATE="2/h")
def test_requests_are_rate_limited_per_address(client, response):
    for _ in range(2):
        assert _send(client, response.reference).status_code == 302
    limited = _send(client, response.reference)
    assert limited.status_code == 429
    assert "too many requests" in limited.content.decode()
    assert RightsRequest.objects.count() == 2


def test_the_request_is_kept_when_the_broker_is_down(
    client, response, officer, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.rights_request_notify_officers, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(client, response.reference).status_code == 302
    (request,) = RightsRequest.objects.all()
    assert request.officers_notified_at is None and not mail.outbox
    # The hourly scan tells the officers once it is past the grace period.
    assert rights.rights_requests_notify_waiting() == 0
    later = timezone.now() + rights.NOTIFY_GRACE + dt.timedelta(minutes=1)
    assert rights.rights_requests_notify_waiting(now=later) == 1
    assert rights.rights_requests_notify_waiting(now=later) == 0
    assert len(mail.outbox) == 1


def test_officers_are_told_once_however_often_the_task_runs(response, officer):
    request = rights.rights_request_submit(reference=response.reference, kind="copy",
                                           email="resident@example.org")
    assert tasks.rights_request_notify_officers(request.pk) is True
    assert tasks.rights_request_notify_officers(request.pk) is False
    assert len(mail.outbox) == 1


# Officers' pages: access -------------------------------------------------------


@pytest.fixture
def waiting(response):
    return rights.rights_request_submit(reference=response.reference, kind="copy",
                                        email="resident@example.org")


def _pages(request):
    slug = request.partnership.slug
    return [
        reverse("consultation:rights_requests", args=[slug]),
        reverse("consultation:rights_request", args=[slug, request.pk]),
        reverse("consultation:rights_request_copy", args=[slug, request.pk]),
    ]


@pytest.mark.parametrize("who", ["officer", "administrator", "superuser"])
def test_officers_administrators_and_superusers_open_every_page(who, waiting, request):
    user = {"officer": lambda: request.getfixturevalue("officer"),
            "administrator": lambda: factories.AdministratorFactory(
                partnership=waiting.partnership).user,
            "superuser": lambda: factories.UserFactory(is_superuser=True)}[who]()
    client = client_for(user)
    for url in _pages(waiting):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["partner_officer", "board_member"])
def test_partner_officers_and_board_members_are_refused(who, waiting, request):
    client = client_for(request.getfixturevalue(who))
    for url in _pages(waiting):
        assert client.get(url).status_code == 403, url
    assert client.post(_pages(waiting)[1], {"decision": "copy_sent"}).status_code == 403
    assert RightsRequest.objects.get().status == RightsRequest.Status.RECEIVED


def test_another_partnerships_officer_finds_nothing(waiting, other_officer, other_partnership):
    client = client_for(other_officer)
    for url in _pages(waiting):
        assert client.get(url).status_code == 404, url
    # Nor through their own partnership's address.
    url = reverse("consultation:rights_request", args=[other_partnership.slug, waiting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "copy_sent"}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, waiting):
    for url in _pages(waiting):
        reply = client.get(url)
        assert reply.status_code == 302 and reply["Location"].startswith("/sign-in/")


def test_the_list_runs_a_fixed_number_of_queries_with_twice_the_rows(partnership, officer):
    consultation = open_consultation(partnership)
    submit_other(consultation, 12)
    references = list(Response.objects.values_list("reference", flat=True))
    client = client_for(officer)
    url = reverse("consultation:rights_requests", args=[partnership.slug])
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for reference in references[:6]:
        rights.rights_request_submit(reference=reference, kind="copy", email="a@example.org")
    few = queries()
    for reference in references[6:]:
        request = rights.rights_request_submit(reference=reference, kind="copy",
                                               email="a@example.org")
        rights.rights_request_decide(rights_request=request, decision="refused", by=officer,
                                     reason="Not theirs")
    assert queries() == few


def test_the_consultations_page_links_to_the_requests(partnership, officer, waiting):
    html = client_for(officer).get(reverse("consultation:manage_list")).content.decode()
    assert reverse("consultation:rights_requests", args=[partnership.slug]) in html
    assert "1 waiting" in html


# Deciding --------------------------------------------------------------------


def test_sending_the_copy_mails_the_person_what_the_officer_downloads(
    waiting, officer, response, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    pages = _pages(waiting)
    downloaded = client.get(pages[2])
    assert downloaded["Content-Disposition"] == (
        f'attachment; filename="response-{response.reference}.txt"')
    assert downloaded["Cache-Control"] == "no-store"
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(pages[1], {"decision": "copy_sent"})
    assert reply.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RightsRequest.Status.COPY_SENT and waiting.decided_by == officer
    (message,) = mail.outbox
    assert message.to == ["resident@example.org"]
    ((name, content, kind),) = message.attachments
    assert name == f"response-{response.reference}.txt" and kind.startswith("text/plain")
    assert content == downloaded.content.decode()
    assert FREE_TEXT in content and COMMENT in content
    assert AuditEvent.objects.filter(action=Action.DECISION, actor=officer).exists()
    assert AuditEvent.objects.filter(action=Action.SUBJECT_ACCESS).count() == 2
    assert tasks.rights_request_reply(waiting.pk) is False  # never twice


def test_refusing_needs_a_reason_which_the_person_is_sent(
    waiting, officer, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    url = _pages(waiting)[1]
    html = client.post(url, {"decision": "refused", "reason": ""}).content.decode()
    assert "Enter the reason for refusing; it is sent to the person" in html
    assert "<title>Error: " in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "refused", "reason": "We could not match the reference"})
    (message,) = mail.outbox
    assert "We could not match the reference" in message.body and not message.attachments


def test_an_erasure_request_is_decided_on_the_page(
    partnership, officer, response, django_capture_on_commit_callbacks
):
    request = rights.rights_request_submit(reference=response.reference, kind="erasure",
                                           email="resident@example.org")
    client = client_for(officer)
    html = client.get(_pages(request)[1]).content.decode()
    assert "Delete the response" in html and "Send the copy" not in html
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_pages(request)[1], {"decision": "erased"}).status_code == 302
    response.refresh_from_db()
    assert response.erased_at and response.erased_by == officer
    assert "deleted what you wrote" in mail.outbox[-1].body
    # The copy page now has nothing to give.
    assert client.get(_pages(request)[2]).status_code == 404


def test_with_no_matching_response_only_refusal_is_offered(partnership, officer):
    request = rights.rights_request_submit(reference=f"{partnership.short_code}-ZZZZ-ZZZZ",
                                           kind="erasure", email="resident@example.org")
    client = client_for(officer)
    url = _pages(request)[1]
    html = client.get(url).content.decode()
    assert "No response held has this reference" in html
    assert 'value="erased"' not in html
    reply = client.post(url, {"decision": "erased"})
    assert reply.status_code == 200 and "Select what you will do" in reply.content.decode()
    assert RightsRequest.objects.get().status == RightsRequest.Status.RECEIVED


def test_a_request_is_decided_once(waiting, officer):
    rights.rights_request_decide(rights_request=waiting, decision="copy_sent", by=officer)
    client = client_for(officer)
    reply = client.post(_pages(waiting)[1], {"decision": "refused", "reason": "Changed my mind"})
    assert reply.status_code == 302
    assert RightsRequest.objects.get().status == RightsRequest.Status.COPY_SENT
    with pytest.raises(Exception, match="already been decided"):
        rights.rights_request_decide(rights_request=waiting, decision="refused", by=officer,
                                     reason="Again")


@override_settings(RIGHTS_REQUEST_RETENTION_DAYS=30)
def test_the_persons_address_is_deleted_after_the_retention_period(waiting, officer):
    rights.rights_request_decide(rights_request=waiting, decision="copy_sent", by=officer)
    open_request = rights.rights_request_submit(reference="T9-ZZZZ-ZZZZ", kind="copy",
                                                email="other@example.org")
    assert rights.rights_requests_apply_retention() == 0
    later = timezone.now() + dt.timedelta(days=31)
    assert tasks.rights_requests_apply_retention.apply(kwargs={}).get() == 0
    assert rights.rights_requests_apply_retention(now=later) == 1
    waiting.refresh_from_db()
    open_request.refresh_from_db()
    assert waiting.email == "" and waiting.contact_deleted_at
    assert waiting.reference and waiting.status == RightsRequest.Status.COPY_SENT
    assert open_request.email == "other@example.org"


def test_the_request_tasks_are_scheduled_with_time_limits():
    from safermk.schedules import PERIODIC

    scheduled = {p.task for p in PERIODIC}
    for task in (tasks.rights_requests_notify_waiting, tasks.rights_requests_apply_retention):
        assert task.name in scheduled
        assert task.soft_time_limit < task.time_limit
    for task in (tasks.rights_request_notify_officers, tasks.rights_request_reply):
        assert task.soft_time_limit < task.time_limit


def test_a_request_page_runs_a_fixed_number_of_queries_with_twice_the_themes(
    partnership, officer, response
):
    from consultation import services
    from consultation.models import Answer

    request = rights.rights_request_submit(reference=response.reference, kind="erasure",
                                           email="resident@example.org")
    client = client_for(officer)
    url = _pages(request)[1]
    answer = Answer.objects.filter(response=response).exclude(text="").first()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    consultation = response.consultation
    themes = [services.theme_create(consultation=consultation, name=f"Theme {n}")
              for n in range(4)]
    services.answer_code(answer=answer, themes=themes[:2])
    client.get(url)
    few = queries()
    services.answer_code(answer=answer, themes=themes)
    html = client.get(url).content.decode()
    assert "Theme 3" in html and "themes page" in html
    assert queries() == few
