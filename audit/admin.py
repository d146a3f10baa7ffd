"""Superusers read every audit record here, including those about no
partnership (superusers' own sign-ins, unknown usernames). Read-only: no
add, change or delete, and no bulk actions."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from audit.models import Action, AuditEvent
from audit.receivers import partnerships_of
from audit.services import audit_record_each


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


# Superuser, staff and active flags are the most powerful roles there are:
# changing them in the admin is a role change like any other, recorded in
# the audit of every partnership the account belongs to.
User = get_user_model()
_UserAdminBase = type(admin.site._registry[User]) if admin.site.is_registered(User) else UserAdmin
if admin.site.is_registered(User):
    admin.site.unregister(User)

WATCHED_FLAGS = {"is_superuser": "superuser", "is_staff": "staff (admin access)",
                 "is_active": "can sign in"}


@admin.register(User)
class AuditedUserAdmin(_UserAdminBase):
    def save_model(self, request, obj, form, change):
        before = (
            User.objects.filter(pk=obj.pk).values(*WATCHED_FLAGS).first() if change else None
        ) or {"is_superuser": False, "is_staff": False, "is_active": not change}
        super().save_model(request, obj, form, change)
        changes = [
            f"{label}: {'yes' if getattr(obj, flag) else 'no'}"
            for flag, label in WATCHED_FLAGS.items() if before[flag] != getattr(obj, flag)
        ]
        if changes:
            audit_record_each(
                partnerships=partnerships_of(obj),
                action=Action.ROLE_CHANGE,
                summary=f"{obj.get_username()} in the admin: " + ", ".join(changes),
                target=obj,
                request=request,
                detail={flag: getattr(obj, flag) for flag in WATCHED_FLAGS},
            )
