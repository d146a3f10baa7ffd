"""Writes for documents: requesting and rendering the strategy PDF of a
version, writing partnership reports, requesting and rendering a report's
PDF, and the quarterly performance report of a strategy."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify

from documents import performance_report, rendering
from documents.models import (
    PartnershipReport,
    PerformanceReportDocument,
    RenderedDocument,
    ReportDocument,
)
from strategy.models import Strategy, StrategyVersion
from strategy.quarters import Quarter

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


def strategy_pdf_label(version: StrategyVersion) -> str:
    """"412 KB, 13 pages" once the version's PDF is ready, else "": GOV.UK
    links to a file say its type and, when known, its size and length.
    One query, from the view of the public strategy page."""
    document = (
        RenderedDocument.objects.filter(
            version=version, kind=RenderedDocument.Kind.STRATEGY,
            status=RenderedDocument.Status.READY,
        )
        .only("size", "pages")
        .first()
    )
    parts = []
    if document is not None and document.size:
        parts.append(filesizeformat(document.size).replace("\xa0", " "))
    if document is not None and document.pages:
        parts.append(f"{document.pages} page{'s' if document.pages != 1 else ''}")
    return ", ".join(parts)


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


# Partnership report PDFs -------------------------------------------------------
#
# A report's PDF is made by the worker, never in a web request: WeasyPrint
# takes seconds on a long report, and a few people asking at once would tie
# up every web worker. The PDF is kept under the hash of the HTML it is
# made from, so it is made once for each content however many ask, and an
# edit (or a changed milestone) gives a new hash and a new file.

# A render claimed this many times without finishing (each claim lost with
# its worker, say killed at the hard time limit) is given up and shown to the
# officer as failed, instead of being prepared for ever.
REPORT_MAX_ATTEMPTS = 2


def report_content_hash(report: PartnershipReport, *, html: str | None = None) -> str:
    if html is None:
        html = rendering.report_html(report)
    return hashlib.sha256(html.encode()).hexdigest()


def report_document_path(document: ReportDocument) -> str:
    return f"documents/report/{document.report_id}/{document.content_hash}.pdf"


def report_document_filename(report: PartnershipReport) -> str:
    return f"{slugify(report.partnership.name)}-report-{slugify(report.title)[:60]}.pdf"


@transaction.atomic
def report_document_request(*, report: PartnershipReport, by=None) -> ReportDocument:
    """The PDF of the report as it is now, asked for.

    The first request for this content creates the row (the unique
    (report, content_hash) decides between simultaneous requests) and
    enqueues one render after commit; later requests get the same row. A
    render lost with its worker is queued again, up to REPORT_MAX_ATTEMPTS
    claims in all. A failed render stays failed until an officer retries it
    (report_document_retry): a refresh of the page never starts it again.
    """
    document, created = ReportDocument.objects.get_or_create(
        report=report,
        content_hash=report_content_hash(report),
        defaults={"requested_by": _signed_in(by)},
    )
    if created:
        _enqueue_report(document)
        return document
    if document.is_in_progress and _stale(document):
        document = ReportDocument.objects.select_for_update().get(pk=document.pk)
        if document.is_in_progress and _stale(document):
            if document.attempts >= REPORT_MAX_ATTEMPTS:
                document.status = ReportDocument.Status.FAILED
                document.error = (
                    f"It was started {document.attempts} times and never finished."
                )
                document.finished_at = timezone.now()
                document.save(update_fields=["status", "error", "finished_at"])
            else:
                document.status = ReportDocument.Status.PENDING
                document.requested_at = timezone.now()
                document.save(update_fields=["status", "requested_at"])
                _enqueue_report(document)
    return document


@transaction.atomic
def report_document_retry(*, report: PartnershipReport, by=None) -> ReportDocument:
    """An officer asks again for a PDF whose render failed: it goes back
    to the queue with its attempts counted afresh."""
    document = report_document_request(report=report, by=by)
    return _requeue_if_failed(document, by=by, enqueue=_enqueue_report)


def _requeue_if_failed(document, *, by, enqueue):
    """Put a report PDF whose render failed back in the queue, its attempts
    counted afresh (inside the caller's transaction; the row is locked so
    two clicks queue it once)."""
    document = type(document).objects.select_for_update().get(pk=document.pk)
    if document.status == document.Status.FAILED:
        document.status = document.Status.PENDING
        document.attempts = 0
        document.error = ""
        document.requested_at = timezone.now()
        document.requested_by = _signed_in(by)
        document.save(
            update_fields=["status", "attempts", "error", "requested_at", "requested_by"]
        )
        enqueue(document)
    return document


def _requeue_if_lost(document, *, enqueue) -> None:
    """A ready report PDF whose file is gone from storage is made again."""
    logger.warning("Stored file %s of %s is missing", document.file.name, document)
    model = type(document)
    with transaction.atomic():
        updated = model.objects.filter(pk=document.pk, status=model.Status.READY).update(
            status=model.Status.PENDING, requested_at=timezone.now(), attempts=0
        )
        if updated:
            enqueue(document)


def report_document_lost(*, document: ReportDocument) -> None:
    """A ready PDF whose file is gone from storage is made again."""
    _requeue_if_lost(document, enqueue=_enqueue_report)


def report_document_render(*, document_id: int) -> ReportDocument | None:
    """Render and store one requested report PDF, once.

    The conditional update claims the row, so a duplicated or retried task
    finds nothing to do; the file name is the report and the content hash,
    so even a render taken over from a lost worker writes the same file.
    Returns the document, or None when there was nothing to do.
    """
    claimed = ReportDocument.objects.filter(
        Q(status=ReportDocument.Status.PENDING)
        | Q(status=ReportDocument.Status.RENDERING, started_at__lt=timezone.now() - STALE_AFTER),
        pk=document_id,
    ).update(
        status=ReportDocument.Status.RENDERING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    document = ReportDocument.objects.select_related(
        "report", "report__partnership", "report__strategy"
    ).get(pk=document_id)
    started = time.monotonic()
    try:
        html = rendering.report_html(document.report)
        if report_content_hash(document.report, html=html) != document.content_hash:
            # Edited between the request and this render: the text asked for
            # is gone, and whoever opens the report now asks for the new one.
            ReportDocument.objects.filter(pk=document_id).delete()
            return None
        pdf = rendering.html_to_pdf(html)
        name = report_document_path(document)
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(pdf.content))
    except Exception as exc:  # record any failure on the row for the officer
        logger.exception("Rendering %s failed", document)
        ReportDocument.objects.filter(pk=document_id).update(
            status=ReportDocument.Status.FAILED,
            error=_failure(exc),
            finished_at=timezone.now(),
        )
        return None
    ReportDocument.objects.filter(pk=document_id).update(
        status=ReportDocument.Status.READY,
        file=stored,
        size=len(pdf.content),
        pages=pdf.pages,
        render_seconds=round(time.monotonic() - started, 3),
        error="",
        finished_at=timezone.now(),
    )
    _forget_older_report_pdfs(document)
    document.refresh_from_db()
    return document


def _forget_older_report_pdfs(document: ReportDocument) -> None:
    """The content just rendered is the report's current content, so the
    finished PDFs of its earlier content are never served again: delete
    them and their files, keeping storage at about one file per report."""
    older = (
        ReportDocument.objects.filter(report_id=document.report_id)
        .exclude(pk=document.pk)
        .filter(status__in=[ReportDocument.Status.READY, ReportDocument.Status.FAILED])
    )
    names = [name for name in older.values_list("file", flat=True) if name]
    older.delete()
    for name in names:
        default_storage.delete(name)


def _failure(exc: Exception) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return "It took longer than the time allowed for a PDF."
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def _stale(document: ReportDocument) -> bool:
    """Waiting in the queue, or claimed, for longer than any render takes."""
    since = document.requested_at
    if document.status == ReportDocument.Status.RENDERING and document.started_at:
        since = document.started_at
    return since < timezone.now() - STALE_AFTER


def _signed_in(user):
    return user if user is not None and user.is_authenticated else None


def _enqueue_report(document: ReportDocument) -> None:
    from documents.tasks import render_report_document

    transaction.on_commit(lambda: render_report_document.delay(document.pk))


# Quarterly performance reports -------------------------------------------------
#
# Made by the worker as a report's PDF is, and kept under the hash of the
# report's data (documents.performance_report): asked for again on the same
# figures, the file already made is served; a new figure makes a new one.


def performance_report_path(document: PerformanceReportDocument) -> str:
    return (
        f"documents/performance/{document.strategy_id}/"
        f"{document.quarter_end:%Y-%m-%d}-{document.content_hash}.pdf"
    )


def performance_report_filename(strategy: Strategy, quarter: Quarter) -> str:
    return f"{strategy.slug}-performance-{quarter.slug}.pdf"


@transaction.atomic
def performance_report_request(
    *, strategy: Strategy, quarter: Quarter, by=None
) -> PerformanceReportDocument:
    """The performance report of the quarter on the figures as they are now,
    asked for. As report_document_request: one row and one render for each
    content however many ask; a render lost with its worker (or never
    queued, the broker being down) is queued again when asked for after
    STALE_AFTER, up to REPORT_MAX_ATTEMPTS claims; a failure waits for an
    officer's retry."""
    document, created = PerformanceReportDocument.objects.get_or_create(
        strategy=strategy,
        quarter_end=quarter.end,
        content_hash=performance_report.content_hash(
            performance_report.report_data(strategy, quarter)
        ),
        defaults={"requested_by": _signed_in(by)},
    )
    if created:
        _enqueue_performance_report(document)
        return document
    if document.is_in_progress and _stale(document):
        document = PerformanceReportDocument.objects.select_for_update().get(pk=document.pk)
        if document.is_in_progress and _stale(document):
            if document.attempts >= REPORT_MAX_ATTEMPTS:
                document.status = PerformanceReportDocument.Status.FAILED
                document.error = f"It was started {document.attempts} times and never finished."
                document.finished_at = timezone.now()
                document.save(update_fields=["status", "error", "finished_at"])
            else:
                document.status = PerformanceReportDocument.Status.PENDING
                document.requested_at = timezone.now()
                document.save(update_fields=["status", "requested_at"])
                _enqueue_performance_report(document)
    return document


