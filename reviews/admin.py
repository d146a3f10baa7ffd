from django.contrib import admin

from reviews.models import Action, AsbCaseReviewReturn, Recommendation, Review


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "kind", "status", "started_on", "published_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["created_by"]
    inlines = [RecommendationInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "partnership", "owner", "due_on", "status", "done_on"]
    list_filter = ["status"]
    raw_id_fields = ["recommendation", "policing_recommendation", "owner", "priority",
                     "created_by", "updated_by"]


@admin.register(AsbCaseReviewReturn)
class AsbCaseReviewReturnAdmin(admin.ModelAdmin):
    list_display = ["partnership", "year", "applications", "reviews_held", "publish_on"]
    raw_id_fields = ["updated_by"]
