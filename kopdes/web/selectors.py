"""Reads of the site's own pages: the landing page, the audit log."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kopdes.accounts.roles import CAPABILITIES, Cap, Role
from kopdes.accounts.scope import NATION, has_capability, scope_codes, scope_q, visible_regions
from kopdes.audit.models import AuditEntry
from kopdes.regions.models import Level

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def landing_summary(user: User) -> dict:
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


def audit_entries_for(user: User, filters: dict) -> QuerySet[AuditEntry]:
    """Entries about objects in the user's audit scope; system-wide entries (no region) only for a national scope."""
    entries = AuditEntry.objects.select_related("actor")
    if scope_codes(user, Cap.VIEW_AUDIT) != [NATION]:
        entries = entries.filter(scope_q(user, "region_code", Cap.VIEW_AUDIT) & ~Q(region_code=""))
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("object_type"):
        entries = entries.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        entries = entries.filter(object_id=filters["object_id"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        entries = entries.filter(at__gte=datetime.combine(filters["date_from"], time.min, zone))
    if filters.get("date_to"):
        entries = entries.filter(at__lt=datetime.combine(filters["date_to"] + timedelta(days=1), time.min, zone))
    return entries
