"""Looking inside an .xlsx before any spreadsheet library opens it: a workbook is a zip of XML parts, and
a 1 MB upload can expand to gigabytes (a "zip bomb") or declare a sheet of a million rows by sixteen thousand columns
that a reader would allocate cell by cell. The zip's directory, the real expanded sizes (counted while streaming, never
held) and the cell references in the sheet XML are checked against the limits below; a workbook past them is refused
with a message for the user, in bounded memory and time.

Limits (settings, each with a default sized for the largest honest file: a national village status sheet of 83,762
rows, a members file of 100,000 rows):
- `IMPORT_MAX_UNCOMPRESSED_BYTES` (default 200 MB): all parts of the workbook, expanded;
- `IMPORT_MAX_RATIO` (default 100): expanded / compressed size of a part larger than 1 MB (honest sheet XML compresses
  10–30 times; a bomb 1,000 times);
- `IMPORT_MAX_ROWS` (default 250,000) and `IMPORT_MAX_CELLS` (default 6,000,000): a sheet's extent, rows × columns
  from A1 (the reader builds the full grid).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

RATIO_FLOOR = 1024 * 1024  # parts smaller than this expanded are never refused for their ratio
CHUNK = 1024 * 1024
# Cell and row references, found by their literal start (fast): columns past Z (rare, so the scan stays cheap) and row
# numbers of six digits or more; rows are counted by their tags (a cell without a reference takes the next place).
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,3})\d')
_HIGH_ROW = re.compile(rb' r="[A-Z]{0,3}(\d{6,})"')
_DIMENSION = re.compile(rb'<dimension\b[^>]*?\bref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


class WorkbookRefused(Exception):
    """The workbook is past a limit; `message` is for the user (the caller wraps it in its own file error)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _limit(name: str, default: int) -> int:
    """A limit of the settings (kopdes/settings.py, from the environment), or its default."""
    return int(getattr(settings, name, default))


def column_number(letters: str) -> int:
    """A1 column letters to a 1-based number: A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def inspect_xlsx(data: bytes, name: str) -> None:
    """Raise WorkbookRefused when the workbook `data` (the bytes of an .xlsx) expands past the limits; return None
    otherwise. A damaged zip is left to the reader (which says it is damaged)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    max_total = _limit("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
    max_ratio = _limit("IMPORT_MAX_RATIO", 100)
    declared = sum(entry.file_size for entry in entries)
    if declared > max_total:
        raise WorkbookRefused(_too_big(name, declared, max_total))
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > max_ratio * max(entry.compress_size, 1):
            raise WorkbookRefused(
                _(
                    "The file %(name)s is refused: a part of it expands %(ratio)s times (from %(packed)s to "
                    "%(size)s), which a spreadsheet saved by Excel never does. Save the sheet again from Excel or "
                    "copy the table into a new workbook."
                )
                % {
                    "name": name,
                    "ratio": entry.file_size // max(entry.compress_size, 1),
                    "packed": filesizeformat(entry.compress_size),
                    "size": filesizeformat(entry.file_size),
                }
            )
    # The directory may lie: every part is expanded once, in chunks, counting the real bytes (nothing kept but the
    # cell references of the sheets); zipfile stops a part at its declared size and checks its CRC.
    total = 0
    for entry in entries:
        is_sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
        scan = _SheetScan() if is_sheet else None
        try:
            with archive.open(entry) as part:
                while chunk := part.read(CHUNK):
                    total += len(chunk)
                    if total > max_total:
                        raise WorkbookRefused(_too_big(name, total, max_total))
                    if scan is not None:
                        scan.feed(chunk)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as broken:
            # a part whose bytes do not match its declared size and checksum: never handed to a reader
            raise WorkbookRefused(
                _("The file %(name)s cannot be read as an Excel workbook (damaged or password-protected?).")
                % {"name": name}
            ) from broken
        if scan is not None:
            scan.check(name, entry.filename)


def _too_big(name: str, size: int, limit: int) -> str:
    return _(
        "The file %(name)s is refused: its sheets expand to more than %(limit)s (found %(size)s so far). Split it "
        "into smaller files or remove the unused rows and columns."
    ) % {"name": name, "limit": filesizeformat(limit), "size": filesizeformat(size)}


class _SheetScan:
    """The extent of one sheet from its XML, fed chunk by chunk (a reference split across two chunks is caught by
    keeping the last 64 bytes for the next one)."""

    def __init__(self):
        self.rows = 0
        self.row_tags = 0
        self.columns = 26  # any sheet may use A–Z: only wider references are looked at
        self.tail = b""
        self.first = True

    def feed(self, chunk: bytes, last: bool = False) -> None:
        text = self.tail + chunk
        if self.first:
            self.first = False
            if (match := _DIMENSION.search(text[:4096])) and match.group(4):
                self.rows = max(self.rows, int(match.group(4)))
                self.columns = max(self.columns, column_number(match.group(3).decode()))
        self.row_tags += chunk.count(b"<row")
        cut = len(text) if last else max(len(text) - 64, 0)
        # only references starting before the cut are taken: the rest is seen again with the next chunk
        for match in _WIDE_CELL.finditer(text):
            if match.start() < cut:
                self.columns = max(self.columns, column_number(match.group(1).decode()))
        for match in _HIGH_ROW.finditer(text):
            if match.start() < cut:
                self.rows = max(self.rows, int(match.group(1)))
        self.tail = text[cut:]

    def check(self, name: str, part: str) -> None:
        self.feed(b"", last=True)
        rows = max(self.rows, self.row_tags)
        max_rows = _limit("IMPORT_MAX_ROWS", 250_000)
        max_cells = _limit("IMPORT_MAX_CELLS", 6_000_000)
        if rows > max_rows or rows * self.columns > max_cells:
            raise WorkbookRefused(
                _(
                    "The file %(name)s is refused: a sheet reaches row %(rows)s and column %(columns)s, more than "
                    "an import reads (at most %(max_rows)s rows and %(max_cells)s cells). Delete the unused rows and "
                    "columns below and right of the table, or split the file."
                )
                % {
                    "name": name,
                    "rows": f"{rows:,}".replace(",", "."),
                    "columns": self.columns,
                    "max_rows": f"{max_rows:,}".replace(",", "."),
                    "max_cells": f"{max_cells:,}".replace(",", "."),
                }
            )


def column_letters(number: int) -> str:
    """A 1-based column number to its A1 letters: 1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
