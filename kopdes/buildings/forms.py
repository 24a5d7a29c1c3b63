"""The form of each building step: the facts the step records (`FACTS`), the evidence date, note, reason, files and,
for photos, their date and position (optional: a photo without one is kept and flagged)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import READ_TOKEN_FIELD, ReadTokenField
from kopdes.buildings import workflow
from kopdes.buildings.models import ChannelKind
from kopdes.buildings.workflow import AssetRegister, Band, ChannelState, FundingSource, LandOwner
from kopdes.files.forms import MultipleFileField


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


def _facts(step: int) -> dict[str, forms.Field]:
    """The fields a step records beyond its date (new instances on every call)."""
    if step == workflow.LAND_PROPOSED:
        return {
            "land_owner": forms.ChoiceField(label=_("Land owner"), choices=LandOwner.choices),
            "land_certificate": forms.CharField(label=_("Certificate or letter number"), max_length=100),
            "land_area_m2": forms.DecimalField(label=_("Land area (m²)"), min_value=1, max_digits=10, decimal_places=2),
            "road_access": forms.CharField(label=_("Road access"), max_length=200, required=False),
            "latitude": forms.DecimalField(
                label=_("Latitude"), min_value=-11, max_value=6, max_digits=9, decimal_places=6, required=False
            ),
            "longitude": forms.DecimalField(
                label=_("Longitude"), min_value=94, max_value=142, max_digits=9, decimal_places=6, required=False
            ),
        }
    if step == workflow.LAND_SURVEYED:
        return {
            "surveyed_by": forms.CharField(label=_("Surveyed by"), max_length=200, required=False),
            "clear_on": forms.DateField(label=_("Declared clear and clean on"), required=False, widget=_date_input()),
            "portal_on": forms.DateField(
                label=_("Entered in the builder's portal on"), required=False, widget=_date_input()
            ),
        }
    if step == workflow.HANDOVER:
        return {
            "handover_number": forms.CharField(label=_("Handover document number"), max_length=100),
            "asset_register": forms.ChoiceField(label=_("Asset register"), choices=AssetRegister.choices),
            "asset_number": forms.CharField(label=_("Asset register number"), max_length=100),
            "asset_on": forms.DateField(label=_("Entered in the asset register on"), widget=_date_input()),
        }
    if step == workflow.EQUIPMENT:
        return {
            "truck": forms.CharField(label=_("Truck registration"), max_length=20, required=False),
            "pickup_4x4": forms.CharField(label=_("4×4 pickup registration"), max_length=20, required=False),
            "three_wheeler_1": forms.CharField(label=_("Three-wheeler 1 registration"), max_length=20, required=False),
            "three_wheeler_2": forms.CharField(label=_("Three-wheeler 2 registration"), max_length=20, required=False),
        }
    if step == workflow.CHANNELS:
        return {"state": forms.ChoiceField(label=_("State"), choices=ChannelState.choices, required=False)}
    if step == workflow.FIRST_SALE:
        return {"first_sale_what": forms.CharField(label=_("What was sold"), max_length=200)}
    return {}


FACT_NAMES = {step.number: list(_facts(step.number)) for step in workflow.STEPS}


def fact_labels(step: int) -> dict[str, str]:
    """The label of each fact a step records, by field name (the vehicles read as one)."""
    labels = {name: str(field.label) for name, field in _facts(step).items()}
    labels["vehicles"] = str(_("Vehicles"))
    return labels


VEHICLE_FIELDS = {
    "truck": "truck",
    "pickup_4x4": "pickup_4x4",
    "three_wheeler_1": "three_wheeler",
    "three_wheeler_2": "three_wheeler",
}


# Filled by the phone (kopdes/buildings/static/buildings/photo_position.js), one entry per chosen file in the
# order of the file input, separated by ";": what the photo's EXIF said before any resizing. Then the phone's own
# location when the user allowed it.
PHONE_EXIF_FIELDS = ("exif_lat", "exif_lon", "exif_time")
DEVICE_FIELDS = ("device_lat", "device_lon", "accuracy")


def _number(text: str, low: float, high: float) -> Decimal | None:
    """A coordinate or accuracy the phone sent, or None when it is empty, not a number or out of range (the phone
    fills these fields, not a person: a bad value is dropped, never an error)."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not value.is_finite() or not low <= value <= high:
        return None
    return value.quantize(Decimal("0.000001"))


def _time_text(text: str) -> str:
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None, microsecond=0).isoformat()
    except ValueError:
        return ""


