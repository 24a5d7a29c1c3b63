"""People picked from an OpenSID resident export (.xlsx) into a village's roster.

OpenSID (the open-source village information system many desa keep their residents in) exports its residents from
Kependudukan > Penduduk > Ekspor / Database > Ekspor in the layout of its own Impor Excel: one row per resident,
headed by the database field names, in this order (OpenSID/OpenSID, donjo-app/models/Export_model.php, `expor()` /
`export_excel()`): alamat, dusun, rw, rt, nama, no_kk, nik, sex, tempatlahir, tanggallahir, agama_id, …,
nama_ayah, nama_ibu, …, status_dasar, …; `sex` is the code of tweb_penduduk_sex (1 laki-laki, 2 perempuan), or its
name ("LAKI-LAKI", "PEREMPUAN") when exported "dengan huruf"; an empty dusun/RT/RW is written "-". The printed list
(Penduduk > Cetak/Unduh) heads the same data "NIK", "Nama", "Dusun", "RW", "RT", "Jenis Kelamin". Columns are found by
these names and their synonyms through the importer's reader (`reader.find_table`), as every other import.

Only name, NIK, sex, dusun, RT/RW and phone are read; every other column (family card number, birth date and place,
religion, parents' names, …) is never read into memory beyond the sheet reader's cells and never stored. Nothing is
kept of the file: the preview carries the picked fields only, signed, to the confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kopdes.cleaners import CellError
from kopdes.cleaners.nik import nik_from_cell
from kopdes.imports import reader
from kopdes.people import cleaning

OPENSID_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nama", "Nama", "Nama Lengkap", "Nama Penduduk"),
    "nik": ("nik", "NIK", "No NIK"),
    "sex": ("sex", "Jenis Kelamin", "JK", "L/P"),
    "dusun": ("dusun", "Dusun", "Nama Dusun"),
    "rt": ("rt", "RT"),
    "rw": ("rw", "RW"),
    "phone": ("telepon", "no_hp", "No Telepon", "No HP", "Telepon", "No. Telepon", "Nomor Telepon"),
}
SEX_CODES = {"1": "L", "1.0": "L", "2": "P", "2.0": "P", "laki-laki": "L", "perempuan": "P", "l": "L", "p": "P"}
_SALT = "kopdes.imports.opensid"
_EMPTY = {"-", "0"}  # OpenSID writes "-" for an empty dusun/RT/RW, and a stored code 0 as ""


@dataclass
class Candidate:
    row: int  # row number in the sheet
    data: dict[str, str]
    errors: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return "" if text in _EMPTY else text


def read_export(data: bytes, name: str) -> list[Candidate]:
    """The residents of an OpenSID export, each checked as a roster entry (`people.cleaning.clean_person`). Raises
    reader.FileProblem for a file that is not such an export (no name column)."""
    table = reader.find_table(data, name, OPENSID_COLUMNS, required=[("name",)])
    candidates: list[Candidate] = []
    for number, cells in table.rows:
        values = {key: reader.cell(cells, table.columns, key) for key in OPENSID_COLUMNS}
        if all(value is None for value in values.values()):
            continue
        errors: list[str] = []
        nik = ""
        if values["nik"] is not None:
            try:
                nik = nik_from_cell(values["nik"])
            except CellError as error:
                errors.append(str(error))
        sex = _text(values["sex"]).lower()
        row = {
            "name": _text(values["name"]),
            "nik": "" if nik in _EMPTY else nik,
            "sex": SEX_CODES.get(sex, sex),
            "dusun": _text(values["dusun"]),
            "rt": _text(values["rt"]),
            "rw": _text(values["rw"]),
            "phone": _text(values["phone"]),
        }
        if not errors:
            try:
                row = {**row, **cleaning.clean_person(row)}
            except ValidationError as error:
                errors.extend(m for messages in error.message_dict.values() for m in messages)
        candidates.append(Candidate(row=number, data=row, errors=errors))
    return candidates


def sign(candidates: list[Candidate], village_code: str) -> str:
    """The good rows (row number -> the six fields) signed for the confirmation step; nothing else of the file."""
    rows = {str(c.row): c.data for c in candidates if not c.errors}
    return signing.dumps({"v": village_code, "rows": rows}, salt=_SALT, compress=True)


def unsign(token: str, village_code: str) -> dict[int, dict[str, str]]:
    """The rows of `sign`, for the same village only (max one day old); ValidationError for a bad or old token."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=86400)
    except signing.BadSignature as bad:
        raise ValidationError(_("The preview has expired: upload the export again.")) from bad
    if payload.get("v") != village_code:
        raise ValidationError(_("The preview has expired: upload the export again."))
    return {int(number): row for number, row in payload["rows"].items()}
