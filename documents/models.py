"""Generated documents: the strategy PDF of a frozen version, and the
partnership report in the format the boards know.

A RenderedDocument belongs to exactly one StrategyVersion. It is rendered
once, stored under the version's content hash and never re-rendered: the
file is the record of what was published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from partnerships.models import Partnership
from strategy.models import Priority, StatutoryResponsibility, Strategy, StrategyVersion


class RenderedDocumentQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(status=RenderedDocument.Status.READY)

    def for_partnerships(self, ids):
        return self.filter(version__strategy__partnership_id__in=ids)


class RenderedDocument(models.Model):
    class Kind(models.TextChoices):
        STRATEGY = "strategy", "Strategy document"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be prepared"
        RENDERING = "rendering", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    version = models.ForeignKey(
        StrategyVersion, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STRATEGY)
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

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="document_unique_version_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.version} ({self.get_status_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RENDERING)

    @property
    def etag(self) -> str:
        # The content hash names the text; the number tells apart two versions
        # with the same text (a sign-off version and its publication), whose
        # PDFs differ in their cover and sign-off record.
        return f'"{self.version.content_hash}-v{self.version.number}"'


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
    purpose_text = models.TextField("purpose of the report", blank=True)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="reports")
    responsibilities = models.ManyToManyField(
        StatutoryResponsibility, blank=True, related_name="reports"
    )
    section17_statement = models.CharField(
        "what the section 17 item is about", max_length=300, blank=True
    )
    introduction = models.TextField("brief introduction", blank=True)
    recommendations = models.TextField()
    scrutiny_comments = models.TextField(
        "comments or recommendations from the Scrutiny Management Committee", blank=True
    )
    background = models.TextField(blank=True)
    other_considerations = models.TextField(
        "other considerations and key partnership involvement", blank=True
    )
    include_milestones = models.BooleanField(
        "include the key milestones of the strategy's plan", default=True
    )
    attachments = models.TextField("attachments and background papers", blank=True)
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
