"""Forms of training and visits: parsing only; the rules live in services/activities.py."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kopdes.assistance.models import AttendeeRole
from kopdes.assistance.services.activities import AttendeeRow, FollowUpChange, FollowUpRow
from kopdes.audit.stale import ReadTokenField
from kopdes.core.forms import region_choice_errors
from kopdes.files.forms import MultipleFileField, MultipleFileInput
from kopdes.people.forms import Extra, RosterField
from kopdes.regions.models import is_within

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTENDANCE_ROWS = 5
FOLLOW_UP_ROWS = 3


class TrainingForm(forms.Form):
    # Only when the office is assigned to several kabupaten: which one the training belongs to.
    # Or a pendamping also assigned to a kecamatan: the training belongs to one of its regions.
    region = forms.ChoiceField(label=_("Region of the training"), error_messages=region_choice_errors())
    topic = forms.CharField(label=_("Topic"), max_length=250)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(
        label=_("End date"), widget=DATE, required=False, help_text=_("Empty for a one-day training.")
    )
    place = forms.CharField(label=_("Place"), max_length=250)
    trainer = forms.CharField(label=_("Trainer"), max_length=250)
    organiser = forms.CharField(label=_("Organiser"), max_length=250)
    kecamatan = forms.MultipleChoiceField(
        label=_("Invite all villages of the kecamatan"),
        required=False,
        error_messages=region_choice_errors(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    villages = forms.MultipleChoiceField(
        label=_("Or invite chosen villages"),
        required=False,
        error_messages=region_choice_errors(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, kecamatan_choices=(), village_choices=(), region_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(region_choices) > 1:
            self.fields["region"].choices = [("", "—"), *region_choices]
        else:
            del self.fields["region"]
        self.fields["kecamatan"].choices = kecamatan_choices
        self.fields["villages"].choices = village_choices
        self._village_codes = [code for code, _label in village_choices]

    def clean(self):
        data = super().clean()
        chosen = set(data.get("villages") or [])
        for kecamatan in data.get("kecamatan") or []:
            chosen |= {code for code in self._village_codes if is_within(code, kecamatan, include_self=False)}
        if not chosen:
            raise ValidationError(gettext("Invite at least one village: a whole kecamatan or chosen villages."))
        region = data.get("region")
        if region and any(not is_within(code, region, include_self=False) for code in chosen):
            self.add_error("villages", gettext("Invite only villages of the chosen kabupaten."))
        data["village_codes"] = sorted(chosen)
        return data


class TrainingEditForm(TrainingForm):
    dibaca = ReadTokenField()  # the training as it was read (audit.stale)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for cancelling.")},
    )


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=AttendeeRole.choices, initial=AttendeeRole.PENGURUS)
    village = forms.ChoiceField(label=_("Village"), error_messages=region_choice_errors())
    nik = forms.CharField(
        label=_("NIK (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages
        if len(villages) == 1:
            self.fields["village"].initial = villages[0][0]

    def has_changed(self):  # a blank row (only the defaults) is skipped, not an error
        return bool((self.data.get(self.add_prefix("name")) or "").strip() or self.data.get(self.add_prefix("nik")))


class BaseAttendanceFormSet(forms.BaseFormSet):
    def rows(self) -> list[AttendeeRow]:
        return [
            AttendeeRow(
                name=f.cleaned_data["name"],
                role=f.cleaned_data["role"],
                village_code=f.cleaned_data["village"],
                nik=f.cleaned_data.get("nik", ""),
            )
            for f in self.forms
            if f.has_changed() and f.cleaned_data
        ]

    def clean(self):
        if any(self.errors):
            return
        for index, form in enumerate(self.forms, start=1):
            if form.has_changed() and not form.cleaned_data.get("name", "").strip():
                raise ValidationError(gettext("Row %(row)s: the name is empty.") % {"row": index})
        if not self.rows() and not getattr(self, "picked", 0):  # people picked from the roster count too
            raise ValidationError(gettext("Enter at least one person."))


ROLE_EXTRAS = (Extra("role", _("Role"), choices=tuple(AttendeeRole.choices), required=True),)


class RosterAttendanceForm(forms.Form):
    """The attendees picked from the rosters of the invited villages (people): one picker per village the user may
    record, named `v<index>_picked`, each person with a role. `villages`: [(code, name)]; the view binds each picker
    to its village (`people.forms.bind_field`)."""

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = list(villages)
        for index, (_code, name) in enumerate(self.villages):
            self.fields[f"v{index}_picked"] = RosterField(
                label=gettext("People of %(village)s") % {"village": name},
                extras=ROLE_EXTRAS,
                help_text=_("Type a few letters of the name, pick the person, then choose the role."),
            )

    def pickers(self):
        """(village code, bound field) per invited village, for the template."""
        return [(code, self[f"v{index}_picked"]) for index, (code, _name) in enumerate(self.villages)]

    def picked_count(self) -> int:
        """How many people are picked on all the pickers (as posted)."""
        data = cast("QueryDict", self.data)
        return sum(len(data.getlist(self.add_prefix(f"v{i}_picked"))) for i in range(len(self.villages)))


def attendance_formset(rows: int = ATTENDANCE_ROWS):
    """Blank rows to fill on a phone; "more rows" reloads the page with a larger number."""
    return forms.formset_factory(AttendeeForm, formset=BaseAttendanceFormSet, extra=rows, max_num=50, absolute_max=50)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File (PDF, PowerPoint, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.jpg,.jpeg,.png"}),
    )


class VisitForm(forms.Form):
    village = forms.ChoiceField(label=_("Village"), error_messages=region_choice_errors())
    visit_date = forms.DateField(label=_("Visit date"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    photos = MultipleFileField(label=_("Photos (JPEG or PNG)"), required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6, widget=forms.TextInput(
            attrs={"inputmode": "decimal", "data-geo": "latitude"})
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6, widget=forms.TextInput(
            attrs={"inputmode": "decimal", "data-geo": "longitude"})
    )  # fmt: skip

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—"), *villages]
        self.fields["photos"].widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png"})


class VisitEditForm(forms.Form):
    dibaca = ReadTokenField()  # the visit as it was read (audit.stale)
    visit_date = forms.DateField(label=_("Visit date"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class FollowUpEditForm(forms.Form):
    """An open follow-up of the visit being edited: every field stays filled."""

    id = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Follow-up action"), max_length=1000)
    owner_name = forms.CharField(label=_("Owner"), max_length=150)
    owner_role = forms.CharField(label=_("Owner's role"), max_length=100, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class BaseFollowUpEditFormSet(forms.BaseFormSet):
    def changes(self) -> list[FollowUpChange]:
        return [
            FollowUpChange(
                pk=f.cleaned_data["id"],
                text=f.cleaned_data["text"],
                owner_name=f.cleaned_data["owner_name"],
                owner_role=f.cleaned_data.get("owner_role", ""),
                due_date=f.cleaned_data["due_date"],
            )
            for f in self.forms
            if f.cleaned_data
        ]


FollowUpEditFormSet = cast(
    type[BaseFollowUpEditFormSet],
    forms.formset_factory(FollowUpEditForm, formset=BaseFollowUpEditFormSet, extra=0, max_num=50, absolute_max=50),
)


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Follow-up action"), max_length=1000, required=False)
    owner_name = forms.CharField(label=_("Owner"), max_length=150, required=False)
    owner_role = forms.CharField(label=_("Owner's role"), max_length=100, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("text") or "").strip():
            if not (data.get("owner_name") or "").strip():
                self.add_error("owner_name", gettext("Who does it? Enter the owner's name."))
            if not data.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", gettext("Enter the due date."))
        elif (data.get("owner_name") or "").strip() or data.get("due_date"):
            self.add_error("text", gettext("Describe the action, or leave the whole row empty."))
        return data


class BaseFollowUpFormSet(forms.BaseFormSet):
    def rows(self) -> list[FollowUpRow]:
        return [
            FollowUpRow(
                text=f.cleaned_data["text"],
                owner_name=f.cleaned_data["owner_name"],
                owner_role=f.cleaned_data.get("owner_role", ""),
                due_date=f.cleaned_data["due_date"],
            )
            for f in self.forms
            if f.cleaned_data and (f.cleaned_data.get("text") or "").strip()
        ]


FollowUpFormSet = cast(
    type[BaseFollowUpFormSet],
    forms.formset_factory(FollowUpForm, formset=BaseFollowUpFormSet, extra=FOLLOW_UP_ROWS, max_num=20, absolute_max=20),
)
