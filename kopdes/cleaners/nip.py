"""The NIP (Nomor Induk Pegawai) of a civil servant (PNS) as people type it: normalised and checked.

Layout (Peraturan Kepala BKN No. 22 Tahun 2007 on the NIP; written `19860926 201505 1 001`), 18 digits:

    YYYYMMDD   birth date (8)             a real calendar date, year 1900 or later
    YYYYMM     TMT CPNS, month of first appointment (6)   month 01–12, year 1950 or later, not before the
               sixteenth birthday (a plausibility bound chosen here, not a BKN rule: CPNS entrants are at least 18
               under PP 11/2017 Pasal 23, and 16 leaves room for old records), and not in a future year
    S          sex (1)                    1 = male, 2 = female
    NNN        serial (3)                 not 000

Sources: Perka BKN 22/2007 (one secondary source cites 43/2007), as summarised by tekno.tempo.co and kompasiana
("cara menulis NIP"); the minimum age of entry is PP 11/2017 (Manajemen PNS) Pasal 23. Spaces, dots and hyphens
between digits are dropped. The NI PPPK (digits 13–14 a type code such as 21) is a different number and is refused
here: its "month" 21 is not a month.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_DROPPED = re.compile(r"[\s.\-]")
MIN_BIRTH_YEAR = 1900
MIN_APPOINTMENT_YEAR = 1950
MIN_AGE_AT_APPOINTMENT = 16


def clean_nip(raw: str, *, today: date | None = None) -> str:
    """The NIP as 18 ASCII digits, or ValidationError (code "nip") whose message says which part is wrong.

    `today` bounds the appointment year (default: the server's date)."""
    value = _DROPPED.sub("", raw or "")
    if not value:
        raise ValidationError(_("Enter the NIP."), code="nip")
    if not value.isascii() or not value.isdigit():
        raise ValidationError(_("An NIP has digits only."), code="nip")
    if len(value) != 18:
        raise ValidationError(_("An NIP has 18 digits; this one has %(count)d.") % {"count": len(value)}, code="nip")
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("The first 8 digits of an NIP are the birth date (YYYYMMDD); %(digits)s is not a date.")
            % {"digits": value[0:8]},
            code="nip",
        ) from None
    if birth.year < MIN_BIRTH_YEAR:
        raise ValidationError(
            _("The birth year in the NIP (%(year)d) is not plausible.") % {"year": birth.year}, code="nip"
        )
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 9–14 of an NIP are the month of appointment (YYYYMM); %(month)s is not a month.")
            % {"month": value[12:14]},
            code="nip",
        )
    current = (today or timezone.localdate()).year
    if year < MIN_APPOINTMENT_YEAR or year > current or year < birth.year + MIN_AGE_AT_APPOINTMENT:
        raise ValidationError(
            _("The year of appointment in the NIP (%(year)d) is not plausible for a birth year of %(birth)d.")
            % {"year": year, "birth": birth.year},
            code="nip",
        )
    if value[14] not in "12":
        raise ValidationError(
            _("Digit 15 of an NIP is the sex: 1 (male) or 2 (female), not %(digit)s.") % {"digit": value[14]},
            code="nip",
        )
    if value[15:] == "000":
        raise ValidationError(_("The last 3 digits of an NIP (the serial) cannot be 000."), code="nip")
    return value


def format_nip(value: str) -> str:
    """An 18-digit NIP written as on paper: `19860926 201505 1 001` (other values unchanged)."""
    if len(value) != 18 or not value.isdigit():
        return value
    return f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"
