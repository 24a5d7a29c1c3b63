"""Letter numbers from an issuer's template (the research note on letters §2): tokens in braces, e.g.
`{klasifikasi}/{nomor}/{unit}/{bulan_romawi}/{tahun}` gives `500.3/447/KOP/IV/2025` (SE Bupati Paser on KDMP).

Tokens: klasifikasi (classification code, Permendagri 83/2022), nomor (the running number of the year), unit (the
unit's code), bulan_romawi (month in Roman numerals, I–XII), bulan (month, 01–12), tahun (four-digit year).
The number is stored as rendered, with its parts beside it; it is never parsed back."""

from __future__ import annotations

import re
import string
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TOKENS = ("klasifikasi", "nomor", "unit", "bulan_romawi", "bulan", "tahun")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def check_template(template: str) -> str:
    """The template unchanged, or ValidationError naming the unknown token or the brace that does not close. The
    template must hold {nomor} (else every letter of the year would carry the same number)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        raise ValidationError(
            _("The number format has a brace that does not close: write tokens as {nomor}."), code="template"
        ) from None
    names = [name for _text, name, spec, conversion in parts if name is not None]
    for _text, name, spec, conversion in parts:
        if name is not None and (name not in TOKENS or spec or conversion):
            raise ValidationError(
                _("Unknown token {%(token)s} in the number format. Known tokens: %(known)s.")
                % {
                    "token": name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""),
                    "known": ", ".join("{" + t + "}" for t in TOKENS),
                },
                code="template",
            )
    if "nomor" not in names:
        raise ValidationError(_("The number format must contain {nomor}, the running number."), code="template")
    return template


def render_number(template: str, *, serial: int, on: date, classification: str = "", unit: str = "") -> str:
    """`template` filled in for the letter `serial` dated `on` (the template is assumed checked). A token left empty
    (an issuer without a classification code) takes its separator with it: `/1/BPD/IV/2025` prints `1/BPD/IV/2025`."""
    number = template.format(
        klasifikasi=classification,
        nomor=serial,
        unit=unit,
        bulan_romawi=ROMAN[on.month - 1],
        bulan=f"{on.month:02d}",
        tahun=on.year,
    )
    return re.sub(r"([/.\-])\1+", r"\1", number).strip("/.- ")
