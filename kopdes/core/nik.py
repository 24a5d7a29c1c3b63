"""NIK (Nomor Induk Kependudukan) helpers. A NIK is personal data (UU 27/2022): masked wherever it is not needed,
never written to logs (the audit log masks every 16-digit run through `mask_personal_data`).

Layout (PRODUCT.md §5): 6 region digits (province, kabupaten/kota, kecamatan of registration), 6 birth-date digits
DDMMYY (women: day + 40), 4 serial digits (not 0000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIK_RE = re.compile(r"(?<!\d)(\d{6})(\d{6})(\d{4})(?!\d)")
MALE, FEMALE = "L", "P"  # laki-laki / perempuan, as on the KTP


@dataclass(frozen=True)
class Nik:
    """A well-formed NIK and what it tells: region of registration, sex and birth date."""

    value: str

    @property
    def region_digits(self) -> str:
        return self.value[:6]

    @property
    def province(self) -> str:
        return self.value[:2]

    @property
    def sex(self) -> str:
        return FEMALE if int(self.value[6:8]) > 40 else MALE

    @property
    def birth_date(self) -> date:
        return _birth_date(self.value)

    @property
    def serial(self) -> str:
        return self.value[12:]

    @property
    def masked(self) -> str:
        return mask_nik(self.value)

    def __str__(self) -> str:  # a NIK printed by accident (f-string, log line) comes out masked
        return self.masked

    def __repr__(self) -> str:
        return f"Nik({self.masked!r})"


def _birth_date(digits: str, today: date | None = None) -> date:
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if day > 40:
        day -= 40
    today = today or date.today()
    # Two-digit year: the most recent year not in the future (a NIK holder is born, never to be born).
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    return date(year, month, day)  # ValueError for 31 February and the like


def normalise(raw: str) -> str:
    """Digits only: people type NIKs with spaces or dots copied from a KTP scan."""
    return re.sub(r"[\s.\-]", "", raw or "")


def parse_nik(raw: str, *, today: date | None = None) -> Nik:
    """A `Nik` from user input, or a ValidationError saying in plain words what is wrong."""
    digits = normalise(raw)
    if not digits.isdigit() or len(digits) != 16:
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_length")
    if not (11 <= int(digits[:2]) <= 99) or digits[2:4] == "00" or digits[4:6] == "00":
        raise ValidationError(_("The first six digits of the NIK are not a region code."), code="nik_region")
    day = int(digits[6:8])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        raise ValidationError(_("Digits 7–12 of the NIK are not a birth date."), code="nik_birth_date")
    try:
        born = _birth_date(digits, today)
    except ValueError as impossible:
        raise ValidationError(_("Digits 7–12 of the NIK are not a birth date."), code="nik_birth_date") from impossible
    if born > (today or date.today()):
        raise ValidationError(_("Digits 7–12 of the NIK are not a birth date."), code="nik_birth_date")
    if digits[12:] == "0000":
        raise ValidationError(_("The last four digits of the NIK cannot be 0000."), code="nik_serial")
    return Nik(digits)


def is_valid_nik(raw: str) -> bool:
    try:
        parse_nik(raw)
    except ValidationError:
        return False
    return True


def region_digits_of(code: str) -> str:
    """The NIK-style six digits of a kecamatan (or lower) region code: 64.01.04[.2002] -> 640104."""
    return "".join(code.split(".")[:3])


def region_mismatch(nik: Nik | str, region_code: str) -> bool:
    """Whether the NIK was registered outside the village's kecamatan. A warning only: people move."""
    digits = nik.value if isinstance(nik, Nik) else normalise(nik)
    own = region_digits_of(region_code)
    return len(own) == 6 and digits[:6] != own


def mask_nik(nik: str) -> str:
    """Keep the region part and the last two digits: 640104********12."""
    digits = re.sub(r"\D", "", nik or "")
    if len(digits) != 16:
        return "*" * len(digits)
    return digits[:6] + "*" * 8 + digits[-2:]


def display_nik(nik: str, *, may_see: bool) -> str:
    """The NIK as shown to a user: in full only to those who edit the person (Cap.EDIT on the village)."""
    if not nik:
        return ""
    return nik if may_see else mask_nik(nik)


def mask_personal_data(value: Any) -> Any:
    """Mask every 16-digit run (a NIK) in strings, recursively through dicts and lists."""
    if isinstance(value, str):
        return NIK_RE.sub(lambda m: mask_nik(m.group(0)), value)
    if isinstance(value, dict):
        return {key: mask_personal_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_personal_data(item) for item in value]
    return value
