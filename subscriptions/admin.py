from django.contrib import admin

from subscriptions.models import Notification, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """For superusers who must find or delete an address on request."""

    list_display = ("email", "kind", "partnership", "consultation", "created_at", "confirmed_at")
    list_filter = ("kind",)
    search_fields = ("email",)
    readonly_fields = ("key", "created_at", "confirmation_sent_at", "confirmed_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subscription", "consultation", "event", "created_at", "sent_at")
    list_filter = ("event",)
    readonly_fields = ("created_at", "claimed_at", "sent_at")
