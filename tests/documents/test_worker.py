"""A real Celery worker renders the PDF once the publication commits."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from documents.models import RenderedDocument
from documents.services import document_request, published_version
from safermk.celery import app as celery_app
from strategy.models import Strategy
from strategy.services import strategy_transition
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
def test_a_worker_renders_the_published_version_once(partnership, broker_control_folder):
    strategy = published_strategy(partnership, priorities=1, measures=1, up_to="adopted")
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            strategy_transition(strategy=strategy, to_status=Strategy.Status.PUBLISHED)
            # Nothing is requested or sent before the publication commits.
            assert not RenderedDocument.objects.exists()
        version = published_version(strategy)
        document = RenderedDocument.objects.get(version=version)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if not document.is_in_progress:
                break
            time.sleep(0.2)
        # An officer asking again afterwards gets the same, finished file.
        assert document_request(version=version).pk == document.pk
        time.sleep(0.5)
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.READY, document.error
    assert document.attempts == 1
    assert document.file.open("rb").read(5) == b"%PDF-"
