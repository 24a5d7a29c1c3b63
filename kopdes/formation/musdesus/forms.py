"""Forms of the facilitator team and the Musdesus.

People are picked from the village's roster (people.forms.RosterField), with the list's own values per person
(element, position); rows pasted from a spreadsheet go through the roster's checks and land in it. Guests who are not
villagers (the camat, a pendamping, an official) are typed in a guest box with the same columns and checks, and stay
off the roster (`GuestField`). The typed invitee box keeps its "name; note" lines. The keywords accepted for element,
sex and positions are the Indonesian words printed on the paper forms (data tokens, not interface text), plus the
codes.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import ReadTokenField
from kopdes.cleaners.nik import parse_nik
from kopdes.formation.models import BoardPosition, BusinessUnit, Element, Musdesus, RevitalisationMethod, VillageOffice
from kopdes.formation.musdesus.selectors import DECISION_FIELDS
from kopdes.formation.workflow import Pathway
from kopdes.people.forms import Extra, PasteField, RosterField

ELEMENT_WORDS = {
    "tokoh masyarakat": Element.TOKOH_MASYARAKAT,
    "tokoh agama": Element.TOKOH_AGAMA,
    "pelaku usaha": Element.PELAKU_USAHA,
    "pelaku usaha lokal": Element.PELAKU_USAHA,
    "usaha": Element.PELAKU_USAHA,
    "bpd": Element.BPD,
    "perempuan": Element.PEREMPUAN,
    "pkk": Element.PEREMPUAN,
    "perempuan/pkk": Element.PEREMPUAN,
    "pemuda": Element.PEMUDA,
    "karang taruna": Element.PEMUDA,
    "pemuda/karang taruna": Element.PEMUDA,
    "masyarakat": Element.MASYARAKAT,
    "warga": Element.MASYARAKAT,
    "warga masyarakat": Element.MASYARAKAT,
    "lainnya": Element.LAINNYA,
    "lain": Element.LAINNYA,
    **{value: value for value in Element.values},
}
POSITION_WORDS = {
    "ketua": BoardPosition.KETUA,
    "wakil ketua bidang usaha": BoardPosition.WAKIL_USAHA,
    "wakil ketua usaha": BoardPosition.WAKIL_USAHA,
    "wakil ketua bidang keanggotaan": BoardPosition.WAKIL_KEANGGOTAAN,
    "wakil ketua keanggotaan": BoardPosition.WAKIL_KEANGGOTAAN,
    "sekretaris": BoardPosition.SEKRETARIS,
    "bendahara": BoardPosition.BENDAHARA,
    "anggota": BoardPosition.ANGGOTA,
    **{value: value for value in BoardPosition.values},
}
OFFICE_WORDS = {
    "": VillageOffice.NONE,
    "-": VillageOffice.NONE,
    "kades": VillageOffice.HEAD,
    "kepala desa": VillageOffice.HEAD,
    "lurah": VillageOffice.HEAD,
    "perangkat": VillageOffice.APPARATUS,
    "perangkat desa": VillageOffice.APPARATUS,
    "sekdes": VillageOffice.APPARATUS,
    "ketua bpd": VillageOffice.BPD_LEADER,
    "pimpinan bpd": VillageOffice.BPD_LEADER,
    **{value: value for value in VillageOffice.values if value},
}
SEX_WORDS = {"l": "L", "laki-laki": "L", "p": "P", "perempuan": "P", "": ""}


# (field, required) per list, in the order typed on a line
LAYOUTS = {
    "team": ("name", "position", "element", "phone"),
    "invitee": ("name", "note"),
    "attendee": ("name", "sex", "element", "nik"),
    "founder": ("name", "nik"),
    "board": ("position", "name", "nik", "village_office"),
}


def _word(value: str, words: dict, what) -> str:
    """The code of a typed keyword; an unknown one is refused with the accepted words listed."""
    key = " ".join(value.lower().split())
    if key not in words:
        accepted = ", ".join(word for word in words if word and "_" not in word)  # the words, not the codes
        raise ValidationError(
            gettext("“%(value)s” is not a known %(what)s. Accepted: %(accepted)s.")
            % {"value": value, "what": what, "accepted": accepted}
        )
    return words[key]


def parse_lines(text: str, layout: str) -> list[dict]:
    """Rows from the typed lines; a ValidationError lists every bad line by its number."""
    fields = LAYOUTS[layout]
    rows, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        parts += [""] * (len(fields) - len(parts))
        if len(parts) > len(fields):
            errors.append(_line(number, gettext("too many “;” (expected %(n)s fields).") % {"n": len(fields)}))
            continue
        row = dict(zip(fields, parts, strict=True))
        try:
            rows.append(_clean_row(row, layout))
        except ValidationError as error:
            errors.extend(_line(number, message) for message in error.messages)
    if errors:
        raise ValidationError(errors)
    return rows


def _line(number: int, message: str) -> str:
    return gettext("Line %(line)s: %(error)s") % {"line": number, "error": message}


def _clean_row(row: dict, layout: str) -> dict:
    if not row["name"]:
        raise ValidationError(gettext("the name is missing."))
    if len(row["name"]) > 150:
        raise ValidationError(gettext("the name is longer than 150 characters."))
    if "element" in row:
        row["element"] = _word(row["element"], ELEMENT_WORDS, gettext("element")) if row["element"] else ""
        if layout == "team" and not row["element"]:
            raise ValidationError(gettext("the element is missing."))
    if "sex" in row:
        row["sex"] = _word(row["sex"], SEX_WORDS, gettext("sex (L or P)"))
    if "position" in row and layout == "board":
        row["position"] = _word(row["position"], POSITION_WORDS, gettext("position"))
    if "village_office" in row:
        row["village_office"] = _word(row["village_office"], OFFICE_WORDS, gettext("office in the village"))
    if row.get("nik"):
        nik = parse_nik(row["nik"])  # a ValidationError in plain words
        row["nik"] = nik.value
        if "sex" in row and row["sex"] and row["sex"] != nik.sex:
            raise ValidationError(gettext("the sex does not match the NIK."))
        if "sex" in row and not row["sex"]:
            row["sex"] = nik.sex
    for key in ("position", "phone", "note"):
        if key in row and len(row[key]) > (30 if key == "phone" else 100):
            raise ValidationError(gettext("a field is too long."))
    return row


# saved codes back to the first (most common) word typed for them
_WORD_OF = {
    key: {code: word for word, code in reversed(list(words.items())) if word}
    for key, words in (("element", ELEMENT_WORDS), ("village_office", OFFICE_WORDS))
}
_WORD_OF["board_position"] = {code: word for word, code in reversed(list(POSITION_WORDS.items()))}


def format_lines(rows: list[dict], layout: str) -> str:
    """The typed form of saved rows (for editing them again), with the Indonesian words rather than the codes."""

    def word(field: str, value) -> str:
        key = "board_position" if field == "position" and layout == "board" else field
        return _WORD_OF.get(key, {}).get(value, value) if value else ""

    return "\n".join("; ".join(word(f, row.get(f)) or "" for f in LAYOUTS[layout]).rstrip("; ") for row in rows)


class PeopleField(forms.CharField):
    def __init__(self, *, layout: str, rows: int = 6, **kwargs):
        self.layout = layout
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.Textarea(attrs={"rows": rows, "spellcheck": "false", "class": "font-monospace"})
        )
        super().__init__(strip=False, **kwargs)

    def clean(self, value):
        return parse_lines(super().clean(value), self.layout)


def _words(words: dict) -> tuple:
    return tuple((word, code) for word, code in words.items() if word and "_" not in word and word != "-")


ELEMENT_HELP = _(
    "Elements: tokoh masyarakat, tokoh agama, pelaku usaha, BPD, perempuan/PKK, pemuda/karang taruna, "
    "masyarakat (warga), lainnya."
)
TEAM_EXTRAS = (
    Extra("position", _("Position in the team"), max_length=100),
    Extra("element", _("Element"), choices=tuple(Element.choices), required=True, words=_words(ELEMENT_WORDS)),
)
ATTENDEE_EXTRAS = (Extra("element", _("Element"), choices=tuple(Element.choices), words=_words(ELEMENT_WORDS)),)
BOARD_EXTRAS = (
    Extra(
        "position", _("Board position"), choices=tuple(BoardPosition.choices), required=True,
        words=_words(POSITION_WORDS),
    ),
    Extra(
        "village_office", _("Office in the village"), choices=tuple(c for c in VillageOffice.choices if c[0]),
        words=_words(OFFICE_WORDS),
    ),
)  # fmt: skip
ROSTER_COLUMNS = _("name, NIK, sex (L/P), dusun, RT (or RT/RW), phone")


def paste_help(extra_columns) -> str:
    """The paste box's help: the roster's six columns, then the list's own (the same order in every box)."""
    return gettext(
        "Or paste rows from a spreadsheet, one person per row, columns separated by tabs: %(columns)s, %(extra)s. "
        "New people are added to the village's roster; nothing is saved if a row is wrong."
    ) % {"columns": ROSTER_COLUMNS, "extra": extra_columns}


