"""Masking the NIK (Nomor Induk Kependudukan). A NIK is personal data (UU 27/2022): masked wherever it is not needed,
never written to logs (the audit log masks every 16-digit run through `mask_personal_data`). Reading and checking a
NIK as typed is the cleaner's job: `kopdes.cleaners.nik`.
"""

from __future__ import annotations

import re
from typing import Any

NIK_RE = re.compile(r"(?<!\d)(\d{6})(\d{6})(\d{4})(?!\d)")


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
