"""Django admin for programmes and their dated targets: enough for the office to edit them (issue: formation tracker).

Admin dinas accounts are staff with the programme permissions only (accounts.services.OFFICE_ADMIN_PERMISSIONS); what
they see and may pick here is limited to their own scope, and every save is audited like any service write.
"""

from django.contrib import admin
from django.http import HttpRequest

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import scope_q
from kopdes.audit.services import record_audit, snapshot
from kopdes.formation.models import BusinessUnit, Programme, ProgrammeTarget, RuleSeverity
from kopdes.formation.musdesus.rules import RULES
from kopdes.regions.models import Level, Region

PROGRAMME_FIELDS = [
    "name",
    "region",
    "legal_basis",
    "threshold_percent",
    "formed_stage",
    "reporting_period",
    "start_date",
    "is_active",
]
TARGET_FIELDS = ["count", "deadline", "effective_from", "note"]


class ProgrammeTargetInline(admin.TabularInline):
    """Targets are dated rows: add a new one when the target changes; old rows stay as history."""

    model = ProgrammeTarget
    extra = 1
    fields = ["count", "deadline", "effective_from", "note", "created_at"]
    readonly_fields = ["created_at"]

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False


class RuleSeverityInline(admin.TabularInline):
    """The programme's own severity for a Musdesus rule check; a rule without a row keeps its default (rules.RULES)."""

    model = RuleSeverity
    extra = 0
    fields = ["rule", "severity"]

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "rule":
            from django import forms

            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[(code, f"{code} ({rule.default})") for code, rule in RULES.items()],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "formed_stage", "threshold_percent", "reporting_period", "is_active"]
    inlines = [ProgrammeTargetInline, RuleSeverityInline]

    def get_queryset(self, request: HttpRequest):
        programmes = super().get_queryset(request).select_related("region")
        if request.user.is_superuser:
            return programmes
        return programmes.filter(scope_q(request.user, "region__code", Cap.VERIFY))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "region":
            regions = Region.objects.filter(level__lte=Level.KABUPATEN).active()
            if not request.user.is_superuser:
                regions = regions.filter(scope_q(request.user, capability=Cap.VERIFY))
            kwargs["queryset"] = regions.order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj, form, change):
        before = snapshot(Programme.objects.get(pk=obj.pk), PROGRAMME_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        record_audit(
            actor=request.user,
            action="formation.change_programme" if change else "formation.create_programme",
            obj=obj,
            region_code=obj.region.code,
            before=before,
            after=snapshot(obj, PROGRAMME_FIELDS),
            source="admin",
        )

    def save_formset(self, request: HttpRequest, form, formset, change):
        if formset.model is RuleSeverity:
            before = dict(RuleSeverity.objects.filter(programme=form.instance).values_list("rule", "severity"))
            formset.save()
            after = dict(RuleSeverity.objects.filter(programme=form.instance).values_list("rule", "severity"))
            if before != after:
                record_audit(
                    actor=request.user,
                    action="formation.set_rule_severity",
                    obj=form.instance,
                    region_code=form.instance.region.code,
                    before=before,
                    after=after,
                    source="admin",
                )
            return
        changed = {target.pk: snapshot(target, TARGET_FIELDS) for target in formset.queryset}
        instances = formset.save()
        for target in instances:
            record_audit(
                actor=request.user,
                action="formation.set_target",
                obj=target.programme,
                region_code=target.programme.region.code,
                before=changed.get(target.pk),
                after=snapshot(target, TARGET_FIELDS),
                source="admin",
            )

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    """The lookup table of business units: the seven standard ones are seeded; the office may add others."""

    list_display = ["name", "is_standard", "order"]

    def save_model(self, request: HttpRequest, obj, form, change):
        super().save_model(request, obj, form, change)
        record_audit(
            actor=request.user,
            action="formation.save_business_unit",
            obj=obj,
            after={"name": obj.name, "is_standard": obj.is_standard, "order": obj.order},
            source="admin",
        )

    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False
