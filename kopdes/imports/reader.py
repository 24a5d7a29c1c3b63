"""Reading the office's spreadsheets: .xlsx (python-calamine) and .csv, tolerant of the usual mess.

The reader returns plain rows (lists of cell values: str, float, int, bool, date, datetime) of the sheet whose header
row matches the expected columns best, with the header's column positions. A cell's value is read by the cleaner of
its kind (`kopdes.cleaners`: dates, NIKs, names, village codes, money, stage labels), the same as the forms use.
Every message is in English for the catalogue; the UI shows the Indonesian translation.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kopdes.cleaners import CellError  # noqa: F401  (the callers' one error type for a bad cell)
from kopdes.cleaners.text import is_blank, norm

MAX_COLUMNS = 100  # a sheet wider than this is not one of ours (a pasted report, a pivot)
HEADER_SEARCH_ROWS = 30  # the header is found among the first rows (titles, logos and blank rows above it)


class FileProblem(Exception):
    """The file as a whole cannot be read: nothing is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based row number of the header in the sheet
    columns: dict[str, int]  # field -> 0-based column position
    rows: list[tuple[int, list]]  # (1-based row number, cells)
    header_labels: dict[int, str] = field(default_factory=dict)  # position -> header text as written
    formula_rows: set[int] = field(default_factory=set)  # rows holding a formula without a computed value
    unread: list[str] = field(default_factory=list)  # header texts of columns the import does not read


# ---------------------------------------------------------------------------------------------------------- files


def _sniff_kind(data: bytes, name: str) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    lowered = name.lower()
    if lowered.endswith((".xlsx", ".xlsm", ".xls", ".ods")) or data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff")):
        raise FileProblem(
            _("The file %(name)s is not an Excel workbook (.xlsx) or a CSV file (checked by its content).")
            % {"name": name}
        )
    return "csv"


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise FileProblem(
            _("The file %(name)s is not a readable CSV text file. Save it from Excel as “CSV UTF-8”.") % {"name": name}
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(
        _("The file %(name)s is not a readable CSV text file. Save it from Excel as “CSV UTF-8”.") % {"name": name}
    )


def _csv_rows(data: bytes, name: str) -> list[tuple[str, list[list]]]:
    text = _decode(data, name)
    if not text.strip():
        raise FileProblem(_("The file %(name)s holds no data.") % {"name": name})
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=counts.get)
    rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [(name, rows)]


