"""Who may do what on camat reports: the camat of the kecamatan, or the office above it, writes its report."""

from __future__ import annotations

from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import in_scope
from kopdes.regions.models import is_within


def can_write(user, kecamatan_code: str) -> bool:
    """Only the camat of the kecamatan, or the office above it, writes its report (not its pendamping or villages)."""
    if in_scope(user, kecamatan_code, Cap.VERIFY):
        return True
    if not in_scope(user, kecamatan_code, Cap.EDIT):
        return False
    return any(
        a.role == Role.CAMAT and a.scope_code and is_within(kecamatan_code, a.scope_code)
        for a in user.active_assignments()
    )
