"""The audit log's filter form."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.accounts.models import User
from kopdes.accounts.selectors import manageable_users
from kopdes.web.selectors import audit_entries_for


class AuditFilterForm(forms.Form):
    actor: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("User"), queryset=None, required=False, empty_label="—"
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        # The user dropdown lists only accounts the reader manages, and the reader itself.
        cast(forms.ModelChoiceField, self.fields["actor"]).queryset = User.objects.filter(
            Q(pk__in=manageable_users(actor).values("pk")) | Q(pk=actor.pk)
        ).order_by("username")
        types = audit_entries_for(actor, {}).order_by("object_type").values_list("object_type", flat=True).distinct()
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", "—")] + [(t, t) for t in types]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
