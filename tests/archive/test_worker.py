"""A real Celery worker makes the archive once the request commits, and the
page follows it to the end."""

import json
import threading
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
    # The progress was written on a connection of its own while the archive
    # was read in one snapshot.
    assert archive.steps_done == archive.steps_total > 0
    page = client.get(response["Location"]).content.decode()
    assert "Download the archive (.zip)" in page
    download = client.get(reverse("archive:download", args=[partnership.slug, archive.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_archive_is_one_snapshot_while_the_site_keeps_writing(
    installation_plan_templates, monkeypatch
):
    from django.db import connection

    from archive import export, services
    from tests import factories

    if connection.vendor != "postgresql":
        pytest.skip("The snapshot is PostgreSQL's REPEATABLE READ.")
    partnership = built_partnership()
    archive = PartnershipArchive.objects.create(partnership=partnership)
    write = export.ArchiveWriter.write
    added = []

    def write_while_someone_adds_an_organisation(self, handle):
        # Another request (another connection) adds a row once the archive
        # has begun reading; the archive must not half-include it.
        def add():
            added.append(factories.OrganisationFactory(partnership=partnership,
                                                       name="Added meanwhile"))
            from django.db import connection as own

            own.close()

        thread = threading.Thread(target=add)
        thread.start()
        thread.join()
        return write(self, handle)

    monkeypatch.setattr(export.ArchiveWriter, "write", write_while_someone_adds_an_organisation)
    made = services.archive_make(archive_id=archive.pk)
    assert added and made.status == PartnershipArchive.Status.READY
    with made.file.open("rb") as handle:
        import zipfile

        names = [o["name"] for o in json.loads(zipfile.ZipFile(handle).read(
            "data/organisations.json"))]
    assert "Added meanwhile" not in names
    assert partnership.organisations.filter(name="Added meanwhile").exists()
