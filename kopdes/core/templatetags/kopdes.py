from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms, template

from kopdes.core.nik import mask_nik

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

register = template.Library()


@register.filter
def bs(field):
    """Render a form field's widget with Bootstrap's class, marked invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def masked_nik(value):
    return mask_nik(str(value or ""))


@register.inclusion_tag("includes/values.html")
def values(data):
    """An audit entry's before/after as readable "field: value" lines (lists joined, empty values as a dash)."""
    if not isinstance(data, dict):
        return {"rows": [] if data in (None, "") else [("", data)]}
    rows = []
    for key, value in data.items():
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(item) for item in value)
        rows.append((key, "—" if value in (None, "") else value))
    return {"rows": rows}


@register.filter
def person(user: AbstractBaseUser | str | None, show_people: bool):
    """A user's name where the reader may see people's names (not the read-only partner, mitra), else a dash."""
    if user is None or user == "":
        return ""
    return str(user) if show_people else "—"


# Words written in lower case inside a name (PUEBI/EYD V: capital letters, "kecuali kata tugas"): "Dinas Koperasi dan
# Usaha Mikro", "Dinas Koperasi, UKM dan Perdagangan".
_FUNCTION_WORDS = frozenset({"dan", "atau", "serta", "di", "ke", "dari", "untuk", "yang", "pada", "dengan", "bagi"})


@register.filter
def name_case(value) -> str:
    """An office or region name in title case by EYD V: each word capitalised except function words ("dan", "di",
    "untuk"…) after the first; abbreviations in capitals (UKM, UMKM, RI: at most five letters, one vowel) stay so.

    "DINAS KOPERASI DAN USAHA MIKRO" -> "Dinas Koperasi dan Usaha Mikro"."""
    words = str(value or "").split()
    out = []
    for position, word in enumerate(words):
        bare = word.strip(",.;:()").lower()
        if position and bare in _FUNCTION_WORDS:
            out.append(word.lower())
        elif word.isupper() and len(bare) <= 5 and sum(letter in "aeiou" for letter in bare) <= 1:
            out.append(word)  # an abbreviation (UKM, UMKM, RI, PMD), not a short word (DESA, AIR)
        else:
            out.append(word[:1].upper() + word[1:].lower())
    return " ".join(out)


@register.filter
def files_not_kept(field) -> list[str]:
    """The names of the files the user chose in `field` when its form comes back (an error in it, in a formset beside
    it, or a refusal by the service: a saved form redirects instead): a browser cannot put a file back into a file
    input, so the page names them and asks for them again (issue 16); [] otherwise."""
    form = field.form
    if not isinstance(field.field, forms.FileField) or not form.is_bound or not hasattr(form.files, "getlist"):
        return []
    return [uploaded.name for uploaded in form.files.getlist(field.html_name) if getattr(uploaded, "name", "")]