@transaction.atomic
def performance_report_retry(
    *, strategy: Strategy, quarter: Quarter, by=None
) -> PerformanceReportDocument:
    """An officer asks again for a report whose render failed."""
    document = performance_report_request(strategy=strategy, quarter=quarter, by=by)
    return _requeue_if_failed(document, by=by, enqueue=_enqueue_performance_report)


def performance_report_lost(*, document: PerformanceReportDocument) -> None:
    """A ready report whose file is gone from storage is made again."""
    _requeue_if_lost(document, enqueue=_enqueue_performance_report)


def performance_report_render(*, document_id: int) -> PerformanceReportDocument | None:
    """Render and store one requested performance report, once (claimed by
    a conditional update). Figures changed since the request make a report
    nobody asked for: the row goes, and the next request asks for the new
    figures. Returns the document, or None when there was nothing to do."""
    model = PerformanceReportDocument
    claimed = model.objects.filter(
        Q(status=model.Status.PENDING)
        | Q(status=model.Status.RENDERING, started_at__lt=timezone.now() - STALE_AFTER),
        pk=document_id,
    ).update(
        status=model.Status.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    document = model.objects.select_related("strategy", "strategy__partnership").get(
        pk=document_id
    )
    started = time.monotonic()
    try:
        quarter = Quarter.containing(document.quarter_end)
        data = performance_report.report_data(document.strategy, quarter)
        if performance_report.content_hash(data) != document.content_hash:
            model.objects.filter(pk=document_id).delete()
            return None
        pdf = rendering.html_to_pdf(
            performance_report.report_html(data, prepared_on=timezone.localdate())
        )
        name = performance_report_path(document)
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(pdf.content))
    except Exception as exc:  # record any failure on the row for the officer
        logger.exception("Rendering %s failed", document)
        model.objects.filter(pk=document_id).update(
            status=model.Status.FAILED, error=_failure(exc), finished_at=timezone.now()
        )
        return None
    model.objects.filter(pk=document_id).update(
        status=model.Status.READY,
        file=stored,
        size=len(pdf.content),
        pages=pdf.pages,
        render_seconds=round(time.monotonic() - started, 3),
        error="",
        finished_at=timezone.now(),
    )
    # The figures just rendered are the current ones: the quarter's reports
    # on earlier figures are never served again.
    older = (
        model.objects.filter(strategy_id=document.strategy_id, quarter_end=document.quarter_end)
        .exclude(pk=document.pk)
        .filter(status__in=[model.Status.READY, model.Status.FAILED])
    )
    names = [name for name in older.values_list("file", flat=True) if name]
    older.delete()
    for name in names:
        default_storage.delete(name)
    document.refresh_from_db()
    return document


def _enqueue_performance_report(document: PerformanceReportDocument) -> None:
    from documents.tasks import render_performance_report

    def send() -> None:
        try:
            render_performance_report.delay(document.pk)
        except Exception:  # the broker is down: the request is kept, and asked again later
            logger.warning(
                "Performance report %s recorded; it is queued when next asked for after %s "
                "(the broker is unavailable)", document.pk, STALE_AFTER, exc_info=True,
            )

    transaction.on_commit(send)
