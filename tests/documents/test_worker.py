"""A real Celery worker renders the PDF after the request commits."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from documents.models import RenderedDocument
from documents.services import document_request, published_version
from safermk.celery import app as celery_app
from tests.documents.factories import published_strategy


@pytest.fixture
def broker_control_folder(tmp_path):
    """The file-system broker keeps worker control messages in a folder,
    by default in the current directory: keep them in a temporary one."""
    previous = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = {
        **(previous or {}),
        "control_folder": str(tmp_path),
    }
    yield
    celery_app.conf.broker_transport_options = previous


@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_the_requested_version_once(partnership, broker_control_folder):
    version = published_version(published_strategy(partnership, priorities=1, measures=1))
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            document = document_request(version=version)
            document_request(version=version)
            # Nothing is sent before the commit.
            assert RenderedDocument.objects.get(pk=document.pk).status == "pending"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if not document.is_in_progress:
                break
            time.sleep(0.2)
    assert document.status == RenderedDocument.Status.READY, document.error
    assert document.attempts == 1
    assert document.file.open("rb").read(5) == b"%PDF-"
