"""Who may import: the office's administrators (the only role that verifies), and for a cooperative's members only
those who may verify that cooperative (`formation.policy.can_act`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import has_capability
from kopdes.formation.models import Cooperative
from kopdes.formation.policy import can_act


def may_import(user) -> bool:
    """The office's administrators (the only role that verifies) import."""
    return has_capability(user, Cap.VERIFY)


def require_importer(actor, cooperative: Cooperative | None) -> None:
    if not may_import(actor):
        raise PermissionDenied
    if cooperative is not None and not can_act(actor, cooperative, Cap.VERIFY):
        raise PermissionDenied


def may_import_valid_rows(summary: dict) -> bool:
    """Whether a preview with errors may import its valid rows and leave the rest: some rows would
    change, and no error concerns the file as a whole."""
    return bool(summary.get("new") or summary.get("changed")) and not summary.get("file_errors")
