"""The Django admin, for superusers only.

Officers, partner officers, board members and partnership administrators do
all their work in the product's own pages (partnership set-up, strategies,
plans, consultations, reminders and their settings, documents), which are
tested for access per role and with axe. The admin stays for the
installation's superusers: whole-installation records such as plan
templates shared by every partnership, schedules, and repairs. A staff
account that is not a superuser is refused like anyone else, whatever model
permissions it holds.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class SuperuserAdminSite(admin.AdminSite):
    site_title = "Administration"
    index_title = "Administration"

    @property
    def site_header(self) -> str:
        return f"{settings.SAFERMK_BRAND_NAME}: administration"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the superuser-only site, in INSTALLED_APPS."""

    default_site = "safermk.admin_site.SuperuserAdminSite"

    def ready(self) -> None:
        super().ready()
        from django.contrib.admin import widgets

        # Django's date and time boxes are preceded by "Date:" and "Time:" as
        # bare text, so the boxes have no label (axe: label). The same
        # markup with <label for>, for every model's date-time field.
        widgets.AdminSplitDateTime.template_name = "admin/widgets/labelled_split_datetime.html"
