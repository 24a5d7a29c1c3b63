from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from kopdes.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "region", "started_at", "ended_at"]
    readonly_fields = ["started_at"]
    raw_id_fields = ["region"]

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = tuple(BaseUserAdmin.fieldsets or ()) + (
        ("Kopdes", {"fields": ["full_name", "phone", "must_change_password", "is_demo"]}),
    )
    list_display = ["username", "full_name", "is_active", "is_demo", "last_login"]
    inlines = [RoleAssignmentInline]

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False
