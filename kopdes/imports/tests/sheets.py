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
