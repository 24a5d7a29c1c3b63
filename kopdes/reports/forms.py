from django import forms
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import ReadTokenField
from kopdes.reports.services import MAX_TEXT


class ReportForm(forms.Form):
    """The camat's narrative; obstacles per village come as fields `village_<code>` (see `village_obstacles`)."""

    dibaca = ReadTokenField()  # the latest version as it was read (audit.stale)
    obstacles = forms.CharField(
        label=_("Obstacles (kendala), overall"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.CharField(
        label=_("Follow-up (tindak lanjut)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    assistance_needed = forms.CharField(
        label=_("Assistance needed"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    building_notes = forms.CharField(
        label=_("Gerai and warehouses: note"),
        help_text=_("Pre-filled from the buildings' verified facts; correct or add to it."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, village_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.village_codes = list(village_codes)
        for code in self.village_codes:
            self.fields[f"village_{code}"] = forms.CharField(
                label=_("Obstacle"), required=False, max_length=MAX_TEXT, widget=forms.TextInput()
            )

    def narrative(self) -> dict:
        data = self.cleaned_data
        return {
            "obstacles": data["obstacles"],
            "follow_up": data["follow_up"],
            "assistance_needed": data["assistance_needed"],
            "building_notes": data["building_notes"],
            "village_obstacles": {code: data.get(f"village_{code}", "") for code in self.village_codes},
            "read": data["dibaca"],
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = forms.CharField(
        label=_("Comment for the camat"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class PeriodRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
