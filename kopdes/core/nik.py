"""NIK (Nomor Induk Kependudukan) helpers. A NIK is personal data (UU 27/2022): masked wherever it is not needed."""

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


def mask_personal_data(value: Any) -> Any:
    """Mask every 16-digit run (a NIK) in strings, recursively through dicts and lists."""
    if isinstance(value, str):
        return NIK_RE.sub(lambda m: mask_nik(m.group(0)), value)
    if isinstance(value, dict):
        return {key: mask_personal_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_personal_data(item) for item in value]
    return value
