"""The NIK (Nomor Induk Kependudukan) as people type it: normalised, checked, and read (region, sex, birth date).

Layout (Permendagri 72/2019 on the KTP-el): 6 region digits (province, kabupaten/kota, kecamatan of
registration), 6 birth-date digits DDMMYY (women: day + 40), 4 serial digits (not 0000).

A NIK is normalised before any check or uniqueness test, so that one person can never be registered twice because
the digits were written differently: digits of any script (Arabic-Indic ٠١٢, Extended Arabic-Indic ۰۱۲, fullwidth
０１２, Devanagari ०१२ …) become ASCII digits, and spaces, dots, hyphens and apostrophes are dropped; anything else is
refused. A NIK read from a number cell of a spreadsheet is refused: Excel keeps 15 significant digits, so the 16th
has become 0. Masking (personal data, UU 27/2022) stays in `kopdes.core.nik`.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Container
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.cleaners import CellError
from kopdes.core.nik import mask_nik

MALE, FEMALE = "L", "P"  # laki-laki / perempuan, as on the KTP
# Every province code Indonesia has used since the NIK's region digits were laid down (Kemendagri), the
# provinces of today (11–96, with the Papua provinces of 2022) and Timor Timur (54, until 1999). A NIK starting with
# any other pair was never issued.
PROVINCES_EVER = frozenset(
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 54 61 62 63 64 65 71 72 73 74 75 76 81 82 "
    "91 92 93 94 95 96".split()
)
# Dropped between digits: spaces of any kind, dots, hyphens and dashes, apostrophes (a leading ' is how Excel is
# told "text"), and invisible format characters copied from a PDF or a chat.
_DROPPED = re.compile(r"[\s.\-\u2010-\u2015\u2212'`\u2018\u2019\u02bc\u00b4]")
# Indonesia's easternmost zone (WIT, UTC+9, Keppres 41/1987): its date is the latest calendar date anywhere in the
# country. This layer sits below the regions and the clock, so it cannot ask a village's zone.
_EASTERNMOST_ZONE = zoneinfo.ZoneInfo("Asia/Jayapura")


def latest_date_in_indonesia() -> date:
    """Today in WIT, the latest date in any Indonesian zone: the bound "a birth date is not in the future" uses when
    the caller gives no village date, so that a child born today in Papua is never refused (the server's
    `date.today()`, UTC on most hosts, is still yesterday there until 09:00 WIT)."""
    return timezone.now().astimezone(_EASTERNMOST_ZONE).date()


@dataclass(frozen=True)
class Nik:
    """A well-formed NIK (16 ASCII digits) and what it tells: region of registration, sex and birth date."""

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
    today = today or latest_date_in_indonesia()
    # Two-digit year: the most recent year not in the future (a NIK holder is born, never to be born).
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    return date(year, month, day)  # ValueError for 31 February and the like


def normalise(raw) -> str:
    """The NIK's characters with digits of any script made ASCII and separators dropped ("٦٤٠١ ٠٤…" -> "6401 04…"
    -> "640104…"). Characters that are neither are kept, so that the check refuses them."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    out = []
    for char in text:
        if char.isdigit() and unicodedata.category(char) == "Nd":
            out.append(str(unicodedata.decimal(char)))
        elif _DROPPED.fullmatch(char) or unicodedata.category(char) == "Cf":
            continue
        else:
            out.append(char)
    return "".join(out)


def parse_nik(raw, *, today: date | None = None) -> Nik:
    """A `Nik` from user input (normalised first), or a ValidationError saying in plain words what is wrong."""
    digits = normalise(raw)
    stray = next((char for char in digits if not ("0" <= char <= "9")), None)
    if stray is not None:
        raise ValidationError(
            _(
                "The NIK holds “%(char)s”, which is not a digit: a NIK has 16 digits (spaces, dots and hyphens "
                "between them are allowed)."
            )
            % {"char": stray},
            code="nik_character",
        )
    if len(digits) != 16:
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_length")
    if digits[:2] not in PROVINCES_EVER:
        raise ValidationError(
            _("The NIK starts with %(code)s, which no Indonesian province has ever had as its code.")
            % {"code": digits[:2]},
            code="nik_province",
        )
    if digits[2:4] == "00" or digits[4:6] == "00":
        raise ValidationError(_("The first six digits of the NIK are not a region code."), code="nik_region")
    day = int(digits[6:8])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        raise ValidationError(_("Digits 7–12 of the NIK are not a birth date."), code="nik_birth_date")
    try:
        born = _birth_date(digits, today)
    except ValueError as impossible:
        raise ValidationError(_("Digits 7–12 of the NIK are not a birth date."), code="nik_birth_date") from impossible
    if born > (today or latest_date_in_indonesia()):
        raise ValidationError(_("Digits 7–12 of the NIK are not a birth date."), code="nik_birth_date")
    if digits[12:] == "0000":
        raise ValidationError(_("The last four digits of the NIK cannot be 0000."), code="nik_serial")
    return Nik(digits)


def is_valid_nik(raw) -> bool:
    try:
        parse_nik(raw)
    except ValidationError:
        return False
    return True


def nik_from_cell(value) -> str:
    """The NIK's characters from a spreadsheet cell (normalised; `parse_nik` checks them). A number cell is refused:
    Excel keeps 15 significant digits, so a 16-digit NIK typed into one has lost its last digit (raises CellError)."""
    if isinstance(value, bool):
        raise CellError(_("A NIK has exactly 16 digits."))
    if isinstance(value, (int, float)):
        raise CellError(
            _(
                "The NIK is in a number cell: Excel keeps only 15 digits of a number, so the last digit of a NIK is "
                "lost. Format the NIK column as text and type the NIK again."
            )
        )
    text = str(value).strip()
    if re.fullmatch(r"'?\d(?:[.,]\d+)?e\+?\d+", text.lower()):
        raise CellError(
            _(
                "The NIK is written in scientific notation (%(value)s): its last digits are lost. Format the NIK "
                "column as text and type the NIK again."
            )
            % {"value": text}
        )
    return normalise(text)


def region_digits_of(code: str) -> str:
    """The NIK-style six digits of a kecamatan (or lower) region code: 64.01.04[.2002] -> 640104."""
    return "".join(code.split(".")[:3])


def region_mismatch(nik: Nik | str, region_code: str) -> bool:
    """Whether the NIK was registered outside the village's kecamatan. A warning only: people move."""
    digits = nik.value if isinstance(nik, Nik) else normalise(nik)
    own = region_digits_of(region_code)
    return len(own) == 6 and digits[:6] != own


def unknown_region(nik: Nik | str, known: Container[str]) -> bool:
    """Whether the NIK's kabupaten (4 digits) or kecamatan (6 digits) is absent from `known`, the region codes in
    force without dots ("6401", "640104"). Such a NIK is usually older than a split of its region (pemekaran): its
    holder was registered under a code that has since been given up — a warning (`old_region_warning`), never "
    registered outside the kecamatan"."""
    digits = nik.value if isinstance(nik, Nik) else normalise(nik)
    return digits[:4] not in known or digits[:6] not in known


def old_region_warning() -> str:
    return _("region code not in the latest list — perhaps an old code from before a pemekaran")
