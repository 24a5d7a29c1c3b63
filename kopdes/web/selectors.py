"""Reads of the site's own pages: the landing page, the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.models import RoleAssignment
from kopdes.accounts.roles import CAPABILITIES, Cap, Role
from kopdes.accounts.scope import NATION, has_capability, scope_codes, scope_q, visible_regions
from kopdes.audit.describe import GROUPS, Change, actions_in_group, describe_entries
from kopdes.audit.models import AuditEntry
from kopdes.regions.models import Level, Region, subtree_q

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
    entries = AuditEntry.objects.select_related("actor").prefetch_related(
        Prefetch(
            "actor__assignments",
            queryset=RoleAssignment.objects.filter(ended_at__isnull=True).order_by("id"),
            to_attr="audit_roles",
        )
    )
    if scope_codes(user, Cap.VIEW_AUDIT) != [NATION]:
        entries = entries.filter(scope_q(user, "region_code", Cap.VIEW_AUDIT) & ~Q(region_code=""))
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("region"):  # a region of the reader's scope (the form offers no other): its whole subtree
        entries = entries.filter(subtree_q(filters["region"], "region_code"))
    if filters.get("kind"):
        entries = entries.filter(action__in=actions_in_group(filters["kind"]))
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


@dataclass
class AuditRow:
    """One entry of the log as people read it: "Admin dinas (Siti) mengubah dusun anggota …"."""

    entry: AuditEntry
    actor: str  # "Admin dinas (Siti Aminah)", "Sistem"
    sentence: str
    kind: str  # the kind of change, by its label
    region: str  # the region's name, "" for system-wide entries
    changes: list[Change]
    created: bool


def actor_label(entry: AuditEntry) -> str:
    """The actor by its role then its name ("Admin dinas (Siti Aminah)"); the role is its first active one now."""
    if entry.actor is None:
        return _("System")
    roles = getattr(entry.actor, "audit_roles", None) or []
    if not roles:
        return str(entry.actor)
    role = str(roles[0].get_role_display())
    return f"{role[:1].upper()}{role[1:]} ({entry.actor})"


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """A page of entries as sentences. Queries: region names (one), plus those of `describe_entries` (one per model
    named by a foreign key or a value reader); the actors' roles come prefetched by `audit_entries_for`."""
    entries = list(entries)
    codes = {entry.region_code for entry in entries if entry.region_code}
    regions = {region.code: region.display_name for region in Region.objects.filter(code__in=codes)}
    rows = []
    for described in describe_entries(entries):
        entry = described.entry
        actor = actor_label(entry)
        group = GROUPS.get(described.group)
        rows.append(
            AuditRow(
                entry=entry,
                actor=actor,
                sentence=f"{actor} {described.phrase}.",
                kind=str(group.label) if group else "",
                region=regions.get(entry.region_code, entry.region_code),
                changes=described.changes,
                created=described.created,
            )
        )
    return rows
