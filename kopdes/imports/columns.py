"""Columns mapped, not guessed: a sheet's headers are matched by name and synonyms (declared per import
kind in plans.py: MEMBER_COLUMNS, STATUS_COLUMNS); a column nobody declared is shown in the preview and the admin may
say which field it holds. That choice is remembered per sheet layout — the fingerprint of the normalised header texts
in column order (`reader.layout_fingerprint`) — so the next file of the same layout is read the same way."""

from __future__ import annotations

from kopdes.imports.models import ColumnLayout


def remembered_layouts(kind: str) -> dict[str, dict[str, str]]:
    """Layout fingerprint -> normalised header text -> field, of every mapping the admins chose for `kind`. One query
    over a small table (one row per layout an office ever mapped)."""
    return dict(ColumnLayout.objects.filter(kind=kind).values_list("fingerprint", "mapping"))
