from django.contrib import admin

from consultation.models import Consultation, Question, SchoolClassCode, Section, Theme


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
