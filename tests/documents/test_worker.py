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


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_renders_a_report_once_however_often_it_is_asked(
    partnership, officer, monkeypatch
):
    """The request enqueues after commit; the worker (a thread of this
    process, on the Redis in REDIS_URL) renders it once, even when the task
    is delivered twice."""
    import os

    import weasyprint
    from django.core.files.storage import default_storage

    from documents.models import ReportDocument
    from documents.services import report_create, report_document_request
    from documents.tasks import render_report_document
    from tests import factories

    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("REDIS_URL must be set in CI: the real-worker tests need Redis.")
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis server.")
    renders = []
    original = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        renders.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    report = report_create(
        strategy=factories.StrategyFactory(partnership=partnership), by=officer,
        title="Annual refresh", author_name="A", purpose="information",
        recommendations="Note it.",
    )
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with transaction.atomic():
            document = report_document_request(report=report, by=officer)
        render_report_document.delay(document.pk)  # a duplicate delivery
        assert renders == []  # nothing rendered by the request
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30,
            hostname=f"documents-test@{os.getpid()}",
        ):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                document.refresh_from_db()
                if document.status == ReportDocument.Status.READY:
                    break
                time.sleep(0.2)
            time.sleep(1)  # let the duplicate run, and find nothing to do
    finally:
        celery_app.control.purge()
    document.refresh_from_db()
    assert document.status == ReportDocument.Status.READY, document.error
    assert document.attempts == 1 and len(renders) == 1
    assert default_storage.open(document.file.name).read(5) == b"%PDF-"
    assert report_document_request(report=report).pk == document.pk


@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_a_quarterly_performance_report_once_asked(
    partnership, officer, broker_control_folder
):
    """The request is committed, then queued; the worker (a thread of this
    process, on the embedded broker) makes the PDF, and a second request on
    the same figures is the same row and file."""
    from documents.models import PerformanceReportDocument
    from documents.services import performance_report_request
    from strategy.quarters import Quarter
    from tests.documents.conftest import pdf_text, squash

    strategy = published_strategy(partnership, priorities=1, measures=2, measurements=3)
    quarter = Quarter(2023, 1)
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            document = performance_report_request(strategy=strategy, quarter=quarter, by=officer)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if not document.is_in_progress:
                break
            time.sleep(0.2)
        assert performance_report_request(strategy=strategy, quarter=quarter).pk == document.pk
        time.sleep(0.5)
    document.refresh_from_db()
    assert document.status == PerformanceReportDocument.Status.READY, document.error
    assert document.attempts == 1 and PerformanceReportDocument.objects.count() == 1
    text = squash(pdf_text(document.file.open("rb").read()))
    assert "Performance report: January to March 2023" in text
    assert "Figures as at 31 March 2023" in text
