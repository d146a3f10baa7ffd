"""Writes for partnership archives: asking for one, the worker making it,
the sweep that picks up requests no worker took, downloads and expiry.

Each step that matters to the data protection officer is in the
partnership's audit trail: who asked for an archive, and each download.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import tempfile
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from archive.export import archive_write
from archive.models import PartnershipArchive
from audit.models import Action
from audit.services import audit_record
from partnerships.models import Partnership

logger = logging.getLogger(__name__)

# A claim older than this was lost with its worker (the task's hard limit is
# 30 minutes), so the sweep gives the archive to another.
CLAIM_TIMEOUT = dt.timedelta(minutes=35)
# The sweep leaves a new request to the task enqueued when it was made.
SWEEP_AFTER = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3


def archive_path(archive: PartnershipArchive, now: dt.datetime) -> str:
    # A random part: the name alone never lets anyone guess another archive.
    return (f"partnership-archives/{archive.partnership.slug}-{now:%Y%m%d-%H%M%S}-"
            f"{secrets.token_hex(8)}.zip")


def archive_filename(archive: PartnershipArchive) -> str:
    made = timezone.localtime(archive.finished_at or archive.requested_at)
    return f"{archive.partnership.slug}-archive-{made:%Y-%m-%d}.zip"


@transaction.atomic
def archive_request(*, partnership: Partnership, by, request=None) -> PartnershipArchive:
    """Record the request and its audit record, then (after the commit) ask
    the worker. A request made while the broker is down is made by the sweep."""
    archive = PartnershipArchive.objects.create(partnership=partnership, requested_by=by)
    audit_record(
        action=Action.ARCHIVE,
        summary=f"Archive of all the partnership's data asked for (number {archive.pk})",
        partnership=partnership, actor=by, target=archive, request=request,
    )
    transaction.on_commit(lambda: _enqueue(archive.pk))
    return archive


def _enqueue(archive_id: int) -> None:
    from archive.tasks import make_archive

    try:
        make_archive.delay(archive_id)
    except Exception:  # the broker is down: the periodic sweep starts it later
        logger.warning(
            "Partnership archive %s recorded; it waits for the sweep (the broker is "
            "unavailable)", archive_id, exc_info=True,
        )


def _claim(archive_id: int, now: dt.datetime) -> bool:
    """Take the archive for this worker: a waiting one, or one whose worker
    was lost. A conditional update, so two workers never both make it."""
    return bool(
        PartnershipArchive.objects.filter(pk=archive_id, attempts__lt=MAX_ATTEMPTS).filter(
            Q(status=PartnershipArchive.Status.REQUESTED)
            | Q(status=PartnershipArchive.Status.RUNNING, started_at__lt=now - CLAIM_TIMEOUT)
        ).update(status=PartnershipArchive.Status.RUNNING, started_at=now,
                 attempts=F("attempts") + 1, steps_done=0, step="Starting")
    )


@contextmanager
def _one_snapshot():
    """On PostgreSQL, read the whole partnership in one REPEATABLE READ
    transaction, so every kind is as it was at the same moment and the links
    between them hold while the site keeps writing. Yields whether it did
    (not inside a transaction already, as in tests, nor on SQLite)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield False
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield True


class _Progress:
    """Writes the progress where the page can read it: on a connection of
    its own while the archive is read in a snapshot, whose writes nobody
    else would see until it ends."""

    def __init__(self, archive_id: int, *, own_connection: bool) -> None:
        self.archive_id = archive_id
        self.other = connections.create_connection("default") if own_connection else None

    def __call__(self, done: int, total: int, step: str) -> None:
        if self.other is None:
            PartnershipArchive.objects.filter(pk=self.archive_id).update(
                steps_done=done, steps_total=total, step=step[:200]
            )
            return
        table = PartnershipArchive._meta.db_table
        with self.other.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.other.ops.quote_name(table)} SET steps_done = %s, "
                "steps_total = %s, step = %s WHERE id = %s",
                [done, total, step[:200], self.archive_id],
            )

    def close(self) -> None:
        if self.other is not None:
            self.other.close()


