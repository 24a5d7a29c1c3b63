"""Villages as sheets name them: a Kemendagri code with or without dots, or a name (with "Desa", "Kel." or nothing in
front), told apart by the kecamatan when two villages share a name.

Pure: the candidate villages (code -> (village name, kecamatan name), e.g. the villages of the user's scope) are
passed in; nothing here reads the region tree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kopdes.cleaners import CellError
from kopdes.cleaners.text import clean_text, norm

Candidates = Mapping[str, tuple[str, str]]  # village code -> (village name, kecamatan name)


def village_code(value) -> str:
    """64.01.04.2001 from 64.01.04.2001, 6401042001 (text or number) or with spaces; CellError otherwise."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = re.sub(r"\s", "", str(value)).lstrip("'")
    digits = text.replace(".", "")
    if re.fullmatch(r"\d{10}", digits):
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    raise CellError(
        _("“%(value)s” is not a village code (10 digits, e.g. 64.01.04.2001).") % {"value": str(value)[:30]}
    )


def village_key(text) -> str:
    """A village name to match by: "Desa Sungai Tuak", "DS. SUNGAI TUAK" and "sungai tuak" are one."""
    name = norm(text)
    for prefix in ("desa ", "kelurahan ", "kel ", "ds "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def kecamatan_key(text) -> str:
    name = norm(text)
    for prefix in ("kecamatan ", "kec "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def index_by_name(villages: Candidates) -> dict[str, list[str]]:
    """Village key -> the codes of the candidates of that name."""
    found: dict[str, list[str]] = {}
    for code, (village, _kecamatan) in villages.items():
        found.setdefault(village_key(village), []).append(code)
    return found


@dataclass
class VillageMatch:
    code: str | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)


def resolve_village(
    *, code_cell, name_cell, kecamatan_cell, villages: Candidates, by_name: Mapping[str, list[str]]
) -> VillageMatch:
    """The village a row means among `villages`: by its code when given (a different name is a warning: the code is
    used), else by its name (and kecamatan when several share the name). An error names the closest candidates."""
    if code_cell is not None:
        try:
            code = village_code(code_cell)
        except CellError as error:
            return VillageMatch(error=str(error))
        if code not in villages:
            return VillageMatch(error=_("The village code %(code)s is not a village of your region.") % {"code": code})
        found = VillageMatch(code=code)
        if name_cell is not None and village_key(name_cell) != village_key(villages[code][0]):
            found.warnings.append(
                _("The code %(code)s is the village %(village)s, not “%(written)s”: the code is used.")
                % {"code": code, "village": villages[code][0], "written": clean_text(name_cell)}
            )
        return found
    wanted = village_key(name_cell)
    codes = by_name.get(wanted, [])
    found = VillageMatch()
    if kecamatan_cell is not None and len(codes) != 1:
        kecamatan = kecamatan_key(kecamatan_cell)
        codes = [code for code in codes if kecamatan_key(villages[code][1]) == kecamatan] or codes
    elif kecamatan_cell is not None and codes and kecamatan_key(villages[codes[0]][1]) != kecamatan_key(kecamatan_cell):
        found.warnings.append(
            _("%(village)s lies in Kecamatan %(kecamatan)s, not “%(written)s”.")
            % {
                "village": villages[codes[0]][0],
                "kecamatan": villages[codes[0]][1],
                "written": clean_text(kecamatan_cell),
            }
        )
    if len(codes) == 1:
        found.code = codes[0]
        return found
    written = clean_text(name_cell)
    if len(codes) > 1:
        found.error = _(
            "There are several villages named “%(name)s” (%(where)s): fill in the kecamatan or the village code."
        ) % {"name": written, "where": ", ".join(f"Kec. {villages[code][1]}" for code in codes)}
        return found
    close = difflib.get_close_matches(wanted, list(by_name), n=3, cutoff=0.6)
    suggestions = ", ".join(
        f"{villages[code][0]} (Kec. {villages[code][1]}, {code})" for name in close for code in by_name[name]
    )
    if suggestions:
        found.error = _("Unknown village “%(name)s”. Closest matches: %(suggestions)s.") % {
            "name": written,
            "suggestions": suggestions,
        }
    else:
        found.error = _("Unknown village “%(name)s” in your region.") % {"name": written}
    return found
