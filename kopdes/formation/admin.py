from django.contrib import admin

from kopdes.formation.models import Programme, ProgrammeTarget


class ProgrammeTargetInline(admin.TabularInline):
    """Targets are dated rows: add a new one when the target changes; old rows stay as history."""

    model = ProgrammeTarget
    extra = 1
    fields = ["count", "deadline", "effective_from", "note", "created_at"]
    readonly_fields = ["created_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "formed_stage", "threshold_percent", "reporting_period", "is_active"]
    raw_id_fields = ["region"]
    inlines = [ProgrammeTargetInline]

    def has_delete_permission(self, request, obj=None):
        return False
