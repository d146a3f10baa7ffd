"""Generated documents: the strategy PDF of a frozen version, and the
partnership report in the format the boards know.

A RenderedDocument belongs to exactly one StrategyVersion. It is rendered
once, stored under the version's content hash and never re-rendered: the
file is the record of what was published. A ReportDocument is the PDF of a
partnership report as it stood when someone asked for it, keyed by the hash
of its content. Both are rendered by the Celery worker, never in a web
request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from partnerships.models import Partnership
from strategy.models import Priority, StatutoryResponsibility, Strategy, StrategyVersion


class RenderedDocumentQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(status=RenderedDocument.Status.READY)

    def for_partnerships(self, ids):
        return self.filter(version__strategy__partnership_id__in=ids)


class StoredPDF(models.Model):
    """A PDF rendered in the background and kept in storage: the state of
    its one render, and the file once it is ready."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be prepared"
        RENDERING = "rendering", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(max_length=300, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="Bytes.")
    pages = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RENDERING)


class RenderedDocument(StoredPDF):
    class Kind(models.TextChoices):
        STRATEGY = "strategy", "Strategy document"

    version = models.ForeignKey(
        StrategyVersion, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STRATEGY)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="document_unique_version_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.version} ({self.get_status_display()})"

    @property
    def etag(self) -> str:
        # The content hash names the text; the number tells apart two versions
        # with the same text (a sign-off version and its publication), whose
        # PDFs differ in their cover and sign-off record.
        return f'"{self.version.content_hash}-v{self.version.number}"'


# Limits on what an officer may write in a report. The seeds' real reports
# use at most about 1,500 characters in a section (the 2021 background); a
# long section may hold 20,000 (about eight pages of A4), which keeps the
# largest possible report (about 87,000 characters) a render of a few
# seconds in the worker.
LONG_SECTION = 20_000
SECTION = 10_000
LIST = 5_000
SENTENCES = 1_000


def _at_most(limit: int) -> list[MaxLengthValidator]:
    return [MaxLengthValidator(limit)]


class PartnershipReport(models.Model):
    """A report to the Partnership or one of its boards, in the seeds' format.

    The officer writes the text parts; the checkbox table, the milestones and
    the author's details come from the data.
    """

    class Purpose(models.TextChoices):
        INFORMATION = "information", "For information"
        DECISION = "decision", "For decision"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="reports"
    )
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField("subject", max_length=300)
    report_date = models.DateField("date of the meeting", null=True, blank=True)
    author_name = models.CharField(max_length=200)
    author_role = models.CharField("author's job title", max_length=200, blank=True)
    author_phone = models.CharField("author's telephone", max_length=40, blank=True)
    author_email = models.EmailField("author's e-mail", blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    purpose_text = models.TextField(
        "purpose of the report", blank=True, validators=_at_most(SENTENCES)
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="reports")
    responsibilities = models.ManyToManyField(
        StatutoryResponsibility, blank=True, related_name="reports"
    )
    section17_statement = models.CharField(
        "what the section 17 item is about", max_length=300, blank=True
    )
    introduction = models.TextField(
        "brief introduction", blank=True, validators=_at_most(LONG_SECTION)
    )
    recommendations = models.TextField(validators=_at_most(SECTION))
    scrutiny_comments = models.TextField(
        "comments or recommendations from the Scrutiny Management Committee",
        blank=True,
        validators=_at_most(SECTION),
    )
    background = models.TextField(blank=True, validators=_at_most(LONG_SECTION))
    other_considerations = models.TextField(
        "other considerations and key partnership involvement",
        blank=True,
        validators=_at_most(LONG_SECTION),
    )
    include_milestones = models.BooleanField(
        "include the key milestones of the strategy's plan", default=True
    )
    attachments = models.TextField(
        "attachments and background papers", blank=True, validators=_at_most(LIST)
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:report_detail", args=[self.pk])


class ReportDocument(StoredPDF):
    """The PDF of a partnership report as it stood at one moment.

    A report changes while the officer edits it, so its PDF is keyed by the
    SHA-256 of the HTML it is made from (the text, the ticks, the milestones,
    the partnership's name and colour): an edit gives a new hash and a new
    file, and a PDF of older text is never served for the report as it is.
    """

    report = models.ForeignKey(
        PartnershipReport, on_delete=models.CASCADE, related_name="documents"
    )
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["report", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "content_hash"], name="report_document_unique_content"
            )
        ]

    def __str__(self) -> str:
        return f"PDF of {self.report} ({self.content_hash[:12]}, {self.get_status_display()})"

    @property
    def etag(self) -> str:
        return f'"{self.content_hash}"'


class PerformanceReportDocument(StoredPDF):
    """The quarterly performance report of a strategy, as a board paper.

    Keyed by the strategy, the quarter (by its last day) and the SHA-256 of
    the report's data (documents.performance_report.report_data): a new or
    corrected figure gives a new hash and a new PDF, and a report asked for
    again on unchanged data is the file already made.
    """

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="performance_reports"
    )
    quarter_end = models.DateField(help_text="The last day of the quarter reported on.")
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["strategy", "-quarter_end", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "quarter_end", "content_hash"],
                name="performance_report_unique_content",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Performance report of {self.strategy} to {self.quarter_end:%d %B %Y} "
            f"({self.content_hash[:12]}, {self.get_status_display()})"
        )

    @property
    def etag(self) -> str:
        return f'"{self.content_hash}"'
