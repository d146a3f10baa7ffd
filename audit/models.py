"""The audit trail: who did what, when and from where.

One row per happening and partnership. Rows are written through
audit.services.audit_record and never changed: the product has no page that
edits or deletes them, the admin shows them read-only, and the model and its
queryset refuse updates and deletes. Only audit_purge removes rows, once they
are older than AUDIT_RETENTION_DAYS.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from partnerships.models import Partnership


class AuditImmutable(Exception):
    """Raised on any attempt to change or delete an audit record."""


class Action(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
    SIGN_OUT = "sign_out", "Signed out"
    ROLE_CHANGE = "role_change", "Role change"
    EXPORT = "export", "Export of responses"
    EQUALITY_VIEW = "equality_view", "View of equality data"
    TRANSITION = "transition", "Lifecycle transition"
    DECISION = "decision", "Decision"
    PUBLICATION = "publication", "Publication"
    RIGHTS_REQUEST = "rights_request", "Request from a respondent"
    SUBJECT_ACCESS = "subject_access", "Copy of a response"
    ERASURE = "erasure", "Erasure of a response"
    AUDIT_PURGE = "audit_purge", "Old audit records deleted"
    ARCHIVE = "archive", "Archive of the partnership's data asked for"
    ARCHIVE_DOWNLOAD = "archive_download", "Archive of the partnership's data downloaded"
    DOCUMENT = "document", "Document added or removed"
    CONSULTEE = "consultee", "Log of consultees changed"


class AuditEventQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def older_than(self, moment):
        return self.filter(created_at__lt=moment)

    def update(self, **kwargs):
        raise AuditImmutable("Audit records cannot be changed.")

    def delete(self):
        raise AuditImmutable("Audit records are deleted only by audit_purge.")

    def _purge(self) -> int:
        """The one way rows leave the table: audit.services.audit_purge."""
        deleted, _ = super().delete()
        return deleted


class AuditEvent(models.Model):
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for events about no partnership (a superuser, an unknown username).",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name at the time, kept if the account is later removed; empty for
    # the public and for scheduled work.
    actor_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    summary = models.CharField(max_length=500)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "-created_at"], name="audit_partnership_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditImmutable("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("Audit records are deleted only by audit_purge.")
