"""Building messy spreadsheets in tests, the way offices make them (openpyxl writes what Excel would)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows: list[list], *, title: str | None = None, merge_title: int = 0, text_columns=(), sheet="Data") -> bytes:
    """An .xlsx whose first sheet holds `rows` (starting at row 1); with `title` a merged title over the first row."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if merge_title:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=merge_title)
    for column in text_columns:
        for cells in ws.iter_rows(min_col=column, max_col=column):
            for c in cells:
                c.number_format = "@"
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def upload(data: bytes, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def expanding_xlsx(rows: list[list], *, expanded: int, declared: int | None = None) -> bytes:
    """A real workbook of `rows` whose first sheet's XML is padded with blanks between its rows so that it expands to
    about `expanded` bytes from about expanded/1000 on disk (a "zip bomb"). The deflate stream is a compressed 1 MiB
    of blanks repeated (each piece ends with a full flush, so the pieces are independent): built in milliseconds,
    never held expanded. `declared`: the sheet's size written in the zip's directory (a directory that lies)."""
    import struct
    import zipfile
    import zlib

    plain = xlsx(rows)
    parts = {
        info.filename: zipfile.ZipFile(io.BytesIO(plain)).read(info)
        for info in zipfile.ZipFile(io.BytesIO(plain)).infolist()
    }
    sheet = parts["xl/worksheets/sheet1.xml"]
    cut = sheet.index(b"</sheetData>")
    head, tail = sheet[:cut], sheet[cut:]
    piece = b" " * (1 << 20)
    count = max(expanded // len(piece), 1)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_head = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    packed_piece = squeeze.compress(piece) + squeeze.flush(zlib.Z_FULL_FLUSH)
    packed_tail = squeeze.compress(tail) + squeeze.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(piece, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * len(piece) + len(tail)
    entries = []
    for name, content in parts.items():
        if name == "xl/worksheets/sheet1.xml":
            entries.append((name, packed_head + packed_piece * count + packed_tail, crc, size))
        else:
            squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
            entries.append((name, squeeze.compress(content) + squeeze.flush(), zlib.crc32(content), len(content)))
    out, central = io.BytesIO(), io.BytesIO()
    for name, packed, crc32, real in entries:
        shown = declared if declared is not None and name == "xl/worksheets/sheet1.xml" else real
        offset = out.tell()
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0x21, crc32, len(packed), shown, len(encoded), 0)
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", *fields) + encoded + packed)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0))
    return out.getvalue()
