from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import Milestone, MilestoneTemplate, MilestoneTemplateStep


class StepInline(admin.TabularInline):
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
