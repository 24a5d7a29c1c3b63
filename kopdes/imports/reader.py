"""Reading the office's spreadsheets: .xlsx (python-calamine) and .csv, tolerant of the usual mess.

The reader returns plain rows (lists of cell values: str, float, int, bool, date, datetime) of the sheet whose header
row matches the expected columns best, with the header's column positions. A cell's value is read by the cleaner of
its kind (`kopdes.cleaners`: dates, NIKs, names, village codes, money, stage labels), the same as the forms use.
Every message is in English for the catalogue; the UI shows the Indonesian translation.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kopdes.cleaners import CellError  # noqa: F401  (the callers' one error type for a bad cell)
from kopdes.cleaners.text import is_blank, norm
from kopdes.files.uploads import clean_name
from kopdes.imports.inspection import WorkbookRefused, column_letters, column_number, inspect_xlsx

MAX_COLUMNS = 100  # a sheet wider than this is not one of ours (a pasted report, a pivot)
HEADER_SEARCH_ROWS = 30  # the header is found among the first rows (titles, logos and blank rows above it)


class FileProblem(Exception):
    """The file as a whole cannot be read: nothing is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class HeaderNotFound(FileProblem):
    """No header row holds the columns an import needs. `headers` (position -> text) and `layout` are those of the
    likeliest header row, `read` (field -> header text) what it matched: the admin may say which columns hold the
    missing fields (columns.py), and the file is read again."""

    def __init__(self, message: str, *, headers: dict[int, str], layout: str, read: dict[str, str], row: int):
        super().__init__(message)
        self.headers, self.layout, self.read, self.row = headers, layout, read, row


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based row number of the header in the sheet
    columns: dict[str, int]  # field -> 0-based column position
    rows: list[tuple[int, list]]  # (1-based row number, cells)
    header_labels: dict[int, str] = field(default_factory=dict)  # position -> header text as written
    formula_rows: set[int] = field(default_factory=set)  # rows holding a formula without a computed value
    unread: list[str] = field(default_factory=list)  # header texts of columns the import does not read
    formula_cells: dict[int, list[str]] = field(default_factory=dict)  # row -> its formula cells ("C7") without value
    filled: list[str] = field(default_factory=list)  # merged ranges filled down ("D2:D4 (Dusun)")
    unknown: dict[int, str] = field(default_factory=dict)  # position -> header text of a column no field matched
    layout: str = ""  # fingerprint of the normalised header texts (columns.layout_fingerprint)
    headers: dict[int, str] = field(default_factory=dict)  # position -> every header text as written


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
        delimiter = max(counts, key=counts.__getitem__)
    rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [(name, rows)]


def _formula_cells(data: bytes) -> dict[str, dict[int, list[str]]]:
    """Sheet name -> row -> the cells ("C7") holding a formula without a stored result (a file written by a program,
    never opened in Excel): they read as empty, which would be wrong data."""
    found: dict[str, dict[int, list[str]]] = {}
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
        rows: dict[int, list[str]] = {}
        for match in re.finditer(rb'<c r="([A-Z]+)(\d+)"[^>]*?>\s*<f[^>]*?(?:/>|>[^<]*</f>)\s*(<v>[^<]*</v>)?', xml):
            if match.group(3) in (None, b"<v></v>"):
                rows.setdefault(int(match.group(2)), []).append(f"{match.group(1).decode()}{match.group(2).decode()}")
        if rows:
            found[sheet_name.decode()] = rows
    return found


def _workbook_rows(data: bytes, name: str, merges: dict | None = None) -> list[tuple[str, list[list]]]:
    """Every sheet's rows from A1; `merges` (when given) receives each sheet's merged ranges, 0-based
    ((first row, first column), (last row, last column)). The workbook is inspected first (inspection.py): nothing
    past the size limits reaches the reader."""
    from python_calamine import CalamineWorkbook

    if data.startswith(b"PK"):
        try:
            inspect_xlsx(data, name)
        except WorkbookRefused as refused:
            raise FileProblem(refused.message) from refused
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
            if merges is not None:
                merges[sheet_name] = list(sheet.merged_cell_ranges or ())
        return sheets
    except FileProblem:
        raise
    except Exception as broken:  # calamine raises its own errors for damaged or encrypted files
        raise FileProblem(
            _("The file %(name)s cannot be read as an Excel workbook (damaged or password-protected?).")
            % {"name": name}
        ) from broken


