"""Forms of the roster and the picker that every people list uses.

The picker (for the next forms that name people: team, invitees, attendance, founders, board, members, trainees):

    from kopdes.people.forms import PasteField, RosterField, bind_roster, picked_people

    class MyForm(forms.Form):
        invitees_picked = RosterField(label=_("Invitees"))  # <select multiple>; people/picker.js makes it a search box
        invitees_paste = PasteField()  # optional spreadsheet rows, the same checks as the roster

    form = MyForm(request.POST or None, initial={"invitees_picked": [person.pk, ...]})
    bind_roster(form, village_code, request.user)  # the village's people, search/create URLs, NIK masking
    if form.is_valid():
        # picked + pasted (the pasted land in the roster), in order; ValidationError keyed "invitees_paste"
        people = picked_people(form, "invitees", actor=request.user, village_code=village_code)

Without JavaScript the picker is a plain multiple select of the village's people and the paste box adds new ones.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import ReadTokenField
from kopdes.core.nik import display_nik
from kopdes.people import cleaning, policy, selectors, services
from kopdes.people.models import Person, Sex, Source

PASTE_COLUMNS = ("name", "nik", "sex", "dusun", "rt", "phone")
_HEADER_WORDS = {"nama", "name", "nama lengkap"}


class PersonForm(forms.Form):
    dibaca = ReadTokenField()  # what the form shows, as it was read (audit.stale)
    name = forms.CharField(label=_("Name"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        required=False,
        help_text=_("16 digits, optional."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    dusun = forms.CharField(label=_("Dusun"), max_length=100, required=False)
    rt = forms.CharField(
        label=_("RT"), max_length=3, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    rw = forms.CharField(
        label=_("RW"), max_length=3, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    position = forms.CharField(
        label=_("Position in the village"),
        max_length=100,
        required=False,
        help_text=_("Free text, e.g. Kepala Dusun, Ketua RT, Tokoh agama."),
        widget=forms.TextInput(attrs={"list": "kd-positions"}),
    )


def parse_paste(text: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows copied from a spreadsheet, one person per line, cells separated by tabs (or ";" on a line without a tab):
    name, NIK, sex, dusun, RT (or "RT/RW"), phone. A first line whose first cell is "Nama" is a header and skipped.
    Returns (line number, fields) for each non-empty line; a ValidationError lists every bad line as "Row N: …"."""
    rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in (line.split("\t") if "\t" in line else line.split(";"))]
        if number == 1 and cells[0].casefold() in _HEADER_WORDS:
            continue
        if len(cells) > len(PASTE_COLUMNS):
            extra = cells[len(PASTE_COLUMNS) :]
            if any(extra):
                errors.append(
                    cleaning.row_error(number, [gettext("too many columns (expected at most %(n)s).") % {"n": 6}])
                )
                continue
        data = dict(zip(PASTE_COLUMNS, cells + [""] * (len(PASTE_COLUMNS) - len(cells)), strict=False))
        if "/" in data["rt"]:
            data["rt"], _slash, data["rw"] = data["rt"].partition("/")
        try:
            cleaning.clean_person(data)
        except ValidationError as error:
            errors.append(cleaning.row_error(number, [m for ms in error.message_dict.values() for m in ms]))
            continue
        rows.append((number, data))
    if errors:
        raise ValidationError(errors)
    return rows


class PasteField(forms.CharField):
    """A box for rows pasted from a spreadsheet; cleans to [(line number, fields)] (see `parse_paste`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Or paste rows from a spreadsheet"))
        kwargs.setdefault(
            "help_text",
            _(
                "One person per row, columns separated by tabs: name, NIK, sex (L/P), dusun, RT (or RT/RW), phone. "
                "New people are added to the village's roster; nothing is saved if a row is wrong."
            ),
        )
        kwargs.setdefault(
            "widget", forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "font-monospace kd-paste"})
        )
        super().__init__(strip=False, **kwargs)

    def clean(self, value):
        return parse_paste(super().clean(value))


class PeoplePicker(forms.SelectMultiple):
    """A multiple select of the village's people; people/picker.js turns it into a search-as-you-type combobox with
    chips and "add a new person" (data attributes: the search and create URLs)."""

    template_name = "people/widgets/picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-select kd-picker-select", "size": 8, **(attrs or {})})
        self.search_url = ""
        self.create_url = ""
        self.may_add = False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = {"search_url": self.search_url, "create_url": self.create_url, "may_add": self.may_add}
        return context


class RosterField(forms.ModelMultipleChoiceField):
    """People picked from a village's roster; cleans to a list of `Person` in the order they were picked. Call
    `bind_roster(form, village_code, user)` before rendering or validating."""

    widget = PeoplePicker

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Type a few letters of the name, then pick the person."))
        super().__init__(queryset=Person.objects.none(), **kwargs)
        self.may_see_nik = False

    def label_from_instance(self, obj: Person) -> str:
        return selectors.as_choice(obj, may_see_nik=self.may_see_nik)["label"]

    def clean(self, value):
        people = list(super().clean(value) or [])
        order = {str(pk): i for i, pk in enumerate(value or [])}
        return sorted(people, key=lambda p: order.get(str(p.pk), 0))


def bind_roster(form: forms.BaseForm, village_code: str, user) -> None:
    """Point every RosterField of `form` at the village's roster (what `user` may see of it)."""
    may_see_nik = policy.may_see_nik(user, village_code)
    for field in form.fields.values():
        if isinstance(field, RosterField):
            field.queryset = selectors.roster(village_code)
            field.may_see_nik = may_see_nik
            widget = field.widget
            assert isinstance(widget, PeoplePicker)
            widget.search_url = reverse("people:search", kwargs={"code": village_code})
            widget.may_add = policy.may_edit(user, village_code)
            widget.create_url = reverse("people:create_inline", kwargs={"code": village_code}) if widget.may_add else ""


def picked_people(form: forms.BaseForm, prefix: str, *, actor, village_code: str) -> list[Person]:
    """The people of `<prefix>_picked` and `<prefix>_paste` of a valid form: the pasted rows land in the roster
    (`services.add_people`, all or nothing). A bad pasted row raises ValidationError keyed by the paste field."""
    picked: list[Person] = list(form.cleaned_data.get(f"{prefix}_picked") or [])
    rows = form.cleaned_data.get(f"{prefix}_paste") or []
    if rows:
        try:
            pasted = services.add_people(actor=actor, village_code=village_code, rows=rows, source=Source.PASTE)
        except ValidationError as error:
            raise ValidationError({f"{prefix}_paste": error.messages}) from error
        picked += [p for p in pasted if p.pk not in {q.pk for q in picked}]
    return picked


def shown_nik(person: Person, user) -> str:
    return display_nik(person.nik, may_see=policy.may_see_nik(user, person.village_code))
