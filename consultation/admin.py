from django.contrib import admin

from consultation.models import (
    Consultation,
    Question,
    RightsRequest,
    SchoolClassCode,
    Section,
    Theme,
)


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "partnership", "status", "opens_at", "closes_at")
    list_filter = ("status", "partnership")
    search_fields = ("title", "slug")
    readonly_fields = ("version", "opened_at", "closed_at", "feedback_published_at")
    inlines = [SectionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "section", "required")
    list_filter = ("kind",)


@admin.register(SchoolClassCode)
class SchoolClassCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "school", "class_name", "consultation", "is_active")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "consultation", "priority")
    exclude = ("answers", "comments")


@admin.register(RightsRequest)
class RightsRequestAdmin(admin.ModelAdmin):
    """Superusers see every respondent's request, including those whose
    reference names no partnership, and may give such a request to the right
    partnership so its officers can decide it. Decisions are made on the
    officers' pages, where they are audited."""

    list_display = ("reference", "kind", "status", "partnership", "received_at")
    list_filter = ("status", "kind", "partnership")
    search_fields = ("reference",)
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "partnership"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
