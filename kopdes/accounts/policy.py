"""Who may do what on accounts (the scope codes and capabilities themselves are `scope.py`)."""

from __future__ import annotations

from kopdes.accounts.models import User
from kopdes.accounts.scope import manageable_roles_at


def can_manage_user(actor: User, user: User) -> bool:
    """A manager may act on an account only if every active assignment of it lies in what the manager may manage."""
    if actor.pk == user.pk:
        return False
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    assignments = user.active_assignments()
    if not assignments:
        # An account whose roles have all ended (a kades who left office) stays with whoever managed its last role.
        last = user.assignments.select_related("region").order_by("-id").first()
        if last is None:
            return False
        assignments = [last]
    return all(a.role in manageable_roles_at(actor, a.scope_code) for a in assignments)