def paste_lines(rows: list[dict], extras: tuple[Extra, ...]) -> str:
    """Saved rows not linked to a roster person, in the paste layout (name, NIK, sex, dusun, RT, phone, extras), so
    that saving the form again brings them into the roster."""
    lines = []
    for row in rows:
        cells = [row.get(key) or "" for key in ("name", "nik", "sex", "dusun", "rt", "phone")]
        cells += [row.get(extra.key) or "" for extra in extras]
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines)


lazy_paste_help = lazy(paste_help, str)


def guest_help(extra_columns) -> str:
    """The guest box's help: who goes there, and the paste box's columns (the same order and checks)."""
    return gettext(
        "For people who are not villagers (the camat, a pendamping, an official from the office): one per row, the "
        "same columns as the paste box, separated by tabs or “;”: %(columns)s, %(extra)s. They are not added to the "
        "village's roster."
    ) % {"columns": ROSTER_COLUMNS, "extra": extra_columns}


lazy_guest_help = lazy(guest_help, str)


class GuestField(PasteField):
    """Typed rows for guests from outside the village: parsed and checked as pasted rows (`parse_paste`, the same
    columns), but never added to the roster; cleans to [(line number, fields)]."""

    def __init__(self, *, extras: tuple[Extra, ...] = (), extra_columns, **kwargs):
        kwargs.setdefault("help_text", lazy_guest_help(extra_columns))
        kwargs.setdefault(
            "widget", forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "class": "font-monospace kd-paste"})
        )
        super().__init__(extras=extras, **kwargs)


