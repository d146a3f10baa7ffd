"""A report's PDF is made by the worker, once for each content, and served
from storage: a web request never runs WeasyPrint."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

import pytest
import weasyprint
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import ReportDocument
from documents.services import (
    report_content_hash,
    report_create,
    report_document_render,
    report_document_request,
    report_update,
)
from tests import factories
from tests.conftest import client_for
from tests.documents.conftest import pdf_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(partnership):
    return factories.StrategyFactory(partnership=partnership)


@pytest.fixture
def report(strategy, officer):
    return report_create(
        strategy=strategy, by=officer, title="Annual refresh", author_name="A Officer",
        purpose="decision", recommendations="That the board agrees the refresh.",
        background="The strategy is refreshed every year.",
    )


@pytest.fixture
def weasyprint_calls(monkeypatch):
    """Counts every WeasyPrint render in this process, whoever asks."""
    calls = []
    original = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    return calls


def _url(report):
    return reverse("documents:report_pdf", kwargs={"report": report.pk})


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _render_all(callbacks) -> None:
    """What the worker does with the tasks enqueued after commit."""
    for callback in callbacks:
        callback()


def test_the_request_never_renders_and_the_worker_renders_once(
    report, officer, weasyprint_calls, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.get(_url(report))
    assert weasyprint_calls == []
    assert first.status_code == 503
    assert first["Retry-After"] == "5" and first["Cache-Control"] == "no-store"
    html = first.content.decode()
    assert "The report PDF is being prepared" in html
    # It asks again by itself (a script, not a refresh that would reload
    # under a screen reader), and links to ask now.
    again = f"{_url(report)}?waiting=1"
    assert f'data-wait-for="{again}" data-retry-after="5"' in html
    assert "wait-for-pdf.js" in html and 'http-equiv="refresh"' not in html
    assert f'href="{again}">check now</a>' in html
    document = ReportDocument.objects.get(report=report)
    assert document.status == "pending" and not document.file
    assert not default_storage.exists(services.report_document_path(document))

    assert len(callbacks) == 1
    _render_all(callbacks)  # the task, as the worker runs it
    assert len(weasyprint_calls) == 1
    document.refresh_from_db()
    assert document.status == "ready" and document.attempts == 1
    assert document.file.name == f"documents/report/{report.pk}/{document.content_hash}.pdf"

    # The waiting page, asking again, now says it is ready and starts the
    # download, so the page left on screen is true.
    ready = client.get(again)
    assert ready.status_code == 200
    ready_html = ready.content.decode()
    assert "The report PDF is ready" in ready_html
    assert f'<meta http-equiv="refresh" content="0; url={_url(report)}">' in ready_html
    assert f'<a class="govuk-link" href="{_url(report)}">download the PDF</a>' in ready_html
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = client.get(_url(report))
        body = _body(second)
    assert callbacks == []
    assert len(weasyprint_calls) == 1  # served from storage
    assert second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert body == default_storage.open(document.file.name).read()
    assert body.startswith(b"%PDF-") and int(second["Content-Length"]) == len(body)
    assert second["ETag"] == f'"{document.content_hash}"'
    assert second["Cache-Control"] == "private, no-cache"
    assert "Annual refresh" in squash(pdf_text(body))


def test_many_requests_before_the_render_make_one_row_and_one_task(
    report, officer, partner_officer, board_member, weasyprint_calls,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for user in (officer, partner_officer, board_member, officer):
            assert client_for(user).get(_url(report)).status_code == 503
    assert ReportDocument.objects.filter(report=report).count() == 1
    assert len(callbacks) == 1
    _render_all(callbacks)
    _render_all(callbacks)  # the same task delivered twice
    assert len(weasyprint_calls) == 1


def test_a_duplicated_or_retried_task_renders_once_to_one_file(report, weasyprint_calls):
    document = ReportDocument.objects.create(
        report=report, content_hash=report_content_hash(report)
    )
    assert report_document_render(document_id=document.pk) is not None
    assert report_document_render(document_id=document.pk) is None
    assert len(weasyprint_calls) == 1
    assert default_storage.listdir(f"documents/report/{report.pk}")[1] == [
        f"{document.content_hash}.pdf"
    ]


def test_a_render_lost_with_its_worker_is_taken_over_and_writes_the_same_file(
    report, weasyprint_calls
):
    document = ReportDocument.objects.create(
        report=report, content_hash=report_content_hash(report)
    )
    report_document_render(document_id=document.pk)
    first_name = ReportDocument.objects.get(pk=document.pk).file.name
    # As if the worker had died after claiming it, long ago.
    ReportDocument.objects.filter(pk=document.pk).update(
        status="rendering", started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert report_document_render(document_id=document.pk) is not None
    document.refresh_from_db()
    assert document.file.name == first_name and document.attempts == 2
    assert default_storage.listdir(f"documents/report/{report.pk}")[1] == [
        f"{document.content_hash}.pdf"
    ]


def test_an_edit_makes_a_new_pdf_and_the_old_one_is_never_served(
    report, officer, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url(report))
    old = ReportDocument.objects.get(report=report)
    assert old.is_ready

    report_update(report=report, background="The strategy was rewritten in full this year.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(_url(report))
    assert response.status_code == 503  # not the old file
    _render_all(callbacks)
    new = ReportDocument.objects.get(report=report, status="ready")
    assert new.content_hash != old.content_hash
    # The old content is gone with its file: storage keeps one PDF a report.
    assert not ReportDocument.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.file.name)
    text = squash(pdf_text(_body(client.get(_url(report)))))
    assert "rewritten in full" in text and "refreshed every year" not in text


def test_a_changed_milestone_of_the_plan_changes_the_pdf(report):
    before = report_content_hash(report)
    factories.MilestoneFactory(
        partnership=report.partnership, strategy=report.strategy, title="Board sign-off"
    )
    assert report_content_hash(report) != before


def test_a_report_edited_before_its_render_is_not_rendered_with_the_new_text(
    report, officer, weasyprint_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(officer).get(_url(report))
    report_update(report=report, background="Changed while it waited in the queue.")
    _render_all(callbacks)
    assert weasyprint_calls == []
    assert not ReportDocument.objects.filter(report=report).exists()


def test_a_failure_is_shown_to_the_officer_with_a_retry_button(
    report, officer, partner_officer, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with patch.object(services.rendering, "html_to_pdf", side_effect=RuntimeError("no fonts")):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(_url(report))
    document = ReportDocument.objects.get(report=report)
    assert document.status == "failed" and "RuntimeError: no fonts" in document.error

    # Opening it again shows the failure and starts nothing: no endless spinner.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(_url(report))
    assert callbacks == []
    assert response.status_code == 503 and "Retry-After" not in response
    html = response.content.decode()
    assert "The report PDF could not be made" in html
    assert "RuntimeError: no fonts" in html
    retry = reverse("documents:report_pdf_retry", kwargs={"report": report.pk})
    assert f'action="{retry}"' in html and "Try again" in html

    partner_html = client_for(partner_officer).get(_url(report)).content.decode()
    assert "could not be made" in partner_html and "ask one of them" in partner_html
    assert retry not in partner_html and "no fonts" not in partner_html
    assert client_for(partner_officer).post(retry).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response.status_code == 302 and response["Location"] == _url(report)
    document.refresh_from_db()
    assert document.status == "ready" and document.error == "" and document.attempts == 1
    assert client.get(_url(report)).status_code == 200


def test_a_render_over_its_time_limit_says_so(report, officer, django_capture_on_commit_callbacks):
    with patch.object(services.rendering, "html_to_pdf", side_effect=SoftTimeLimitExceeded()):
        with django_capture_on_commit_callbacks(execute=True):
            client_for(officer).get(_url(report))
    document = ReportDocument.objects.get(report=report)
    assert document.error == "It took longer than the time allowed for a PDF."


def test_a_render_lost_again_and_again_is_given_up_and_shown(
    report, officer, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    document = ReportDocument.objects.create(
        report=report, content_hash=report_content_hash(report), status="rendering",
        started_at=long_ago, attempts=1,
    )
    ReportDocument.objects.filter(pk=document.pk).update(requested_at=long_ago)
    client = client_for(officer)
    # Lost once: queued again.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(_url(report)).status_code == 503
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == "pending"
    # Lost twice: given up, and the officer sees why.
    ReportDocument.objects.filter(pk=document.pk).update(
        status="rendering", started_at=long_ago, attempts=2
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        html = client.get(_url(report)).content.decode()
    assert callbacks == []
    assert "could not be made" in html and "started 2 times and never finished" in html


def test_a_file_gone_from_storage_is_made_again(
    report, officer, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url(report))
    document = ReportDocument.objects.get(report=report)
    default_storage.delete(document.file.name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(_url(report)).status_code == 503
    assert len(callbacks) == 1
    _render_all(callbacks)
    assert client.get(_url(report)).status_code == 200


def test_a_cached_copy_of_the_current_pdf_is_confirmed_with_304(
    report, officer, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url(report))
    etag = ReportDocument.objects.get(report=report).etag
    assert client.get(_url(report), HTTP_IF_NONE_MATCH=etag).status_code == 304
    report_update(report=report, background="New text.")
    assert client.get(_url(report), HTTP_IF_NONE_MATCH=etag).status_code == 503


@pytest.mark.parametrize(
    "role, status",
    [
        ("officer", 200),
        ("partner_officer", 200),
        ("board_member", 200),
        ("superuser", 200),
        ("other_officer", 404),
        ("anonymous", 302),
    ],
)
def test_who_may_download_the_report_pdf(
    request, role, status, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_document_request(report=report)
    user = None
    if role == "superuser":
        user = factories.UserFactory(is_superuser=True, is_staff=True)
    elif role != "anonymous":
        user = request.getfixturevalue(role)
    response = client_for(user).get(_url(report))
    assert response.status_code == status
    if status == 200:
        assert _body(response).startswith(b"%PDF-")
    if role == "anonymous":
        assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize(
    "role, status",
    [("officer", 302), ("partner_officer", 403), ("board_member", 403),
     ("other_officer", 404), ("anonymous", 302)],
)
def test_only_the_partnerships_officers_may_retry_a_failed_pdf(request, role, status, report):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    url = reverse("documents:report_pdf_retry", kwargs={"report": report.pk})
    response = client_for(user).post(url)
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith("/sign-in/?next=")


# Length limits -------------------------------------------------------------------

def _form_data(**overrides):
    data = {
        "title": "Annual refresh of the strategy",
        "author_name": "Alex Morgan",
        "purpose": "decision",
        "recommendations": "That the refresh be agreed.",
    }
    data.update(overrides)
    return data


def test_an_oversized_section_is_refused_with_its_limit_and_length(strategy, officer):
    url = reverse("documents:report_create", kwargs={"strategy": strategy.slug})
    response = client_for(officer).post(url, _form_data(background="x" * 20_001))
    assert response.status_code == 200
    html = response.content.decode()
    message = "Background must be 20,000 characters or fewer. It has 20,001 characters."
    # In the error summary and next to the field.
    assert html.count(message) == 2
    assert '<a href="#id_background">' + message in html
    assert not strategy.reports.exists()


@pytest.mark.parametrize(
    "field, limit",
    [("title", 300), ("purpose_text", 1_000), ("introduction", 20_000),
     ("recommendations", 10_000), ("scrutiny_comments", 10_000),
     ("other_considerations", 20_000), ("attachments", 5_000)],
)
def test_every_text_field_has_its_limit_in_the_form(strategy, officer, field, limit):
    url = reverse("documents:report_create", kwargs={"strategy": strategy.slug})
    client = client_for(officer)
    html = client.post(url, _form_data(**{field: "y" * (limit + 1)})).content.decode()
    assert f"must be {limit:,} characters or fewer. It has {limit + 1:,} characters." in html
    assert not strategy.reports.exists()
    client.post(url, _form_data(**{field: "y" * limit}))
    assert strategy.reports.count() == 1


def test_the_service_refuses_an_oversized_section_too(strategy):
    with pytest.raises(ValidationError) as error:
        report_create(
            strategy=strategy, title="T", author_name="A", purpose="information",
            recommendations="Note it.", introduction="z" * 20_001,
        )
    assert "introduction" in error.value.message_dict
    assert not strategy.reports.exists()


def test_long_sections_show_a_character_count_and_are_never_cut_by_the_browser(
    strategy, officer
):
    url = reverse("documents:report_create", kwargs={"strategy": strategy.slug})
    html = client_for(officer).get(url).content.decode()
    assert " maxlength=" not in html
    assert 'data-module="govuk-character-count" data-maxlength="20000"' in html
    assert 'aria-describedby="id_background-info"' in html



# Simultaneous requests, on PostgreSQL -------------------------------------------------

@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_make_one_row_and_one_render(
    partnership, officer, weasyprint_calls, monkeypatch
):
    """Eight requests reach the insert at the same moment, each in its own
    connection: the unique row lets one of them enqueue the render."""
    import os
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("DATABASE_URL must point at PostgreSQL in CI.")
        pytest.skip("Needs PostgreSQL (DATABASE_URL) for truly simultaneous transactions.")
    report = report_create(
        strategy=factories.StrategyFactory(partnership=partnership), by=officer,
        title="Annual refresh", author_name="A", purpose="information",
        recommendations="Note it.",
    )
    clients = 8
    barrier = threading.Barrier(clients, timeout=30)
    original = services.report_content_hash
    waiting = []
    lock = threading.Lock()

    def hash_then_wait(report, **kwargs):
        value = original(report, **kwargs)
        with lock:
            first_calls = len(waiting) < clients
            waiting.append(1)
        if first_calls:  # the requests, not the render that follows
            barrier.wait()
        return value

    monkeypatch.setattr(services, "report_content_hash", hash_then_wait)
    statuses = []

    def ask():
        try:
            statuses.append(client_for(officer).get(_url(report)).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == clients and set(statuses) <= {200, 503}
    assert ReportDocument.objects.filter(report=report).count() == 1
    assert ReportDocument.objects.get(report=report).status == "ready"
    assert len(weasyprint_calls) == 1
