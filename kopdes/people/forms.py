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

Per-person values (an element, a position in the team or on the board): give the field and the paste box `extras`
(`Extra(key, label, choices=..., required=...)`, a select when `choices`, else a short text). Each picked person is then
shown as a row with one small control per extra (named `<field>-<key>-<person id>`); pasted rows take them as columns
after the roster's six. `picked_rows(form, prefix, ...)` returns [{"person": Person, <key>: value, ...}]:

    members_picked = RosterField(label=_("Members"), extras=TEAM_EXTRAS)
    members_paste = PasteField(extras=TEAM_EXTRAS)
    form = TeamForm(data, initial={"members_picked": [pk, ...], "members_extras": {pk: {"element": ...}}})
    rows = picked_rows(form, "members", actor=user, village_code=code)  # ValidationError keyed "members_picked"
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Extra:
    """A value asked per picked person: `choices` [(code, label)] make it a select (a typed word is matched against
    the codes, the labels and `words`), else it is free text of at most `max_length` characters."""

    key: str
    label: Any
    choices: tuple = ()
    required: bool = False
    max_length: int = 100
    words: tuple = ()  # (typed word, code) accepted in pasted rows

    def clean(self, value: str) -> str:
        """The code of `value` (a code, a label or a known word; case and spaces ignored); ValidationError if unknown,
        or missing when required."""
        value = " ".join((value or "").split())
        if not value:
            if self.required:
                raise ValidationError(gettext("%(what)s is missing.") % {"what": str(self.label)})
            return ""
        if not self.choices:
            if len(value) > self.max_length:
                raise ValidationError(gettext("%(what)s is too long.") % {"what": str(self.label)})
            return value
        known = {str(code).casefold(): code for code, _label in self.choices if code}
        known.update({str(label).casefold(): code for code, label in self.choices if code})
        known.update({word.casefold(): code for word, code in self.words})
        if value.casefold() not in known:
            accepted = ", ".join(word for word, _code in self.words) or ", ".join(
                str(label) for code, label in self.choices if code
            )
            raise ValidationError(
                gettext("“%(value)s” is not a known %(what)s. Accepted: %(accepted)s.")
                % {"value": value, "what": str(self.label).lower(), "accepted": accepted}
            )
        return known[value.casefold()]


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


def _paste_row(cells: list[str], columns: tuple[str, ...], extras: tuple[Extra, ...]) -> dict[str, Any]:
    """One pasted line's fields (the extras' codes under "extras"); ValidationError with every message of the line."""
    data = dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=False))
    if "/" in data["rt"]:
        data["rt"], _slash, data["rw"] = data["rt"].partition("/")
    messages: list[str] = []
    values = {}
    for extra in extras:
        try:
            values[extra.key] = extra.clean(data.pop(extra.key))
        except ValidationError as error:
            messages.extend(error.messages)
    try:
        cleaning.clean_person(data)
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms] + messages
    if messages:
        raise ValidationError(messages)
    return {**data, "extras": values} if extras else dict(data)


def parse_paste(text: str, extras: tuple[Extra, ...] = ()) -> list[tuple[int, dict[str, Any]]]:
    """Rows copied from a spreadsheet, one person per line, cells separated by tabs (or ";" on a line without a tab):
    name, NIK, sex, dusun, RT (or "RT/RW"), phone, then one column per extra. A first line whose first cell is "Nama"
    is a header and skipped. Returns (line number, fields) for each non-empty line, the extras' codes under
    fields["extras"]; a ValidationError lists every bad line as "Row N: …"."""
    columns = PASTE_COLUMNS + tuple(extra.key for extra in extras)
    rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in (line.split("\t") if "\t" in line else line.split(";"))]
        if number == 1 and cells[0].casefold() in _HEADER_WORDS:
            continue
        if len(cells) > len(columns):
            extra = cells[len(columns) :]
            if any(extra):
                errors.append(
                    cleaning.row_error(
                        number, [gettext("too many columns (expected at most %(n)s).") % {"n": len(columns)}]
                    )
                )
                continue
        try:
            data = _paste_row(cells, columns, extras)
        except ValidationError as error:
            errors.append(cleaning.row_error(number, error.messages))
            continue
        rows.append((number, data))
    if errors:
        raise ValidationError(errors)
    return rows


