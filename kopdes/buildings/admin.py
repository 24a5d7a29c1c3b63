from django.contrib import admin

from kopdes.buildings.models import ChannelKind


@admin.register(ChannelKind)
class ChannelKindAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")
