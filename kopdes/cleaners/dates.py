"""Dates as people write them (a date cell, an Excel serial, 11/05/2025, 2025-05-11, 11 Mei 2025 — day first), each
checked against the window of its field.

A window fits the field's meaning: a birth date is after 1900, a date a member joined or left is after the first
cooperatives law (UU 79/1958), an evidence date of the programme after the programme began (Inpres 9/2025,
27 March 2025) unless it belongs to an existing cooperative (its deed and SK may be decades old); and no date of
something that happened is after the village's local today (`kopdes.clock.local_today`, passed in as `today`). A
bare year ("2025"), a month without a day ("Mei 2025", "05/2025") and an Excel serial that lands outside the window
are refused with the field's name and the forms accepted — never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.cleaners import CellError

EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_LAST = 2958465  # 31 December 9999


@dataclass(frozen=True)
class DateField:
    """A kind of date: its name for messages, the earliest date that makes sense, and how many days after today it
    may lie (0: never in the future; None: no upper bound but the earliest)."""

    label: str | Promise
    earliest: date
    days_ahead: int | None = 0

    def latest(self, today: date) -> date | None:
        return None if self.days_ahead is None else today + timedelta(days=self.days_ahead)


BIRTH = DateField(gettext_lazy("Birth date"), date(1900, 1, 1))
JOINED = DateField(gettext_lazy("Joined on"), date(1958, 1, 1))
LEFT = DateField(gettext_lazy("Left on"), date(1958, 1, 1))
PROGRAMME_START = date(2025, 3, 27)  # Inpres 9/2025 on the Koperasi Desa/Kelurahan Merah Putih
EVIDENCE = DateField(gettext_lazy("Evidence date"), PROGRAMME_START)
# The deed, SK AHU and NIB of an existing cooperative (pengembangan, revitalisasi) predate the programme.
OLD_EVIDENCE = DateField(gettext_lazy("Evidence date"), date(1958, 1, 1))
SCHEDULED = DateField(gettext_lazy("Scheduled date"), PROGRAMME_START, days_ahead=366)
TERM_START = DateField(gettext_lazy("Term of office from"), date(1958, 1, 1))

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
_NUMERIC = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$")
_WORDS = re.compile(r"^(\d{1,2})[\s\-./]+([a-z]+)\.?[\s\-./,]+(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_MONTH_ONLY = (
    re.compile(r"^(\d{1,2})[/\-.](\d{4})$"),  # 05/2025
    re.compile(r"^(\d{4})[/\-.](\d{1,2})$"),  # 2025-05
    re.compile(r"^([a-z]+)\.?[\s\-./,]+(\d{2}|\d{4})$"),  # Mei 2025
)


def accepted_forms() -> str:
    return _("write it as 11/05/2025, 2025-05-11 or 11 Mei 2025")


def _refuse(field: DateField | None, text: str, reason: str) -> CellError:
    name = field.label if field is not None else _("Date")
    return CellError(
        _("%(field)s: “%(value)s” %(reason)s (%(forms)s).")
        % {"field": name, "value": text[:40], "reason": reason, "forms": accepted_forms()}
    )


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _read(value, field: DateField | None) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _refuse(field, str(value), _("is not a date"))
    if isinstance(value, (int, float)):
        if value == int(value) and _YEAR.match(str(int(value))):
            raise _refuse(field, str(int(value)), _("is a year alone: give the day and the month too"))
        if not 1 <= value <= EXCEL_LAST:
            raise _refuse(field, str(value), _("is not a date"))
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = str(value).strip().lstrip("'").strip()
    lowered = text.lower()
    if _YEAR.match(lowered):
        raise _refuse(field, text, _("is a year alone: give the day and the month too"))
    for pattern in _MONTH_ONLY:
        match = pattern.match(lowered)
        if match and (pattern is not _MONTH_ONLY[2] or match.group(1) in MONTHS):
            raise _refuse(field, text, _("is a month without a day: give the day too"))
    try:
        if match := _NUMERIC.match(lowered):
            return date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))
        if match := _ISO.match(lowered):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if (match := _WORDS.match(lowered)) and match.group(2) in MONTHS:
            return date(_year(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
        if re.fullmatch(r"\d{5}(\.0+)?", lowered):
            return EXCEL_EPOCH + timedelta(days=int(float(lowered)))
    except ValueError:
        pass
    raise _refuse(field, text, _("is not a date"))


def parse_date(value, field: DateField | None = None, *, today: date | None = None) -> date:
    """A date from a date cell, an Excel serial or text, checked against `field`'s window when given (`today`: the
    village's local date; required for a field with an upper bound). Raises CellError naming the field and the forms
    accepted."""
    found = _read(value, field)
    if field is not None:
        check_window(found, field, today=today, written=value)
    return found


def show(day: date) -> str:
    return formats.date_format(day, "j F Y")


def check_window(day: date, field: DateField, *, today: date | None, written=None) -> date:
    """`day` if it lies in `field`'s window, else CellError. A serial or date before the window's start is usually a
    number typed into a date column (45 -> 13 February 1900); one after today, a typo or a plan."""
    text = show(day) if written is None or isinstance(written, (date, datetime)) else str(written)
    if day < field.earliest:
        raise CellError(
            _("%(field)s: “%(value)s” is %(date)s, before %(earliest)s: not a date of this kind (%(forms)s).")
            % {
                "field": field.label,
                "value": text[:40],
                "date": show(day),
                "earliest": show(field.earliest),
                "forms": accepted_forms(),
            }
        )
    latest = field.latest(today) if today is not None else None
    if today is not None and latest is not None and day > latest:
        if field.days_ahead == 0:
            raise CellError(
                _("%(field)s: %(date)s is in the future (today in the village is %(today)s).")
                % {"field": field.label, "date": show(day), "today": show(today)}
            )
        raise CellError(
            _("%(field)s: %(date)s is after %(latest)s.")
            % {"field": field.label, "date": show(day), "latest": show(latest)}
        )
    return day


def membership_errors(joined: date | None, left: date | None, *, today: date) -> list[str]:
    """What is impossible in a membership's dates: leaving before joining, joining or leaving in the future (today:
    the village's local date). Empty when they are possible."""
    errors = []
    for day, field in ((joined, JOINED), (left, LEFT)):
        if day is None:
            continue
        try:
            check_window(day, field, today=today)
        except CellError as error:
            errors.append(str(error))
    if joined is not None and left is not None and left < joined:
        errors.append(
            _("A member cannot leave (%(left)s) before joining (%(joined)s).")
            % {"left": show(left), "joined": show(joined)}
        )
    return errors
