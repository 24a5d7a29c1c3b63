"""The audit log's filter form."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.accounts.models import User
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import NATION, scope_codes, visible_regions
from kopdes.accounts.selectors import manageable_users
from kopdes.audit.describe import group_choices
from kopdes.regions.models import Level


def region_choices(actor: User) -> list:
    """The regions of the reader's audit scope, each kecamatan's villages grouped under it; two levels below the
    reader's widest scope (a national reader gets provinces and regencies, a kabupaten office its kecamatan and
    villages). No query beyond the list: a code's level is its number of parts (64 / 64.01 / 64.01.04 / ...)."""
    regions = visible_regions(actor, Cap.VIEW_AUDIT).active()
    roots = scope_codes(actor, Cap.VIEW_AUDIT)
    top = 0 if roots == [NATION] else min(code.count(".") + 1 for code in roots)
    depth = min(top + 2, int(Level.DESA))
    choices: list = [("", "—")]
    group: list | None = None
    for region in regions.filter(level__lte=depth).order_by("code").only("code", "name", "level", "kind"):
        if region.level == Level.DESA and group is not None:
            group.append((region.code, region.display_name))
        elif region.level == Level.KECAMATAN and depth == Level.DESA:
            group = [(region.code, _("%(kecamatan)s (all villages)") % {"kecamatan": region.display_name})]
            choices.append((region.display_name, group))
        else:
            choices.append((region.code, region.display_name))
    return choices


class AuditFilterForm(forms.Form):
    actor: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("User"), queryset=None, required=False, empty_label="—"
    )
    region = forms.ChoiceField(label=_("Village or region"), required=False)
    kind = forms.ChoiceField(label=_("Kind of change"), required=False)
    # the history of one object (links from an object's page); not shown as fields
    object_type = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    date_from = forms.DateField(label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        # The user dropdown lists only accounts the reader manages, and the reader itself.
        cast(forms.ModelChoiceField, self.fields["actor"]).queryset = User.objects.filter(
            Q(pk__in=manageable_users(actor).values("pk")) | Q(pk=actor.pk)
        ).order_by("username")
        cast(forms.ChoiceField, self.fields["region"]).choices = region_choices(actor)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "—"), *group_choices()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
