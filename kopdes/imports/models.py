"""Spreadsheet imports (issue 6 §6): members of a cooperative and the office's village status sheet."""