def _formula_cells(data: bytes) -> dict[str, set[int]]:
    """Sheet name -> rows holding a formula without a stored result (a file written by a program, never opened in
    Excel): its cells read as empty, which would be wrong data."""
    found: dict[str, set[int]] = {}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile):
        return found
    targets = dict(re.findall(rb'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(rb'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    for sheet_name, rel in re.findall(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(rel, b"").decode().lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        try:
            xml = archive.read(path)
        except KeyError:
            continue
        if b"<f" not in xml:
            continue
        rows = set()
        for match in re.finditer(rb'<c r="[A-Z]+(\d+)"[^>]*?>\s*<f[^>]*?(?:/>|>[^<]*</f>)\s*(<v>[^<]*</v>)?', xml):
            if match.group(2) in (None, b"<v></v>"):
                rows.add(int(match.group(1)))
        if rows:
            found[sheet_name.decode()] = rows
    return found


def _workbook_rows(data: bytes, name: str) -> list[tuple[str, list[list]]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            if sheet.width > MAX_COLUMNS:
                raise FileProblem(
                    _(
                        "The sheet “%(sheet)s” has %(count)s columns; at most %(limit)s are read. Remove the extra "
                        "columns or copy the table into a new sheet."
                    )
                    % {"sheet": sheet_name, "count": sheet.width, "limit": MAX_COLUMNS}
                )
            sheets.append((sheet_name, sheet.to_python(skip_empty_area=False)))
        return sheets
    except FileProblem:
        raise
    except Exception as broken:  # calamine raises its own errors for damaged or encrypted files
        raise FileProblem(
            _("The file %(name)s cannot be read as an Excel workbook (damaged or password-protected?).")
            % {"name": name}
        ) from broken


# ------------------------------------------------------------------------------------------------------- headers


def find_table(data: bytes, name: str, synonyms: dict[str, tuple[str, ...]], required: list[tuple[str, ...]]) -> Table:
    """The sheet and header row matching `synonyms` (field -> accepted header texts) best. `required`: groups of
    fields of which at least one must be present (e.g. village code or village name)."""
    if not data:
        raise FileProblem(_("The file %(name)s is empty.") % {"name": name})
    kind = _sniff_kind(data, name)
    sheets = _workbook_rows(data, name) if kind in ("xlsx", "xls") else _csv_rows(data, name)
    if kind == "csv":
        width = max((len(r) for _n, rows in sheets for r in rows), default=0)
        if width > MAX_COLUMNS:
            raise FileProblem(
                _(
                    "The sheet “%(sheet)s” has %(count)s columns; at most %(limit)s are read. Remove the extra "
                    "columns or copy the table into a new sheet."
                )
                % {"sheet": name, "count": width, "limit": MAX_COLUMNS}
            )
    lookup = {norm(text): key for key, texts in synonyms.items() for text in texts}
    best = None  # (number of columns matched, sheet, header row index, header height, columns, labels, rows)
    for sheet_name, rows in sheets:
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            candidates = [(1, _header_labels(row, None))]
            if index + 1 < len(rows):  # a two-level header: "Simpanan" merged over "Pokok" | "Wajib"
                candidates.append((2, _header_labels(row, rows[index + 1])))
            for height, texts in candidates:
                columns: dict[str, int] = {}
                labels: dict[int, str] = {}
                for position, variants in texts.items():
                    for variant in variants:
                        key = lookup.get(norm(variant))
                        if key and key not in columns:
                            columns[key] = position
                            labels[position] = variant
                            break
                if all(any(k in columns for k in group) for group in required) and (
                    best is None or len(columns) > best[0]
                ):
                    best = (len(columns), sheet_name, index, height, columns, labels, rows)
    if best is None:
        if not any(any(not is_blank(c) for c in row) for _n, rows in sheets for row in rows):
            raise FileProblem(_("The file %(name)s holds no data.") % {"name": name})
        expected = ", ".join(" / ".join(synonyms[k][0] for k in group) for group in required)
        raise FileProblem(
            _("No header row found in %(name)s: the table needs the columns %(columns)s (see the template).")
            % {"name": name, "columns": expected}
        )
    _count, sheet_name, index, height, columns, labels, rows = best
    formulas = _formula_cells(data).get(sheet_name, set()) if kind == "xlsx" else set()
    header = _header_labels(rows[index], rows[index + 1] if height == 2 else None)
    first = index + height
    return Table(
        sheet=sheet_name,
        header_row=index + 1,
        columns=columns,
        rows=[(number, row) for number, row in enumerate(rows[first:], start=first + 1)],
        header_labels=labels,
        formula_rows=formulas,
        unread=[
            variants[0]
            for position, variants in header.items()
            if position not in labels and norm(variants[0]) not in ("no", "nomor urut", "no urut")
        ],
    )


def _header_labels(row: list, below: list | None) -> dict[int, list[str]]:
    """Column position -> header texts to try. With `below` (the row under a header whose group titles are merged
    across columns), a group title is carried right over its blank cells and combined with the sub-title, both ways
    round ("Simpanan" + "Pokok", "Tanggal" + "Musdesus"), then each alone."""
    texts: dict[int, list[str]] = {}
    parent = ""
    width = max(len(row), len(below or ()))
    for position in range(width):
        top = row[position] if position < len(row) else None
        top = " ".join(str(top).split()) if isinstance(top, str) and top.strip() else ""
        if below is None:
            if top:
                texts[position] = [top]
            continue
        sub = below[position] if position < len(below) else None
        sub = " ".join(str(sub).split()) if isinstance(sub, str) and sub.strip() else ""
        parent = top or (parent if sub else "")
        variants = [f"{parent} {sub}", f"{sub} {parent}", sub, parent] if parent and sub else [parent or sub]
        if variants[0]:
            texts[position] = variants
    return texts


_TOTAL = re.compile(r"^(jumlah|total|sub ?total|grand total|rekap)\b")
_SIGNATURE = re.compile(
    r"^(mengetahui|menyetujui|kepala( dinas| bidang)?|sekretaris|kabid|nip|ttd|dibuat oleh|diperiksa oleh|"
    r"a n)\b"
)


def is_total_row(row: list) -> bool:
    return any(isinstance(c, str) and _TOTAL.match(norm(c)) for c in row)


def is_signature_row(row: list) -> bool:
    return any(isinstance(c, str) and _SIGNATURE.match(norm(c)) for c in row)


def cell(row: list, columns: dict[str, int], key: str):
    position = columns.get(key)
    if position is None or position >= len(row):
        return None
    value = row[position]
    return None if is_blank(value) else value
