from django.contrib import admin

from archive.models import PartnershipArchive


@admin.register(PartnershipArchive)
class PartnershipArchiveAdmin(admin.ModelAdmin):
    list_display = ("partnership", "status", "requested_at", "requested_by", "size", "expires_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in PartnershipArchive._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
