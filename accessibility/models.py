"""A request from anyone for a document or page in another format (large
print, easy read, plain text, audio, braille...), made to the partnership
whose document it is.

The row is written before anything else happens, so a request is never lost
if the e-mail to the officers fails: the worker sends that e-mail after the
commit, and a periodic sweep sends any that were not sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from partnerships.models import Partnership


class FormatRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def done(self):
        return self.filter(done_at__isnull=False)

    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def unnotified(self):
        return self.filter(notified_at__isnull=True)

    def contact_due_for_deletion(self, before):
        """Requests marked done before `before`, or never marked done and made
        before it, whose contact details are still kept."""
        return self.filter(contact_deleted_at__isnull=True).filter(
            models.Q(done_at__lt=before)
            | models.Q(done_at__isnull=True, created_at__lt=before)
        )


class FormatRequest(models.Model):
    class Format(models.TextChoices):
        LARGE_PRINT = "large_print", "Large print"
        EASY_READ = "easy_read", "Easy read"
        PLAIN_TEXT = "plain_text", "Plain text"
        AUDIO = "audio", "Audio recording"
        BRAILLE = "braille", "Braille"
        OTHER = "other", "Another format"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="format_requests"
    )
    reference = models.CharField(max_length=20, unique=True)
    format = models.CharField(max_length=20, choices=Format.choices)
    document = models.CharField("document or page", max_length=300)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    details = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(auto_now_add=True)
    # The officers' e-mail: claimed by a worker, then sent.
    notify_claimed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # When the name, e-mail, phone and details were deleted after
    # FORMAT_REQUEST_RETENTION_DAYS (accessibility.services
    # format_requests_apply_retention); the rest stays as the record.
    contact_deleted_at = models.DateTimeField(null=True, blank=True)

    objects = FormatRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "done_at", "created_at"],
                         name="formatrequest_partnership_open"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_format_display()} of {self.document}"

    def clean(self) -> None:
        errors = {}
        if not (self.email or self.phone):
            errors["email"] = "Enter an e-mail address or a phone number, so we can reply"
        if self.format == self.Format.OTHER and not self.details.strip():
            errors["details"] = "Say which format you need"
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