# ------------------------------------------------------------------------------------------------------- headers


def find_table(
    data: bytes,
    name: str,
    synonyms: dict[str, tuple[str, ...]],
    required: list[tuple[str, ...]],
    layouts: dict[str, dict[str, str]] | None = None,
) -> Table:
    """The sheet and header row matching `synonyms` (field -> accepted header texts) best. `required`: groups of
    fields of which at least one must be present (e.g. village code or village name). `layouts`: mappings the
    admins chose (layout fingerprint -> normalised header text -> field), applied to a header row of that layout
    before the synonyms. Cells merged over several data rows are filled down (Table.filled says which)."""
    if not data:
        raise FileProblem(_("The file %(name)s is empty.") % {"name": name})
    kind = _sniff_kind(data, name)
    merges: dict[str, list] = {}
    sheets = _workbook_rows(data, name, merges) if kind in ("xlsx", "xls") else _csv_rows(data, name)
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
    best = None  # (number of columns matched, sheet, header row index, header height, columns, labels, rows, layout)
    likeliest = None  # (columns matched, text cells, header row index, texts, columns, labels, layout): one-row headers
    for sheet_name, rows in sheets:
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            candidates = [(1, _header_labels(row, None))]
            if index + 1 < len(rows):  # a two-level header: "Simpanan" merged over "Pokok" | "Wajib"
                candidates.append((2, _header_labels(row, rows[index + 1])))
            for height, texts in candidates:
                layout = layout_fingerprint(texts)
                chosen = (layouts or {}).get(layout, {})
                columns: dict[str, int] = {}
                labels: dict[int, str] = {}
                for position, variants in texts.items():
                    key = chosen.get(norm(variants[0]))
                    if key in synonyms and key not in columns:
                        columns[key] = position
                        labels[position] = variants[0]
                for position, variants in texts.items():
                    if position in labels:
                        continue
                    for variant in variants:
                        key = lookup.get(norm(variant))
                        if key and key not in columns:
                            columns[key] = position
                            labels[position] = variant
                            break
                if all(any(k in columns for k in group) for group in required) and (
                    best is None or len(columns) > best[0]
                ):
                    best = (len(columns), sheet_name, index, height, columns, labels, rows, layout)
                strings = sum(1 for c in row if isinstance(c, str) and c.strip())
                if height == 1 and strings >= 2 and (likeliest is None or (len(columns), strings) > likeliest[:2]):
                    likeliest = (len(columns), strings, index, texts, columns, labels, layout)
    if best is None:
        if not any(any(not is_blank(c) for c in row) for _n, rows in sheets for row in rows):
            raise FileProblem(_("The file %(name)s holds no data.") % {"name": name})
        expected = ", ".join(" / ".join(synonyms[k][0] for k in group) for group in required)
        message = _("No header row found in %(name)s: the table needs the columns %(columns)s (see the template).") % {
            "name": name,
            "columns": expected,
        }
        if likeliest is not None:
            _matched, _strings, index, texts, columns, labels, layout = likeliest
            raise HeaderNotFound(
                message,
                headers={position: variants[0] for position, variants in texts.items()},
                layout=layout,
                read={key: labels[position] for key, position in columns.items()},
                row=index + 1,
            )
        raise FileProblem(message)
    _count, sheet_name, index, height, columns, labels, rows, layout = best
    formulas = _formula_cells(data).get(sheet_name, {}) if kind == "xlsx" else {}
    header = _header_labels(rows[index], rows[index + 1] if height == 2 else None)
    first = index + height
    filled = _fill_down(rows, merges.get(sheet_name, ()), first, header)
    if formulas and max(formulas) > len(rows):  # rows holding only formulas without values: the reader trims them
        rows = rows + [[] for _extra in range(max(formulas) - len(rows))]
    unknown = {
        position: variants[0]
        for position, variants in header.items()
        if position not in labels and norm(variants[0]) not in ("no", "nomor urut", "no urut")
    }
    return Table(
        sheet=sheet_name,
        header_row=index + 1,
        columns=columns,
        rows=[(number, row) for number, row in enumerate(rows[first:], start=first + 1)],
        header_labels=labels,
        formula_rows=set(formulas),
        unread=list(unknown.values()),
        formula_cells=formulas,
        filled=filled,
        unknown=unknown,
        layout=layout,
        headers={position: variants[0] for position, variants in header.items()},
    )


