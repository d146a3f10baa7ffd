"""The user pages of the admin, made to pass axe-core.

Django's two-box chooser for groups and permissions (filter_horizontal) puts
an aria-label on a span with no role, and the split date and time boxes of
"last login" and "date joined" have no labels. Plain labelled multiple
choices, and the two dates read-only (nobody should edit them), have
neither problem.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class AccessibleUserAdmin(UserAdmin):
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
