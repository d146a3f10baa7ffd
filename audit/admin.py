"""Superusers read every audit record here, including those about no
partnership (superusers' own sign-ins, unknown usernames). Read-only: no
add, change or delete, and no bulk actions."""

from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "summary", "actor_label", "partnership", "ip_address")
    list_filter = ("action", "partnership")
    search_fields = ("summary", "actor_label", "target_id")
    date_hierarchy = "created_at"
    list_select_related = ("partnership",)
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