class StepForm(forms.Form):
    evidence_date = forms.DateField(label=_("Date"), required=False, widget=_date_input())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(
        label=_("Reason (a band or state going back, or the step not applicable)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    files = MultipleFileField(label=_("Files (PDF, JPEG or PNG)"), required=False)  # type: ignore[assignment]

    def __init__(self, *args, step: workflow.Step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["evidence_date"].label = str(step.date_label)
        if step.number == workflow.CONSTRUCTION:
            self.fields["band"] = forms.TypedChoiceField(label=_("Construction band"), choices=Band.choices, coerce=int)
            self.fields["latitude"] = forms.DecimalField(
                label=_("Photo latitude"), max_digits=9, decimal_places=6, required=False
            )
            self.fields["longitude"] = forms.DecimalField(
                label=_("Photo longitude"), max_digits=9, decimal_places=6, required=False
            )
        if step.number == workflow.CHANNELS:
            self.fields["channel"] = forms.ModelChoiceField(
                label=_("Channel"), queryset=ChannelKind.objects.filter(is_active=True)
            )
        self.fields.update(_facts(step.number))
        if step.may_not_apply:
            self.fields["not_applicable"] = forms.BooleanField(
                label=_("Not applicable (tidak berlaku)"), required=False
            )
        for name in (*PHONE_EXIF_FIELDS, *DEVICE_FIELDS):
            self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)
        self.fields[READ_TOKEN_FIELD] = ReadTokenField()
        first = ["channel", "band", "evidence_date", *FACT_NAMES[step.number], "files", "latitude", "longitude"]
        self.order_fields([*first, "note", "reason", "not_applicable"])

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        facts = {name: data.get(name) for name in FACT_NAMES[self.step.number]}
        if self.step.number == workflow.EQUIPMENT:
            facts = {
                "vehicles": [
                    {"kind": kind, "registration": str(facts[name]).strip().upper()}
                    for name, kind in VEHICLE_FIELDS.items()
                    if facts.get(name)
                ]
            }
        facts = {k: v for k, v in facts.items() if v not in (None, "")}
        return {
            "evidence_date": data.get("evidence_date"),
            "note": data.get("note", ""),
            "reason": data.get("reason", ""),
            "files": data.get("files") or [],
            "band": data.get("band"),
            "channel": data.get("channel"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "not_applicable": bool(data.get("not_applicable")),
            "phone_exif": self.phone_exif(),
            "device": self.device(),
            "data": facts,
            "token": data[READ_TOKEN_FIELD],
        }

    def phone_exif(self) -> list[dict]:
        """Per chosen file, in order: {"latitude", "longitude", "taken_at"} as the phone read the EXIF (None/"")."""
        lists = [(self.cleaned_data.get(name) or "").split(";") for name in PHONE_EXIF_FIELDS]
        count = max(len(values) for values in lists)
        rows = []
        for i in range(count):
            lat, lon, at = (values[i] if i < len(values) else "" for values in lists)
            latitude, longitude = _number(lat, -90, 90), _number(lon, -180, 180)
            if latitude is None or longitude is None:
                latitude = longitude = None
            rows.append({"latitude": latitude, "longitude": longitude, "taken_at": _time_text(at)})
        return rows

    def device(self) -> dict | None:
        """The phone's location when the photos were sent: {"latitude", "longitude", "accuracy_m"}, or None."""
        lat = _number(self.cleaned_data.get("device_lat") or "", -90, 90)
        lon = _number(self.cleaned_data.get("device_lon") or "", -180, 180)
        if lat is None or lon is None:
            return None
        accuracy = _number(self.cleaned_data.get("accuracy") or "", 0, 1_000_000)
        return {"latitude": lat, "longitude": lon, "accuracy_m": int(accuracy) if accuracy is not None else None}


class PublicPhotoForm(forms.Form):
    """The office shows a photo on the public pages, or takes it off."""

    public = forms.BooleanField(required=False)
    dibaca = ReadTokenField()


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InstalmentForm(forms.Form):
    """The plan from the allocation letter; the schedule one line per instalment: `YYYY-MM-DD amount`."""

    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    regulation = forms.CharField(label=_("Regulation cited"), max_length=200, help_text=_("For example PMK 7/2026."))
    letter_number = forms.CharField(label=_("Allocation letter number"), max_length=100)
    letter_date = forms.DateField(label=_("Allocation letter date"), widget=_date_input())
    schedule = forms.CharField(
        label=_("Schedule"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One instalment a line: due date (YYYY-MM-DD) and amount in rupiah, e.g. 2026-06-30 45000000."),
    )
    dibaca = ReadTokenField()

    def clean_schedule(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["schedule"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            try:
                due = date.fromisoformat(parts[0])
                amount = Decimal("".join(parts[1:]).replace(".", "").replace(",", ""))
            except (ValueError, InvalidOperation, IndexError):
                raise forms.ValidationError(
                    _("Line %(n)d: write the due date (YYYY-MM-DD) and the amount, e.g. 2026-06-30 45000000.")
                    % {"n": number}
                ) from None
            if amount <= 0:
                raise forms.ValidationError(_("Line %(n)d: the amount must be above zero.") % {"n": number})
            rows.append((due, amount))
        return rows


class StuckDaysForm(forms.Form):
    """The dashboard's "stuck for N days" choice (`?hari=`): a whole number of days, 1 to 3650."""

    hari = forms.IntegerField(
        label=_("Stuck for at least (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control form-control-sm"}),
    )

    def days(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("hari"):
            return self.cleaned_data["hari"]
        return default
