"""The data archive pages of a partnership: its administrators ask for an
archive, follow it and download it; everyone else is refused (404 outside
the partnership, 403 inside it); the request is kept when the broker is
down and the sweep makes it; downloads and requests are audited; archives
are deleted when they expire."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from archive import services, tasks
from archive.models import PartnershipArchive
from audit.models import Action, AuditEvent
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _urls(partnership, archive):
    slug = partnership.slug
    return {
        "list": ("get", reverse("archive:list", args=[slug])),
        "start": ("post", reverse("archive:start", args=[slug])),
        "detail": ("get", reverse("archive:detail", args=[slug, archive.pk])),
        "download": ("get", reverse("archive:download", args=[slug, archive.pk])),
    }


@pytest.fixture
def ready_archive(partnership, administrator):
    factories.BoardFactory(partnership=partnership, name="Scrutiny Committee")
    archive = PartnershipArchive.objects.create(partnership=partnership,
                                                requested_by=administrator)
    return services.archive_make(archive_id=archive.pk)


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_administrator_asks_follows_and_downloads_an_archive(
    partnership, administrator, django_capture_on_commit_callbacks
):
    factories.BoardFactory(partnership=partnership, name="Scrutiny Committee")
    client = client_for(administrator)
    page = client.get(reverse("archive:list", args=[partnership.slug]))
    assert page.status_code == 200
    assert "Make an archive of all the data" in page.content.decode()
    assert "No archive has been made." in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("archive:start", args=[partnership.slug]))
    archive = PartnershipArchive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:detail", args=[partnership.slug, archive.pk])
    # Tasks run in-process in tests: the worker's part ran after the commit.
    assert archive.status == PartnershipArchive.Status.READY
    assert archive.steps_done == archive.steps_total > 0
    detail = client.get(response["Location"]).content.decode()
    assert "Ready to download" in detail and archive.sha256 in detail
    assert archive.expires_at.date() == (timezone.now() + dt.timedelta(days=7)).date()

    download = client.get(reverse("archive:download", args=[partnership.slug, archive.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert f'filename="{partnership.slug}-archive-' in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    zf = _zip(download)
    names = set(zf.namelist())
    assert {"README.txt", "manifest.json", "data/boards.json", "csv/boards.csv",
            "data/strategy_versions.json"} <= names
    assert "csv/strategy_versions.csv" not in names  # content is structured, not a table
    boards = json.loads(zf.read("data/boards.json"))
    assert [b["name"] for b in boards] == ["Scrutiny Committee"]
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["partnership"]["slug"] == partnership.slug
    assert manifest["schema_version"] == 1
    readme = zf.read("README.txt").decode()
    assert "boards (rows: 1; data/boards.json, csv/boards.csv)" in readme
    assert "  - quorum (whole number): Quorum." in readme

    actions = list(AuditEvent.objects.for_partnership(partnership).exclude(
        action=Action.SIGN_IN).order_by("pk").values_list("action", "actor_id"))
    assert actions == [(Action.ARCHIVE, administrator.pk),
                       (Action.ARCHIVE_DOWNLOAD, administrator.pk)]
    archive.refresh_from_db()
    assert archive.downloads == 1


def test_the_archive_holds_only_its_own_partnerships_rows(
    partnership, other_partnership, ready_archive, administrator
):
    factories.BoardFactory(partnership=other_partnership, name="Their board")
    factories.OrganisationFactory(partnership=other_partnership, name="Their council")
    zf = _zip(client_for(administrator).get(
        reverse("archive:download", args=[partnership.slug, ready_archive.pk])))
    text = " ".join(zf.read(name).decode("utf-8", "replace") for name in zf.namelist())
    assert "Their board" not in text and "Their council" not in text
    assert other_partnership.name not in text


@pytest.mark.parametrize("who", ["officer", "partner_officer", "board_member"])
def test_its_officers_partner_officers_and_board_members_are_refused(
    who, partnership, ready_archive, request
):
    client = client_for(request.getfixturevalue(who))
    for name, (method, url) in _urls(partnership, ready_archive).items():
        assert getattr(client, method)(url).status_code == 403, name
    assert PartnershipArchive.objects.count() == 1


def test_another_partnerships_administrator_finds_nothing(
    partnership, other_partnership, ready_archive, other_administrator
):
    client = client_for(other_administrator)
    for name, (method, url) in _urls(partnership, ready_archive).items():
        assert getattr(client, method)(url).status_code == 404, name
    # Nor under their own partnership's address.
    own = reverse("archive:download", args=[other_partnership.slug, ready_archive.pk])
    assert client.get(own).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.ARCHIVE_DOWNLOAD).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, partnership, ready_archive):
    for method, url in _urls(partnership, ready_archive).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_the_request_is_kept_when_the_broker_is_down_and_the_sweep_makes_it(
    partnership, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OSError("broker unreachable")

    monkeypatch.setattr(tasks.make_archive, "delay", broker_down)
    client = client_for(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("archive:start", args=[partnership.slug]))
    assert response.status_code == 302
    archive = PartnershipArchive.objects.get()
    assert archive.status == PartnershipArchive.Status.REQUESTED
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the worker to start it" in page and "Check progress" in page
    assert AuditEvent.objects.filter(action=Action.ARCHIVE).count() == 1

    monkeypatch.undo()
    # The sweep leaves a request of the last minutes to its own task.
    assert tasks.archives_sweep.apply().get() == 0
    assert services.archives_sweep(now=timezone.now() + dt.timedelta(minutes=10)) == 1
    archive.refresh_from_db()
    assert archive.status == PartnershipArchive.Status.READY and archive.attempts == 1


def test_a_worker_lost_mid_archive_is_replaced_and_two_workers_never_share_one(
    partnership, administrator
):
    archive = PartnershipArchive.objects.create(partnership=partnership)
    lost_at = timezone.now() - services.CLAIM_TIMEOUT - dt.timedelta(minutes=1)
    assert services._claim(archive.pk, lost_at)
    # A second worker (a duplicated task) finds it taken.
    assert services.archive_make(archive_id=archive.pk, now=lost_at) is None
    assert services.archives_sweep() == 1
    archive.refresh_from_db()
    assert archive.status == PartnershipArchive.Status.READY and archive.attempts == 2


def test_an_expired_archive_is_deleted_and_no_longer_downloads(
    partnership, administrator, ready_archive
):
    name = ready_archive.file.name
    assert default_storage.exists(name)
    url = reverse("archive:download", args=[partnership.slug, ready_archive.pk])
    assert services.archives_expire() == 0
    assert services.archives_expire(now=ready_archive.expires_at + dt.timedelta(minutes=1)) == 1
    assert not default_storage.exists(name)
    ready_archive.refresh_from_db()
    assert ready_archive.status == PartnershipArchive.Status.EXPIRED and not ready_archive.file
    assert client_for(administrator).get(url).status_code == 404
    page = client_for(administrator).get(
        reverse("archive:detail", args=[partnership.slug, ready_archive.pk])
    ).content.decode()
    assert "Expired and deleted" in page


def test_the_sweep_and_the_expiry_are_scheduled():
    from safermk.schedules import PERIODIC

    tasks_scheduled = {p.task for p in PERIODIC}
    assert {"archive.tasks.archives_sweep", "archive.tasks.archives_expire"} <= tasks_scheduled


def test_the_list_page_makes_the_same_queries_however_many_archives(
    partnership, administrator, django_assert_max_num_queries
):
    client = client_for(administrator)
    url = reverse("archive:list", args=[partnership.slug])
    for _ in range(3):
        PartnershipArchive.objects.create(partnership=partnership, requested_by=administrator)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        PartnershipArchive.objects.create(
            partnership=partnership,
            requested_by=factories.AdministratorFactory(partnership=partnership).user,
        )
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_an_archive_asked_for_by_someone_since_removed_still_shows(
    partnership, administrator
):
    archive = PartnershipArchive.objects.create(partnership=partnership, requested_by=None)
    client = client_for(administrator)
    assert client.get(reverse("archive:list", args=[partnership.slug])).status_code == 200
    page = client.get(reverse("archive:detail", args=[partnership.slug, archive.pk]))
    assert page.status_code == 200 and "Waiting to start" in page.content.decode()
