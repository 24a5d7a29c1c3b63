"""Checks of registry values shared by the forms and the services: NPWP, KBLI codes, coordinates in Indonesia."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A generous box around Indonesia (Sabang to Merauke, Miangas to Rote), in degrees.
LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


def normalise_npwp(raw: str) -> str:
    """Digits of an NPWP typed as 01.234.567.8-912.000, with spaces, or plain; 15 or 16 digits, else an error."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s.\-]", "", raw)
    if not digits.isdigit() or len(digits) not in (15, 16):
        raise ValidationError(_("An NPWP has 15 digits (99.999.999.9-999.999) or 16 digits."), code="npwp")
    return digits


def parse_kbli_codes(raw) -> list[str]:
    """KBLI codes (5 digits each) from a list or a text separated by commas, spaces or new lines; order kept, no
    duplicates."""
    items = raw if isinstance(raw, (list, tuple)) else re.split(r"[\s,;]+", raw or "")
    codes: list[str] = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        if not re.fullmatch(r"\d{5}", item):
            raise ValidationError(
                _("“%(code)s” is not a KBLI code: a KBLI code has 5 digits, e.g. 47111.") % {"code": item[:20]},
                code="kbli",
            )
        if item not in codes:
            codes.append(item)
    return codes


def check_coordinates(latitude, longitude) -> None:
    """Both or neither, and inside Indonesia (a swapped pair or a missing minus sign is the usual mistake)."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError(_("Give both the latitude and the longitude, or neither."), code="coordinates")
    if not (LATITUDE_RANGE[0] <= Decimal(latitude) <= LATITUDE_RANGE[1]) or not (
        LONGITUDE_RANGE[0] <= Decimal(longitude) <= LONGITUDE_RANGE[1]
    ):
        raise ValidationError(
            _(
                "The coordinates are outside Indonesia. Latitude lies between -11.5 and 6.5 (south is negative), "
                "longitude between 94.5 and 141.5; for Paser about -1.8 and 116.2."
            ),
            code="coordinates",
        )
