from django.db.models import Count, Q

from kopdes.accounts.roles import CAPABILITIES, Cap, Role
from kopdes.accounts.scope import has_capability, visible_regions
from kopdes.regions.models import Level


def landing_summary(user) -> dict:
    """What the landing page shows: the user's roles and scope, and what the user may do there."""
    assignments = user.active_assignments()
    counts = (
        visible_regions(user)
        .active()
        .aggregate(
            kecamatan=Count("id", filter=Q(level=Level.KECAMATAN)),
            villages=Count("id", filter=Q(level=Level.DESA)),
        )
    )
    capabilities = set().union(*(CAPABILITIES.get(a.role, frozenset()) for a in assignments)) if assignments else set()
    return {
        "assignments": assignments,
        "counts": counts,
        "can_edit": Cap.EDIT in capabilities,
        "can_verify": Cap.VERIFY in capabilities,
        "read_only": bool(assignments) and not (capabilities - {Cap.VIEW, Cap.VIEW_PERSONAL}),
        # the pengurus edit their own cooperative's registry (kopdes/cooperatives/access.py), nothing else
        "edits_registry_only": any(a.role == Role.PENGURUS for a in assignments) and Cap.EDIT not in capabilities,
        "can_manage_users": has_capability(user, Cap.MANAGE_USERS),
        "can_view_audit": has_capability(user, Cap.VIEW_AUDIT),
    }
