from django.contrib import admin

from reminders.models import (
    DutyRecord,
    Notice,
    ReminderDigest,
    ReminderPreferences,
    ReminderSettings,
    SentReminder,
)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["partnership", "milestone_days", "overdue_window_days", "annual_lead_days"]


@admin.register(ReminderPreferences)
class ReminderPreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "daily_digest"]
    raw_id_fields = ["user"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "threshold", "state", "claimed_at", "sent_at"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["recipient", "digest", "partnership"]
    # The rows are the record of what was sent: read only, so nothing is resent by hand.
    readonly_fields = [f.name for f in SentReminder._meta.fields]


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "day", "state", "sent_at"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    raw_id_fields = ["recipient", "reminder", "partnership"]


@admin.register(DutyRecord)
class DutyRecordAdmin(admin.ModelAdmin):
    list_display = ["partnership", "duty", "done_on", "recorded_by"]
    list_filter = ["duty"]
