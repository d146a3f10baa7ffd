"""A version's PDF is requested idempotently and rendered once, after commit."""

from unittest.mock import patch

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from documents import rendering, services
from documents.models import RenderedDocument
from documents.services import document_path, document_render, document_request, published_version
from tests.documents.factories import published_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(partnership):
    return published_version(published_strategy(partnership, priorities=1, measures=1))


def _spy():
    return patch.object(
        services.rendering, "render_strategy_pdf", wraps=rendering.render_strategy_pdf
    )


def test_two_requests_for_the_same_version_render_once(version, django_capture_on_commit_callbacks):
    with _spy() as render:
        with django_capture_on_commit_callbacks(execute=True):
            first = document_request(version=version)
        with django_capture_on_commit_callbacks(execute=True):
            second = document_request(version=version)
    assert first.pk == second.pk
    assert render.call_count == 1
    assert RenderedDocument.objects.filter(version=version).count() == 1
    document = RenderedDocument.objects.get(pk=first.pk)
    assert document.status == RenderedDocument.Status.READY
    assert document.file.name == document_path(version)
    assert document.file.name == f"documents/strategy/{version.content_hash}-v{version.number}.pdf"
    assert default_storage.open(document.file.name).read(5) == b"%PDF-"
    assert document.size == default_storage.size(document.file.name)
    assert document.pages >= 8 and document.render_seconds > 0


def test_the_render_is_enqueued_only_when_the_transaction_commits(
    version, django_capture_on_commit_callbacks
):
    with _spy() as render:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            document = document_request(version=version)
        assert render.call_count == 0
        assert RenderedDocument.objects.get(pk=document.pk).status == "pending"
        assert len(callbacks) == 1
        callbacks[0]()
    assert render.call_count == 1
    assert RenderedDocument.objects.get(pk=document.pk).status == "ready"


def test_a_duplicated_or_retried_task_does_not_render_again(version):
    document = RenderedDocument.objects.create(version=version)
    with _spy() as render:
        assert document_render(document_id=document.pk) is not None
        assert document_render(document_id=document.pk) is None
    assert render.call_count == 1


def test_a_failed_render_is_recorded_and_a_new_request_tries_again(
    version, django_capture_on_commit_callbacks
):
    with patch.object(services.rendering, "render_strategy_pdf", side_effect=RuntimeError("boom")):
        with django_capture_on_commit_callbacks(execute=True):
            document = document_request(version=version)
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.FAILED
    assert "RuntimeError: boom" in document.error
    with django_capture_on_commit_callbacks(execute=True):
        document_request(version=version)
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.READY and document.error == ""
    assert document.attempts == 2


def test_the_database_allows_one_document_per_version_and_kind(version):
    RenderedDocument.objects.create(version=version)
    with pytest.raises(IntegrityError), transaction.atomic():
        RenderedDocument.objects.create(version=version)


def test_versions_with_the_same_text_get_their_own_file(
    partnership, django_capture_on_commit_callbacks
):
    strategy = published_strategy(partnership, priorities=1, measures=1)
    sign_off, publication = strategy.versions.order_by("number")
    assert sign_off.content_hash == publication.content_hash
    with django_capture_on_commit_callbacks(execute=True):
        a = document_request(version=sign_off)
        b = document_request(version=publication)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.file.name != b.file.name
    assert a.etag != b.etag
