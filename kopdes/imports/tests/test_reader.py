"""The reader: files, sheets, header rows and skipped rows (cell values: kopdes/cleaners/tests)."""

from __future__ import annotations
