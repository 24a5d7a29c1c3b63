"""Forms of the registry pages: parse and check input; the services check again and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import ReadTokenField
from kopdes.cleaners.nik import parse_nik
from kopdes.cooperatives.models import LandStatus, Organ, OutletStatus
from kopdes.formation.models import BoardPosition, BusinessUnit, SimkopdesStatus
from kopdes.formation.validators import check_coordinates, normalise_npwp, parse_kbli_codes
from kopdes.people.forms import RosterField


def _date(label, required=False, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class ProfileForm(forms.Form):
    dibaca = ReadTokenField()  # the profile as it was read (audit.stale)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    nomor_induk_koperasi = forms.CharField(label=_("Nomor Induk Koperasi"), required=False, max_length=50)
    npwp = forms.CharField(
        label=_("NPWP"), required=False, max_length=25, help_text=_("15 digits (99.999.999.9-999.999) or 16 digits.")
    )
    kbli_codes = forms.CharField(
        label=_("KBLI codes"),
        required=False,
        max_length=300,
        help_text=_("5-digit codes separated by commas, e.g. 47111, 46201."),
    )
    bank_name = forms.CharField(label=_("Bank"), required=False, max_length=100)
    bank_account_number = forms.CharField(label=_("Bank account number"), required=False, max_length=40)
    bank_account_holder = forms.CharField(label=_("Account holder"), required=False, max_length=200)
    simkopdes_status = forms.ChoiceField(
        label=_("SIMKOPDES account status"), required=False, choices=SimkopdesStatus.choices
    )

    def clean_npwp(self):
        return normalise_npwp(self.cleaned_data["npwp"])

    def clean_kbli_codes(self):
        return parse_kbli_codes(self.cleaned_data["kbli_codes"])

    def clean_bank_account_number(self):
        value = self.cleaned_data["bank_account_number"].replace(" ", "").replace("-", "")
        if value and not value.isdigit():
            raise ValidationError(_("A bank account number has digits only."))
        return value


PERSON_HELP = _(
    "Type a few letters of the name and pick the person: the name, NIK and dusun come from the village's roster. "
    "Someone not on it: type the fields below; they are added to the roster."
)


class PickedPersonMixin(forms.Form):
    """A person picked from the village's roster (at most one; `people.forms.RosterField`, bound by the view with
    `bind_roster`), or the name (and NIK) typed."""

    def clean_person(self):
        people = self.cleaned_data["person"]
        if len(people) > 1:
            raise ValidationError(_("Pick one person."))
        return people[0] if people else None

    def _require_typed(self, data, *keys) -> None:
        if data.get("person") is None:
            for key in keys:
                if key in data and not data[key]:
                    self.add_error(key, _("This field is required."))


class SeatForm(PickedPersonMixin):
    organ = forms.ChoiceField(label=_("Organ"), choices=Organ.choices)
    position = forms.ChoiceField(label=_("Position"), choices=BoardPosition.choices)
    person = RosterField(label=_("From the village's people"), help_text=PERSON_HELP)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    nik = forms.CharField(label=_("NIK"), required=False, max_length=25)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    term_start = _date(_("Term of office from"))
    term_end = _date(_("Term of office until"))

    def clean_nik(self):
        raw = self.cleaned_data["nik"]
        return parse_nik(raw).value if raw.strip() else ""

    def clean(self):
        data = super().clean()
        self._require_typed(data, "name")
        if data.get("term_start") and data.get("term_end") and data["term_end"] < data["term_start"]:
            self.add_error("term_end", _("The term cannot end before it starts."))
        return data


class EndSeatForm(forms.Form):
    ended_at = _date(_("Left the board on"), required=True)
    reason = forms.CharField(label=_("Reason"), max_length=200, help_text=_("E.g. resigned, moved away, term over."))
    successor_name = forms.CharField(label=_("Successor's name (optional)"), required=False, max_length=150)
    successor_nik = forms.CharField(label=_("Successor's NIK"), required=False, max_length=25)
    successor_phone = forms.CharField(label=_("Successor's phone"), required=False, max_length=30)

    def clean_successor_nik(self):
        raw = self.cleaned_data["successor_nik"]
        return parse_nik(raw).value if raw.strip() else ""


class TakeOverForm(forms.Form):
    term_start = _date(_("Term of office from"))
    term_end = _date(_("Term of office until"))


class MemberForm(PickedPersonMixin):
    person = RosterField(label=_("From the village's people"), help_text=PERSON_HELP)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=25,
        required=False,
        help_text=_("16 digits; sex and birth date are read from it."),
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    dusun = forms.CharField(label=_("Dusun"), required=False, max_length=100)
    rt = forms.CharField(label=_("RT"), required=False, max_length=10)
    join_date = _date(_("Joined on"))
    simpanan_pokok = forms.DecimalField(
        label=_("Simpanan pokok paid (Rp)"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    simpanan_wajib = forms.DecimalField(
        label=_("Simpanan wajib paid to date (Rp)"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )

    def clean_nik(self):
        raw = self.cleaned_data["nik"]
        return parse_nik(raw).value if raw.strip() else ""

    def clean(self):
        data = super().clean()
        self._require_typed(data, "name")
        person = data.get("person")
        if "nik" in data and not data["nik"] and not (person is not None and person.nik):
            self.add_error("nik", _("Enter the NIK: a member has one (the person picked has none on the roster)."))
        return data


class MemberEditForm(MemberForm):
    dibaca = ReadTokenField()  # the member as it was read (audit.stale)


class LeaveForm(forms.Form):
    left_date = _date(_("Left on"), required=True)


class OutletForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Type (standard unit)"),
        queryset=BusinessUnit.objects.all(),
        required=False,
        empty_label=_("Other (describe below)"),
    )
    other_type = forms.CharField(label=_("Other type"), required=False, max_length=100)
    name = forms.CharField(label=_("Name of the outlet"), required=False, max_length=150)
    status = forms.ChoiceField(label=_("Status"), choices=OutletStatus.choices)
    progress_percent = forms.IntegerField(
        label=_("Construction progress (%)"), required=False, min_value=0, max_value=100
    )
    opened_on = _date(_("Opened on"))
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("E.g. -1.912345 (south is negative)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6, help_text=_("E.g. 116.198765.")
    )
    land_status = forms.ChoiceField(label=_("Land ownership"), required=False, choices=[("", "—"), *LandStatus.choices])
    land_note = forms.CharField(label=_("Land note"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not (data.get("other_type") or "").strip() and "other_type" not in self.errors:
            self.add_error("other_type", _("Choose a standard unit or describe the other type."))
        if data.get("status") == OutletStatus.CONSTRUCTION and data.get("progress_percent") is None:
            self.add_error("progress_percent", _("Give the construction progress, 0 to 100 %."))
        if data.get("status") == OutletStatus.OPEN and not data.get("opened_on") and "opened_on" not in self.errors:
            self.add_error("opened_on", _("Give the date the outlet opened."))
        if "latitude" not in self.errors and "longitude" not in self.errors:
            try:
                check_coordinates(data.get("latitude"), data.get("longitude"))
            except ValidationError as error:
                self.add_error("latitude", error)
        return data


class OutletEditForm(OutletForm):
    dibaca = ReadTokenField()  # the outlet as it was read (audit.stale)


class RatForm(forms.Form):
    dibaca = ReadTokenField()  # the RATs as they were read (audit.stale)
    book_year = forms.IntegerField(label=_("Book year"), min_value=2000, max_value=2100)
    held = forms.TypedChoiceField(
        label=_("Held"),
        choices=[("1", _("Yes, held")), ("0", _("Not held"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    held_on = _date(_("Held on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    minutes = forms.FileField(
        label=_("Minutes (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}),
    )
