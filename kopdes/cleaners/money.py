"""Rupiah amounts: a number cell is a number; text is read in Indonesian notation.

Accepted text: "100000", "Rp 100.000", "Rp 100.000,-", "Rp. 1.000.000,00", "IDR 10.000", "10.000,00", "100 rb",
"1,5 jt" (Indonesian: "." groups thousands, "," starts the decimals; "rb"/"ribu" ×1,000, "jt"/"juta" ×1,000,000,
"M"/"miliar" ×1,000,000,000). English notation ("1,000,000", "12500.50") is read too where it cannot be taken for
Indonesian. A text valid in both with different values ("1,500": 1,5 or 1.500) is refused with both readings shown;
a fraction of a sen is refused (never rounded away).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from kopdes.cleaners import CellError

LIMIT = Decimal("1e12")  # a village cooperative's amounts stay well below a trillion rupiah
SEN = Decimal("0.01")
_MULTIPLIERS = {
    "rb": 1000, "ribu": 1000, "k": 1000,
    "jt": 1_000_000, "juta": 1_000_000,
    "m": 1_000_000_000, "miliar": 1_000_000_000, "milyar": 1_000_000_000,
}  # fmt: skip
_TEXT = re.compile(r"^(?:rp\.?|idr)?\s*(?P<number>[\d.,]+?)\s*(?P<unit>[a-z]+)?\.?\s*(?:,-|\.-|-)?$")
_INDONESIAN = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$")
_ENGLISH = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$|^\d+(?:\.\d{1,2})?$")


def accepted_forms() -> str:
    return "100000, Rp 100.000, Rp 100.000,-, Rp 1.000.000,00, 10.000,00, 100 rb, 1,5 jt"


def _not_an_amount(label, value) -> CellError:
    prefix = f"{label}: " if label else ""
    return CellError(
        prefix
        + _("“%(value)s” is not an amount of rupiah. Write it for example as %(forms)s.")
        % {"value": str(value)[:30], "forms": accepted_forms()}
    )


def _show(amount: Decimal) -> str:
    whole, _dot, cents = f"{amount:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped if cents == "00" else f"{grouped},{cents}"


def _readings(number: str) -> set[Decimal]:
    found = set()
    if _INDONESIAN.match(number):
        found.add(Decimal(number.replace(".", "").replace(",", ".")))
    if _ENGLISH.match(number):
        found.add(Decimal(number.replace(",", "")))
    return found


def parse_money(value, *, label=None) -> Decimal:
    """Rupiah (a Decimal with 2 places) from a number cell or text in the forms above; `label` names the field in
    messages. Raises CellError: not an amount (the forms accepted listed), both notations disagree (both readings
    shown), negative, a fraction of a sen, or a trillion or more."""
    if isinstance(value, bool):
        raise _not_an_amount(label, value)
    if isinstance(value, (int, float)):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise _not_an_amount(label, value)
    else:
        text = " ".join(str(value).replace("\u00a0", " ").split()).lower()
        match = _TEXT.match(text)
        unit = match.group("unit") if match else None
        if not match or (unit and unit not in _MULTIPLIERS):
            raise _not_an_amount(label, value)
        readings = _readings(match.group("number"))
        if not readings:
            raise _not_an_amount(label, value)
        factor = _MULTIPLIERS[unit] if unit else 1
        readings = {r * factor for r in readings}
        if len(readings) > 1:
            first, second = sorted(readings)
            prefix = f"{label}: " if label else ""
            raise CellError(
                prefix
                + _(
                    "“%(value)s” can be read as %(one)s or as %(other)s. Write it in Indonesian notation, where "
                    "the dot groups thousands and the comma starts the decimals."
                )
                % {"value": str(value)[:30], "one": _show(first), "other": _show(second)}
            )
        amount = readings.pop()
    if amount < 0:
        prefix = f"{label}: " if label else ""
        raise CellError(prefix + _("“%(value)s”: an amount cannot be negative.") % {"value": str(value)[:30]})
    if amount >= LIMIT:
        raise _not_an_amount(label, value)
    if amount != amount.quantize(SEN):
        prefix = f"{label}: " if label else ""
        raise CellError(
            prefix + _("“%(value)s” has a fraction of a sen: round it to 2 decimals.") % {"value": str(value)[:30]}
        )
    return amount.quantize(SEN)