def archive_make(*, archive_id: int, now: dt.datetime | None = None) -> PartnershipArchive | None:
    """Make the archive (the worker's part). Returns None when another worker
    has it or it is no longer waiting."""
    now = now or timezone.now()
    if not _claim(archive_id, now):
        return None
    archive = PartnershipArchive.objects.select_related("partnership").get(pk=archive_id)

    started = time.monotonic()
    try:
        with tempfile.TemporaryFile() as handle:
            with _one_snapshot() as snapshot:
                progress = _Progress(archive_id, own_connection=snapshot)
                try:
                    written = archive_write(partnership=archive.partnership, handle=handle,
                                            progress=progress)
                finally:
                    progress.close()
            size = handle.tell()
            handle.seek(0)
            digest = hashlib.sha256()
            while block := handle.read(1 << 20):
                digest.update(block)
            handle.seek(0)
            name = default_storage.save(archive_path(archive, now), File(handle))
    except Exception as exc:
        logger.exception("Partnership archive %s failed", archive_id)
        PartnershipArchive.objects.filter(pk=archive_id).update(
            status=PartnershipArchive.Status.FAILED, finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    finished = timezone.now()
    PartnershipArchive.objects.filter(pk=archive_id).update(
        status=PartnershipArchive.Status.READY, file=name, size=size,
        sha256=digest.hexdigest(), counts=written.counts, finished_at=finished,
        expires_at=finished + dt.timedelta(days=settings.PARTNERSHIP_ARCHIVE_KEEP_DAYS),
        step=f"Made in {time.monotonic() - started:.1f} seconds",
    )
    archive.refresh_from_db()
    return archive


def archives_sweep(*, now: dt.datetime | None = None) -> int:
    """Ask the worker again for archives no worker has taken (the broker was
    down when they were asked for) or whose worker was lost; mark failed
    those tried MAX_ATTEMPTS times. Returns how many were sent."""
    from archive.tasks import make_archive

    now = now or timezone.now()
    PartnershipArchive.objects.filter(
        status=PartnershipArchive.Status.RUNNING, started_at__lt=now - CLAIM_TIMEOUT,
        attempts__gte=MAX_ATTEMPTS,
    ).update(status=PartnershipArchive.Status.FAILED, finished_at=now,
             error="The worker stopped before the archive was made, three times.")
    waiting = list(
        PartnershipArchive.objects.filter(
            Q(status=PartnershipArchive.Status.REQUESTED, requested_at__lt=now - SWEEP_AFTER)
            | Q(status=PartnershipArchive.Status.RUNNING, started_at__lt=now - CLAIM_TIMEOUT)
        ).order_by("requested_at").values_list("pk", flat=True)[:50]
    )
    sent = 0
    for archive_id in waiting:
        try:
            make_archive.delay(archive_id)
            sent += 1
        except Exception:
            logger.warning("Partnership archive %s: the broker is still unavailable",
                           archive_id, exc_info=True)
            break
    return sent


@transaction.atomic
def archive_download_record(*, archive: PartnershipArchive, by, request=None) -> None:
    PartnershipArchive.objects.filter(pk=archive.pk).update(downloads=F("downloads") + 1)
    audit_record(
        action=Action.ARCHIVE_DOWNLOAD,
        summary=f"Archive of all the partnership's data downloaded (number {archive.pk}, "
                f"{archive.size or 0} bytes)",
        partnership=archive.partnership_id, actor=by, target=archive, request=request,
    )


def archives_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of archives past PARTNERSHIP_ARCHIVE_KEEP_DAYS (and of
    failed ones as old), keeping the row as the record that one was made."""
    now = now or timezone.now()
    keep = dt.timedelta(days=settings.PARTNERSHIP_ARCHIVE_KEEP_DAYS)
    due = PartnershipArchive.objects.filter(
        Q(status=PartnershipArchive.Status.READY, expires_at__lte=now)
        | Q(status=PartnershipArchive.Status.FAILED, requested_at__lte=now - keep)
    )
    done = 0
    for archive in due:
        if archive.file:
            default_storage.delete(archive.file.name)
        PartnershipArchive.objects.filter(pk=archive.pk).update(
            status=PartnershipArchive.Status.EXPIRED, file="", expires_at=archive.expires_at
            or now,
        )
        done += 1
    return done
