"""Writes for documents: requesting and rendering the strategy PDF of a
version, and writing partnership reports."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from documents import rendering
from documents.models import PartnershipReport, RenderedDocument
from strategy.models import StrategyVersion

logger = logging.getLogger(__name__)

# A render claimed longer ago than this was lost with its worker (the task's
# hard time limit is 180 s), so it may be claimed again.
STALE_AFTER = dt.timedelta(minutes=10)


def document_path(version: StrategyVersion, kind: str = RenderedDocument.Kind.STRATEGY) -> str:
    return f"documents/{kind}/{version.content_hash}-v{version.number}.pdf"


def document_filename(version: StrategyVersion) -> str:
    slug = version.content.get("strategy", {}).get("slug") or version.strategy.slug
    return f"{slug}-v{version.number}.pdf"


@transaction.atomic
def document_request(
    *,
    version: StrategyVersion,
    kind: str = RenderedDocument.Kind.STRATEGY,
    by=None,
    enqueue: bool = True,
) -> RenderedDocument:
    """Ask for the PDF of a version. Idempotent: the first request creates the
    row and enqueues one render after commit; later requests return the same
    row. A failed or stale render is queued again. With enqueue=False the
    caller renders it itself with document_render (the demo loader does)."""
    document, created = RenderedDocument.objects.get_or_create(
        version=version,
        kind=kind,
        defaults={"requested_by": by if by is not None and by.is_authenticated else None},
    )
    if created:
        if enqueue:
            _enqueue(document)
        return document
    document = RenderedDocument.objects.select_for_update().get(pk=document.pk)
    stale = document.is_in_progress and document.requested_at < timezone.now() - STALE_AFTER
    if document.status == RenderedDocument.Status.FAILED or stale:
        document.status = RenderedDocument.Status.PENDING
        document.requested_at = timezone.now()
        document.error = ""
        document.save(update_fields=["status", "requested_at", "error"])
        if enqueue:
            _enqueue(document)
    return document


def _enqueue(document: RenderedDocument) -> None:
    from documents.tasks import render_document

    transaction.on_commit(lambda: render_document.delay(document.pk))


def document_render(*, document_id: int) -> RenderedDocument | None:
    """Render and store a requested document, once.

    The conditional update claims the row, so a duplicated or retried task
    finds nothing to do. Returns the document, or None when another run has
    it or it is already done.
    """
    stale_before = timezone.now() - STALE_AFTER
    claimed = RenderedDocument.objects.filter(
        Q(status=RenderedDocument.Status.PENDING)
        | Q(status=RenderedDocument.Status.RENDERING, started_at__lt=stale_before),
        pk=document_id,
    ).update(status=RenderedDocument.Status.RENDERING, started_at=timezone.now())
    if not claimed:
        return None
    document = RenderedDocument.objects.select_related(
        "version", "version__strategy", "version__strategy__partnership"
    ).get(pk=document_id)
    started = time.monotonic()
    try:
        pdf = rendering.render_strategy_pdf(document.version)
        name = document_path(document.version, document.kind)
        if default_storage.exists(name):
            # A file under this exact name is a finished earlier render of the
            # same version (the row was lost); the file system storage would
            # otherwise add a random suffix.
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(pdf.content))
    except Exception as exc:  # record any failure on the row for the officer
        logger.exception("Rendering %s failed", document)
        RenderedDocument.objects.filter(pk=document_id).update(
            status=RenderedDocument.Status.FAILED,
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            attempts=document.attempts + 1,
        )
        return None
    seconds = time.monotonic() - started
    RenderedDocument.objects.filter(pk=document_id).update(
        status=RenderedDocument.Status.READY,
        file=stored,
        size=len(pdf.content),
        pages=pdf.pages,
        render_seconds=round(seconds, 3),
        error="",
        finished_at=timezone.now(),
        attempts=document.attempts + 1,
    )
    document.refresh_from_db()
    return document


def document_lost(*, document: RenderedDocument) -> None:
    """Record that a ready document's file is gone from storage (say a
    wiped volume), so the next request renders it again."""
    RenderedDocument.objects.filter(pk=document.pk, status=RenderedDocument.Status.READY).update(
        status=RenderedDocument.Status.FAILED,
        error="The stored file was missing; it will be prepared again.",
    )
    logger.warning("Stored file %s of %s is missing", document.file.name, document)


def published_version(strategy) -> StrategyVersion | None:
    """The version the public may download: the latest publication version of
    a published (or since superseded) strategy."""
    if strategy.status not in (strategy.Status.PUBLISHED, strategy.Status.SUPERSEDED):
        return None
    return (
        strategy.versions.filter(reason=StrategyVersion.Reason.PUBLICATION)
        .order_by("-number")
        .first()
    )


# Partnership reports -----------------------------------------------------------

REPORT_FIELDS = [
    "title", "report_date", "author_name", "author_role", "author_phone", "author_email",
    "purpose", "purpose_text", "section17_statement", "introduction", "recommendations",
    "scrutiny_comments", "background", "other_considerations", "include_milestones",
    "attachments",
]


@transaction.atomic
def report_create(
    *, strategy, by=None, priorities=(), responsibilities=(), **fields
) -> PartnershipReport:
    report = PartnershipReport(
        partnership_id=strategy.partnership_id,
        strategy=strategy,
        created_by=by if by is not None and by.is_authenticated else None,
        **{k: v for k, v in fields.items() if k in REPORT_FIELDS},
    )
    report.full_clean()
    report.save()
    report.priorities.set(priorities)
    report.responsibilities.set(responsibilities)
    return report


@transaction.atomic
def report_update(
    *, report: PartnershipReport, priorities=(), responsibilities=(), **fields
) -> PartnershipReport:
    for key, value in fields.items():
        if key in REPORT_FIELDS:
            setattr(report, key, value)
    report.full_clean()
    report.save()
    report.priorities.set(priorities)
    report.responsibilities.set(responsibilities)
    return report
