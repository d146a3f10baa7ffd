from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import (
    Milestone,
    MilestoneTemplate,
    MilestoneTemplateStep,
    SignOffDecision,
    SignOffRequest,
    SignOffReview,
)


class StepInline(admin.StackedInline):
    model = MilestoneTemplateStep
    extra = 0


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "is_default"]
    inlines = [StepInline]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "strategy", "due_date", "status", "board"]
    list_filter = ["partnership", "status", "kind"]
    date_hierarchy = "due_date"


class ReviewInline(admin.StackedInline):
    model = SignOffReview
    extra = 0
    readonly_fields = ["reviewer", "position", "comment", "content_hash", "created_at"]
    can_delete = False


@admin.register(SignOffRequest)
class SignOffRequestAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "board", "step", "status", "requested_at"]
    list_filter = ["partnership", "status", "board"]
    readonly_fields = ["content_hash", "assessment_content", "version", "previous_step"]
    inlines = [ReviewInline]


@admin.register(SignOffDecision)
class SignOffDecisionAdmin(admin.ModelAdmin):
    """Read-only: a board's decision is never changed, here or anywhere."""

    list_display = ["request", "outcome", "decided_on", "minute_reference", "content_hash"]
    list_filter = ["outcome"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
