"""How a person of the roster is checked, however they are entered (the roster page, "add a new person" in a picker,
pasted rows, an OpenSID export): a name, a well-formed NIK (`cleaners.nik.parse_nik`, optional), a sex that agrees
with the NIK (read from it when not given), RT/RW of up to three digits, a phone of digits. Pure: no query."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kopdes.cleaners.nik import parse_nik

FIELDS = ["name", "nik", "sex", "dusun", "rt", "rw", "phone", "position"]
SEX_WORDS = {"": "", "l": "L", "lk": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "p": "P", "pr": "P",
             "perempuan": "P", "wanita": "P"}  # fmt: skip
_MAX = {"name": 150, "dusun": 100, "phone": 30, "position": 100}


def _spaced(value: Any) -> str:
    return " ".join(str(value or "").split())


def _rt(value: Any, label: str) -> str:
    digits = _spaced(value).lstrip("0") or ("0" if _spaced(value) else "")
    if digits and not re.fullmatch(r"\d{1,3}", digits):
        raise ValidationError(_("%(what)s is a number of up to three digits.") % {"what": label})
    return digits.zfill(3) if digits and digits != "0" else ""


def _add(errors: dict[str, list[str]], key: str, *messages: str) -> None:
    errors.setdefault(key, []).extend(messages)


def _clean_sex_and_nik(cleaned: dict[str, str], errors: dict[str, list[str]]) -> None:
    sex = cleaned["sex"].lower()
    if sex not in SEX_WORDS:
        _add(errors, "sex", _("The sex is L (laki-laki) or P (perempuan)."))
    cleaned["sex"] = SEX_WORDS.get(sex, "")
    if not cleaned["nik"]:
        return
    try:
        nik = parse_nik(cleaned["nik"])
    except ValidationError as error:
        _add(errors, "nik", *error.messages)
        return
    cleaned["nik"] = nik.value
    if cleaned["sex"] and cleaned["sex"] != nik.sex and "sex" not in errors:
        _add(errors, "sex", _("The sex does not match the NIK."))
    cleaned["sex"] = cleaned["sex"] or nik.sex


def clean_person(data: dict[str, Any]) -> dict[str, str]:
    """The person's fields cleaned (names spaced, NIK as 16 digits, sex L/P — from the NIK when not given, RT/RW as
    three digits "003"), or a ValidationError keyed by field with every problem in plain words."""
    cleaned: dict[str, str] = {key: _spaced(data.get(key)) for key in FIELDS}
    errors: dict[str, list[str]] = {}
    if not cleaned["name"]:
        _add(errors, "name", _("The name is missing."))
    for key, limit in _MAX.items():
        if len(cleaned[key]) > limit:
            _add(errors, key, _("At most %(n)s characters.") % {"n": limit})
    _clean_sex_and_nik(cleaned, errors)
    for key, label in (("rt", "RT"), ("rw", "RW")):
        try:
            cleaned[key] = _rt(cleaned[key], label)
        except ValidationError as error:
            _add(errors, key, *error.messages)
    if cleaned["phone"] and not re.fullmatch(r"\+?[\d\s().-]{6,30}", cleaned["phone"]):
        _add(errors, "phone", _("The phone number holds only digits, spaces, +, - and brackets."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def search_key(text: str) -> str:
    """`text` as the roster search compares it: accents dropped (Unicode NFKD, combining marks removed), case folded,
    spaces collapsed ("Ibu  Déwi" -> "ibu dewi"). The same on SQLite and PostgreSQL, since both compare these plain
    strings (`Person.search_name`)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def row_error(number: int, messages: Iterable[str]) -> str:
    return _("Row %(row)s: %(error)s") % {"row": number, "error": " ".join(messages)}
