import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import ReadTokenField
from kopdes.cleaners import CellError
from kopdes.cleaners.money import parse_money
from kopdes.returns.services import MAX_TEXT

_UNIT_KEY = re.compile(r"^unit_(\d+)_(revenue|cost)$")


class RupiahField(forms.CharField):
    """Whole rupiah typed in Indonesian notation (kopdes/cleaners/money.py: "1.500.000", "Rp 1,5 jt"); empty is 0.
    With `signed`, a leading minus is a loss."""

    def __init__(self, *args, signed: bool = False, **kwargs):
        self.signed = signed
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value) -> int:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return 0
        negative = False
        if text[:1] in "-−":
            if not self.signed:
                raise forms.ValidationError(_gettext("This amount cannot be negative."))
            negative, text = True, text[1:].strip()
        try:
            amount = parse_money(text)
        except CellError as error:
            raise forms.ValidationError(str(error)) from error
        if amount != amount.to_integral_value():
            raise forms.ValidationError(_gettext("Write whole rupiah, without sen."))
        return -int(amount) if negative else int(amount)

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return f"{int(value):,}".replace(",", ".")
        return value


def _count(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10**9,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )


class ReturnForm(forms.Form):
    """One screen: a revenue and cost line per unit run (`unit_<outlet id>_revenue|cost`), then the month's figures.
    `confirm_jump` is shown only when the revenue jumped (the view sets `needs_confirmation`)."""

    dibaca = ReadTokenField()
    lpg_tubes = _count(_("LPG 3 kg sold (tubes)"))
    rice_kg = _count(_("SPHP rice sold (kg)"))
    fertiliser_kg = _count(_("Fertiliser sold (kg)"))
    members_joined = _count(_("Members joined"))
    members_left = _count(_("Members left"))
    simpanan_pokok = RupiahField(label=_("Simpanan pokok collected (Rp)"))
    simpanan_wajib = RupiahField(label=_("Simpanan wajib collected (Rp)"))
    simpanan_sukarela = RupiahField(label=_("Simpanan sukarela collected (Rp)"))
    cash_balance = RupiahField(label=_("Cash at the end of the month (Rp)"))
    bank_balance = RupiahField(label=_("Bank balance at the end of the month (Rp)"))
    total_assets = RupiahField(label=_("Total assets (Rp)"))
    profit_loss = RupiahField(label=_("Profit or loss of the month (Rp, a loss with a minus)"), signed=True)
    problems = forms.CharField(
        label=_("Problems met"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_jump = forms.BooleanField(label=_("The revenue is right: confirm it"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.needs_confirmation = False
        for outlet in self.units:
            self.fields[f"unit_{outlet.pk}_revenue"] = RupiahField(label=_("Revenue (Rp)"))
            self.fields[f"unit_{outlet.pk}_cost"] = RupiahField(label=_("Cost of goods sold (Rp)"))

    def unit_rows(self):
        return [(o, self[f"unit_{o.pk}_revenue"], self[f"unit_{o.pk}_cost"]) for o in self.units]

    def clean(self):
        data = super().clean()
        # a unit sent by a crafted or outdated page is kept for the service, which refuses units not run
        self.foreign_units = sorted(
            {int(m.group(1)) for key in self.data if (m := _UNIT_KEY.match(key))} - {o.pk for o in self.units}
        )
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name) or (0 if name != "problems" else "")
            for name in (
                "lpg_tubes", "rice_kg", "fertiliser_kg", "members_joined", "members_left", "simpanan_pokok",
                "simpanan_wajib", "simpanan_sukarela", "cash_balance", "bank_balance", "total_assets",
                "profit_loss", "problems",
            )
        }  # fmt: skip

    def lines(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        found = {o.pk: (data[f"unit_{o.pk}_revenue"], data[f"unit_{o.pk}_cost"]) for o in self.units}
        found.update({pk: (0, 0) for pk in self.foreign_units})
        return found


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning it"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    until = forms.DateField(label=_("Reopen until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    assistant = forms.ChoiceField(label=_("Business Assistant"))
    cooperative = forms.ChoiceField(label=_("Cooperative"))
    started_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, assistants=(), cooperatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistant"].choices = [("", "—")] + [(str(u.pk), str(u)) for u in assistants]
        self.fields["cooperative"].choices = [("", "—")] + [(str(c.pk), c.name) for c in cooperatives]
