from django.contrib import admin

from partnerships.models import Board, BoardMembership, Membership, Organisation, Partnership


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "slug"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationInline, MembershipInline]


class BoardMembershipInline(admin.TabularInline):
    model = BoardMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "quorum"]
    list_filter = ["partnership"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BoardMembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "partnership", "is_responsible_authority"]
    list_filter = ["partnership", "kind"]
    search_fields = ["name"]