class PasteField(forms.CharField):
    """A box for rows pasted from a spreadsheet; cleans to [(line number, fields)] (see `parse_paste`)."""

    def __init__(self, *, extras: tuple[Extra, ...] = (), **kwargs):
        self.extras = tuple(extras)
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
        return parse_paste(super().clean(value), self.extras)


class PeoplePicker(forms.SelectMultiple):
    """A multiple select of the village's people; people/picker.js turns it into a search-as-you-type combobox with
    chips and "add a new person" (data attributes: the search and create URLs)."""

    template_name = "people/widgets/picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-select kd-picker-select", "size": 8, **(attrs or {})})
        self.search_url = ""
        self.create_url = ""
        self.may_add = False
        self.extras: tuple[Extra, ...] = ()
        self.extra_value: Any = lambda name, key, pk: ""  # set by bind_roster: the submitted or initial value

    def optgroups(self, name, value, attrs=None):
        """The picked people first, in the order of `value` (the order saved, or picked), then the rest of the roster
        by name: the chips, the rows and the posted list keep the order the people were saved in."""
        groups = super().optgroups(name, value, attrs)
        options = [option for _group, group_options, _index in groups for option in group_options]
        order = {str(v): i for i, v in enumerate(value or [])}
        picked = sorted((o for o in options if o["selected"]), key=lambda o: order.get(str(o["value"]), len(order)))
        rest = [o for o in options if not o["selected"]]
        return [(None, [*picked, *rest], 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = []
        if self.extras:
            for _group, options, _index in context["widget"]["optgroups"]:
                for option in options:
                    if option["selected"]:
                        pk = str(option["value"])
                        rows.append(
                            {"pk": pk, "name": str(option["label"]).split(" · ")[0],
                             "fields": [self._extra(name, extra, pk) for extra in self.extras]}
                        )  # fmt: skip
        context["picker"] = {
            "search_url": self.search_url,
            "create_url": self.create_url,
            "may_add": self.may_add,
            "rows": rows,
            "template_fields": [self._extra(name, extra, "__ID__") for extra in self.extras],
        }
        return context

    def _extra(self, name: str, extra: Extra, pk: str) -> dict[str, Any]:
        return {
            "name": f"{name}-{extra.key}-{pk}",
            "id": f"id_{name}-{extra.key}-{pk}",
            "label": extra.label,
            "choices": [("", "—"), *extra.choices] if extra.choices else None,
            "value": self.extra_value(name, extra.key, pk) if pk != "__ID__" else "",
            "max_length": extra.max_length,
            "required": extra.required,
        }


class RosterField(forms.ModelMultipleChoiceField):
    """People picked from a village's roster; cleans to a list of `Person` in the order they were picked. Call
    `bind_roster(form, village_code, user)` before rendering or validating."""

    widget = PeoplePicker

    def __init__(self, *, extras: tuple[Extra, ...] = (), **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Type a few letters of the name, then pick the person."))
        super().__init__(queryset=Person.objects.none(), **kwargs)
        self.may_see_nik = False
        self.extras = tuple(extras)
        self.widget.extras = self.extras

    def label_from_instance(self, obj: Person) -> str:
        return selectors.as_choice(obj, may_see_nik=self.may_see_nik)["label"]

    def clean(self, value):
        people = list(super().clean(value) or [])
        order = {str(pk): i for i, pk in enumerate(value or [])}
        return sorted(people, key=lambda p: order.get(str(p.pk), 0))


def bind_roster(form: forms.BaseForm, village_code: str, user) -> None:
    """Point every RosterField of `form` at the village's roster (what `user` may see of it)."""
    for name, field in form.fields.items():
        if isinstance(field, RosterField):
            bind_field(form, name, village_code, user)


def bind_field(form: forms.BaseForm, name: str, village_code: str, user) -> None:
    """Point the RosterField `name` of `form` at the roster of `village_code` (a form with one picker per village,
    e.g. a training's invited villages)."""
    field = form.fields[name]
    assert isinstance(field, RosterField)
    field.queryset = selectors.roster(village_code)
    field.may_see_nik = policy.may_see_nik(user, village_code)
    widget = field.widget
    assert isinstance(widget, PeoplePicker)
    widget.search_url = reverse("people:search", kwargs={"code": village_code})
    widget.may_add = policy.may_edit(user, village_code)
    widget.create_url = reverse("people:create_inline", kwargs={"code": village_code}) if widget.may_add else ""
    widget.extras = field.extras
    widget.extra_value = _extra_values(form, name)


def _extra_values(form: forms.BaseForm, name: str):
    """The value of an extra for a person: as submitted when the form is bound, else from the form's initial
    `<prefix>_extras` ({person id: {key: value}})."""
    prefix = name.removesuffix("_picked")
    initial = form.initial.get(f"{prefix}_extras") or {}

    def value(html_name: str, key: str, pk: str) -> str:
        if form.is_bound:
            return form.data.get(f"{html_name}-{key}-{pk}", "")
        return (initial.get(int(pk)) or initial.get(pk) or {}).get(key, "")

    return value


def picked_people(form: forms.BaseForm, prefix: str, *, actor, village_code: str) -> list[Person]:
    """The people of `<prefix>_picked` and `<prefix>_paste` of a valid form: the pasted rows land in the roster
    (`services.add_people`, all or nothing). A bad pasted row raises ValidationError keyed by the paste field."""
    picked: list[Person] = list(form.cleaned_data.get(f"{prefix}_picked") or [])
    rows = form.cleaned_data.get(f"{prefix}_paste") or []
    if rows:
        try:
            pasted = services.add_people(
                actor=actor, village_code=village_code, rows=rows, source=Source.PASTE, already=picked
            )
        except ValidationError as error:
            raise ValidationError({f"{prefix}_paste": error.messages}) from error
        picked += pasted
    return picked


def picked_rows(form: forms.BaseForm, prefix: str, *, actor, village_code: str) -> list[dict[str, Any]]:
    """Like `picked_people`, with each person's extras: [{"person": Person, <extra key>: code, ...}] in order (picked,
    then pasted). A missing or unknown extra of a picked person raises ValidationError keyed `<prefix>_picked`, naming
    the person; call inside the transaction that saves the rows."""
    field = form.fields[f"{prefix}_picked"]
    assert isinstance(field, RosterField)
    html_name = form.add_prefix(f"{prefix}_picked")
    picked: list[Person] = list(form.cleaned_data.get(f"{prefix}_picked") or [])
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for person in picked:
        row: dict[str, Any] = {"person": person}
        for extra in field.extras:
            try:
                row[extra.key] = extra.clean(form.data.get(f"{html_name}-{extra.key}-{person.pk}", ""))
            except ValidationError as error:
                errors.extend(f"{person.name}: {message}" for message in error.messages)
        rows.append(row)
    if errors:
        raise ValidationError({f"{prefix}_picked": errors})
    pasted_rows = form.cleaned_data.get(f"{prefix}_paste") or []
    if pasted_rows:
        extras = [data.get("extras", {}) for _number, data in pasted_rows]
        plain = [(number, {k: v for k, v in data.items() if k != "extras"}) for number, data in pasted_rows]
        try:
            pasted = services.add_people(
                actor=actor, village_code=village_code, rows=plain, source=Source.PASTE, already=picked
            )
        except ValidationError as error:
            raise ValidationError({f"{prefix}_paste": error.messages}) from error
        rows += [{"person": person, **values} for person, values in zip(pasted, extras, strict=True)]
    return rows


def shown_nik(person: Person, user) -> str:
    return display_nik(person.nik, may_see=policy.may_see_nik(user, person.village_code))
