from django.contrib import admin
from django.http import HttpRequest

from kopdes.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_repr", "region_code"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "region_code"]

    def has_add_permission(self, request: HttpRequest):
        return False

    def has_change_permission(self, request: HttpRequest, obj=None):
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False