def layout_fingerprint(texts: dict[int, list[str]]) -> str:
    """The layout of a header row: a hash of its normalised header texts in column order (blank columns kept, so
    the same headers in another order are another layout)."""
    width = max(texts, default=-1) + 1
    key = "\x1f".join(norm(texts[p][0]) if p in texts else "" for p in range(width))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _fill_down(rows: list[list], merges, first: int, header: dict) -> list[str]:
    """Give every row a merged cell covers the merged cell's value (the reader sees it in the first row only), for
    ranges below the header (0-based row `first` on) that span several rows; the ranges filled, as "D2:D4 (Dusun)"."""
    filled = []
    for (top, left), (bottom, right) in merges:
        if top < first or bottom <= top or top >= len(rows):
            continue
        source = rows[top]
        value = source[left] if left < len(source) else None
        if is_blank(value):
            continue
        for number in range(top + 1, min(bottom, len(rows) - 1) + 1):
            row = rows[number]
            if left >= len(row):
                row.extend([""] * (left + 1 - len(row)))
            row[left] = value
        reference = f"{column_letters(left + 1)}{top + 1}:{column_letters(right + 1)}{bottom + 1}"
        heading = header.get(left, [""])[0]
        filled.append(f"{reference} ({heading})" if heading else reference)
    return filled


def formula_message(table: Table, number: int) -> str:
    """The error of a row holding formulas without a computed value, naming the cells and their columns."""
    cells = table.formula_cells.get(number, [])
    named = []
    for ref in cells:
        letters = ref.rstrip("0123456789")
        position = column_number(letters) - 1
        heading = table.header_labels.get(position) or table.unknown.get(position)
        named.append(f"{ref} ({heading})" if heading else ref)
    return _(
        "Cell %(cells)s holds a formula without a computed value: it reads as empty. Open the file in Excel and save "
        "it again, or paste the values only."
    ) % {"cells": ", ".join(named) or str(number)}


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


def skip_reason(row: list, *, identity_end: int, after_signature: bool, formulas: bool = False) -> str | None:
    """Why a row that is not a data row is skipped (for the preview's list): "" for a row with nothing in it (not
    listed), a subtotal, a row of the signature block; None when none of these applies. `formulas`: the row holds
    formulas without a value (it looks empty, but is not)."""
    if all(is_blank(c) for c in row):
        return None if formulas else ""
    if is_total_row(row[:identity_end]):
        return _("a subtotal row")
    if after_signature:
        return _("part of the signature block")
    return None


def cell(row: list, columns: dict[str, int], key: str):
    position = columns.get(key)
    if position is None or position >= len(row):
        return None
    value = row[position]
    return None if is_blank(value) else value


def check_size(size: int, name: str) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise FileProblem(
            _("The file %(name)s is %(size)s; the largest allowed is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )


def read_upload(uploaded) -> tuple[bytes, str]:
    """The bytes and clean name of an uploaded file; the size is checked before anything is read."""
    name = clean_name(uploaded.name)
    check_size(uploaded.size, name)
    uploaded.seek(0)
    return uploaded.read(), name
