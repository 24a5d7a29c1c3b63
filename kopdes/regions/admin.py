from django.contrib import admin
from django.http import HttpRequest

from kopdes.regions.models import Region, RegionEdition


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "tz", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["edition"]

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False


@admin.register(RegionEdition)
class RegionEditionAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "decree", "prefix", "created", "updated", "unchanged", "deactivated"]

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False
