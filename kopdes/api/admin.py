from django.contrib import admin
from django.http import HttpRequest

from kopdes.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest):
        return False  # tokens are created with `manage.py create_api_token` so the raw key is shown once

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False
