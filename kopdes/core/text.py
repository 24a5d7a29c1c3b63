"""Input that cannot hurt: control characters and hidden direction marks.

- NUL, the other C0 controls (U+0000–U+001F), DEL and the C1 controls (U+007F–U+009F) and the bidirectional
  formatting characters (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, marks U+200E/U+200F) are
  refused in every text field of every form (`refuse_control_characters`, added to each `forms.CharField` by
  `kopdes.core.apps`): they hide or reorder what a name shows ("Budi\u202eSU" reads backwards), break exports and
  PostgreSQL refuses NUL outright. TAB, LF and CR stay allowed in multi-line fields (a `Textarea`), so rows pasted
  from a spreadsheet keep working.
- In query parameters they are dropped (`strip_control_characters`, `QueryCleaningMiddleware`): a search for "%00"
  searches for nothing instead of failing.
- CSV cells: `csv_safe_row` prefixes text that a spreadsheet would run as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
FORBIDDEN_MULTILINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")  # TAB, LF, CR allowed


def forbidden_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The refused characters found in `value`, as code points ("U+0000"), in order of first appearance."""
    pattern = FORBIDDEN_MULTILINE if multiline else FORBIDDEN
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in pattern.findall(value)))


def refuse_control_characters(value, *, multiline: bool = False) -> None:
    """Raise ValidationError (Indonesian, code "control_characters") when `value` holds a refused character."""
    if not isinstance(value, str):
        return
    found = forbidden_characters(value, multiline=multiline)
    if found:
        raise ValidationError(
            _(
                "Remove the control characters or hidden direction marks (often pasted along from another program): "
                "%(chars)s."
            ),
            code="control_characters",
            params={"chars": ", ".join(found)},
        )


def strip_control_characters(value: str) -> str:
    """`value` without any refused character (TAB, LF and CR included): for query parameters."""
    return FORBIDDEN.sub("", value)


# --- CSV ------------------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def csv_safe(value):
    """One CSV cell: text starting with =, +, -, @, TAB or CR gets a leading apostrophe, so Excel and LibreOffice show
    it as text instead of running it as a formula (OWASP, CSV injection). Numbers (and text that is just a number,
    such as "-3.5") stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_safe_row(row) -> list:
    """`csv_safe` on every cell of `row`: every CSV writer of Kopdes writes its rows through this."""
    return [csv_safe(cell) for cell in row]


class SafeCsvWriter:
    """`csv.writer` whose rows go through `csv_safe_row` (the one way Kopdes writes CSV)."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row) -> None:
        self._writer.writerow(csv_safe_row(row))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


# --- every form's text fields ---------------------------------------------------------------------------------------


class ControlCharacterValidator:
    """The check of one form field: multi-line (a Textarea) keeps TAB, LF and CR."""

    def __init__(self, field):
        self.field = field

    def __call__(self, value) -> None:
        refuse_control_characters(value, multiline=isinstance(self.field.widget, forms.Textarea))


def install_form_check() -> None:
    """Give every `forms.CharField` (and so every model form's text field, the admin's too) the check, the way Django
    gives each one its NUL check. Called once from `CoreConfig.ready`."""
    if getattr(forms.CharField, "kopdes_control_check", False):
        return
    original = forms.CharField.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.validators.append(ControlCharacterValidator(self))

    forms.CharField.__init__ = __init__  # type: ignore[method-assign]  # the patch is the point: every CharField
    setattr(forms.CharField, "kopdes_control_check", True)  # noqa: B010 (a marker mypy does not know on the class)
