"""The downloadable members template (.xlsx): headers, column notes, the NIK column formatted as text."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (header, width, note, example)
COLUMNS = (
    ("NIK", 20, gettext_lazy("16 digits, written as text (this column is formatted as text)."), "6401044112950003"),
    ("Nama", 30, gettext_lazy("Full name as on the KTP."), "Siti Aminah"),
    ("Dusun", 16, gettext_lazy("Name of the dusun or lingkungan (may be empty)."), "Dusun I"),
    ("RT", 6, gettext_lazy("RT number (may be empty)."), "003"),
    ("Tanggal Masuk", 14, gettext_lazy("Date of joining: 11/05/2025, 2025-05-11 or 11 Mei 2025."), "11/05/2025"),
    ("Simpanan Pokok", 16, gettext_lazy("Rupiah paid, digits only."), "100000"),
    ("Simpanan Wajib", 16, gettext_lazy("Rupiah paid to date, digits only."), "60000"),
    ("Status", 10, gettext_lazy("Aktif or Keluar (empty = Aktif)."), "Aktif"),
    ("Tanggal Keluar", 14, gettext_lazy("Filled in when the member left."), ""),
)


def members_template() -> bytes:
    import xlsxwriter

    target = io.BytesIO()
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    money = book.add_format({"num_format": "#,##0"})
    sheet = book.add_worksheet("Anggota")
    for position, (header, width, note, _example) in enumerate(COLUMNS):
        cell_format = {0: text, 3: text, 4: date_format, 5: money, 6: money, 8: date_format}.get(position)
        sheet.set_column(position, position, width, cell_format)
        sheet.write_string(0, position, header, bold)
        sheet.write_comment(0, position, str(note))
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("Petunjuk")
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 70)
    notes.set_column(2, 2, 20)
    notes.write_row(0, 0, [_("Column"), _("Notes"), _("Example")], bold)
    for row, (header, _width, note, example) in enumerate(COLUMNS, start=1):
        notes.write_string(row, 0, header)
        notes.write_string(row, 1, str(note))
        notes.write_string(row, 2, example)
    notes.write_string(len(COLUMNS) + 2, 0, _("Fill in the sheet “Anggota”, one member per row, from row 2."))
    book.close()
    return target.getvalue()
