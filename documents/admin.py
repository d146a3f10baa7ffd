from django.contrib import admin

from documents.models import PartnershipReport, RenderedDocument, ReportDocument


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = ["version", "kind", "status", "size", "render_seconds", "finished_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in RenderedDocument._meta.fields]

    def has_add_permission(self, request):
        # Documents are requested through the service, which enqueues the render.
        return False


@admin.register(PartnershipReport)
class PartnershipReportAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "strategy", "purpose", "report_date"]
    list_filter = ["partnership", "purpose"]
    filter_horizontal = ["priorities", "responsibilities"]


@admin.register(ReportDocument)
class ReportDocumentAdmin(admin.ModelAdmin):
    list_display = ["report", "status", "attempts", "size", "render_seconds", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["report"]
    readonly_fields = [f.name for f in ReportDocument._meta.fields]

    def has_add_permission(self, request):
        # Report PDFs are requested through the service, which enqueues the render.
        return False
