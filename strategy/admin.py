from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from strategy.models import (
    LineOfEnquiry,
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    StatutoryResponsibility,
    StrategicAssessment,
    Strategy,
    StrategyTransition,
    StrategyVersion,
)


@admin.register(StatutoryResponsibility)
class StatutoryResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


class LineOfEnquiryInline(admin.StackedInline):
    model = LineOfEnquiry
    extra = 0


@admin.register(StrategicAssessment)
class StrategicAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "year", "status"]
    list_filter = ["partnership", "status"]
    inlines = [LineOfEnquiryInline]


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    fields = ["order", "title"]


class TransitionInline(admin.StackedInline):
    model = StrategyTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "happened_on", "by", "at", "note"]
    can_delete = False


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "status", "period_start", "period_end"]
    list_filter = ["partnership", "status", "kind"]
    prepopulated_fields = {"slug": ["title"]}
    # Status moves only through the lifecycle service, never by editing here.
    readonly_fields = ["status"]
    inlines = [PriorityInline, TransitionInline]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "strategy", "order"]
    list_filter = ["strategy__partnership"]


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "priority", "lead_organisation"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "objective", "owner_organisation", "frequency"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "period_end", "value", "entered_by"]


@admin.register(PriorityProposal)
class PriorityProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "strategy", "status"]


@admin.register(StrategyVersion)
class StrategyVersionAdmin(admin.ModelAdmin):
    list_display = ["strategy", "number", "reason", "content_hash", "created_at"]
    readonly_fields = [f.name for f in StrategyVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
