from django.contrib import admin
from django.http import HttpRequest

from kopdes.documents.models import Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ["region", "government", "office", "updated_at"]
    raw_id_fields = ["region"]

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False
