"""The Django admin, for superusers. Partnerships are set up in the product
(partnerships.views); here organisation choices are limited to the
partnership being edited and name it, so two partnerships' "Probation" can
never be confused."""

from django.contrib import admin
from django.db import transaction

from partnerships.models import (
    Board,
    BoardMembership,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    RoleChange,
)
from partnerships.services import role_changes_record_from_admin


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.short_name or organisation.name} ({organisation.partnership.name})"


def _scoped_organisations(field, partnership_id: int | None) -> None:
    """Limit an organisation drop-down to one partnership (none until the
    partnership is saved) and label each with its partnership."""
    rows = Organisation.objects.select_related("partnership").order_by("name")
    field.queryset = rows.filter(partnership_id=partnership_id) if partnership_id else rows.none()
    field.label_from_instance = organisation_label


def _object_id(request) -> int | None:
    match = request.resolver_match
    raw = match.kwargs.get("object_id") if match else None
    return int(raw) if raw and str(raw).isdigit() else None


class OrganisationInline(admin.StackedInline):
    model = Organisation
    extra = 0


class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation":
            _scoped_organisations(field, _object_id(request))
        return field


class RoleChangesRecorded:
    """Roles and board seats changed here are recorded (RoleChange and the
    audit) as they are on the people page."""

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Membership, BoardMembership):
            return super().save_formset(request, form, formset, change)
        # The forms have already put the new roles on their instances: the
        # old ones come from the database.
        pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        formset.initial_roles = {
            row.pk: row.get_role_display() for row in formset.model.objects.filter(pk__in=pks)
        }
        with transaction.atomic():
            for f in formset.initial_forms:
                f.instance._audit_pk = f.instance.pk
            super().save_formset(request, form, formset, change)
            role_changes_record_from_admin(formset=formset, by=request.user)


@admin.register(Partnership)
class PartnershipAdmin(RoleChangesRecorded, admin.ModelAdmin):
    list_display = ["name", "short_code", "area", "slug"]
    search_fields = ["name", "area", "short_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationInline, MembershipInline]


class BoardMembershipInline(admin.StackedInline):
    model = BoardMembership
    extra = 0
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation":
            board_id = _object_id(request)
            partnership_id = (
                Board.objects.filter(pk=board_id).values_list("partnership_id", flat=True).first()
                if board_id else None
            )
            _scoped_organisations(field, partnership_id)
        return field


@admin.register(Board)
class BoardAdmin(RoleChangesRecorded, admin.ModelAdmin):
    list_display = ["name", "partnership", "quorum"]
    list_filter = ["partnership"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BoardMembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "partnership", "is_responsible_authority"]
    list_filter = ["partnership", "kind"]
    search_fields = ["name"]


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """Read-only: the history of who changed whose role."""

    list_display = ["changed_at", "partnership", "email", "action", "old_role", "new_role",
                    "changed_by"]
    list_filter = ["partnership", "action"]
    list_select_related = ["partnership", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent, resent and revoked on the people page,
    where the token is made and mailed."""

    list_display = ["email", "partnership", "role", "created_at", "expires_at", "accepted_at",
                    "revoked_at"]
    list_filter = ["partnership"]
    list_select_related = ["partnership"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
