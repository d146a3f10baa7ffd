"""A real Celery worker makes the archive once the request commits, and the
page follows it to the end."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from archive.models import PartnershipArchive
from safermk.celery import app as celery_app
from tests.archive.builders import built_partnership
from tests.conftest import client_for


@pytest.fixture
def broker_control_folder(tmp_path):
    """The file-system broker keeps worker control messages in a folder,
    by default in the current directory: keep them in a temporary one."""
    previous = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = {**(previous or {}),
                                                "control_folder": str(tmp_path)}
    yield
    celery_app.conf.broker_transport_options = previous


@pytest.mark.django_db(transaction=True)
def test_a_worker_makes_the_archive_the_administrator_asked_for(
    broker_control_folder, installation_plan_templates
):
    partnership = built_partnership()
    admin = partnership.memberships.get(role="administrator").user
    client = client_for(admin)
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = client.post(reverse("archive:start", args=[partnership.slug]))
        archive = PartnershipArchive.objects.get()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            archive.refresh_from_db()
            if not archive.is_in_progress:
                break
            time.sleep(0.2)
    assert archive.status == PartnershipArchive.Status.READY, archive.error
    assert archive.attempts == 1 and archive.counts["responses"] == 5
    page = client.get(response["Location"]).content.decode()
    assert "Download the archive (.zip)" in page
    download = client.get(reverse("archive:download", args=[partnership.slug, archive.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
