"""A partnership's data out: an archive of everything of one partnership,
made by the worker for the partnership's administrators and deleted when it
expires.

The row is written before anything else happens (archive.services
archive_request), so a request survives a broker that is down: the worker
is asked after the commit, and a periodic sweep asks again for any request
no worker has taken.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from partnerships.models import Partnership


class PartnershipArchiveQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def waiting(self):
        return self.filter(status=PartnershipArchive.Status.REQUESTED)

    def expired_at(self, now):
        return self.filter(expires_at__lte=now).exclude(status=PartnershipArchive.Status.EXPIRED)


class PartnershipArchive(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired and deleted"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="archives"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Set when a worker claims it (a conditional update, so two workers never
    # make the same archive); a claim older than the task's hard limit was
    # lost with its worker and the sweep gives it to another.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Progress, for the page that follows it.
    steps_total = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    file = models.FileField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    sha256 = models.CharField(max_length=64, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # Set when it is ready: PARTNERSHIP_ARCHIVE_KEEP_DAYS later.
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    downloads = models.PositiveIntegerField(default=0)

    objects = PartnershipArchiveQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Archive of {self.partnership} ({self.get_status_display()})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.steps_total:
            return 0
        return min(99, round(100 * self.steps_done / self.steps_total))