def guest_rows(form: forms.BaseForm, prefix: str) -> list[dict]:
    """The typed guests of `<prefix>_guests` of a valid form: the fields of each row with the extras' codes merged in,
    in the order typed (no person: they stay off the roster)."""
    rows = []
    for _number, data in form.cleaned_data.get(f"{prefix}_guests") or []:
        fields = {key: value for key, value in data.items() if key != "extras"}
        rows.append({**fields, **data.get("extras", {}), "person": None})
    return rows


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TeamForm(forms.Form):
    dibaca = ReadTokenField()  # what the form shows, as it was read (audit.stale)
    village_head_name = forms.CharField(label=_("Name of the village head / lurah"), max_length=150, required=False)
    decree_date = forms.DateField(label=_("Decree date"), required=False, widget=DATE_WIDGET)
    formed_date = forms.DateField(label=_("Team formed on"), required=False, widget=DATE_WIDGET)
    members_picked = RosterField(
        label=_("Members"),
        extras=TEAM_EXTRAS,
        help_text=_("Type a few letters of the name, pick the person, then choose the element."),
    )
    members_paste = PasteField(
        extras=TEAM_EXTRAS,
        label=_("Or paste rows from a spreadsheet"),
        help_text=lazy_paste_help(_("position in the team, element")),
    )
    members_guests = GuestField(
        extras=TEAM_EXTRAS,
        label=_("Other members (typed)"),
        extra_columns=_("position in the team, element"),
    )
    submit_evidence = forms.BooleanField(
        label=_("Submit the team as the evidence of stage 2 for verification"), required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        if (
            "members_picked" in data
            and "members_paste" in data
            and not (data["members_picked"] or data["members_paste"] or data.get("members_guests"))
        ):
            self.add_error("members_picked", gettext("Enter at least one member."))
        return data


class ScheduleForm(forms.Form):
    dibaca = ReadTokenField()  # what the form shows, as it was read (audit.stale)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=250)
    convener = forms.CharField(label=_("Convener"), max_length=150, help_text=_("e.g. Ketua BPD"))
    invitees_picked = RosterField(label=_("Invitees from the village's people"))
    invitees_paste = PasteField()
    invitees = PeopleField(
        layout="invitee",
        label=_("Other invitees (typed)"),
        help_text=_(
            "For people not on the roster (guests from outside the village): one per line: name; institution or "
            "element (optional)."
        ),
    )
    submit_evidence = forms.BooleanField(
        label=_("Submit the schedule as the evidence of stage 3 for verification"), required=False, initial=True
    )


class AttendanceForm(forms.Form):
    dibaca = ReadTokenField()  # what the form shows, as it was read (audit.stale)
    attendees_picked = RosterField(
        label=_("Attendance"),
        extras=ATTENDEE_EXTRAS,
        help_text=_("Type a few letters of the name, pick the person, then choose the element."),
    )
    attendees_paste = PasteField(extras=ATTENDEE_EXTRAS, help_text=lazy_paste_help(_("element (optional)")))
    attendees_guests = GuestField(
        extras=ATTENDEE_EXTRAS, label=_("Other attendees (typed)"), extra_columns=_("element (optional)")
    )

    def clean(self):
        data = super().clean()
        if "attendees_picked" in data and "attendees_paste" in data:
            if not (data["attendees_picked"] or data["attendees_paste"] or data.get("attendees_guests")):
                self.add_error("attendees_picked", gettext("The attendance list is empty: enter at least one person."))
        return data


class DecisionsForm(forms.ModelForm):
    dibaca = ReadTokenField()  # what the form shows, as it was read (audit.stale)
    founders_picked = RosterField(label=_("Founding members"))
    founders_paste = PasteField(help_text=lazy_paste_help(_("nothing more")))
    pengurus_picked = RosterField(
        label=_("Pengurus candidates"),
        extras=BOARD_EXTRAS,
        help_text=_("Pick each candidate, then choose the board position and the office in the village, if any."),
    )
    pengurus_paste = PasteField(
        extras=BOARD_EXTRAS,
        help_text=lazy_paste_help(
            _(
                "board position (ketua, wakil ketua bidang usaha, wakil ketua bidang keanggotaan, sekretaris, "
                "bendahara, anggota), office in the village (kades, perangkat, ketua BPD; empty if none)"
            )
        ),
    )
    pengawas_picked = RosterField(
        label=_("Pengawas candidates"),
        extras=BOARD_EXTRAS,
        help_text=_("As the pengurus; the village head is ex officio ketua pengawas."),
    )
    pengawas_paste = PasteField(
        extras=BOARD_EXTRAS, help_text=lazy_paste_help(_("board position, office in the village"))
    )

    class Meta:
        model = Musdesus
        fields = [*DECISION_FIELDS[:6], "business_units", *DECISION_FIELDS[6:]]  # the units after the savings
        widgets = {
            "business_units": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "simpanan_pokok": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "simpanan_wajib": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].required = True
        self.fields["pathway"].choices = [("", "—"), *Pathway.choices]
        self.fields["business_units"].queryset = BusinessUnit.objects.all()
        self.fields["revitalisation_method"].choices = [("", "—"), *RevitalisationMethod.choices]

    def clean(self):
        data = super().clean()
        if data.get("pathway") == Pathway.REVITALISASI and not data.get("revitalisation_method"):
            self.add_error("revitalisation_method", gettext("Choose the revitalisation method."))
        if (
            data.get("pathway") in (Pathway.PENGEMBANGAN, Pathway.REVITALISASI)
            and not data.get("existing_cooperative", "").strip()
        ):
            self.add_error("existing_cooperative", gettext("Name the existing cooperative."))
        for key in ("simpanan_pokok", "simpanan_wajib"):
            if data.get(key) is not None and data[key] < 0:
                self.add_error(key, gettext("Enter an amount of zero or more."))
        return data


class ScanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    scan = forms.FileField(
        label=_("Signed Berita Acara (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}),
    )
