"""Strategy documents and partnership reports: officer pages, downloads and
the public download of the published strategy."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from documents import processing, rendering, services
from documents.forms import PartnershipReportForm, PerformanceQuarterForm
from documents.models import (
    PartnershipReport,
    PerformanceReportDocument,
    RenderedDocument,
    ReportDocument,
)
from partnerships.access import get_partnership_for_user, require
from strategy.models import Strategy, StrategyVersion
from strategy.quarters import Quarter, reportable_quarters

# Browsers and caches may keep a version's file for ever: it never changes.
IMMUTABLE = "private, max-age=31536000, immutable"
# The public URL follows the latest publication, so caches revalidate often.
PUBLIC_CACHE = "public, max-age=300, must-revalidate"
# A report's PDF may change with every edit, so a browser revalidates it
# (the ETag is its content hash).
REVALIDATE = "private, no-cache"
RETRY_AFTER_SECONDS = 60
# Most reports take about a second, the longest allowed a few seconds.
REPORT_RETRY_AFTER_SECONDS = 5
# The query parameter of the being-prepared page's own requests.
WAITING = "waiting"


# Lookups ---------------------------------------------------------------------

def _get_strategy_for_user(request, slug: str, *, officer: bool = False) -> Strategy:
    strategy = get_object_or_404(Strategy.objects.select_related("partnership"), slug=slug)
    require(request.access, strategy.partnership_id, officer=officer)
    return strategy


def _get_version_for_user(
    request, slug: str, number: int, *, officer: bool = False
) -> StrategyVersion:
    strategy = _get_strategy_for_user(request, slug, officer=officer)
    version = get_object_or_404(StrategyVersion, strategy=strategy, number=number)
    version.strategy = strategy
    return version


def _get_report_for_user(request, pk: int, *, officer: bool = False) -> PartnershipReport:
    report = get_object_or_404(
        PartnershipReport.objects.select_related("partnership", "strategy"), pk=pk
    )
    require(request.access, report.partnership_id, officer=officer)
    return report


# Strategy documents ------------------------------------------------------------

@login_required
@require_GET
def strategy_documents(request, strategy):
    strategy = _get_strategy_for_user(request, strategy)
    versions = list(
        # The frozen content can be large and this page needs none of it.
        strategy.versions.defer("content")
        .prefetch_related(
            Prefetch("documents", queryset=RenderedDocument.objects.filter(
                kind=RenderedDocument.Kind.STRATEGY
            ), to_attr="strategy_documents")
        )
        .order_by("-number")
    )
    for version in versions:
        version.document = version.strategy_documents[0] if version.strategy_documents else None
    public = services.published_version(strategy)
    reports = list(strategy.reports.order_by("-created_at", "-pk"))
    return render(
        request,
        "documents/strategy_documents.html",
        {
            "strategy": strategy,
            "versions": versions,
            "public_version": public,
            "reports": reports,
            "is_officer": request.access.is_officer(strategy.partnership_id),
            "in_progress": any(v.document and v.document.is_in_progress for v in versions),
        },
    )


@login_required
@require_POST
def version_prepare(request, strategy, number):
    version = _get_version_for_user(request, strategy, number, officer=True)
    document = services.document_request(version=version, by=request.user)
    document.refresh_from_db()
    if document.is_ready:
        messages.success(request, f"The PDF of version {version.number} is ready.")
    else:
        messages.info(request, f"The PDF of version {version.number} is being prepared.")
    return redirect("documents:strategy_documents", strategy=version.strategy.slug)


@login_required
@require_GET
def version_pdf(request, strategy, number):
    version = _get_version_for_user(request, strategy, number)
    document = RenderedDocument.objects.filter(
        version=version, kind=RenderedDocument.Kind.STRATEGY
    ).first()
    if document is not None:
        document.version = version
    response = _serve(request, document, cache_control=IMMUTABLE) if document else None
    if response is None:
        messages.info(
            request,
            f"The PDF of version {version.number} is not ready yet. "
            "Prepare it here, or wait while it is being prepared.",
        )
        return redirect("documents:strategy_documents", strategy=version.strategy.slug)
    return response


@require_GET
def public_strategy_pdf(request, strategy):
    """The published version's PDF, for anyone.

    When it has not been rendered yet the request starts the render (once,
    however many people ask) and answers 503 with Retry-After: public pages
    never wait for a 40-page render, and a crowd arriving at publication
    cannot make the web workers render the same file many times.
    """
    strategy = get_object_or_404(Strategy.objects.select_related("partnership"), slug=strategy)
    version = services.published_version(strategy)
    if version is None:
        raise Http404("This strategy has no published version.")
    version.strategy = strategy
    document = RenderedDocument.objects.filter(
        version=version, kind=RenderedDocument.Kind.STRATEGY
    ).first()
    response = _serve(request, document, cache_control=PUBLIC_CACHE) if document else None
    if response is not None:
        return response
    document = services.document_request(version=version)
    document.refresh_from_db()
    document.version = version
    # With eager tasks (or a very fast worker) it may be ready already.
    response = _serve(request, document, cache_control=PUBLIC_CACHE)
    if response is not None:
        return response
    return _being_prepared(
        request,
        title="The strategy document is being prepared",
        text=f"The PDF of {strategy.title} (version {version.number}) is being made. "
        "It takes less than a minute.",
        retry_after=RETRY_AFTER_SECONDS,
    )


def _being_prepared(
    request, *, title: str, text: str, retry_after: int, again: str | None = None, back=None
):
    """503 with Retry-After: the PDF is being made by the worker. The page
    asks again by itself (at `again`, by default the same address), and has
    a link to ask now."""
    response = render(
        request,
        "documents/being_prepared.html",
        {
            "title": title,
            "text": text,
            "retry_after": retry_after,
            "again": again or request.get_full_path(),
            "back": back,
        },
        status=503,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def _serve(request, document, *, cache_control: str, filename: str | None = None, lost=None):
    """Stream the stored file: no rendering happens on a download. None when
    the document is not ready (or its file has gone)."""
    if not document.is_ready:
        return None
    etag = document.etag
    if etag in _if_none_match(request):
        response = HttpResponseNotModified()
    else:
        try:
            stored = default_storage.open(document.file.name, "rb")
        except FileNotFoundError:
            (lost or services.document_lost)(document=document)
            return None
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=filename or services.document_filename(document.version),
            content_type="application/pdf",
        )
        if document.size:
            response["Content-Length"] = str(document.size)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response


def _if_none_match(request) -> set[str]:
    header = request.headers.get("If-None-Match", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


# Partnership reports -----------------------------------------------------------

@login_required
@require_GET
def report_list(request, partnership):
    partnership = get_partnership_for_user(request, partnership)
    reports = list(
        partnership.reports.select_related("strategy").order_by("-created_at", "-pk")
    )
    strategies = list(partnership.strategies.order_by("-period_start"))
    return render(
        request,
        "documents/report_list.html",
        {
            "partnership": partnership,
            "reports": reports,
            "strategies": strategies,
            "is_officer": request.access.is_officer(partnership),
        },
    )


@login_required
def report_create(request, strategy):
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    if request.method == "POST":
        form = PartnershipReportForm(request.POST, strategy=strategy)
        if form.is_valid():
            data = dict(form.cleaned_data)
            report = services.report_create(
                strategy=strategy,
                by=request.user,
                priorities=data.pop("priorities"),
                responsibilities=data.pop("responsibilities"),
                **data,
            )
            messages.success(request, "The report has been saved. Check the preview below.")
            return redirect(report)
    else:
        form = PartnershipReportForm(strategy=strategy, initial=_author_initial(request, strategy))
    return render(
        request,
        "documents/report_form.html",
        {"form": form, "strategy": strategy, "partnership": strategy.partnership, "report": None},
    )


def _author_initial(request, strategy) -> dict:
    """A new report starts from the data: the author is the officer writing
    it, and the responsibilities are those of the strategy."""
    membership = request.access.memberships.get(strategy.partnership_id)
    user = request.user
    return {
        "author_name": user.get_full_name() or user.get_username(),
        "author_role": membership.job_title if membership else "",
        "author_phone": membership.phone if membership else "",
        "author_email": user.email,
        # A section 17 item is particular to a report (it needs a statement),
        # so only the strategy's standing responsibilities start ticked.
        "responsibilities": [r for r in strategy.responsibilities.all() if r.code != "s17"],
        "include_milestones": True,
    }


@login_required
def report_edit(request, report):
    report = _get_report_for_user(request, report, officer=True)
    if request.method == "POST":
        form = PartnershipReportForm(request.POST, instance=report, strategy=report.strategy)
        if form.is_valid():
            data = dict(form.cleaned_data)
            services.report_update(
                report=report,
                priorities=data.pop("priorities"),
                responsibilities=data.pop("responsibilities"),
                **data,
            )
            messages.success(request, "The report has been saved.")
            return redirect(report)
    else:
        form = PartnershipReportForm(instance=report, strategy=report.strategy)
    return render(
        request,
        "documents/report_form.html",
        {
            "form": form,
            "strategy": report.strategy,
            "partnership": report.partnership,
            "report": report,
        },
    )


@login_required
@require_GET
def report_detail(request, report):
    report = _get_report_for_user(request, report)
    context = rendering.report_context(report)
    context["is_officer"] = request.access.is_officer(report.partnership_id)
    return render(request, "documents/report_detail.html", context)


@login_required
@require_GET
def report_pdf(request, report):
    """The PDF of the report as it is now, for anyone who may read the report.

    It is made by the worker, never here: WeasyPrint takes seconds on a long
    report. The first request for the current content starts the render
    (once, however many ask) and answers 503 "being prepared" with
    Retry-After; once it is ready this serves the stored file.
    """
    report = _get_report_for_user(request, report)
    document = services.report_document_request(report=report, by=request.user)
    document.refresh_from_db()  # a fast worker (or eager tasks) may be done
    document.report = report
    url = reverse("documents:report_pdf", kwargs={"report": report.pk})
    if WAITING in request.GET and document.is_ready:
        # The being-prepared page asked again and the PDF is ready: a page
        # that says so and starts the download, so what stays on screen
        # after the download is true.
        response = render(
            request, "documents/report_pdf_ready.html",
            {"report": report, "document": document, "download_url": url},
        )
        response["Cache-Control"] = "no-store"
        return response
    response = _serve(
        request,
        document,
        cache_control=REVALIDATE,
        filename=services.report_document_filename(report),
        lost=services.report_document_lost,
    )
    if response is not None:
        return response
    if document.status == ReportDocument.Status.FAILED:
        response = render(
            request,
            "documents/report_pdf_failed.html",
            {
                "report": report,
                "document": document,
                "is_officer": request.access.is_officer(report.partnership_id),
            },
            status=503,
        )
        response["Cache-Control"] = "no-store"
        return response
    return _being_prepared(
        request,
        title="The report PDF is being prepared",
        text=f"The PDF of the report “{report.title}” is being made. "
        "It usually takes a few seconds.",
        retry_after=REPORT_RETRY_AFTER_SECONDS,
        again=f"{url}?{WAITING}=1",
        back=(report.get_absolute_url(), "Back to the report"),
    )


@login_required
@require_POST
def report_pdf_retry(request, report):
    """An officer asks again for a report PDF whose render failed."""
    report = _get_report_for_user(request, report, officer=True)
    services.report_document_retry(report=report, by=request.user)
    return redirect("documents:report_pdf", report=report.pk)


# Quarterly performance reports --------------------------------------------------
#
# For everyone who may read the strategy's performance summary (officers,
# partner officers, board members), as that page is.


def _get_quarter(strategy: Strategy, slug: str) -> Quarter:
    """A quarter of the strategy that has ended, or 404."""
    quarter = Quarter.from_slug(slug)
    if quarter is None or quarter not in reportable_quarters(
        strategy, today=timezone.localdate()
    ):
        raise Http404("The strategy has no complete quarter of that name.")
    return quarter


@login_required
@require_GET
def performance_report(request, strategy):
    """Choose the quarter; the report itself is at performance_report_pdf."""
    strategy = _get_strategy_for_user(request, strategy)
    quarters = reportable_quarters(strategy, today=timezone.localdate())
    if "quarter" in request.GET:
        form = PerformanceQuarterForm(request.GET, quarters=quarters)
        if form.is_valid():
            return redirect(
                "documents:performance_report_pdf",
                strategy=strategy.slug, quarter=form.cleaned_data["quarter"].slug,
            )
    else:
        form = PerformanceQuarterForm(
            quarters=quarters, initial={"quarter": quarters[0].slug if quarters else None}
        )
    prepared = list(
        PerformanceReportDocument.objects.filter(
            strategy=strategy, status=PerformanceReportDocument.Status.READY
        ).order_by("-quarter_end", "-finished_at")
    )
    seen = set()
    latest = []
    for document in prepared:  # the newest figures of each quarter only
        if document.quarter_end not in seen:
            seen.add(document.quarter_end)
            document.quarter = Quarter.containing(document.quarter_end)
            latest.append(document)
    return render(request, "documents/performance_report.html", {
        "strategy": strategy,
        "form": form,
        "quarters": quarters,
        "first_quarter": Quarter.containing(strategy.period_start),
        "prepared": latest,
    })


@login_required
@require_GET
def performance_report_pdf(request, strategy, quarter):
    """The quarter's report on the figures as they are now. Made by the
    worker, as a partnership report's PDF is (see report_pdf)."""
    strategy = _get_strategy_for_user(request, strategy)
    quarter = _get_quarter(strategy, quarter)
    document = services.performance_report_request(
        strategy=strategy, quarter=quarter, by=request.user
    )
    document.refresh_from_db()  # a fast worker (or eager tasks) may be done
    url = reverse(
        "documents:performance_report_pdf",
        kwargs={"strategy": strategy.slug, "quarter": quarter.slug},
    )
    back = (reverse("documents:performance_report", args=[strategy.slug]),
            "Back to the performance reports")
    context = {"strategy": strategy, "quarter": quarter, "document": document, "back": back}
    if WAITING in request.GET and document.is_ready:
        response = render(request, "documents/performance_report_ready.html",
                          {**context, "download_url": url})
        response["Cache-Control"] = "no-store"
        return response
    response = _serve(
        request,
        document,
        cache_control=REVALIDATE,
        filename=services.performance_report_filename(strategy, quarter),
        lost=services.performance_report_lost,
    )
    if response is not None:
        return response
    if document.status == PerformanceReportDocument.Status.FAILED:
        response = render(request, "documents/performance_report_failed.html", {
            **context, "is_officer": request.access.is_officer(strategy.partnership_id),
        }, status=503)
        response["Cache-Control"] = "no-store"
        return response
    return _being_prepared(
        request,
        title="The performance report is being prepared",
        text=f"The performance report of {strategy.title} for {quarter.label} is being made. "
        "It usually takes a few seconds.",
        retry_after=REPORT_RETRY_AFTER_SECONDS,
        again=f"{url}?{WAITING}=1",
        back=back,
    )


@login_required
@require_POST
def performance_report_pdf_retry(request, strategy, quarter):
    """An officer asks again for a performance report whose render failed."""
    strategy = _get_strategy_for_user(request, strategy, officer=True)
    quarter = _get_quarter(strategy, quarter)
    services.performance_report_retry(strategy=strategy, quarter=quarter, by=request.user)
    return redirect("documents:performance_report_pdf", strategy=strategy.slug,
                    quarter=quarter.slug)


# Records of processing -----------------------------------------------------------


@login_required
@require_GET
def records_of_processing(request, partnership):
    """What personal data the product holds for the partnership, why, for how
    long (from the settings in force) and who can see it; printable for the
    DPIA. For the partnership's administrators and superusers."""
    partnership = get_partnership_for_user(request, partnership, administrator=True)
    return render(request, "documents/records_of_processing.html", {
        "partnership": partnership,
        "site_url": settings.SITE_URL,
        **processing.records_of_processing(partnership),
    })
